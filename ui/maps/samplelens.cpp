#include "samplelens.h"

#include "classlabels.h"
#include "mapgridwidget.h"
#include "networkview.h"

#include "saliency.hpp"

#include <algorithm>
#include <exception>

SampleLens::SampleLens(NetworkView* view, QObject* parent) : QObject(parent), m_view(view)
{
    setObjectName(QStringLiteral("sampleLens"));
}

SampleLens::~SampleLens() = default;

void SampleLens::setNetwork(std::shared_ptr<const cs::Network<float>> network)
{
    if (network == m_network) return;
    m_network = std::move(network);
    // Parameters of another network mean nothing to this one.
    if (m_current && m_network && m_current->n_elem != m_network->parameter_count()) m_current.reset();
}

bool SampleLens::setParameters(std::shared_ptr<const arma::Col<float>> parameters, quint64 step)
{
    if (!m_network || !parameters || parameters->n_elem != m_network->parameter_count()) return false;
    if (m_takeBaseline || !m_baseline || m_baseline->n_elem != parameters->n_elem) {
        m_baseline = parameters;
        m_baselineStep = step;
        m_previous.reset();
        m_current.reset();
        m_takeBaseline = false;
    }
    if (step != m_currentStep || !m_current) {
        // A new step: the weights shown until now become the previous ones.
        m_previous = m_current ? m_current : parameters;
        m_previousStep = m_current ? m_currentStep : step;
    }
    m_current = std::move(parameters);
    m_currentStep = step;
    return true;
}

void SampleLens::setReference(std::shared_ptr<const arma::Col<float>> parameters, quint64 step)
{
    m_reference = std::move(parameters);
    m_referenceStep = step;
}

void SampleLens::setChange(Change change)
{
    if (change == m_change) return;
    m_change = change;
    refresh();
}

void SampleLens::applyChange(const cs::Tensor<float>& sample)
{
    const std::shared_ptr<const arma::Col<float>>& reference = m_change == Change::SinceReset ? m_baseline
                                                               : m_change == Change::SinceStep ? m_reference
                                                                                               : m_previous;
    if (!m_view || !modelFits(sample) || !reference || reference->n_elem != m_current->n_elem) return;
    std::vector<LayerOutput> now, before;
    try {
        now = computeGradients(*m_network, *m_current, sample, 0, m_workspace).activations;
        before = computeGradients(*m_network, *reference, sample, 0, m_workspace).activations;
    } catch (const std::exception& e) {
        m_error = QString::fromUtf8(e.what());
        return;
    }
    const QString what = m_change == Change::SinceReset  ? QStringLiteral("sinceReset")
                         : m_change == Change::SinceStep ? QStringLiteral("sinceStep")
                                                         : QStringLiteral("lastStep");
    const QString delta = m_change == Change::SinceReset ? tr("\u0394 since step %L1").arg(m_baselineStep)
                                                         : tr("\u0394 step %L1\u2192%L2").arg(referenceStep()).arg(m_currentStep);
    for (std::size_t i = 0; i < now.size() && i < before.size(); ++i) {
        MapGridWidget* column = m_view->column(now[i].name);
        if (!column) continue;
        cs::Tensor<float> diff = now[i].values;
        float* d = diff.data();
        const float* b = before[i].values.data();
        for (std::size_t k = 0; k < diff.size(); ++k) d[k] -= b[k];
        m_view->showInColumn(column, column->title(), diff, ColorScaleKind::Diverging, what);
        // Short: the caption says since when.
        column->setSubtitle(QStringLiteral("\u0394 ") + shapeText(diff.shape()));
        column->setToolTip(delta);
    }
    m_view->setCaptionNote(m_change == Change::SinceReset
                               ? tr("<i>change since Reset (step %L1):</i> <span style='color:#c03030'>red</span> "
                                    "grew, <span style='color:#2060c0'>blue</span> shrank")
                                     .arg(m_baselineStep)
                           : m_change == Change::SinceStep
                               ? tr("<i>change since step %L1 (%L2 steps):</i> <span style='color:#c03030'>red</span> "
                                    "grew, <span style='color:#2060c0'>blue</span> shrank")
                                     .arg(m_referenceStep)
                                     .arg(m_currentStep - std::min(m_currentStep, m_referenceStep))
                               : tr("<i>change in the last step (%L1 \u2192 %L2):</i> <span style='color:#c03030'>"
                                    "red</span> grew, <span style='color:#2060c0'>blue</span> shrank")
                                     .arg(m_previousStep)
                                     .arg(m_currentStep));
}

bool SampleLens::modelFits(const cs::Tensor<float>& sample) const
{
    if (!m_network || !m_current || sample.empty()) return false;
    const cs::Shape& in = m_network->input_shape();
    return sample.size() == in.elements() && (sample.rank() == in.rank() || sample.rank() == in.rank() + 1);
}

void SampleLens::setMode(Mode mode)
{
    if (mode == m_mode) return;
    m_mode = mode;
    refresh();
}

void SampleLens::setTarget(int target)
{
    if (target == m_target) return;
    m_target = target;
    refresh();
}

