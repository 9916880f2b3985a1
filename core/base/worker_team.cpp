#include "worker_team.hpp"

namespace cs {

namespace {

// About 40 us of spinning (a pause is 10-140 cycles, by CPU): longer than
// the serial work between two jobs of a step, shorter than anything a
// paused trainer would notice.
constexpr int spin_pauses = 2000;

inline void cpu_relax()
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

// Spins until done() or the pauses run out.
template <typename Done>
void spin_until(Done done)
{
    for (int i = 0; i < spin_pauses && !done(); ++i) cpu_relax();
}

} // namespace

WorkerTeam::WorkerTeam(std::size_t threads)
{
    const std::size_t helpers = threads > 1 ? threads - 1 : 0;
    helpers_.reserve(helpers);
    for (std::size_t t = 0; t < helpers; ++t) helpers_.emplace_back([this, t] { work(t + 1); });
}

WorkerTeam::~WorkerTeam()
{
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    job_ready_.notify_all();
    for (std::thread& t : helpers_) t.join();
}

void WorkerTeam::run_parts(std::size_t parts, void* part, Invoke invoke)
{
    if (parts == 0) return;
    if (helpers_.empty() || parts == 1) {
        // Nothing to share: no locks, no wake-ups.
        for (std::size_t i = 0; i < parts; ++i) invoke(part, i, 0);
        return;
    }
    bool wake = false;
    {
        std::lock_guard lock(mutex_);
        part_ = part;
        invoke_ = invoke;
        parts_ = parts;
        next_ = finished_ = 0;
        error_ = nullptr;
        ++generation_;
        // Resting, the job is still posted, for helpers that end_rest() wakes.
        wake = !resting_.load(std::memory_order_relaxed);
    }
    if (wake) job_ready_.notify_all();
    take_parts(0);
    spin_until([&] { return finished_.load(std::memory_order_acquire) == parts; });
    std::unique_lock lock(mutex_);
    job_done_.wait(lock, [this] { return finished_ == parts_; });
    part_ = nullptr;
    if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
}

void WorkerTeam::rest()
{
    {
        std::lock_guard lock(mutex_);
        resting_.store(true, std::memory_order_relaxed);
    }
    // A helper stops spinning as soon as it sees the flag; about 400 us at most.
    for (int i = 0; i < 10 * spin_pauses && asleep_.load(std::memory_order_acquire) < helpers_.size(); ++i) cpu_relax();
}

void WorkerTeam::end_rest()
{
    {
        // Under the mutex: a helper checks the flag and sleeps in one step.
        std::lock_guard lock(mutex_);
        if (!resting_.load(std::memory_order_relaxed)) return;
        resting_.store(false, std::memory_order_relaxed);
    }
    job_ready_.notify_all(); // a job under way gets its helpers
}

void WorkerTeam::take_parts(std::size_t thread)
{
    std::unique_lock lock(mutex_);
    while (next_ < parts_) {
        const std::size_t i = next_++;
        const bool skip = error_ != nullptr; // a part failed: the job's result is lost anyway
        lock.unlock();
        std::exception_ptr error;
        if (!skip) {
            try {
                invoke_(part_, i, thread);
            } catch (...) {
                error = std::current_exception();
            }
        }
        lock.lock();
        if (error && !error_) error_ = error;
        if (++finished_ == parts_) job_done_.notify_all();
    }
}

void WorkerTeam::work(std::size_t thread)
{
    std::size_t seen = 0;
    for (;;) {
        spin_until([&] {
            return generation_.load(std::memory_order_acquire) != seen || stopping_.load() ||
                   resting_.load(std::memory_order_relaxed);
        });
        {
            std::unique_lock lock(mutex_);
            asleep_.fetch_add(1, std::memory_order_release);
            job_ready_.wait(lock, [&] { return stopping_ || (generation_ != seen && !resting_); });
            asleep_.fetch_sub(1, std::memory_order_relaxed);
            if (stopping_) return;
            seen = generation_;
        }
        take_parts(thread);
    }
}

std::size_t hardware_threads()
{
    const unsigned n = std::thread::hardware_concurrency();
    return n ? n : 1;
}

} // namespace cs
