#include "rangememory.h"

#include <algorithm>

void RangeMemory::setMode(ScaleMode mode)
{
    m_mode = mode;
    if (mode == ScaleMode::Fixed) m_fixed = m_last;
}

void RangeMemory::clear()
{
    m_last.clear();
    m_soFar.clear();
    m_fixed.clear();
}

std::optional<ValueRange> RangeMemory::range(const QString& key, ColorScaleKind kind, const float* values,
                                             std::size_t count)
{
    const ValueRange r = ColorScale::rangeFor(kind, values, count);
    m_last[key] = r;
    auto [it, fresh] = m_soFar.try_emplace(key, r);
    if (!fresh) it->second = {std::min(it->second.low, r.low), std::max(it->second.high, r.high)};
    switch (m_mode) {
    case ScaleMode::PerFrame: return std::nullopt;
    case ScaleMode::SoFar: return it->second;
    case ScaleMode::Fixed: return m_fixed.try_emplace(key, r).first->second;
    }
    return std::nullopt;
}
