#include "insightdocks.h"

#include "classlabels.h"
#include "confusionmatrixview.h"
#include "datasplit.h"
#include "digitclassifierpanel.h"
#include "explanationpanel.h"
#include "gradientcontrols.h"
#include "gradientnormchart.h"
#include "kernelview.h"
#include "layernames.h"
#include "mapgridwidget.h"
#include "misclassifiedgallery.h"
#include "networkview.h"
#include "samplelens.h"

#include <QAction>
#include <QDockWidget>
#include <QHBoxLayout>
#include <QLabel>
#include <QMainWindow>
#include <QSignalBlocker>
#include <QSplitter>
#include <QToolButton>
#include <QVBoxLayout>

#include <exception>

InsightDocks::InsightDocks(QMainWindow* window, NetworkView* network, QAction* evaluate)
    : QObject(window), m_window(window), m_network(network)
{
    setObjectName(QStringLiteral("insightDocks"));
    m_lens = new SampleLens(network, this);
    m_controls = new GradientControls(window);

    // Draw.
    m_drawing = new DigitClassifierPanel(window);

    // Evaluation: the matrix above the gallery, a button to evaluate.
    auto* evaluation = new QWidget(window);
    evaluation->setObjectName(QStringLiteral("evaluationPanel"));
    m_confusion = new ConfusionMatrixView(evaluation);
    m_gallery = new MisclassifiedGallery(evaluation);
    auto* split = new QSplitter(Qt::Vertical, evaluation);
    split->addWidget(m_confusion);
    split->addWidget(m_gallery);
    // Equal shares: the gallery shows rows of mistakes, not two or three.
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);
    split->setChildrenCollapsible(false);
    auto* evalLayout = new QVBoxLayout(evaluation);
    evalLayout->setContentsMargins(4, 4, 4, 4);
    auto* button = new QToolButton(evaluation);
    button->setObjectName(QStringLiteral("evaluateButton"));
    button->setDefaultAction(evaluate);
    button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    evalLayout->addWidget(button, 0, Qt::AlignLeft);
    evalLayout->addWidget(split, 1);

    // Weight gradients: dW as kernels beside the norms over time.
    auto* gradients = new QWidget(window);
    gradients->setObjectName(QStringLiteral("weightGradientsPanel"));
    m_dW = new KernelView(gradients);
    m_dW->setObjectName(QStringLiteral("weightGradientView"));
    m_dW->setQuantity(tr("dL/dW"));
    m_dW->setToolTip(tr("dL/dW of the last training step, for each kernel: how each weight was pushed "
                        "(the update goes against it). Blue negative, red positive."));
    m_norms = new GradientNormChart(gradients);
    auto* gradLayout = new QHBoxLayout(gradients);
    gradLayout->setContentsMargins(0, 0, 0, 0);
    gradLayout->addWidget(m_dW, 1);
    gradLayout->addWidget(m_norms, 1);

    auto dock = [window](const QString& name, const QString& title, QWidget* content, Qt::DockWidgetArea area) {
        auto* d = new QDockWidget(title, window);
        d->setObjectName(name);
        d->setWidget(content);
        window->addDockWidget(area, d);
        return d;
    };
    m_drawingDock = dock(QStringLiteral("drawingDock"), tr("Draw a Digit"), m_drawing, Qt::RightDockWidgetArea);
    m_evaluationDock = dock(QStringLiteral("evaluationDock"), tr("Evaluation"), evaluation, Qt::RightDockWidgetArea);
    window->tabifyDockWidget(m_drawingDock, m_evaluationDock);
    m_cells = new ExplanationPanel(m_lens, network, window);
    m_cellsDock = dock(QStringLiteral("explainDock"), tr("Explain"), m_cells, Qt::RightDockWidgetArea);
    window->tabifyDockWidget(m_evaluationDock, m_cellsDock);
    m_drawingDock->raise();
    window->resizeDocks({m_drawingDock}, {330}, Qt::Horizontal);
    m_gradientsDock =
        dock(QStringLiteral("weightGradientsDock"), tr("Weight Gradients"), gradients, Qt::BottomDockWidgetArea);

    // A drawing becomes the pinned sample; clearing it gives the view back.
    connect(m_drawing, &DigitClassifierPanel::classified, this,
            [this](const cs::Tensor<float>& input, const std::vector<float>&, int predicted) {
                if (predicted >= 0 || m_drawing->hasDigit()) m_lens->pinDrawing(input);
                else m_lens->unpinDrawing();
            });
    connect(m_controls, &GradientControls::modeChanged, m_lens, [this](bool on) {
        m_lens->setMode(on ? SampleLens::Mode::Gradients : SampleLens::Mode::Activations);
    });
    connect(m_controls, &GradientControls::targetChanged, m_lens, &SampleLens::setTarget);
    connect(m_lens, &SampleLens::shownChanged, this, &InsightDocks::updateExplanation);
    // A click on a value explains it; a double-click enlarges its map (the window's inspector).
    connect(network, &NetworkView::cellClicked, m_cells, &ExplanationPanel::explainCell);
    connect(m_dW, &KernelView::weightClicked, m_cells, &ExplanationPanel::explainWeight);
    connect(m_cells, &ExplanationPanel::cellPicked, this, [this] {
        m_cellsDock->show();
        m_cellsDock->raise();
    });
    connect(m_confusion, &ConfusionMatrixView::cellClicked, this, [this](int trueClass, int predicted) {
        const ConfusionCell cell{trueClass, predicted};
        m_gallery->setFilter(cell);
        emit confusionCellChosen(m_evalTest, cell);
    });
    connect(m_gallery, &MisclassifiedGallery::imageActivated, this, [this](bool test, int index) {
        m_lens->unpinDrawing();
        emit pinRequested(test, index);
    });
}

