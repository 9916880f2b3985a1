// convscope-cli export-weights MODEL OUT.npz
#include "commands.hpp"

#include "shipped_model.hpp"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <memory>

namespace cli {

namespace {

struct ExportOptions {
    std::string model, out;
};

void run_export(const ExportOptions& o)
{
    const cs::ModelFile f = cs::open_model(o.model);
    cs::export_weights_npz(o.out, *f.model);
    std::printf("wrote %s\n", o.out.c_str());
}

} // namespace

void add_export_weights_command(CLI::App& app)
{
    auto o = std::make_shared<ExportOptions>();
    CLI::App* exporter = app.add_subcommand(
        "export-weights", "Write a model's weights with Keras' names and shapes: conv2d/kernel (5,5,1,6), "
                          "conv2d/bias, conv2d_1/..., dense/kernel (400,120), dense_1/..., dense_2/...; numpy.load "
                          "reads the file, and `train --init OUT.npz` starts from it.");
    add_model_argument(*exporter, o->model)->required();
    exporter->add_option("OUT.npz", o->out, "the file to write")->type_name("")->required();
    exporter->callback([o] { run_export(*o); });
}

} // namespace cli
