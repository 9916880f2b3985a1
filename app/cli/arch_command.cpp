// convscope-cli arch A: what Keras' model.summary() prints for an
// architecture (a preset, a Keras JSON file, a model file), or its JSON.
#include "command_line.hpp"
#include "commands.hpp"

#include "architecture_file.hpp"
#include "architecture_json.hpp"
#include "dataset.hpp"
#include "shipped_model.hpp"

#include <cstdio>
#include <memory>

namespace cli {

namespace {

struct ArchOptions {
    std::string arch, data;
    bool json = false;
};

void run_arch(const ArchOptions& o)
{
    // A preset is made for the data; without --data, for 28x28x1 digits in
    // 10 classes (what the built-in digits are), without loading any.
    cs::Shape input{28, 28, 1};
    std::size_t classes = 10;
    if (!o.data.empty()) {
        const cs::Dataset data = cs::load_dataset(o.data);
        input = {data.train_images.dim(1), data.train_images.dim(2), data.train_images.dim(3)};
        classes = data.classes();
    }
    const cs::Architecture architecture = o.arch == "shipped"
                                              ? cs::architecture_of(*cs::open_model(o.arch).model)
                                              : cs::load_architecture(o.arch, input, classes);
    if (o.json)
        std::printf("%s\n", cs::architecture_to_json(architecture, 2).c_str());
    else
        std::fputs(cs::keras_summary(architecture).c_str(), stdout);
}

} // namespace

void add_arch_command(CLI::App& app)
{
    auto o = std::make_shared<ArchOptions>();
    CLI::App* arch = app.add_subcommand(
        "arch", "Print an architecture as Keras' model.summary() does: each layer's name (type), output shape and "
                "parameter count, then the total. A is a preset, a Keras model.to_json() file (.json), a model file "
                "(.npz) or 'shipped'.");
    arch->add_option("A", o->arch, "the architecture")->type_name("")->required();
    arch->add_option("--data", o->data,
                     "make a preset for this data's sample shape and classes (without it: 28x28x1, 10 classes)")
        ->type_name("D");
    arch->add_flag("--json", o->json, "print the architecture as Keras JSON (what --arch FILE.json reads) instead");
    arch->callback([o] { run_arch(*o); });
}

} // namespace cli
