#include "architecture_file.hpp"

#include "architecture_json.hpp"
#include "keras_file.hpp"
#include "keras_reader_process.hpp"
#include "atomic_file.hpp"
#include "byte_source.hpp"
#include "errors.hpp"
#include "model_file.hpp"
#include "presets.hpp"

#include <span>

namespace cs {

namespace {

std::string sample_text(const Shape& s)
{
    std::string out;
    for (std::size_t i = 0; i < s.rank(); ++i) {
        if (i) out += 'x';
        out += std::to_string(s[i]);
    }
    return out;
}

bool ends_with(const std::string& s, const std::string& tail)
{
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

} // namespace

Architecture read_architecture_file(const std::filesystem::path& path)
{
    const std::string name = path.string();
    auto source = open_file_source(path, "a Keras architecture (.json)");
    const BytesLeft left = source->bytes_left();
    if (left.knowledge == BytesLeft::exact && left.count > architecture_file_max_bytes)
        throw FormatError(name + ": " + std::to_string(left.count) + " bytes is too large for an architecture (at most " +
                          std::to_string(architecture_file_max_bytes) + ")");
    std::vector<char> text;
    read_up_to(*source, text, architecture_file_max_bytes + 1);
    if (text.size() > architecture_file_max_bytes)
        throw FormatError(name + ": too large for an architecture (at most " +
                          std::to_string(architecture_file_max_bytes) + " bytes)");
    Architecture a = architecture_from_json(std::string_view(text.data(), text.size()), name, model_max_layers);
    try {
        check_architecture(a);
    } catch (const ShapeError& e) {
        throw ShapeError(name + ": " + e.what());
    }
    return a;
}

void write_architecture_file(const std::filesystem::path& path, const Architecture& architecture)
{
    const std::string text = architecture_to_json(architecture, 2) + "\n";
    write_file_atomically(path, std::as_bytes(std::span(text.data(), text.size())));
}

Architecture load_architecture(const std::string& name_or_path, const Shape& input, std::size_t classes)
{
    if (is_preset(name_or_path)) return preset_architecture(name_or_path, input, classes);
    if (is_keras_file(name_or_path)) return architecture_of(*read_keras_in_child(name_or_path).model);
    if (ends_with(name_or_path, ".npz")) {
        const ModelFile file = load_model(name_or_path);
        return architecture_of(*file.model);
    }
    if (!ends_with(name_or_path, ".json") && !std::filesystem::exists(name_or_path)) {
        std::string known;
        for (const Preset& p : presets()) known += (known.empty() ? "" : ", ") + p.name;
        throw FormatError("'" + name_or_path + "' is neither a preset (" + known +
                          ") nor a Keras .json file nor a model file (.npz, .h5, .keras)");
    }
    return read_architecture_file(name_or_path);
}

void check_fits_data(const Architecture& architecture, const Shape& input, std::size_t classes,
                     const std::string& data_name)
{
    if (!(architecture.input == input))
        throw ShapeError("the architecture takes " + sample_text(architecture.input) + " samples, but " + data_name +
                         " has " + sample_text(input));
    const std::vector<LayerShapes> shapes = infer_shapes(architecture);
    if (shapes.empty() || !shapes.back().error.empty()) check_architecture(architecture); // throws, naming the layer
    const std::size_t outputs = shapes.back().output[0];
    if (outputs != classes)
        throw ShapeError("the architecture's last layer gives " + std::to_string(outputs) + " outputs, but " +
                         data_name + " has " + std::to_string(classes) + " classes");
}

} // namespace cs
