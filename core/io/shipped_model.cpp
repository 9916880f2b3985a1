#include "shipped_model.hpp"

#include "embedded_resources.hpp"
#include "errors.hpp"
#include "keras_file.hpp"
#include "keras_reader_process.hpp"

namespace cs {

ModelFile load_shipped_model()
{
    const std::span<const std::byte> bytes = embedded_resource("models/lenet5-digits.npz");
    if (bytes.empty()) throw FormatError("shipped: this build of ConvScope does not hold the shipped model");
    return load_model_bytes(bytes, "the shipped model");
}

ModelFile open_model(const std::string& spec)
{
    if (spec == shipped_model_name) return load_shipped_model();
    if (is_keras_file(spec)) return read_keras_in_child(spec);
    refuse_tensorflow_formats(spec);
    return load_model(spec);
}

ModelFile open_model(const std::string& spec, const Architecture& architecture)
{
    ModelFile out;
    out.model = plan_model(architecture, spec);
    out.model->allocate();
    if (spec == shipped_model_name) {
        out.model->set_parameters(load_shipped_model().model->parameters());
    } else if (is_keras_file(spec)) {
        ModelFile read = read_keras_in_child(spec, architecture);
        out.model->set_parameters(read.model->parameters());
        out.origin = read.origin;
    } else {
        refuse_tensorflow_formats(spec);
        import_weights_npz(spec, *out.model);
    }
    return out;
}

} // namespace cs
