// Keras' JSON (architecture_json.hpp): Sequential and functional models as
// Keras 2 and 3 write them. What is read must be written back and read again
// as the same architecture; whether it fits together is answered by
// check_architecture with a ShapeError, never a crash.
#include "architecture_json.hpp"
#include "errors.hpp"
#include "model_file.hpp"

#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    cs::Architecture a;
    try {
        a = cs::architecture_from_json(text, "fuzz.json", cs::model_max_layers);
    } catch (const cs::FormatError&) {
        return 0;
    }
    if (a.layers.size() > cs::model_max_layers) std::abort();
    try {
        cs::check_architecture(a);
    } catch (const cs::ShapeError&) {
    }
    const cs::Architecture back = cs::architecture_from_json(cs::architecture_to_json(a), "back.json",
                                                             cs::model_max_layers);
    if (!(back == a)) std::abort();
    return 0;
}
