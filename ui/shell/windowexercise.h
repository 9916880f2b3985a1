// WindowExercise: what `convscope --exercise` does while it trains, so that
// --latency-report measures the window under everything a person does, not
// training alone. Every `interval`, the next of:
//
//   open      the dataset again, read in the thread pool (the full MNIST
//             decompresses for about a second) and then taken in (that
//             pauses the training, as the menu does: it runs on after);
//   evaluate  the whole test set (the worker's thread; the window then shows
//             the confusion matrix, the mistakes, the marks on the images);
//   draw      a stroke on the drawing pad, as mouse events 8 ms apart (each
//             one read by the network at once);
//   replay    the timeline from its first kept step at its fastest speed,
//             as Play does, for a second, then back to live (every view
//             shows each replayed step while the training goes on).
#pragma once

#include <QObject>
#include <QPointer>

class MainWindow;
class QTimer;

class WindowExercise : public QObject {
    Q_OBJECT

public:
    WindowExercise(MainWindow* window, int intervalMs);

    void start();
    void stop();
    // "2 dataset opens, 2 evaluations, 2 drawings, 2 replays"
    QString summary() const;

private:
    void next();
    void draw();

    MainWindow* m_window;
    QTimer* m_timer;
    QTimer* m_stroke;
    int m_turn = 0;
    int m_opens = 0, m_evaluations = 0, m_drawings = 0, m_replays = 0;
    int m_strokePoint = 0;
};
