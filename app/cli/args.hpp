// A small command-line parser: "--key value" options, "--flag" switches and
// positional arguments; every mistake is a UsageError with a one-line message.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace cli {

class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class Args {
public:
    // `options` take a value, `flags` do not; anything else starting with
    // "--" is an error.
    Args(int argc, char** argv, int first, const std::set<std::string>& options, const std::set<std::string>& flags);

    bool help() const { return help_; }
    bool flag(const std::string& name) const { return flags_.count(name) != 0; }
    std::optional<std::string> get(const std::string& name) const;
    std::string require(const std::string& name) const;
    std::string get_or(const std::string& name, const std::string& fallback) const;
    // Numbers with range checks: "--epochs must be a whole number >= 1".
    long integer(const std::string& name, long fallback, long min, long max) const;
    double real(const std::string& name, double fallback) const;
    // "3,2" -> {3, 2}; a single "3" -> {3, 3}.
    std::pair<std::size_t, std::size_t> pair(const std::string& name, std::pair<std::size_t, std::size_t> fallback) const;
    const std::vector<std::string>& positional() const { return positional_; }

private:
    std::map<std::string, std::string> values_;
    std::set<std::string> flags_;
    std::vector<std::string> positional_;
    bool help_ = false;
};

} // namespace cli
