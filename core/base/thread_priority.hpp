// The calling thread's scheduling niceness (Linux: each thread has its own,
// and a thread it starts inherits it).
//
// The window trains on every core, beside its own GUI thread. At equal
// niceness the scheduler gives a GUI thread that has a frame to draw only an
// equal share of a core with a training thread, and a 30 ms repaint takes
// 60 ms. A training thread made nicer yields that core at once, and still
// has all of it while the window is idle: training loses speed only to the
// work the window actually does.
#pragma once

namespace cs {

// The niceness of work that runs beside a window (training, history passes):
// weight 110 against the GUI thread's 1024, so a GUI thread that wants its
// core gets about 90% of it.
inline constexpr int background_niceness = 10;

// Makes the calling thread (and every thread it starts afterwards) at least
// `niceness` nice (clamped to 19); a thread already nicer is left alone, so
// a pool's thread can call it before every task. Returns false where the
// platform has no per-thread niceness or refuses (the thread is as it was).
bool lower_current_thread_priority(int niceness);

// The calling thread's niceness (0 where the platform has none).
int current_thread_niceness();

} // namespace cs
