#include "keras_file.hpp"

#include "architecture_json.hpp"
#include "byte_source.hpp"
#include "errors.hpp"
#include "hdf5_file.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <map>

namespace cs {
namespace {

namespace fs = std::filesystem;

// A .keras zip's config.json: Keras 3 writes about 2 kB a layer.
constexpr std::size_t keras_max_config_bytes = std::size_t(1) << 24;
// Its model.weights.h5: the largest model a file may hold, in float64, and
// room for HDF5's own structures.
constexpr std::size_t keras_max_weights_bytes = model_max_parameters * 8 + (std::size_t(64) << 20);

const std::string supported_files = "ConvScope opens Keras models saved with model.save('m.h5') or "
                                    "model.save('m.keras'), weights saved with model.save_weights('w.h5'), "
                                    "and its own .npz models";

std::vector<std::byte> first_bytes(const std::string& path, std::size_t n)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) fail(path, "cannot be opened (missing or unreadable)");
    std::vector<std::byte> head(n);
    in.read(reinterpret_cast<char*>(head.data()), std::streamsize(n));
    head.resize(std::size_t(in.gcount()));
    return head;
}

bool has_zip_signature(std::span<const std::byte> head)
{
    return head.size() >= 4 && std::memcmp(head.data(), "PK\x03\x04", 4) == 0;
}

std::string join(const std::string& group, const std::string& name)
{
    return group == "/" ? "/" + name : group + "/" + name;
}

// Where one layer's weights are, in Keras' order (kernel, then bias).
struct LayerWeights {
    std::string layer; // as the file names it
    std::vector<std::string> datasets;
};

// Keras 2's layout (and Keras 3's legacy .h5): `group` lists its layers in
// layer_names, each layer's group its weights in weight_names.
std::vector<LayerWeights> listed_weights(const Hdf5File& f, const std::string& group)
{
    std::vector<LayerWeights> out;
    for (const std::string& layer : f.text_list(group, "layer_names")) {
        const std::string g = join(group, layer);
        if (!f.has_group(g)) fail(f.name(), "it lists the layer '" + layer + "' but has no group '" + g + "'");
        LayerWeights w{layer, {}};
        for (const std::string& name : f.text_list(g, "weight_names")) w.datasets.push_back(join(g, name));
        if (!w.datasets.empty()) out.push_back(std::move(w));
    }
    return out;
}

// The group under which Keras 3 keeps a model's layers (Keras 2.13-2.15's
// .keras format used _layer_checkpoint_dependencies), or "".
std::string layers_group(const Hdf5File& f)
{
    for (const char* g : {"/layers", "/_layer_checkpoint_dependencies"})
        if (f.has_group(g)) return g;
    return {};
}

// Keras 3's layout (.keras and x.weights.h5): layers/<key>/vars/0, 1, where
// <key> is the layer's class in snake case with a counter per class, in the
// order of the model's layers, or the layer named by the `vars` group's
// `name` attribute.
std::vector<LayerWeights> keras3_weights(const Hdf5File& f, const Architecture& architecture)
{
    const std::string root = layers_group(f);
    if (root.empty()) fail(f.name(), "it has no 'layers' group: not a Keras 3 weights file");
    std::map<std::string, std::string> by_name; // a layer's name -> its group, where the file says so
    for (const std::string& key : f.members(root)) {
        const std::string vars = join(root, key) + "/vars";
        if (f.has_group(vars) && f.has_attribute(vars, "name")) by_name[f.text(vars, "name")] = join(root, key);
    }
    std::map<std::string, std::size_t> used; // Keras' counter per class
    std::vector<LayerWeights> out;
    for (const NamedLayer& layer : architecture.layers) {
        std::string key = keras_snake_case(keras_class_name(layer.spec.kind));
        const auto seen = used.find(key);
        if (seen == used.end()) used[key] = 0;
        else {
            key += '_';
            key += std::to_string(++seen->second);
        }
        const auto named = by_name.find(layer.name);
        const std::string group = named != by_name.end() ? named->second : join(root, key);
        const std::string vars = group + "/vars";
        if (!f.has_group(vars)) continue; // a layer without weights
        LayerWeights w{layer.name, {}};
        for (std::size_t i = 0; f.has_dataset(vars + "/" + std::to_string(i)); ++i)
            w.datasets.push_back(vars + "/" + std::to_string(i));
        if (!w.datasets.empty()) out.push_back(std::move(w));
    }
    return out;
}

