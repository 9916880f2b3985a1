#include "divergencewatch.h"

#include <algorithm>
#include <cmath>

namespace {
constexpr double beta = 0.9;
constexpr std::size_t warmUp = 5; // steps before the smoothed loss means anything
} // namespace

void DivergenceWatch::clear()
{
    *this = DivergenceWatch{};
}

std::optional<DivergenceWatch::Explosion> DivergenceWatch::add(quint64 firstStep, const std::vector<float>& losses)
{
    std::optional<Explosion> found;
    for (std::size_t i = 0; i < losses.size(); ++i) {
        const double loss = std::isfinite(losses[i]) ? double(losses[i]) : 1e9;
        m_ema = m_seen == 0 ? loss : beta * m_ema + (1 - beta) * loss;
        m_best = m_seen == 0 ? m_ema : std::min(m_best, m_ema);
        if (++m_seen < warmUp) continue;
        const bool exploded = m_ema > 3 * m_best && m_ema > m_best + 1;
        if (exploded && !m_reported && !found) {
            found = Explosion{firstStep + i, m_best, m_ema};
            m_reported = true;
        } else if (m_reported && m_ema < 1.5 * m_best + 0.1) {
            m_reported = false; // it came back down: report the next one
        }
    }
    return found;
}
