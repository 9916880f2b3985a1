// The arguments that several commands of convscope-cli take.
#include "command_line.hpp"
#include "commands.hpp"

#include "architecture_file.hpp"
#include "dataset.hpp"
#include "keras_file.hpp"
#include "model_for_data.hpp"
#include "presets.hpp"
#include "shipped_model.hpp"

#include <cstdio>

namespace cli {

CLI::Option* add_model_argument(CLI::App& command, std::string& model)
{
    return command
        .add_option("MODEL", model,
                    "a model: ConvScope's (.npz), a Keras model (.h5 from model.save, .keras), or 'shipped'; with "
                    "--arch, a file of weights only (Keras model.save_weights .h5, or .npz)")
        ->type_name("");
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

void add_model_options(CLI::App& command, ModelOptions& options)
{
    command
        .add_option("--arch", options.arch,
                    "the architecture MODEL's weights belong to, for a file of weights only: a Keras "
                    "model.to_json() file (.json), a preset or a model file")
        ->type_name("A");
    command
        .add_option("--pixels", options.pixels,
                    "the pixels a model from Keras was trained on: 0-1, 0-255, or auto (tried both ways, and "
                    "padded to the model's input, on 500 labelled test images: those of --data, or the "
                    "built-in digits)")
        ->type_name("P")
        ->check(CLI::IsMember({"auto", "0-1", "0-255"}))
        ->capture_default_str();
}

cs::ModelFile open_model_for(const std::string& model, const ModelOptions& options, const cs::Dataset* data,
                             bool fit_pixels)
{
    cs::ModelFile file;
    if (options.arch.empty()) {
        file = cs::open_model(model);
    } else {
        const cs::Shape input = data ? cs::Shape{data->test_images.dim(1), data->test_images.dim(2),
                                                 data->test_images.dim(3)}
                                     : cs::Shape{28, 28, 1};
        file = cs::open_model(model, cs::load_architecture(options.arch, input, data ? data->classes() : 10));
    }
    if (!fit_pixels) return file;
    const cs::PixelRange range = cs::parse_pixel_range(options.pixels);
    // Without a data set, a model that takes digits is tried on the built-in ones.
    std::optional<cs::Dataset> digits;
    if (!data && (range != cs::PixelRange::automatic || !file.origin.empty())) {
        const cs::Architecture bare = cs::without_pixel_reading(cs::architecture_of(*file.model));
        if (cs::padding_to({28, 28, 1}, bare.input) && file.model->classes() == 10) digits = cs::load_digits();
    }
    const cs::Dataset* labelled = data ? data : digits ? &*digits : nullptr;
    if (labelled) {
        if (const auto report = cs::fit_pixels_to_data(file, *labelled, range))
            std::printf("reading the images as %s\n", report->summary.c_str());
    }
    return file;
}

} // namespace cli
