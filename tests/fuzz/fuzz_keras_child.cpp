// Keras files as ConvScope opens them: read by convscope-keras-reader in a
// child process (keras_reader_process.hpp), whose model file is then read
// back with model_file.hpp's checks. libhdf5 may crash or hang in the child
// (fuzz_keras, which reads in process, finds such files within a few hundred
// runs); here that must come back as a FormatError, never as a crash of this
// process or a model outside the limits. The input is a file as it is (an
// .h5), or members zipped as a .keras archive, as in fuzz_keras.
//
// A process starts for every input (tens of runs a second), and the
// coverage that guides the mutations is this process's alone: the reader's
// own is not seen. So it runs for a time, by name only:
// scripts/fuzz.sh 1800 keras_child.
#include "fuzz_support.hpp"
#include "loaded_model_check.hpp"

#include "errors.hpp"
#include "hdf5_file.hpp"
#include "keras_reader_process.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <unistd.h>

namespace {

// The input's file, named as Keras names them (the reader looks at the
// name as well as the bytes); removed at exit.
std::string input_path(bool hdf5)
{
    static const std::string stem =
        (std::filesystem::temp_directory_path() / ("fuzz_keras_child_" + std::to_string(::getpid()))).string();
    static const bool registered = std::atexit([] {
        std::error_code ec;
        for (const char* ext : {".h5", ".keras"}) std::filesystem::remove(stem + ext, ec);
    }) == 0;
    (void)registered;
    return stem + (hdf5 ? ".h5" : ".keras");
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***)
{
    // The reader built beside this target (tests/fuzz/CMakeLists.txt).
    ::setenv("CONVSCOPE_KERAS_READER", CONVSCOPE_FUZZ_KERAS_READER, 1);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::span<const std::byte> raw = std::as_bytes(std::span(data, size));
    const bool hdf5 = cs::has_hdf5_signature(raw);
    std::vector<std::byte> zip;
    if (!hdf5) {
        zip = fuzz::zip_members(fuzz::split_members({data, size}));
        if (zip.empty()) return -1; // members libzip cannot hold
    }
    const std::span<const std::byte> bytes = hdf5 ? raw : std::span<const std::byte>(zip);
    const std::string path = input_path(hdf5);
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) std::abort();
    if (!bytes.empty() && std::fwrite(bytes.data(), 1, bytes.size(), f) != bytes.size()) std::abort();
    std::fclose(f);
    cs::ModelFile model;
    try {
        model = cs::read_keras_in_child(path);
    } catch (const cs::FormatError&) {
        return 0; // a damaged file, a crash or a hang of the reader: all said in a message
    }
    fuzz::check_loaded_model(*model.model);
    return 0;
}
