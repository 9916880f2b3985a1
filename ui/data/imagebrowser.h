// ImageBrowser: the dataset's images in a scrolling grid with their labels
// (and, once the model has been evaluated, its predictions: wrong ones in
// red); a switch between training and test images; a click pins an image as
// the sample that the other views follow.
#pragma once

#include "confusioncell.h"
#include "datasplit.h"
#include "trainingtypes.h"

#include <QWidget>

#include <memory>
#include <optional>

class QCheckBox;
class QComboBox;
class QLabel;
class ThumbnailGrid;

class ImageBrowser : public QWidget {
    Q_OBJECT

public:
    explicit ImageBrowser(QWidget* parent = nullptr);

    void setDataset(std::shared_ptr<const cs::Dataset> dataset);
    // Marks predictions on the images of that set (empty: none known).
    void setEvaluation(const SetEvaluation& evaluation);
    // The model's step now: predictions from another step are stale (grey).
    void setModelStep(quint64 step);
    bool evaluationStale() const;
    // No predictions known any more (the weights were replaced).
    void clearEvaluations();
    bool hasEvaluation() const { return !m_trainEval.predictions.empty() || !m_testEval.predictions.empty(); }
    // Pins an image without a click (and shows its set).
    void pin(bool test, int index);

    // Shows only the images of that set in `cell` of the last evaluation's
    // confusion matrix; choosing a set or Errors only leaves it.
    void showConfusionCell(bool test, const ConfusionCell& cell);
    // Images shown after filtering.
    int shownCount() const;

    bool showsTest() const;
    bool pinnedTest() const { return m_pinnedTest; }
    int pinnedIndex() const { return m_pinnedIndex; }
    ThumbnailGrid* grid() const { return m_grid; }

signals:
    void pinned(bool test, int index);

private:
    const SetEvaluation& evaluation(DataSplit split) const;
    // Shows the images of `split` that `cell` holds (none: all, or every
    // mistake with Errors only).
    void showSet(DataSplit split, std::optional<ConfusionCell> cell = std::nullopt);
    void updateSummary();

    std::shared_ptr<const cs::Dataset> m_dataset;
    ThumbnailGrid* m_grid = nullptr;
    QComboBox* m_set = nullptr;
    QCheckBox* m_wrongOnly = nullptr;
    QLabel* m_summary = nullptr;
    SetEvaluation m_trainEval, m_testEval;
    std::optional<ConfusionCell> m_cell; // the confusion-matrix cell shown, if any
    bool m_pinnedTest = false;
    int m_pinnedIndex = 0;
    quint64 m_modelStep = 0;
};
