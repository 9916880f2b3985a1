#include "shipped_model.hpp"

#include <filesystem>

namespace cli {

std::string shipped_model_path()
{
    namespace fs = std::filesystem;
    // Next to an installed binary first, then in the source tree it was built from.
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    const fs::path candidates[] = {
        exe.parent_path() / "../share/convscope/models/lenet5-digits.npz",
        fs::path(CONVSCOPE_RESOURCES_DIR) / "models/lenet5-digits.npz",
    };
    for (const auto& p : candidates)
        if (!ec && fs::exists(p, ec)) return p.lexically_normal().string();
    return (fs::path(CONVSCOPE_RESOURCES_DIR) / "models/lenet5-digits.npz").string();
}

} // namespace cli
