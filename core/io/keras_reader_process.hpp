// Keras files read in a child process.
//
// libhdf5 (1.10, Debian 12) trusts the files it reads: a damaged .h5 can
// crash it. libFuzzer finds such a file in about a hundred tries
// (tests/fuzz/fuzz_keras: a SEGV in H5HG_read, following a corrupt global
// heap address while converting a variable-length string). ConvScope must
// never crash on a file, so the window and the CLI do not let libhdf5 read
// in their own process: `convscope-keras-reader` (app/keras_reader.cpp)
// reads the Keras file with keras_file.hpp and writes it back as a
// ConvScope model file, which is then read with model_file.hpp's checks.
// A crash or a hang of the child becomes a FormatError that names the file.
//
//   convscope-keras-reader IN OUT.npz [ARCH.json]
//     exit 0  OUT.npz written; stdout: the model's origin ("Keras 2.3.1 (.h5)")
//     exit 1  stderr: what is wrong with IN (one line)
//     exit 3  IN holds weights only and no ARCH.json was given
#pragma once

#include "errors.hpp"
#include "model_file.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace cs {

// A Keras file of weights only (model.save_weights), opened as a model: it
// needs the architecture its weights belong to.
class KerasWeightsOnly : public FormatError {
public:
    using FormatError::FormatError;
};

// The exit code of the reader for a file of weights only.
inline constexpr int keras_reader_weights_only = 3;
// How long the child may take before it is taken for hung and stopped: 10 s,
// and 1 s more for every MB of the file, at most 300 s. A model reads at tens
// of MB a second; libhdf5 loops for ever on some damaged files (a 34 kB one,
// found by tests/fuzz/fuzz_keras_child: a global heap read in H5HG_read that
// never returns), which must not cost a person five minutes.
int keras_reader_timeout_seconds(std::uintmax_t file_bytes);

// The reader's path: $CONVSCOPE_KERAS_READER, else beside the running
// program, else where `cmake --install` and the .deb put it. FormatError
// naming where it looked when it is in none of them.
std::string keras_reader_path();

// The Keras model at `path` (keras_file.hpp), its weights put into
// `architecture` when one is given, read by the reader in a child process.
// KerasWeightsOnly for a file of weights only and no architecture.
ModelFile read_keras_in_child(const std::string& path, const std::optional<Architecture>& architecture = {});

} // namespace cs
