// Keras model files (keras_file.hpp): an HDF5 image (model.save('m.h5'))
// read from memory as it is, or else the fuzzer's members zipped here as a
// .keras archive (config.json, model.weights.h5; see fuzz_support.hpp), so
// that mutations reach the JSON and the HDF5 inside. What loads must respect
// the limits, hold finite weights and run a forward pass.
//
// It reads in process, so it fuzzes libhdf5 as well, which crashes within a
// few hundred runs (tests/data/keras/damaged-crashes-libhdf5.h5: H5HG_read).
// That is why ConvScope itself reads Keras files in a child process
// (keras_reader_process.hpp), and why this target runs only when named:
// scripts/fuzz.sh 60 keras. A crash inside libhdf5 is its finding, not ours;
// one in ConvScope's frames is ours.
#include "fuzz_support.hpp"

#include "errors.hpp"
#include "hdf5_file.hpp"
#include "keras_file.hpp"

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::span<const std::byte> raw = std::as_bytes(std::span(data, size));
    std::vector<std::byte> zip;
    if (!cs::has_hdf5_signature(raw)) {
        zip = fuzz::zip_members(fuzz::split_members({data, size}));
        if (zip.empty()) return -1; // members libzip cannot hold
    }
    cs::ModelFile f;
    try {
        f = cs::load_keras_model_bytes(zip.empty() ? raw : std::span<const std::byte>(zip), "fuzz.keras");
    } catch (const cs::FormatError&) {
        return 0;
    }
    const cs::Sequential<float>& model = *f.model;
    if (model.parameter_count() > cs::model_max_parameters ||
        model.activations_per_sample() > cs::model_max_activations || model.layer_count() > cs::model_max_layers)
        std::abort();
    if (model.parameters().n_elem != model.parameter_count() || !model.parameters().is_finite()) std::abort();
    if (model.activations_per_sample() <= (1u << 16)) {
        const cs::Shape& in = model.input_shape();
        const cs::Tensor<float> batch(cs::Shape{2, in[0], in[1], in[2]});
        cs::Workspace<float> workspace;
        if (!(model.forward(batch, workspace).shape() == cs::Shape{2, model.classes()})) std::abort();
    }
    return 0;
}