void SampleLens::pinDrawing(const cs::Tensor<float>& image)
{
    if (image.empty()) return unpinDrawing();
    m_drawing = image;
    m_drawingPinned = true;
    refresh();
}

void SampleLens::unpinDrawing()
{
    if (!m_drawingPinned) return;
    m_drawingPinned = false;
    m_drawing = cs::Tensor<float>();
    refresh();
}

void SampleLens::refresh()
{
    if (!m_raw.layers.empty() || m_drawingPinned) show(m_raw);
}

void SampleLens::show(const TrainingSnapshot& s)
{
    m_raw = s;
    // The per-step lists have been drawn already; the lens needs the state only.
    m_raw.losses.clear();
    m_raw.accuracies.clear();
    m_raw.epochs.clear();
    m_raw.evaluations.clear();
    m_raw.events.clear();
    m_shown = m_raw;
    m_gradients = GradientSnapshot{};
    m_error.clear();

    const bool drawing = m_drawingPinned && modelFits(m_drawing);
    const cs::Tensor<float>& sample = drawing ? m_drawing : m_shown.input;
    if ((drawing || m_mode == Mode::Gradients) && modelFits(sample)) {
        try {
            // Forward first: the default class of a drawing is what it is read as.
            const std::vector<float> probs = cs::classify(*m_network, *m_current, sample, m_workspace);
            const int predicted = int(std::max_element(probs.begin(), probs.end()) - probs.begin());
            const int label = drawing ? -1 : m_shown.pinnedLabel;
            int target = m_target >= 0 ? m_target : m_target == trueLabel && label >= 0 ? label : predicted;
            if (target >= int(probs.size())) target = predicted;
            m_gradients = computeGradients(*m_network, *m_current, sample, target, m_workspace);
            if (drawing) {
                m_shown.input = m_gradients.input;
                m_shown.layers = m_gradients.activations;
                m_shown.probabilities = m_gradients.probabilities;
                m_shown.predicted = m_gradients.predicted;
                m_shown.pinnedLabel = -1;
                m_shown.pinnedIndex = -1;
                m_shown.pinnedTest = false;
            }
        } catch (const std::exception& e) {
            m_error = QString::fromUtf8(e.what());
            m_gradients = GradientSnapshot{};
        }
    }
    if (m_view && !m_shown.layers.empty()) {
        m_view->showSnapshot(m_shown);
        if (drawing) captionDrawing();
        if (m_mode == Mode::Gradients && m_gradients.target >= 0) {
            applyGradients();
        } else {
            labelActivations();
            if (m_change != Change::None) applyChange(sample);
        }
    }
    emit shownChanged();
}

void SampleLens::captionDrawing()
{
    const int k = m_shown.predicted;
    if (k < 0 || k >= int(m_shown.probabilities.size())) return;
    m_view->showDrawingCaption(classLabel(m_classNames, k), double(m_shown.probabilities[std::size_t(k)]));
}

void SampleLens::labelActivations()
{
    // Subtitles are the shapes (a gradient view before may have changed them).
    const std::vector<MapGridWidget*>& columns = m_view->columns();
    if (columns.empty()) return;
    columns.front()->setSubtitle(shapeText(m_shown.input.shape()));
    for (std::size_t c = 1; c < columns.size(); ++c) {
        const QString name = columns[c]->key();
        const auto it = std::find_if(m_shown.layers.begin(), m_shown.layers.end(),
                                     [&](const LayerOutput& l) { return l.name == name; });
        if (it != m_shown.layers.end()) columns[c]->setSubtitle(shapeText(it->values.shape()));
    }
}

void SampleLens::applyGradients()
{
    if (!m_view || m_gradients.target < 0) return;
    const std::vector<MapGridWidget*>& columns = m_view->columns();
    if (columns.empty()) return;
    // Titles and subtitles stay short (the layer's name, the shape): longer
    // ones would widen every column. The caption says what is shown.
    m_view->showInColumn(columns.front(), tr("saliency"), m_gradients.saliency, ColorScaleKind::Diverging,
                         QStringLiteral("gradient"));
    columns.front()->setSubtitle(shapeText(m_gradients.saliency.shape()));
    for (std::size_t c = 1; c < columns.size(); ++c) {
        const QString name = columns[c]->key();
        const auto it = std::find_if(m_gradients.gradients.begin(), m_gradients.gradients.end(),
                                     [&](const LayerOutput& l) { return l.name == name; });
        if (it == m_gradients.gradients.end()) continue;
        m_view->showInColumn(columns[c], columns[c]->title(), it->values, ColorScaleKind::Diverging,
                             QStringLiteral("gradient"));
        columns[c]->setSubtitle(shapeText(it->values.shape()));
    }
    m_view->setCaptionNote(tr("<i>dL/dA for class %1:</i> <span style='color:#2060c0'>blue</span> raises p(%1), "
                              "<span style='color:#c03030'>red</span> lowers it")
                               .arg(classLabel(m_classNames, m_gradients.target).toHtmlEscaped()));
}
