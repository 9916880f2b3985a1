#include "progress.hpp"

#include <cstdio>
#include <unistd.h>

namespace cli {

Progress::Progress() : terminal_(isatty(STDOUT_FILENO) != 0), last_(std::chrono::steady_clock::now()) {}

void Progress::update(std::size_t epoch, std::size_t epochs, std::size_t done, std::size_t total, double loss,
                      double accuracy, double images_per_second)
{
    if (!terminal_) {
        if (done == 1) next_line_ = 1;
        // A line at each tenth of the epoch.
        if (done * 10 < next_line_ * total) return;
        while (done * 10 >= next_line_ * total) ++next_line_;
        std::printf("epoch %zu/%zu step %zu/%zu  loss %.4f  accuracy %.4f  %.0f images/s\n", epoch, epochs, done,
                    total, loss, accuracy, images_per_second);
        std::fflush(stdout);
        return;
    }
    const auto now = std::chrono::steady_clock::now();
    if (done != total && now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    constexpr int width = 30;
    const int filled = int(double(width) * double(done) / double(total));
    std::string bar(std::size_t(filled), '#');
    bar.resize(width, '-');
    std::printf("\r\033[Kepoch %zu/%zu [%s] %3.0f%%  loss %.4f  accuracy %.4f  %.0f images/s", epoch, epochs,
                bar.c_str(), 100.0 * double(done) / double(total), loss, accuracy, images_per_second);
    std::fflush(stdout);
    open_ = true;
}

void Progress::finish()
{
    if (terminal_ && open_) std::printf("\n");
    open_ = false;
    std::fflush(stdout);
}

} // namespace cli
