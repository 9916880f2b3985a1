// RateLimiter: an action that new data ask for many times a second (with
// every picture of the training) and that is costly (a chart redrawn), run
// at most once an interval: at once when it is due, so that it shares the
// window's repaint with the picture that asked; otherwise by a timer of
// twice the interval, which only catches the last request of a run.
//
//   m_redraws = new RateLimiter(150, this, [this] { redraw(); });
//   m_redraws->request();         // on new data
//   void redraw() { m_redraws->ran(); ... }   // however it was called
#pragma once

#include <QElapsedTimer>
#include <QObject>

#include <functional>

class QTimer;

class RateLimiter : public QObject {
    Q_OBJECT

public:
    RateLimiter(int intervalMs, QObject* parent, std::function<void()> action);

    // Runs the action now if the interval has passed since it last ran,
    // else makes sure it runs within twice the interval.
    void request();
    // The action ran (from request() or called directly): the interval
    // starts again and a pending run is dropped.
    void ran();
    bool pending() const;

private:
    int m_interval;
    std::function<void()> m_action;
    QTimer* m_timer = nullptr;
    QElapsedTimer m_last;
};
