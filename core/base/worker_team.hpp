// WorkerTeam: a fixed set of threads that run the parts of one job, and the
// caller among them (llm.c parallelises its loops with OpenMP; we keep the
// threads ourselves so that the window's training thread owns them and no
// other code's thread pool is disturbed).
//
//   WorkerTeam team(2);               // the caller + 1 thread
//   team.run(parts, [&](std::size_t part, std::size_t thread) { ... });   // returns when all are done
//
// Parts are handed out in turn to whichever thread is free, so which thread
// runs a part is not fixed: a part's result must depend only on its index
// (each writes its own buffers, and the caller combines them in index order),
// which makes a job's result the same whatever the number of threads. The
// thread's own index (0 the caller, < threads()) is for buffers a thread
// reuses from one part to the next.
//
// Between jobs a thread first spins for a few tens of microseconds (within a
// training step jobs follow each other that closely, and a sleep and a
// wake-up through the kernel cost more than the wait), then sleeps on a
// condition variable (it uses no CPU while the trainer is paused). The first exception a part throws is rethrown by
// run() once every part has finished or been skipped. run() is not
// reentrant: one job at a time, from one thread.
//
// Resting (rest): the helpers sleep at once and run() does every part on
// the caller, until end_rest(), which may come from any thread and in the
// middle of a job: the helpers wake and take the parts of it that are left
// (the window says it has drawn without waiting for the step to end). It
// is for a caller that is about to wake a thread with more urgent work,
// the window's, on a machine the team fills. A core whose thread sleeps is
// idle, and the scheduler puts the woken thread there. Otherwise that
// thread takes a core from a thread of the team. That thread's part is
// then held up, and the rest of the team waits for it at the end of the
// job, so each millisecond of the window's work costs the team two.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <type_traits>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace cs {

class WorkerTeam {
public:
    // threads: the caller included; at least 1 (0 is taken as 1).
    explicit WorkerTeam(std::size_t threads = 1);
    ~WorkerTeam();
    WorkerTeam(const WorkerTeam&) = delete;
    WorkerTeam& operator=(const WorkerTeam&) = delete;

    std::size_t threads() const { return helpers_.size() + 1; }

    // The caller only, between jobs: returns once every helper has gone to
    // sleep (or after a few hundred microseconds, if one is slow to: it then
    // sleeps soon after).
    void rest();
    // Any thread, at any time (a job may be under way): the helpers wake.
    void end_rest();
    bool resting() const { return resting_.load(std::memory_order_relaxed); }

    // Calls part(i, thread) for every i in [0, parts), on the caller and the
    // team's threads, and returns when all have returned. Any callable: it
    // is called through a pointer, never copied (no std::function, which
    // would allocate for a lambda of a few captures on every step).
    template <typename Part>
    void run(std::size_t parts, Part&& part)
    {
        // The pointer loses its constness here and gets it back in the call.
        run_parts(parts, const_cast<void*>(static_cast<const void*>(&part)), [](void* f, std::size_t i, std::size_t thread) {
            (*static_cast<std::remove_reference_t<Part>*>(f))(i, thread);
        });
    }

private:
    using Invoke = void (*)(void* part, std::size_t i, std::size_t thread);
    void run_parts(std::size_t parts, void* part, Invoke invoke);
    void work(std::size_t thread); // a helper thread's loop
    void take_parts(std::size_t thread); // runs parts until none is left (under no lock)

    std::vector<std::thread> helpers_;
    std::mutex mutex_;
    std::condition_variable job_ready_, job_done_;
    void* part_ = nullptr;
    Invoke invoke_ = nullptr;
    std::size_t parts_ = 0, next_ = 0;
    // Written under the mutex; read without it by a spinning thread.
    std::atomic<std::size_t> finished_{0};
    std::atomic<std::size_t> generation_{0}; // counts jobs, so a helper takes each once
    std::atomic<bool> stopping_{false};
    std::atomic<bool> resting_{false}; // written under the mutex
    std::atomic<std::size_t> asleep_{0}; // helpers in (or about to be in) the wait for a job
    std::exception_ptr error_;
};

// The threads a machine can run at once (at least 1).
std::size_t hardware_threads();

} // namespace cs
