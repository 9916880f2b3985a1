// InsightDocks: the parts of the window that show how the network reads
// (issue #5), kept out of MainWindow so that the window only hands them its
// snapshots and evaluations.
//
//   "Draw"               the drawing pad and what the network reads in it; a
//                        drawing becomes the sample the network view follows
//   "Evaluation"         the confusion matrix of the last evaluation and the
//                        images it got wrong (a cell click filters them, an
//                        image click pins it)
//   "Explain"            a click on a value of the network view: the sum
//                        that made it, forward or backward (ExplanationPanel)
//   "Weight gradients"   dW of the last step as kernels, ||dW|| per layer
//                        over time (a tab beside the curves)
//   gradient controls    above the network view: activations or gradients,
//                        and for which class (through a SampleLens)
// The drawing panel and the lens read with the trained network (shared,
// read-only) on every snapshot's parameters, each through a workspace of its
// own, so the drawing's probabilities and maps follow training live.
#pragma once

#include "confusioncell.h"
#include "trainingtypes.h"

#include "dataset.hpp"

#include <QObject>
#include <QString>

#include <memory>

class ConfusionMatrixView;
class DigitClassifierPanel;
class ExplanationPanel;
class GradientControls;
class GradientNormChart;
class KernelView;
class MisclassifiedGallery;
class NetworkView;
class QAction;
class QDockWidget;
class QMainWindow;
class SampleLens;

class InsightDocks : public QObject {
    Q_OBJECT

public:
    // evaluate: the window's Evaluate action, on a button above the matrix.
    InsightDocks(QMainWindow* window, NetworkView* network, QAction* evaluate);
    ~InsightDocks() override;

    GradientControls* controls() const { return m_controls; }
    DigitClassifierPanel* drawing() const { return m_drawing; }
    ConfusionMatrixView* confusion() const { return m_confusion; }
    MisclassifiedGallery* gallery() const { return m_gallery; }
    KernelView* weightGradients() const { return m_dW; }
    GradientNormChart* normChart() const { return m_norms; }
    SampleLens* lens() const { return m_lens; }
    QDockWidget* drawingDock() const { return m_drawingDock; }
    QDockWidget* evaluationDock() const { return m_evaluationDock; }
    QDockWidget* gradientsDock() const { return m_gradientsDock; }
    // A click on a value of the network view: the sum that made it.
    ExplanationPanel* cellExplanation() const { return m_cells; }
    QDockWidget* explainDock() const { return m_cellsDock; }

    void setDataset(std::shared_ptr<const cs::Dataset> dataset);
    // Instead of NetworkView::showSnapshot: the models follow the snapshot,
    // then the network view shows it through the lens.
    void showSnapshot(const TrainingSnapshot& snapshot);
    // A kept step of the timeline instead of the live model (liveStep: the
    // newest): the network view, the drawing's reading and the kernels' dW
    // (the pinned image's own at that step, having no mini-batch) show it,
    // captioned as history; the norm chart, a record of training, stays.
    void showHistory(const TrainingSnapshot& snapshot, quint64 liveStep);
    void showEvaluation(const SetEvaluation& evaluation);
    // A new model (Reset, a file, another dataset's network): the evaluation
    // shown no longer describes it, and changes count from here.
    void modelReplaced();
    // The step of the evaluation shown (-1: none), and whether the weights
    // have changed since.
    qint64 evaluationStep() const { return m_evalStep; }
    bool evaluationStale() const { return m_evalStep >= 0 && quint64(m_evalStep) != m_step; }
    // The user pinned a dataset image: the network view follows it again.
    void datasetImagePinned();
    // The model about to arrive is the shipped one (captions say so until
    // it has been trained further).
    void expectShippedModel();
    bool showsShippedModel() const { return m_shipped; }

signals:
    void pinRequested(bool test, int index);
    // A click on a cell of the confusion matrix of the evaluation of that set
    // (the gallery shows the cell's images; so may other views).
    void confusionCellChosen(bool test, const ConfusionCell& cell);

private:
    void updateExplanation();
    void markEvaluation();
    void captionStep(const TrainingSnapshot& snapshot);
    // What showSnapshot and showHistory share; drawingCaption for the drawing's reading.
    void showModel(const TrainingSnapshot& snapshot, const QString& drawingCaption);

    QMainWindow* m_window = nullptr;
    NetworkView* m_network = nullptr;
    SampleLens* m_lens = nullptr;
    GradientControls* m_controls = nullptr;
    DigitClassifierPanel* m_drawing = nullptr;
    ConfusionMatrixView* m_confusion = nullptr;
    MisclassifiedGallery* m_gallery = nullptr;
    KernelView* m_dW = nullptr;
    GradientNormChart* m_norms = nullptr;
    QDockWidget *m_drawingDock = nullptr, *m_evaluationDock = nullptr, *m_gradientsDock = nullptr;
    ExplanationPanel* m_cells = nullptr;
    QDockWidget* m_cellsDock = nullptr;

    std::shared_ptr<const cs::Dataset> m_data;
    std::shared_ptr<const cs::Network<float>> m_trainedNetwork; // what the lens and the drawing read with
    bool m_expectShipped = false;
    bool m_shipped = false;
    quint64 m_shippedStep = 0;
    quint64 m_step = 0;
    qint64 m_evalStep = -1;
    bool m_evalTest = true; // the set of the evaluation shown
    QString m_evalCaption;
    // The step caption: the last step's loss and the pinned sample's p(class).
    qint64 m_captionStep = -1;
    double m_captionLoss = -1, m_captionProb = -1;
    int m_captionClass = -1;
    QStringList m_classNames;
};
