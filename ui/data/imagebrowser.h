// ImageBrowser: the dataset's images in a scrolling grid with their labels
// (and, once the model has been evaluated, its predictions: wrong ones in
// red); a switch between training and test images; a click pins an image as
// the sample that the other views follow.
#pragma once

#include "datasetloader.h"
#include "trainingtypes.h"

#include <QWidget>

#include <memory>

class ImageListModel;
class MisclassifiedFilter;
class QCheckBox;
class QComboBox;
class QLabel;
class QListView;

class ImageBrowser : public QWidget {
    Q_OBJECT

public:
    explicit ImageBrowser(QWidget* parent = nullptr);
    ~ImageBrowser() override;

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

    // Shows only the images of that set whose true class is `trueClass` and
    // that the last evaluation read as `predicted` (a confusion-matrix cell).
    void showConfusionCell(bool test, int trueClass, int predicted);
    // Images shown after filtering.
    int shownCount() const;

    bool showsTest() const;
    bool pinnedTest() const { return m_pinnedTest; }
    int pinnedIndex() const { return m_pinnedIndex; }
    QListView* view() const { return m_view; }

signals:
    void pinned(bool test, int index);

private:
    void showSet(bool test);
    void updateSummary();

    std::shared_ptr<const cs::Dataset> m_dataset;
    ImageListModel* m_model = nullptr;
    MisclassifiedFilter* m_filter = nullptr;
    QComboBox* m_set = nullptr;
    QCheckBox* m_wrongOnly = nullptr;
    QLabel* m_summary = nullptr;
    QListView* m_view = nullptr;
    SetEvaluation m_trainEval, m_testEval;
    bool m_pinnedTest = false;
    int m_pinnedIndex = 0;
    quint64 m_modelStep = 0;
};
