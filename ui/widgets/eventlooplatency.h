// How late the GUI thread answers. A precise timer asks to be woken every
// few milliseconds; how late each wake-up comes is how long a click, a key or
// a repaint would have waited at that moment. `convscope --latency-report`
// prints the summary; the goal is p99 under one frame (16 ms), max under 50 ms.
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <QTimer>

#include <vector>

class EventLoopLatency : public QObject {
    Q_OBJECT

public:
    struct Summary {
        qsizetype ticks = 0;
        double p50 = 0, p99 = 0, max = 0; // milliseconds late
        double maxAt = 0;                 // when the latest tick was due, seconds after start()
    };

    explicit EventLoopLatency(int intervalMs = 5, QObject* parent = nullptr);

    void start(); // forgets earlier ticks
    void stop();
    Summary summary() const;
    // "event-loop lateness over N ticks: p50 A ms, p99 B ms, max C ms"
    QString report() const;

private:
    void tick();

    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_dueNs = 0;
    int m_intervalMs;
    std::vector<double> m_lateMs;
    double m_worstMs = -1;
    qint64 m_worstAtNs = 0;
};
