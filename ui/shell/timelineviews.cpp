#include "timelineviews.h"

#include "displaycontrols.h"
#include "insightdocks.h"
#include "kernelview.h"
#include "samplelens.h"
#include "snapshotcontents.h"
#include "timelinebar.h"

#include "saliency.hpp"

TimelineViews::TimelineViews(InsightDocks* insight, KernelView* kernels, DisplayControls* display, TimelineBar* bar,
                             QObject* parent)
    : QObject(parent), m_insight(insight), m_kernels(kernels), m_display(display), m_bar(bar)
{
    connect(m_bar, &TimelineBar::stepChosen, this, &TimelineViews::showStep);
    connect(m_bar, &TimelineBar::liveChosen, this, &TimelineViews::showLive);
    // A new reference for the change over k steps: the views again.
    const auto again = [this] {
        if (m_display->change() != DisplayControls::Change::SinceStep) return;
        if (m_history) showStep(m_step);
        else if (m_live.parameters) showLive();
    };
    connect(m_display, &DisplayControls::changeChosen, this, again);
    connect(m_display, &DisplayControls::sinceStepsChanged, this, again);
}

void TimelineViews::updateReference(quint64 step)
{
    if (m_display->change() != DisplayControls::Change::SinceStep || !m_live.timeline || !m_live.network) return;
    const quint64 k = quint64(m_display->sinceSteps());
    const auto kept = m_live.timeline->kept_at_or_before(step > k ? step - k : 0);
    const auto reference = kept ? *kept : m_live.timeline->first_step().value_or(step);
    const auto params = m_live.timeline->at(reference);
    if (!params) return;
    m_insight->lens()->setReference(params, reference);
    m_kernels->setReference(reference, convolutionKernels(*m_live.network, *params));
}

void TimelineViews::showSnapshot(const TrainingSnapshot& s)
{
    const bool samplePinned = s.pinnedTest != m_live.pinnedTest || s.pinnedIndex != m_live.pinnedIndex;
    const bool newModel = s.network != m_live.network || s.timeline != m_live.timeline;
    m_live = s;
    m_live.losses.clear();
    m_live.accuracies.clear();
    m_live.epochs.clear();
    m_bar->setTimeline(s.timeline, s.step); // another run's timeline: back to live
    if (newModel && m_history) m_history = false;
    if (!m_history) {
        updateReference(s.step);
        m_insight->showSnapshot(s);
        m_kernels->showKernels(s.step, s.kernels);
        return;
    }
    if (samplePinned) showStep(m_step);
}

bool TimelineViews::showStep(quint64 step)
{
    if (!m_live.timeline || !m_live.network || m_live.input.empty()) return false;
    const auto params = m_live.timeline->at(step);
    if (!params || params->n_elem != m_live.network->parameter_count()) return false;

    TrainingSnapshot h;
    h.step = step;
    h.pinnedTest = m_live.pinnedTest;
    h.pinnedIndex = m_live.pinnedIndex;
    h.pinnedLabel = m_live.pinnedLabel;
    h.network = m_live.network;
    h.parameters = params;
    h.timeline = m_live.timeline;
    h.parameterCount = m_live.parameterCount;
    cs::Tensor<float> pinned = m_live.input;
    const cs::Shape& in = m_live.network->input_shape();
    pinned.reshape({1, in[0], in[1], in[2]});
    // No mini-batch was kept: the dW shown is the pinned image's own, for its label.
    const arma::Col<float>* gradients = nullptr;
    if (h.pinnedLabel >= 0 && std::size_t(h.pinnedLabel) < m_live.network->classes()) {
        cs::sample_gradients(*m_live.network, *params, pinned, std::size_t(h.pinnedLabel), m_gradientWorkspace);
        gradients = &m_gradientWorkspace.gradients();
    }
    describeParameters(h, pinned, m_workspace, gradients);

    m_history = true;
    m_step = step;
    updateReference(step);
    m_insight->showHistory(h, m_live.step);
    m_kernels->showKernels(step, h.kernels);
    m_shown = std::move(h);
    if (m_bar->isLive() || m_bar->shownStep() != step) {
        const QSignalBlocker block(m_bar);
        m_bar->goToStep(step);
    }
    emit shownStepChanged(step, true);
    return true;
}

void TimelineViews::showLive()
{
    const bool was = m_history;
    m_history = false;
    m_shown = {};
    if (!m_bar->isLive()) {
        const QSignalBlocker block(m_bar);
        m_bar->goLive();
    }
    if (!m_live.parameters) return;
    updateReference(m_live.step);
    m_insight->showSnapshot(m_live);
    m_kernels->showKernels(m_live.step, m_live.kernels);
    if (was) emit shownStepChanged(m_live.step, false);
}
