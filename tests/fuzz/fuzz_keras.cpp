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
#include "loaded_model_check.hpp"

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
    fuzz::check_loaded_model(*f.model);
    return 0;
}
