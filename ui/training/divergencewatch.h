// DivergenceWatch: notices when the training loss explodes, so the window
// can say so and name what preceded it ("loss exploded after lr 0.3 at step
// 1,240: Reset or lower it") instead of leaving a student to wonder why
// every map went flat.
//
// The loss is smoothed (EMA, 0.9); it has exploded when the smoothed loss
// exceeds three times the best it reached since the start (and by at least
// 1). It reports once, then again only after the loss has come back down.
#pragma once

#include "trainingtypes.h"

#include <optional>
#include <vector>

class DivergenceWatch {
public:
    struct Explosion {
        quint64 step = 0;  // where it was noticed
        double before = 0; // the best smoothed loss
        double now = 0;    // the smoothed loss at `step`
    };

    void clear();
    // Steps firstStep, firstStep + 1, ...; an explosion noticed among them.
    std::optional<Explosion> add(quint64 firstStep, const std::vector<float>& losses);

private:
    double m_ema = 0;
    double m_best = 0;
    std::size_t m_seen = 0;
    bool m_reported = false;
};
