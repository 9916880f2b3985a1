// convscope-cli eval MODEL --data D: test-set loss, accuracy, confusion matrix.
#include "args.hpp"
#include "commands.hpp"

#include "dataset.hpp"
#include "shipped_model.hpp"
#include "trainer.hpp"

#include <cstdio>

namespace cli {

namespace {

const char* help = "usage: convscope-cli eval MODEL [--data D]\n"
                   "  prints 'loss: L' and 'accuracy: A' (a fraction) on D's test set, then the confusion\n"
                   "  matrix (rows: true class, columns: predicted). D: digits (default), mnist, fashion,\n"
                   "  an IDX folder or an .npz file.\n";

} // namespace

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

int eval_command(int argc, char** argv)
{
    const Args args(argc, argv, 2, {"data", "batch"}, {});
    if (args.help()) return std::fputs(help, stdout), 0;
    if (args.positional().size() != 1) throw UsageError("give exactly one MODEL file");
    const std::string path = args.positional()[0];
    const cs::ModelFile f = cs::open_model(path);
    const cs::Dataset data = cs::load_dataset(args.get_or("data", "digits"));
    check_model_fits(*f.model, data, path);
    const long batch = args.integer("batch", 500, 1, long(cs::trainer_max_batch_size));
    const cs::Evaluation e = cs::evaluate(*f.model, data.test_images, data.test_labels, std::size_t(batch));
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
    return 0;
}

} // namespace cli
