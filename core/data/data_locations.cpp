#include "data_locations.hpp"

#include <algorithm>
#include <cstdlib>
#include <string>
#include <system_error>

#ifndef CONVSCOPE_INSTALL_DATADIR
#define CONVSCOPE_INSTALL_DATADIR "/usr/local/share"
#endif

namespace cs {

namespace {

namespace fs = std::filesystem;

std::string env(const char* name)
{
    const char* v = std::getenv(name);
    return v ? std::string(v) : std::string();
}

} // namespace

std::vector<fs::path> data_search_path()
{
    std::vector<fs::path> dirs;
    auto add = [&](const fs::path& p) {
        // The XDG specification: relative paths are invalid and ignored.
        if (p.is_absolute() && std::find(dirs.begin(), dirs.end(), p) == dirs.end()) dirs.push_back(p);
    };
    if (const std::string d = env("CONVSCOPE_DATA_DIR"); !d.empty()) add(d);

    std::string home_data = env("XDG_DATA_HOME");
    if (home_data.empty() && !env("HOME").empty()) home_data = env("HOME") + "/.local/share";
    if (!home_data.empty()) add(fs::path(home_data) / "convscope");

    std::string system_data = env("XDG_DATA_DIRS");
    if (system_data.empty()) system_data = "/usr/local/share:/usr/share";
    for (std::size_t start = 0; start <= system_data.size();) {
        const std::size_t end = std::min(system_data.find(':', start), system_data.size());
        if (end > start) add(fs::path(system_data.substr(start, end - start)) / "convscope");
        start = end + 1;
    }
    add(fs::path(CONVSCOPE_INSTALL_DATADIR) / "convscope");
    return dirs;
}

std::vector<fs::path> dataset_candidates(std::string_view name)
{
    std::vector<fs::path> out;
    for (const fs::path& dir : data_search_path()) out.push_back(dir / name);
    if (name == "fashion-mnist") out.emplace_back(debian_fashion_mnist_dir);
    return out;
}

fs::path find_installed_dataset(std::string_view name)
{
    for (const fs::path& dir : dataset_candidates(name))
        if (has_idx_set(dir)) return dir;
    return {};
}

bool has_idx_set(const fs::path& folder)
{
    static constexpr const char* stems[] = {"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                                            "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"};
    std::error_code ec;
    for (const char* stem : stems) {
        const std::string s = stem;
        if (!fs::is_regular_file(folder / s, ec) && !fs::is_regular_file(folder / (s + ".gz"), ec)) return false;
    }
    return true;
}

} // namespace cs
