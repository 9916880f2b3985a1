#include "step_log.hpp"

#include <charconv>
#include <iterator>
#include <type_traits>

namespace cs {

namespace {

// std::to_chars: never a decimal comma, whatever locale the program runs in
// (Qt sets the user's; snprintf would follow it).
template <typename T>
void append(std::string& out, T value)
{
    char text[32];
    std::to_chars_result r;
    if constexpr (std::is_floating_point_v<T>)
        r = std::to_chars(std::begin(text), std::end(text), value, std::chars_format::general, 9);
    else
        r = std::to_chars(std::begin(text), std::end(text), value);
    out.append(text, r.ptr);
}

} // namespace

std::string step_log_line(std::uint64_t step, std::size_t epoch_index, float loss, float accuracy)
{
    std::string line;
    append(line, step);
    line += ',';
    append(line, std::uint64_t(epoch_index) + 1);
    line += ',';
    append(line, double(loss));
    line += ',';
    append(line, double(accuracy));
    line += '\n';
    return line;
}

} // namespace cs
