#include "timedapplication.h"

#include <QEvent>
#include <QMetaEnum>
#include <QThread>

#include <algorithm>

namespace {

// "QWidget in lossChartView": the receiver's class, and its own name or
// that of the nearest named object above it (a chart view's viewport has
// no name of its own).
QString describe(const QObject* receiver)
{
    QString what = QString::fromLatin1(receiver->metaObject()->className());
    for (const QObject* o = receiver; o; o = o->parent()) {
        if (o->objectName().isEmpty()) continue;
        what += (o == receiver ? QStringLiteral(" ") : QStringLiteral(" in ")) + o->objectName();
        break;
    }
    return what;
}

} // namespace

TimedApplication::TimedApplication(int& argc, char** argv) : QApplication(argc, argv) {}

void TimedApplication::setTiming(bool on)
{
    m_timing = on;
    if (on && !m_clock.isValid()) m_clock.start();
}

bool TimedApplication::notify(QObject* receiver, QEvent* event)
{
    // Other threads' events pass through here too; only this thread's count.
    if (!m_timing || !receiver || QThread::currentThread() != thread()) return QApplication::notify(receiver, event);
    const Key key{{receiver, receiver->metaObject()}, int(event->type())};
    auto it = m_costs.find(key);
    if (it == m_costs.end()) {
        const char* type = QMetaEnum::fromType<QEvent::Type>().valueToKey(event->type());
        it = m_costs.insert(key, {describe(receiver) + QStringLiteral(": ") +
                                      (type ? QString::fromLatin1(type) : QString::number(int(event->type()))),
                                  0, 0, 0});
    }
    m_insideNs.push_back(0);
    const qint64 start = m_clock.nsecsElapsed();
    const bool handled = QApplication::notify(receiver, event);
    const qint64 elapsed = m_clock.nsecsElapsed() - start;
    const qint64 own = elapsed - m_insideNs.back();
    m_insideNs.pop_back();
    if (!m_insideNs.empty()) m_insideNs.back() += elapsed;
    // The receiver may have deleted itself (and its entry may have been
    // rehashed): look the key up again.
    Entry& e = m_costs[key];
    ++e.count;
    e.totalNs += own;
    e.maxNs = std::max(e.maxNs, own);
    return handled;
}

std::vector<TimedApplication::Cost> TimedApplication::costliest(int n) const
{
    std::vector<Cost> all;
    all.reserve(std::size_t(m_costs.size()));
    for (const Entry& e : m_costs)
        if (e.count) all.push_back({e.what, e.count, double(e.totalNs) / 1e6, double(e.maxNs) / 1e6});
    const std::size_t keep = std::min(all.size(), std::size_t(std::max(n, 0)));
    std::partial_sort(all.begin(), all.begin() + std::ptrdiff_t(keep), all.end(),
                      [](const Cost& a, const Cost& b) { return a.totalMs > b.totalMs; });
    all.resize(keep);
    return all;
}

QString TimedApplication::report(int n) const
{
    qint64 count = 0, totalNs = 0;
    for (const Entry& e : m_costs) {
        count += e.count;
        totalNs += e.totalNs;
    }
    QString out = QStringLiteral("  %1 ms in %2 events: all of them\n").arg(double(totalNs) / 1e6, 8, 'f', 1).arg(count);
    for (const Cost& c : costliest(n))
        out += QStringLiteral("  %1 ms in %2 events (max %3 ms): %4\n")
                   .arg(c.totalMs, 8, 'f', 1)
                   .arg(c.count)
                   .arg(c.maxMs, 0, 'f', 1)
                   .arg(c.what);
    return out;
}

void TimedApplication::resetCosts()
{
    // Entries are kept (their names are costly to make), their counts zeroed.
    for (Entry& e : m_costs) e = {e.what, 0, 0, 0};
}