// A model's layers that have weights, with their parameters' shapes in the
// flat vector's order (kernel, then bias).
struct ModelLayerWeights {
    std::string layer;
    std::vector<ParameterShape> parameters;
};

std::vector<ModelLayerWeights> weighted_layers(const Sequential<float>& model)
{
    std::vector<ModelLayerWeights> out;
    for (const ParameterShape& p : model.parameter_shapes()) {
        const std::string layer = p.name.substr(0, p.name.rfind('/'));
        if (out.empty() || out.back().layer != layer) out.push_back({layer, {}});
        out.back().parameters.push_back(p);
    }
    return out;
}

std::string names_of(const auto& layers)
{
    std::string s;
    for (const auto& l : layers) s += (s.empty() ? "'" : ", '") + l.layer + "'";
    return s.empty() ? "none" : s;
}

// Matches the file's layers with weights to the model's, as Keras'
// load_weights does (in order), and checks every shape from the datasets'
// headers: nothing is read or allocated for a file that does not fit.
void check_weights_fit(const Hdf5File& f, const std::vector<LayerWeights>& file,
                       const std::vector<ModelLayerWeights>& model)
{
    if (file.size() != model.size())
        fail(f.name(), "it holds weights for " + std::to_string(file.size()) + " layers (" + names_of(file) +
                           ") but the model has " + std::to_string(model.size()) + " layers with weights (" +
                           names_of(model) + ")");
    for (std::size_t k = 0; k < file.size(); ++k) {
        const LayerWeights& w = file[k];
        const ModelLayerWeights& m = model[k];
        if (w.datasets.size() != m.parameters.size())
            fail(f.name(), "its layer '" + w.layer + "' has " + std::to_string(w.datasets.size()) +
                               " weights, but the model's layer '" + m.layer + "' takes " +
                               std::to_string(m.parameters.size()) + " (a kernel" +
                               (m.parameters.size() > 1 ? " and a bias)" : ", no bias)"));
        for (std::size_t i = 0; i < w.datasets.size(); ++i) {
            const Shape stored = f.dataset_shape(w.datasets[i]);
            if (!(stored == m.parameters[i].shape))
                fail(f.name(), "'" + w.datasets[i] + "' has shape " + stored.str() + " but the model's '" +
                                   m.parameters[i].name + "' is " + m.parameters[i].shape.str());
        }
    }
}

// The weights, once checked, into a new flat vector; the model takes them
// only when all were read and are finite.
void read_weights(const Hdf5File& f, const std::vector<LayerWeights>& file, Sequential<float>& model)
{
    const std::vector<ModelLayerWeights> layers = weighted_layers(model);
    check_weights_fit(f, file, layers);
    arma::Col<float> params(model.parameter_count(), arma::fill::zeros);
    for (std::size_t k = 0; k < file.size(); ++k)
        for (std::size_t i = 0; i < file[k].datasets.size(); ++i) {
            const ParameterShape& p = layers[k].parameters[i];
            const Tensor<float> t = f.floats(file[k].datasets[i], p.shape);
            std::copy(t.data(), t.data() + t.size(), params.memptr() + p.offset);
        }
    if (!params.is_finite()) fail(f.name(), "the weights contain NaN or infinite values");
    model.set_parameters(params);
}

// A .keras zip's members, read whole (bounded by `limit`).
std::vector<std::byte> zip_member(const ZipArchive& zip, const std::string& member, std::size_t limit)
{
    for (std::size_t i = 0; i < zip.member_count(); ++i) {
        if (zip.member_name(i) != member) continue;
        const auto src = zip.member(i);
        std::vector<std::byte> bytes;
        if (read_up_to(*src, bytes, limit + 1) > limit)
            fail(zip.name(), "'" + member + "' is larger than " + std::to_string(limit) + " bytes");
        return bytes;
    }
    fail(zip.name(), "it has no '" + member + "': a .keras file holds config.json and model.weights.h5");
}

std::string keras_version_of_zip(const ZipArchive& zip)
{
    for (std::size_t i = 0; i < zip.member_count(); ++i)
        if (zip.member_name(i) == "metadata.json") {
            const std::vector<std::byte> bytes = zip_member(zip, "metadata.json", 1 << 16);
            const auto meta = nlohmann::json::parse(reinterpret_cast<const char*>(bytes.data()),
                                                    reinterpret_cast<const char*>(bytes.data()) + bytes.size(),
                                                    nullptr, false);
            if (meta.is_object() && meta.value("keras_version", nlohmann::json()).is_string())
                return meta["keras_version"].get<std::string>();
        }
    return {};
}

