// TimelineBar: the row under the network view that goes back in training.
//
//   [Live] [Play] |------------o-----| step 1,234 of 5,000: history  [speed]
//
// The slider runs over the steps the timeline keeps (cs::ParameterTimeline:
// every recent step, older ones thinned), so each position is a step whose
// parameters exist. While live it sits at the newest step and follows
// training; dragging it (or the arrow keys, or Play) chooses a kept step,
// and the bar says stepChosen; Live (or the End key) goes back.
// Play replays training as a movie: the kept steps in order at the chosen
// number a second, from the one shown (from the first when at the end).
//
// The bar reads the timeline on refresh() (the window calls it for each
// snapshot it shows): it locks the timeline only to copy its list of steps,
// and only when its revision changed.
#pragma once

#include "parameter_timeline.hpp"

#include <QWidget>

#include <memory>
#include <vector>

class QComboBox;
class QLabel;
class QSlider;
class QTimer;
class QToolButton;

class TimelineBar : public QWidget {
    Q_OBJECT

public:
    explicit TimelineBar(QWidget* parent = nullptr);

    // The run's timeline (a new model brings a new one) and its newest step.
    void setTimeline(std::shared_ptr<const cs::ParameterTimeline> timeline, quint64 liveStep);
    // Reads the kept steps again if the timeline changed.
    void refresh(quint64 liveStep);

    bool isLive() const { return m_live; }
    // The step shown when not live.
    quint64 shownStep() const { return m_shown; }
    const std::vector<std::uint64_t>& keptSteps() const { return m_steps; }
    bool isPlaying() const;

    // Replay speed in kept steps a second.
    static const std::vector<int>& speeds();
    int speed() const;
    void setSpeed(int stepsPerSecond);

public slots:
    // Shows the kept step nearest at or before `step` (stepChosen says which).
    void goToStep(quint64 step);
    void goLive();
    void play();
    void pauseReplay();
    // One kept step back or forward (from live: the step before the newest).
    void stepBack();
    void stepForward();

signals:
    // A kept step to show instead of the live model.
    void stepChosen(quint64 step);
    // Back to the model in training.
    void liveChosen();
    void playingChanged(bool playing);

protected:
    // The slider, focused, keeps its keys (arrows, Home, End, Page Up/Down)
    // from the window's shortcuts (Right is Step).
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void readSteps();
    void choose(int index);
    void updateLabel();
    void advance();

    std::shared_ptr<const cs::ParameterTimeline> m_timeline;
    std::uint64_t m_revision = ~std::uint64_t(0);
    std::vector<std::uint64_t> m_steps;
    quint64 m_liveStep = 0;
    quint64 m_shown = 0;
    bool m_live = true;

    QToolButton* m_liveButton = nullptr;
    QToolButton* m_playButton = nullptr;
    QSlider* m_slider = nullptr;
    QLabel* m_label = nullptr;
    QComboBox* m_speed = nullptr;
    QTimer* m_player = nullptr;
};
