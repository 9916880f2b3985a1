// The commands of convscope-cli. Each adds itself to the program's CLI::App
// with its options; its callback does the work once the whole command line
// has been read and checked. The work throws (cs::FormatError,
// cs::ShapeError, ...) with a one-line message on failure; main() prints it.
#pragma once

#include <string>

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

// What several commands take, declared once so that their help reads the same.
CLI::Option* add_model_argument(CLI::App& command, std::string& model); // MODEL: a file or 'shipped'
CLI::Option* add_data_option(CLI::App& command, std::string& data);     // --data D
CLI::Option* add_arch_option(CLI::App& command, std::string& arch);     // --arch A: a preset, JSON or model

} // namespace cli