InsightDocks::~InsightDocks() = default;

void InsightDocks::setDataset(std::shared_ptr<const cs::Dataset> dataset)
{
    m_data = std::move(dataset);
    const QStringList names = m_data ? classNames(*m_data) : QStringList();
    if (names != m_classNames && !m_classNames.isEmpty()) {
        // A drawing read with other classes' names ("Ankle boot") means
        // nothing: the view follows the dataset's images again.
        m_lens->unpinDrawing();
    }
    m_classNames = names;
    m_evalStep = -1;
    m_captionStep = -1;
    m_controls->setClassNames(names);
    m_lens->setClassNames(names);
    m_drawing->setClassNames(names);
    m_confusion->setClassNames(names);
    m_confusion->clear();
    m_confusion->setCaption(tr("No evaluation on these images yet"));
    m_confusion->setEmptyText(tr("A new dataset: Evaluate (Ctrl+T) to see which classes the model confuses."));
    m_gallery->clear();
    m_gallery->setNote({}, false);
}

void InsightDocks::modelReplaced()
{
    m_lens->takeBaseline();
    m_network->ranges().clear();
    m_evalStep = -1;
    m_captionStep = -1;
    m_confusion->clear();
    m_confusion->setCaption(tr("No evaluation of this model yet"));
    m_confusion->setEmptyText(tr("The weights changed (Reset or a new model): the old results are gone. Evaluate "
                                 "(Ctrl+T) to see which classes this model confuses."));
    m_gallery->clear();
    m_gallery->setNote({}, false);
    m_norms->clear();
}

void InsightDocks::markEvaluation()
{
    // Results always say the step they come from, and turn grey once the
    // weights have moved on.
    if (m_evalStep < 0) return;
    const bool stale = evaluationStale();
    m_confusion->setStale(stale);
    m_confusion->setCaption(stale ? tr("%1 \u2014 stale: the model is now at step %L2").arg(m_evalCaption).arg(m_step)
                                  : m_evalCaption);
    m_gallery->setNote(stale ? tr("From step %L1 (stale)").arg(m_evalStep) : tr("Step %L1").arg(m_evalStep), stale);
}

namespace {

// Three significant digits: 2.31, 0.614, 0.00213 (a trained network's
// batch loss would read 0.00 with a fixed two decimals).
QString formatLoss(double loss)
{
    return loss >= 1 ? QString::number(loss, 'f', 2) : QString::number(loss, 'g', 3);
}

} // namespace

void InsightDocks::captionStep(const TrainingSnapshot& s)
{
    // What the step changed, in numbers: the batch loss and the pinned
    // sample's probability of its class (for a drawing: of what it is read as).
    const TrainingSnapshot& shown = m_lens->shown();
    int k = shown.pinnedLabel >= 0 ? shown.pinnedLabel : shown.predicted;
    if (m_lens->drawingPinned() && m_captionClass >= 0 && m_captionStep >= 0) k = m_captionClass;
    const double p = k >= 0 && k < int(shown.probabilities.size()) ? double(shown.probabilities[std::size_t(k)]) : -1;
    const double loss = s.losses.empty() ? -1 : double(s.losses.back());
    const QString name = classLabel(m_classNames, k).toHtmlEscaped();
    auto pct = [](double x) { return QStringLiteral("%1%").arg(x * 100, 0, 'f', x < 0.1 ? 1 : 0); };
    QString text;
    if (s.step == 0) {
        text = tr("Step 0: random weights, nothing learnt yet \u2014 p(%1) = %2").arg(name, pct(p));
    } else if (m_captionStep >= 0 && qint64(s.step) != m_captionStep && k == m_captionClass && p >= 0) {
        const quint64 steps = s.step - quint64(m_captionStep);
        QStringList parts;
        if (loss >= 0 && m_captionLoss >= 0)
            parts << tr("batch loss %1 \u2192 %2").arg(formatLoss(m_captionLoss), formatLoss(loss));
        const QString arrow = p > m_captionProb + 0.005 ? QStringLiteral("#2e7d32")
                              : p < m_captionProb - 0.005 ? QStringLiteral("#c62828")
                                                          : QStringLiteral("palette(text)");
        parts << tr("p(%1) %2 \u2192 <b><span style='color:%4'>%3</span></b>").arg(name, pct(m_captionProb), pct(p), arrow);
        text = (steps == 1 ? tr("Step %L1: ").arg(s.step) : tr("Steps %L1\u2013%L2: ").arg(m_captionStep + 1).arg(s.step)) +
               parts.join(QStringLiteral(" \u00b7 "));
    } else if (qint64(s.step) == m_captionStep) {
        return; // the same weights shown again (a pin, a mode): keep the caption
    } else {
        text = tr("Step %L1 \u2014 p(%2) = %3").arg(s.step).arg(name, pct(p));
    }
    m_network->setStepCaption(text);
    m_captionStep = qint64(s.step);
    m_captionClass = k;
    m_captionProb = p;
    if (loss >= 0) m_captionLoss = loss;
}

