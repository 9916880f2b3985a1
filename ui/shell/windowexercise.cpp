#include "windowexercise.h"

#include "digitclassifierpanel.h"
#include "drawingpad.h"
#include "insightdocks.h"
#include "mainwindow.h"
#include "timelinebar.h"

#include <QCoreApplication>
#include <QMouseEvent>
#include <QTimer>

#include <cmath>

namespace {
constexpr int strokePoints = 60; // 60 moves, 8 ms apart: half a second's stroke
}

WindowExercise::WindowExercise(MainWindow* window, int intervalMs)
    : m_window(window), m_timer(new QTimer(this)), m_stroke(new QTimer(this))
{
    m_timer->setInterval(intervalMs);
    connect(m_timer, &QTimer::timeout, this, &WindowExercise::next);
    m_stroke->setInterval(8);
    connect(m_stroke, &QTimer::timeout, this, &WindowExercise::draw);
    // Opening a dataset pauses the training (as the menu does): run on.
    connect(m_window, &MainWindow::datasetOpened, this, [this] {
        if (m_timer->isActive() && !m_window->isTraining()) m_window->run();
    });
}

void WindowExercise::start()
{
    m_timer->start();
}

void WindowExercise::stop()
{
    m_timer->stop();
    m_stroke->stop();
}

QString WindowExercise::summary() const
{
    return tr("%1 dataset opens, %2 evaluations, %3 drawings, %4 replays")
        .arg(m_opens)
        .arg(m_evaluations)
        .arg(m_drawings)
        .arg(m_replays);
}

void WindowExercise::next()
{
    switch (m_turn++ % 4) {
    case 0:
        m_window->openDatasetInBackground(m_window->datasetSpec());
        ++m_opens;
        break;
    case 1:
        m_window->evaluate(true);
        ++m_evaluations;
        break;
    case 2:
        m_strokePoint = 0;
        m_stroke->start();
        ++m_drawings;
        break;
    default: {
        TimelineBar* bar = m_window->timelineBar();
        if (!bar || bar->keptSteps().size() < 2) break;
        bar->setSpeed(TimelineBar::speeds().back());
        bar->play();
        ++m_replays;
        QTimer::singleShot(1000, bar, [bar] { bar->goLive(); });
    }
    }
}

void WindowExercise::draw()
{
    DrawingPad* pad = m_window->insight()->drawing()->pad();
    if (!pad->isVisible()) {
        m_stroke->stop();
        return;
    }
    // A "7": across the top, then down to the left.
    const double t = double(m_strokePoint) / (strokePoints - 1);
    const double w = pad->width(), h = pad->height();
    const QPointF at = t < 0.4 ? QPointF(w * (0.25 + t / 0.4 * 0.5), h * 0.25)
                               : QPointF(w * (0.75 - (t - 0.4) / 0.6 * 0.35), h * (0.25 + (t - 0.4) / 0.6 * 0.55));
    const QPointF global = pad->mapToGlobal(at);
    const QEvent::Type type = m_strokePoint == 0                  ? QEvent::MouseButtonPress
                              : m_strokePoint == strokePoints - 1 ? QEvent::MouseButtonRelease
                                                                  : QEvent::MouseMove;
    const Qt::MouseButtons held = type == QEvent::MouseButtonRelease ? Qt::NoButton : Qt::LeftButton;
    const Qt::MouseButton button = type == QEvent::MouseMove ? Qt::NoButton : Qt::LeftButton;
    QMouseEvent event(type, at, global, button, held, Qt::NoModifier);
    QCoreApplication::sendEvent(pad, &event);
    if (++m_strokePoint == strokePoints) m_stroke->stop();
}