Architecture zip_architecture(const ZipArchive& zip, const std::string& path)
{
    const std::vector<std::byte> config = zip_member(zip, "config.json", keras_max_config_bytes);
    return architecture_from_json(std::string_view(reinterpret_cast<const char*>(config.data()), config.size()),
                                  path + ": config.json", model_max_layers);
}

ModelFile load_keras_zip(const ZipArchive& zip, const std::string& path)
{
    const Architecture architecture = zip_architecture(zip, path);
    ModelFile out;
    out.model = plan_model(architecture, path);
    const std::vector<std::byte> weights = zip_member(zip, "model.weights.h5", keras_max_weights_bytes);
    const Hdf5File f = Hdf5File::open_image(weights, path + ": model.weights.h5");
    const std::vector<LayerWeights> located = keras3_weights(f, architecture);
    check_weights_fit(f, located, weighted_layers(*out.model));
    out.model->allocate();
    read_weights(f, located, *out.model);
    const std::string version = keras_version_of_zip(zip);
    out.origin = "Keras" + (version.empty() ? std::string() : " " + version) + " (.keras)";
    return out;
}

bool holds_weights_only(const Hdf5File& f)
{
    return !f.has_attribute("/", "model_config") &&
           (f.has_attribute("/", "layer_names") || f.has_attribute("/", "layer_names0") || !layers_group(f).empty());
}

Architecture h5_architecture(const Hdf5File& f, const std::string& path)
{
    if (holds_weights_only(f))
        fail(path, "it holds weights only (model.save_weights), not a model: give the architecture they belong "
                   "to with --arch model.json (the text of model.to_json()); in the window, File > Open Model puts "
                   "them into the network in force");
    if (!f.has_attribute("/", "model_config"))
        fail(path, "an HDF5 file, but not a Keras model: it has no 'model_config' attribute (" + supported_files + ")");
    return architecture_from_json(f.text("/", "model_config"), path + ": model_config", model_max_layers);
}

ModelFile load_keras_h5(const Hdf5File& f, const std::string& path)
{
    const Architecture architecture = h5_architecture(f, path);
    if (!f.has_group("/model_weights"))
        fail(path, "the model was saved without its weights (it has no 'model_weights' group)");
    ModelFile out;
    out.model = plan_model(architecture, path);
    const std::vector<LayerWeights> located = listed_weights(f, "/model_weights");
    check_weights_fit(f, located, weighted_layers(*out.model));
    out.model->allocate();
    read_weights(f, located, *out.model);
    const std::string version = f.has_attribute("/", "keras_version") ? f.text("/", "keras_version") : "";
    out.origin = "Keras" + (version.empty() ? std::string() : " " + version) + " (.h5)";
    return out;
}

bool ends_with(const std::string& s, const std::string& tail)
{
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

} // namespace

std::string keras_snake_case(const std::string& class_name)
{
    // Keras' three re.sub calls, each scanning left to right without overlaps:
    // drop \W+; "(.)([A-Z][a-z]+)" -> "\1_\2"; "([a-z])([A-Z])" -> "\1_\2"; then lower().
    const auto upper = [](char c) { return c >= 'A' && c <= 'Z'; };
    const auto lower = [](char c) { return c >= 'a' && c <= 'z'; };
    std::string word;
    for (const char c : class_name)
        if (upper(c) || lower(c) || (c >= '0' && c <= '9') || c == '_') word += c;
    std::string split;
    for (std::size_t i = 0; i < word.size();) {
        std::size_t j = i + 2;
        while (j < word.size() && lower(word[j])) ++j;
        if (i + 2 < word.size() && upper(word[i + 1]) && j > i + 2) { // (.)([A-Z][a-z]+)
            split += word[i];
            split += '_';
            split.append(word, i + 1, j - i - 1);
            i = j;
        } else {
            split += word[i++];
        }
    }
    std::string out;
    for (std::size_t i = 0; i < split.size();) {
        if (i + 1 < split.size() && lower(split[i]) && upper(split[i + 1])) { // ([a-z])([A-Z])
            out += split[i];
            out += '_';
            out += split[i + 1];
            i += 2;
        } else {
            out += split[i++];
        }
    }
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return out;
}

bool is_keras_file(const std::string& path)
{
    std::string lower = fs::path(path).extension().string();
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    if (lower == ".h5" || lower == ".hdf5" || lower == ".keras") return true;
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) return false;
    std::ifstream in(path, std::ios::binary);
    char head[8] = {};
    in.read(head, 8);
    return has_hdf5_signature(std::as_bytes(std::span(head, std::size_t(in.gcount()))));
}

