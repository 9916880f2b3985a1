#include "thread_priority.hpp"

#include <algorithm>

#if defined(__linux__)
#include <cerrno>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace cs {

#if defined(__linux__)

namespace {
// On Linux, PRIO_PROCESS with a thread id sets that thread's niceness alone
// (setpriority(2), "BUGS"): the POSIX per-process meaning is not implemented.
id_t current_thread_id() { return id_t(::syscall(SYS_gettid)); }
} // namespace

int current_thread_niceness()
{
    errno = 0;
    const int nice = ::getpriority(PRIO_PROCESS, current_thread_id());
    return errno ? 0 : nice;
}

bool lower_current_thread_priority(int niceness)
{
    const int now = current_thread_niceness();
    const int target = std::min(niceness, 19);
    if (now >= target) return true;
    return ::setpriority(PRIO_PROCESS, current_thread_id(), target) == 0;
}

#else

int current_thread_niceness() { return 0; }
bool lower_current_thread_priority(int) { return false; }

#endif

} // namespace cs
