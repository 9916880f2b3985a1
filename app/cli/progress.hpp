// Training progress on a terminal: a bar redrawn in place when stdout is a
// terminal (at most ten times a second), plain lines otherwise.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

namespace cli {

class Progress {
public:
    Progress();
    // Called after every step with the running figures of the epoch.
    void update(std::size_t epoch, std::size_t epochs, std::size_t done, std::size_t total, double loss,
                double accuracy, double images_per_second);
    // Ends the bar's line before other output.
    void finish();
    bool terminal() const { return terminal_; }

private:
    bool terminal_;
    std::chrono::steady_clock::time_point last_;
    std::size_t next_line_ = 0; // plain mode: the next tenth of the epoch to report
    bool open_ = false;
};

} // namespace cli
