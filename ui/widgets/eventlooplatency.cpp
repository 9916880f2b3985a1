#include "eventlooplatency.h"

#include <algorithm>
#include <cmath>

EventLoopLatency::EventLoopLatency(int intervalMs, QObject* parent) : QObject(parent), m_intervalMs(intervalMs)
{
    // PreciseTimer: the default coarse timer may itself fire 5% late, which
    // would be counted against the event loop.
    m_timer.setTimerType(Qt::PreciseTimer);
    m_timer.setInterval(intervalMs);
    connect(&m_timer, &QTimer::timeout, this, &EventLoopLatency::tick);
}

void EventLoopLatency::start()
{
    m_lateMs.clear();
    m_lateMs.reserve(1 << 16);
    m_clock.start();
    m_dueNs = qint64(m_intervalMs) * 1000000;
    m_worstMs = -1;
    m_worstAtNs = 0;
    m_timer.start();
}

void EventLoopLatency::stop() { m_timer.stop(); }

void EventLoopLatency::tick()
{
    const qint64 now = m_clock.nsecsElapsed();
    m_lateMs.push_back(std::max<qint64>(0, now - m_dueNs) / 1e6);
    if (m_lateMs.back() >= m_worstMs) {
        m_worstMs = m_lateMs.back();
        m_worstAtNs = m_dueNs;
    }
    // The next tick is due one interval after this one came: a late tick is
    // counted once, not again in every tick that follows it.
    m_dueNs = now + qint64(m_intervalMs) * 1000000;
}

EventLoopLatency::Summary EventLoopLatency::summary() const
{
    Summary s;
    s.ticks = qsizetype(m_lateMs.size());
    if (m_lateMs.empty()) return s;
    std::vector<double> sorted = m_lateMs;
    std::sort(sorted.begin(), sorted.end());
    auto quantile = [&](double q) { return sorted[std::size_t(std::ceil(q * double(sorted.size()))) - 1]; };
    s.p50 = quantile(0.50);
    s.p99 = quantile(0.99);
    s.max = sorted.back();
    s.maxAt = double(m_worstAtNs) / 1e9;
    return s;
}

QString EventLoopLatency::report() const
{
    const Summary s = summary();
    return QStringLiteral("event-loop lateness over %1 ticks: p50 %2 ms, p99 %3 ms, max %4 ms")
        .arg(s.ticks)
        .arg(s.p50, 0, 'f', 1)
        .arg(s.p99, 0, 'f', 1)
        .arg(s.max, 0, 'f', 1);
}
