// RangeMemory: which colour range each column of maps is drawn with.
//
//   per frame     each frame fitted to its own values (the default): shows
//                 patterns, hides growth (a map twice as strong looks the same)
//   range so far  the union of every frame's range since the model was reset:
//                 growth shows as brightening
//   fixed         the ranges of the frame on screen when it was chosen: later
//                 frames are compared with that step (values beyond it clip)
// Columns are told apart by a key (the layer's name, and what is shown).
#pragma once

#include "colorscale.h"

#include <QString>

#include <map>
#include <optional>

enum class ScaleMode { PerFrame, SoFar, Fixed };

class RangeMemory {
public:
    ScaleMode mode() const { return m_mode; }
    // Fixed takes the ranges last seen as they are.
    void setMode(ScaleMode mode);
    // The run starts again (Reset, another model): nothing seen yet.
    void clear();

    // The range to draw `values` with under the mode (none: fit the frame).
    std::optional<ValueRange> range(const QString& key, ColorScaleKind kind, const float* values, std::size_t count);

private:
    ScaleMode m_mode = ScaleMode::PerFrame;
    std::map<QString, ValueRange> m_last, m_soFar, m_fixed;
};
