// MisclassifiedGallery: the images the model got wrong, each with what it
// read, the truth and how sure it was ("7 → 1, 83 %"), most confident
// mistakes first (they are the instructive ones). A filter narrows it to one
// cell of the confusion matrix; a click on an image emits imageActivated so
// the window can pin it.
#pragma once

#include "dataset.hpp"

#include <QWidget>

#include <cstdint>
#include <memory>
#include <vector>

class QLabel;
class QListWidget;

class MisclassifiedGallery : public QWidget {
    Q_OBJECT

public:
    static constexpr int maxShown = 1000;

    explicit MisclassifiedGallery(QWidget* parent = nullptr);

    // Predictions (and the probability of each predicted class; may be empty)
    // for every image of the training or test set of `data`.
    void setEvaluation(std::shared_ptr<const cs::Dataset> data, bool test, const std::vector<std::uint8_t>& predictions,
                       const std::vector<float>& confidence);
    // Only images of true class `trueClass` read as `predicted` (-1: any).
    // With trueClass == predicted, the right answers of that class.
    void setFilter(int trueClass, int predicted);
    void clear();
    // A note before the caption (the evaluation's step, or that it is stale).
    void setNote(const QString& note, bool stale);

    // What is listed: dataset indices, in display order.
    const std::vector<int>& shown() const { return m_shown; }
    int mistakes() const { return m_mistakes; }
    bool showsTest() const { return m_test; }
    QListWidget* list() const { return m_list; }

signals:
    void imageActivated(bool test, int index);

private:
    void rebuild();

    std::shared_ptr<const cs::Dataset> m_data;
    bool m_test = true;
    std::vector<std::uint8_t> m_predictions;
    std::vector<float> m_confidence;
    int m_filterTrue = -1, m_filterPred = -1;
    std::vector<int> m_shown;
    int m_mistakes = 0;
    QLabel* m_caption = nullptr;
    QString m_note, m_text;
    bool m_stale = false;
    void showCaption();
    QListWidget* m_list = nullptr;
};
