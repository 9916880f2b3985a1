// The arguments that several commands of convscope-cli take.
#include "command_line.hpp"
#include "commands.hpp"

namespace cli {

CLI::Option* add_model_argument(CLI::App& command, std::string& model)
{
    return command.add_option("MODEL", model, "a model file (.npz) or 'shipped'")->type_name("");
}

CLI::Option* add_data_option(CLI::App& command, std::string& data)
{
    return command.add_option("--data", data, cmdline::dataset_help)->type_name("D")->capture_default_str();
}

} // namespace cli