void refuse_tensorflow_formats(const std::string& path)
{
    const fs::path p(path);
    const std::string file = p.filename().string();
    std::error_code ec;
    const std::string save_instead = "; save the model from Python with model.save('model.h5') (or "
                                     "model.save('model.keras') in Keras 3) and open that";
    if (fs::is_directory(p, ec)) {
        if (fs::exists(p / "saved_model.pb", ec) || fs::exists(p / "saved_model.pbtxt", ec))
            fail(path, "a TensorFlow SavedModel folder, which only TensorFlow can run" + save_instead);
        if (fs::exists(p / "checkpoint", ec))
            fail(path, "a folder of TensorFlow checkpoints (variables without an architecture)" + save_instead);
        return;
    }
    if (file == "checkpoint" || ends_with(file, ".index") || ends_with(file, ".ckpt") ||
        (file.find(".data-") != std::string::npos && file.find("-of-") != std::string::npos) ||
        file.find(".ckpt.") != std::string::npos || file.find(".ckpt-") != std::string::npos)
        fail(path, "a TensorFlow checkpoint (variables without an architecture, in TensorFlow's own format)" +
                       save_instead);
    if (ends_with(file, ".pb") || ends_with(file, ".pbtxt"))
        fail(path, "a TensorFlow graph (protocol buffer), which only TensorFlow can run" + save_instead);
}

ModelFile load_keras_model(const std::string& path)
{
    return out_of_memory_as_format_error(path, [&] {
        refuse_tensorflow_formats(path);
        const std::vector<std::byte> head = first_bytes(path, 8);
        if (has_zip_signature(head)) return load_keras_zip(ZipArchive::open_file(path), path);
        if (has_hdf5_signature(head)) return load_keras_h5(Hdf5File::open(path), path);
        fail(path, "neither an HDF5 file nor a zip: not a Keras model (" + supported_files + ")");
    });
}

ModelFile load_keras_model_bytes(std::span<const std::byte> bytes, const std::string& name)
{
    return out_of_memory_as_format_error(name, [&] {
        if (has_zip_signature(bytes)) return load_keras_zip(ZipArchive::open_memory(bytes, name), name);
        if (has_hdf5_signature(bytes)) return load_keras_h5(Hdf5File::open_image(bytes, name), name);
        fail(name, "neither an HDF5 file nor a zip: not a Keras model (" + supported_files + ")");
    });
}

Architecture load_keras_architecture(const std::string& path)
{
    return out_of_memory_as_format_error(path, [&] {
        refuse_tensorflow_formats(path);
        const std::vector<std::byte> head = first_bytes(path, 8);
        if (has_zip_signature(head)) return zip_architecture(ZipArchive::open_file(path), path);
        if (has_hdf5_signature(head)) return h5_architecture(Hdf5File::open(path), path);
        fail(path, "neither an HDF5 file nor a zip: not a Keras model (" + supported_files + ")");
    });
}

bool is_keras_weights_only(const std::string& path)
{
    const std::vector<std::byte> head = first_bytes(path, 8);
    return has_hdf5_signature(head) && holds_weights_only(Hdf5File::open(path));
}

void load_keras_weights(const std::string& path, Sequential<float>& model)
{
    out_of_memory_as_format_error(path, [&] {
        refuse_tensorflow_formats(path);
        const std::vector<std::byte> head = first_bytes(path, 8);
        const Architecture architecture = architecture_of(model);
        if (has_zip_signature(head)) {
            const ZipArchive zip = ZipArchive::open_file(path);
            const std::vector<std::byte> weights = zip_member(zip, "model.weights.h5", keras_max_weights_bytes);
            const Hdf5File f = Hdf5File::open_image(weights, path + ": model.weights.h5");
            read_weights(f, keras3_weights(f, architecture), model);
            return 0;
        }
        const Hdf5File f = Hdf5File::open(path);
        if (f.has_group("/model_weights")) read_weights(f, listed_weights(f, "/model_weights"), model);
        else if (f.has_attribute("/", "layer_names") || f.has_attribute("/", "layer_names0"))
            read_weights(f, listed_weights(f, "/"), model);
        else if (!layers_group(f).empty()) read_weights(f, keras3_weights(f, architecture), model);
        else fail(path, "an HDF5 file without Keras weights (no 'model_weights', 'layer_names' or 'layers')");
        return 0;
    });
}

} // namespace cs
