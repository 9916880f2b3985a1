// The typed errors of the core. Every message names what was wrong (the
// shapes, the file and the problem) so that a user can act on it; nothing in
// the core aborts on bad input.
#pragma once

#include <new>
#include <stdexcept>
#include <string>

namespace cs {

// An argument of the wrong shape or an impossible parameter (stride 0, a
// kernel larger than its padded input, channels that disagree...).
class ShapeError : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

// A setting outside what it may be: a learning rate that is negative or not
// a number, an optimizer's name that none has. (Not a ShapeError: nothing is
// of the wrong shape, and a form shows it beside the field it came from.)
class SettingError : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

// A size (elements, parameters, bytes) that does not fit in 64 bits. Only
// absurd input gets here; the alternative is a wrapped size that something
// is then allocated with and written past (checked_arithmetic.hpp).
class SizeOverflow : public ShapeError {
public:
    using ShapeError::ShapeError;
};

// A file that cannot be read as what it claims to be: truncated, corrupt,
// wrong magic number, unsupported dtype, absurd sizes.
class FormatError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// A file that could not be written: the folder refuses new files, the disk
// is full, the rename failed. The message names the path and the system's
// reason; whatever the path held before is left as it was.
class WriteError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Throws the FormatError "<file>: <problem>" that every reader raises, so
// that a message always starts with the file it is about.
[[noreturn]] inline void fail(const std::string& file, const std::string& problem)
{
    throw FormatError(file + ": " + problem);
}

// Runs read() (something that reads the file `name`) and returns its result;
// running out of memory on the way becomes a FormatError that names the file.
// A bare std::bad_alloc reaching the user says neither which file nor why.
template <typename Read>
auto out_of_memory_as_format_error(const std::string& name, Read&& read) -> decltype(read())
{
    try {
        return read();
    } catch (const std::bad_alloc&) {
        throw FormatError(name + ": not enough memory to read it (is it really that large?)");
    } catch (const std::length_error&) {
        throw FormatError(name + ": too large to hold in memory");
    }
}

} // namespace cs
