#include "args.hpp"

#include <cmath>
#include <cstdlib>

namespace cli {

Args::Args(int argc, char** argv, int first, const std::set<std::string>& options, const std::set<std::string>& flags)
{
    for (int i = first; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--help" || a == "-h") {
            help_ = true;
        } else if (a.rfind("--", 0) == 0 && a.size() > 2) {
            std::string key = a.substr(2), value;
            const auto eq = key.find('=');
            const bool inline_value = eq != std::string::npos;
            if (inline_value) {
                value = key.substr(eq + 1);
                key = key.substr(0, eq);
            }
            if (flags.count(key)) {
                if (inline_value) throw UsageError("--" + key + " takes no value");
                flags_.insert(key);
            } else if (options.count(key)) {
                if (!inline_value) {
                    if (i + 1 >= argc) throw UsageError("--" + key + " needs a value");
                    value = argv[++i];
                }
                values_[key] = value;
            } else {
                throw UsageError("unknown option --" + key);
            }
        } else {
            positional_.push_back(a);
        }
    }
}

std::optional<std::string> Args::get(const std::string& name) const
{
    const auto it = values_.find(name);
    if (it == values_.end()) return std::nullopt;
    return it->second;
}

std::string Args::require(const std::string& name) const
{
    if (auto v = get(name)) return *v;
    throw UsageError("--" + name + " is required");
}

std::string Args::get_or(const std::string& name, const std::string& fallback) const
{
    return get(name).value_or(fallback);
}

long Args::integer(const std::string& name, long fallback, long min, long max) const
{
    const auto v = get(name);
    if (!v) return fallback;
    char* end = nullptr;
    const long x = std::strtol(v->c_str(), &end, 10);
    if (v->empty() || *end != '\0' || x < min || x > max)
        throw UsageError("--" + name + " must be a whole number from " + std::to_string(min) + " to " +
                         std::to_string(max) + ", not '" + *v + "'");
    return x;
}

double Args::real(const std::string& name, double fallback) const
{
    const auto v = get(name);
    if (!v) return fallback;
    char* end = nullptr;
    const double x = std::strtod(v->c_str(), &end);
    if (v->empty() || *end != '\0' || !std::isfinite(x)) throw UsageError("--" + name + " must be a number, not '" + *v + "'");
    return x;
}

std::pair<std::size_t, std::size_t> Args::pair(const std::string& name, std::pair<std::size_t, std::size_t> fallback) const
{
    const auto v = get(name);
    if (!v) return fallback;
    const auto bad = [&] { return UsageError("--" + name + " must be N or N,M with whole numbers >= 1, not '" + *v + "'"); };
    const auto parse = [&](const std::string& s) {
        char* end = nullptr;
        const long x = std::strtol(s.c_str(), &end, 10);
        if (s.empty() || *end != '\0' || x < 1 || x > 1000000) throw bad();
        return std::size_t(x);
    };
    const auto comma = v->find(',');
    if (comma == std::string::npos) {
        const std::size_t x = parse(*v);
        return {x, x};
    }
    return {parse(v->substr(0, comma)), parse(v->substr(comma + 1))};
}

} // namespace cli
