// The typed errors of the core. Every message names what was wrong (the
// shapes, the file and the problem) so that a user can act on it; nothing in
// the core aborts on bad input.
#pragma once

#include <stdexcept>
#include <string>

namespace cs {

// An argument of the wrong shape or an impossible parameter (stride 0, a
// kernel larger than its padded input, channels that disagree...).
class ShapeError : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

// A file that cannot be read as what it claims to be: truncated, corrupt,
// wrong magic number, unsupported dtype, absurd sizes.
class FormatError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

} // namespace cs
