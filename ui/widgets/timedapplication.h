// TimedApplication: a QApplication that can time every event its own thread
// handles, to find where a stall comes from. Each event's own time (less
// that of the events dispatched inside it, such as the paint events inside a
// window's UpdateRequest) is added to its receiver and the event's type.
// `convscope --latency-report --event-costs` prints the costliest: a late
// tick of the latency meter can then be traced to the widget that held the
// thread. Off, it adds one branch to each event.
#pragma once

#include <QApplication>
#include <QElapsedTimer>
#include <QHash>
#include <QString>

#include <utility>
#include <vector>

class TimedApplication : public QApplication {
    Q_OBJECT

public:
    struct Cost {
        QString what;     // "QWidget in lossChartView: Paint"
        qint64 count = 0; // events
        double totalMs = 0, maxMs = 0; // their own time, not that of events inside them
    };

    TimedApplication(int& argc, char** argv);

    void setTiming(bool on);
    bool isTiming() const { return m_timing; }
    // The n costliest (receiver, event type) pairs since the last reset, by
    // their total time.
    std::vector<Cost> costliest(int n) const;
    // The total first, then one line each:
    // "  12.3 ms in 456 events (max 7.8 ms): QWidget in lossChartView: Paint"
    QString report(int n) const;
    void resetCosts();

    bool notify(QObject* receiver, QEvent* event) override;

private:
    // The receiver, its class (an address may be reused by another kind of
    // object) and the event's type.
    using Key = std::pair<std::pair<const QObject*, const QMetaObject*>, int>;
    struct Entry {
        QString what; // named when first seen: the receiver may be gone by the report
        qint64 count = 0, totalNs = 0, maxNs = 0;
    };

    bool m_timing = false;
    QElapsedTimer m_clock;
    std::vector<qint64> m_insideNs; // per event being handled: the time of the events handled inside it
    QHash<Key, Entry> m_costs;
};
