// MisclassifiedGallery: the images the model got wrong, each with what it
// read, the truth and how sure it was ("7 → 1, 83 %"), most confident
// mistakes first (they are the instructive ones). A filter narrows it to one
// cell of the confusion matrix; a click on an image emits imageActivated so
// the window can pin it.
#pragma once

#include "confusioncell.h"
#include "dataset.hpp"
#include "datasplit.h"

#include <QWidget>

#include <cstdint>
#include <memory>
#include <vector>

class QLabel;
class ThumbnailGrid;

class MisclassifiedGallery : public QWidget {
    Q_OBJECT

public:
    static constexpr int maxShown = 1000;

    explicit MisclassifiedGallery(QWidget* parent = nullptr);

    // Predictions (and the probability of each predicted class; may be empty)
    // for every image of the training or test set of `data`.
    void setEvaluation(std::shared_ptr<const cs::Dataset> data, bool test, const std::vector<std::uint8_t>& predictions,
                       const std::vector<float>& confidence);
    // Only the images in that cell of the confusion matrix ({-1, -1}: every
    // mistake; a diagonal cell: that class's right answers).
    void setFilter(const ConfusionCell& cell);
    void clear();
    // A note before the caption (the evaluation's step, or that it is stale).
    void setNote(const QString& note, bool stale);

    // What is listed: dataset indices, in display order (of them, the
    // first maxShown are in the grid).
    const std::vector<int>& shown() const { return m_shown; }
    int mistakes() const { return m_mistakes; }
    bool showsTest() const { return isTest(m_split); }
    ThumbnailGrid* grid() const { return m_grid; }

signals:
    void imageActivated(bool test, int index);

private:
    void rebuild();
    void showCaption();

    std::shared_ptr<const cs::Dataset> m_data;
    DataSplit m_split = DataSplit::Test;
    std::vector<std::uint8_t> m_predictions;
    std::vector<float> m_confidence;
    ConfusionCell m_filter;
    std::vector<int> m_shown;
    int m_mistakes = 0;
    QLabel* m_caption = nullptr;
    QString m_note, m_text;
    bool m_stale = false;
    ThumbnailGrid* m_grid = nullptr;
};