void InsightDocks::expectShippedModel()
{
    m_expectShipped = true;
}

void InsightDocks::datasetImagePinned()
{
    m_lens->unpinDrawing();
}

void InsightDocks::showModel(const TrainingSnapshot& s, const QString& drawingCaption)
{
    // The lens and the drawing read with the trained network, on the
    // snapshot's parameters.
    if (s.network && s.network != m_trainedNetwork) {
        m_trainedNetwork = s.network;
        m_lens->setNetwork(m_trainedNetwork);
        const QSignalBlocker block(m_drawing); // the lens is shown below anyway
        m_drawing->setModel(m_trainedNetwork, s.parameters, QString());
    }
    m_step = s.step;
    if (s.parameters) {
        m_lens->setParameters(s.parameters, s.step);
        const QSignalBlocker block(m_drawing);
        m_drawing->setParameters(s.parameters, drawingCaption);
    }
    m_lens->show(s);
    markEvaluation();
    if (!s.kernelGradients.empty()) m_dW->showKernels(s.step, s.kernelGradients);
}

void InsightDocks::showSnapshot(const TrainingSnapshot& s)
{
    if (m_expectShipped) {
        m_expectShipped = false;
        m_shipped = true;
        m_shippedStep = s.step;
    } else if (m_shipped && s.step != m_shippedStep) {
        m_shipped = false;
    }
    m_gradientsDock->setWindowTitle(tr("Weight gradients"));
    showModel(s, m_shipped ? tr("the shipped model") : tr("the model in training, step %L1").arg(s.step));
    captionStep(s);

    // The last step's weight gradients, and their norms over time.
    if (!s.gradientNorms.empty() && s.step > 0) {
        // The layers by the names the network view gives them.
        std::vector<LayerGradientNorm> norms;
        for (const auto& [name, norm] : s.gradientNorms) norms.push_back({titleForKey(m_network->layerNames(), name), norm});
        m_norms->append(s.step, norms);
    }
}

void InsightDocks::showHistory(const TrainingSnapshot& s, quint64 liveStep)
{
    m_gradientsDock->setWindowTitle(tr("Weight gradients (pinned image, step %L1)").arg(s.step));
    showModel(s, tr("the model at step %L1 (history)").arg(s.step));
    const TrainingSnapshot& shown = m_lens->shown();
    const int k = shown.pinnedLabel >= 0 ? shown.pinnedLabel : shown.predicted;
    const double p = k >= 0 && k < int(shown.probabilities.size()) ? double(shown.probabilities[std::size_t(k)]) : -1;
    m_network->setStepCaption(tr("<span style='color:#b35900'><b>History</b></span>: step %L1 of %L2 \u2014 p(%3) = "
                                 "%4%")
                                  .arg(s.step)
                                  .arg(liveStep)
                                  .arg(classLabel(m_classNames, k).toHtmlEscaped())
                                  .arg(p * 100, 0, 'f', p < 0.1 ? 1 : 0));
    // Back to live, the caption starts afresh.
    m_captionStep = -1;
}

void InsightDocks::showEvaluation(const SetEvaluation& e)
{
    if (!m_data) return;
    const std::vector<std::uint8_t>& labels = splitLabels(*m_data, splitOf(e.test));
    if (labels.size() != e.predictions.size()) return;
    m_confusion->setPredictions(labels, e.predictions, int(m_data->classes()));
    m_evalCaption = tr("%1 set at step %L2: %3 % right")
                        .arg(splitTitle(splitOf(e.test)))
                        .arg(e.step)
                        .arg(e.accuracy * 100, 0, 'f', 2);
    m_evalStep = qint64(e.step);
    m_evalTest = e.test;
    m_confusion->setSelected(-1, -1);
    m_gallery->setEvaluation(m_data, e.test, e.predictions, e.confidence);
    markEvaluation();
}

void InsightDocks::updateExplanation()
{
    m_controls->setExplanation(m_lens->gradientTarget(), m_lens->drawingPinned(), m_lens->gradients().loss);
}
