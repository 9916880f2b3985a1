// TimelineViews: the window's views at a kept step of the training's
// timeline instead of the live model (issue 16), kept out of MainWindow so
// that the window only hands it the worker's snapshots.
//
// Live, each snapshot goes to the views as it comes. Once the timeline bar
// chooses a step, the views show that step's parameters (the timeline's,
// read without waiting for the worker): this class runs the pinned sample
// through them in a workspace of its own, takes the pinned image's own dW
// there, and shows the result captioned as history; live snapshots then
// only move the bar on (and, if the pinned sample changed, show the chosen
// step again with the new sample). Live goes back to the newest snapshot.
//
// "Change over the last k steps" (DisplayControls) takes its reference from
// the timeline too: the kept step at or before (step shown - k).
#pragma once

#include "trainingtypes.h"

#include "workspace.hpp"

#include <QObject>

class DisplayControls;
class InsightDocks;
class KernelView;
class TimelineBar;

class TimelineViews : public QObject {
    Q_OBJECT

public:
    TimelineViews(InsightDocks* insight, KernelView* kernels, DisplayControls* display, TimelineBar* bar,
                  QObject* parent = nullptr);

    // Every snapshot the window shows.
    void showSnapshot(const TrainingSnapshot& snapshot);
    // Shows kept step `step` now (false, nothing changed, unless it is kept).
    bool showStep(quint64 step);
    void showLive();

    bool isHistory() const { return m_history; }
    // The step the views show: the chosen one, or the live one.
    quint64 shownStep() const { return m_history ? m_step : m_live.step; }
    TimelineBar* bar() const { return m_bar; }
    const std::shared_ptr<const cs::ParameterTimeline>& timeline() const { return m_live.timeline; }
    // The snapshot shown for the step chosen (empty when live).
    const TrainingSnapshot& historic() const { return m_shown; }

signals:
    // The views now show another step (history) or the live model.
    void shownStepChanged(quint64 step, bool history);

private:
    // The reference of "change over the last k steps" for the step shown.
    void updateReference(quint64 step);

    InsightDocks* m_insight = nullptr;
    KernelView* m_kernels = nullptr;
    DisplayControls* m_display = nullptr;
    TimelineBar* m_bar = nullptr;
    TrainingSnapshot m_live;  // the newest snapshot (no per-step lists)
    TrainingSnapshot m_shown; // the step chosen, as shown
    bool m_history = false;
    quint64 m_step = 0;
    cs::Workspace<float> m_workspace, m_gradientWorkspace;
};
