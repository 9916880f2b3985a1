// The arguments that several commands of convscope-cli take.
#include "command_line.hpp"
#include "commands.hpp"

#include "presets.hpp"

namespace cli {

CLI::Option* add_model_argument(CLI::App& command, std::string& model)
{
    return command.add_option("MODEL", model, "a model file (.npz) or 'shipped'")->type_name("");
}

CLI::Option* add_data_option(CLI::App& command, std::string& data)
{
    return command.add_option("--data", data, cmdline::dataset_help)->type_name("D")->capture_default_str();
}

CLI::Option* add_arch_option(CLI::App& command, std::string& arch)
{
    std::string presets;
    for (const cs::Preset& p : cs::presets()) presets += (presets.empty() ? "" : ", ") + p.name;
    return command
        .add_option("--arch", arch,
                    "the network: a preset (" + presets +
                        "), a Keras model.to_json() file (.json) or a model file (.npz)")
        ->type_name("A")
        ->capture_default_str();
}

} // namespace cli
