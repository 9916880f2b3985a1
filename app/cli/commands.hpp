// The commands of convscope-cli. Each adds itself to the program's CLI::App
// with its options; its callback does the work once the whole command line
// has been read and checked. The work throws (cs::FormatError,
// cs::ShapeError, ...) with a one-line message on failure; main() prints it.
#pragma once

#include "model_file.hpp"

#include <string>

namespace cs {
struct Dataset;
}

namespace CLI {
class App;
class Option;
} // namespace CLI

namespace cli {

void add_train_command(CLI::App& app);
void add_eval_command(CLI::App& app);
void add_predict_command(CLI::App& app);
void add_export_weights_command(CLI::App& app);
void add_ops_command(CLI::App& app);
void add_arch_command(CLI::App& app);
void add_explain_command(CLI::App& app);
void add_timeline_command(CLI::App& app);

// What several commands take, declared once so that their help reads the same.
CLI::Option* add_model_argument(CLI::App& command, std::string& model); // MODEL: a file or 'shipped'
CLI::Option* add_data_option(CLI::App& command, std::string& data);     // --data D
CLI::Option* add_arch_option(CLI::App& command, std::string& arch);     // --arch A: a preset, JSON or model

// How a model is opened: with the architecture of a weights-only file, and
// the pixels a Keras model reads.
struct ModelOptions {
    std::string arch;            // --arch A
    std::string pixels = "auto"; // --pixels P
};
void add_model_options(CLI::App& command, ModelOptions& options);
// Opens MODEL (with options.arch when given) and puts the pixel reading in
// front of it for `data`'s images (or the built-in digits' for a model that
// takes 28x28 digits, when `data` is null), printing what was chosen; only
// opens it when not `fit_pixels`.
cs::ModelFile open_model_for(const std::string& model, const ModelOptions& options, const cs::Dataset* data,
                             bool fit_pixels = true);

} // namespace cli
