// convscope-cli eval MODEL --data D: test-set loss, accuracy, confusion matrix.
#include "command_line.hpp"
#include "commands.hpp"

#include "dataset.hpp"
#include "shipped_model.hpp"
#include "trainer.hpp"

#include <cstdio>
#include <memory>

namespace cli {

namespace {

struct EvalOptions {
    std::string model;
    ModelOptions opening;
    std::string data = "digits";
    long batch = 500;
};

// The model must take the dataset's images: say so plainly if it does not.
void check_model_fits(const cs::Sequential<float>& model, const cs::Dataset& data, const std::string& model_path)
{
    const cs::Shape& in = model.input_shape();
    const cs::Tensor<float>& x = data.test_images;
    if (x.dim(1) != in[0] || x.dim(2) != in[1] || x.dim(3) != in[2])
        throw cs::ShapeError(model_path + " takes " + std::to_string(in[0]) + "x" + std::to_string(in[1]) + "x" +
                             std::to_string(in[2]) + " images, but " + data.name + " has " +
                             std::to_string(x.dim(1)) + "x" + std::to_string(x.dim(2)) + "x" +
                             std::to_string(x.dim(3)));
    if (data.classes() > model.classes())
        throw cs::ShapeError(model_path + " knows " + std::to_string(model.classes()) + " classes, but " +
                             data.name + " has " + std::to_string(data.classes()));
}

void run_evaluation(const EvalOptions& o)
{
    const cs::Dataset data = cs::load_dataset(o.data);
    const cs::ModelFile f = open_model_for(o.model, o.opening, &data);
    check_model_fits(*f.model, data, o.model);
    const cs::Evaluation e = cs::evaluate(*f.model, data.test_images, data.test_labels, std::size_t(o.batch));
    std::printf("loss: %.4f\naccuracy: %.4f\n", e.loss, e.accuracy);
    std::printf("confusion matrix (%zu test images; rows: true, columns: predicted)\n", data.test_labels.size());
    std::printf("      ");
    for (std::size_t p = 0; p < e.classes; ++p) std::printf("%6zu", p);
    std::printf("\n");
    for (std::size_t t = 0; t < e.classes; ++t) {
        std::printf("%6zu", t);
        for (std::size_t p = 0; p < e.classes; ++p) std::printf("%6zu", e.confusion[t * e.classes + p]);
        std::printf("\n");
    }
}

} // namespace

void add_eval_command(CLI::App& app)
{
    auto o = std::make_shared<EvalOptions>();
    CLI::App* eval = app.add_subcommand(
        "eval", "Print 'loss: L' and 'accuracy: A' (a fraction) on a data set's test set, then the confusion matrix "
                "(rows: the true class, columns: the predicted one).");
    add_model_argument(*eval, o->model)->required();
    add_data_option(*eval, o->data);
    add_model_options(*eval, o->opening);
    eval->add_option("--batch", o->batch, "images per forward pass (memory and speed, not the result)")
        ->type_name("N")
        ->transform(cmdline::whole_number(1, long(cs::trainer_max_batch_size)))
        ->capture_default_str();
    eval->callback([o] { run_evaluation(*o); });
}

} // namespace cli
