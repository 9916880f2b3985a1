#include "ratelimiter.h"

#include <QTimer>

RateLimiter::RateLimiter(int intervalMs, QObject* parent, std::function<void()> action)
    : QObject(parent), m_interval(intervalMs), m_action(std::move(action)), m_timer(new QTimer(this))
{
    m_timer->setSingleShot(true);
    m_timer->setInterval(2 * intervalMs);
    connect(m_timer, &QTimer::timeout, this, [this] { m_action(); });
}

void RateLimiter::request()
{
    if (!m_last.isValid() || m_last.elapsed() >= m_interval) {
        m_action();
        return;
    }
    if (!m_timer->isActive()) m_timer->start();
}

void RateLimiter::ran()
{
    m_timer->stop();
    m_last.start();
}

bool RateLimiter::pending() const
{
    return m_timer->isActive();
}
