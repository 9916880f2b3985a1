#include "shipped_model.hpp"

#include "embedded_resources.hpp"
#include "errors.hpp"

namespace cs {

ModelFile load_shipped_model()
{
    const std::span<const std::byte> bytes = embedded_resource("models/lenet5-digits.npz");
    if (bytes.empty()) throw FormatError("shipped: this build of ConvScope does not hold the shipped model");
    return load_model_bytes(bytes, "the shipped model");
}

ModelFile open_model(const std::string& spec)
{
    return spec == shipped_model_name ? load_shipped_model() : load_model(spec);
}

} // namespace cs
