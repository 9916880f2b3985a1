// convscope-cli predict [MODEL] --image FILE.png: a drawn digit, read as
// MNIST reads its digits (cs::mnist_from_drawing, the same function as the
// drawing pad), then classified.
#include "command_line.hpp"
#include "commands.hpp"
#include "png_image.hpp"

#include "shipped_model.hpp"
#include "preprocess.hpp"
#include "trainer.hpp"

#include <algorithm>
#include <cstdio>
#include <memory>

namespace cli {

namespace {

struct PredictOptions {
    std::string model{cs::shipped_model_name};
    std::string image;
    bool show = false;
};

void run_prediction(const PredictOptions& o)
{
    const GrayImage png = read_png_gray(o.image);
    const cs::ModelFile f = cs::open_model(o.model);
    const cs::Shape& in = f.model->input_shape();
    if (in[0] != 28 || in[1] != 28 || in[2] != 1)
        throw cs::ShapeError(o.model + " takes " + in.str() + " images, not 28x28 grey digits");
    const cs::DigitImage digit = cs::mnist_from_drawing(png.pixels.data(), png.height, png.width);
    if (digit.empty) throw cs::FormatError(o.image + ": no ink found in the image");
    const cs::Tensor<float> probs = cs::predict(*f.model, digit.image);
    const float* p = probs.data();
    const std::size_t k = f.model->classes();
    std::printf("predicted: %zu\n", std::size_t(std::max_element(p, p + k) - p));
    for (std::size_t c = 0; c < k; ++c) std::printf("%zu: %.6f\n", c, double(p[c]));
    if (o.show) {
        static const char shades[] = " .:-=+*#%@";
        for (std::size_t r = 0; r < 28; ++r) {
            for (std::size_t c = 0; c < 28; ++c)
                std::putchar(shades[std::min<std::size_t>(9, std::size_t(digit.image.data()[r * 28 + c] * 9.99f))]);
            std::putchar('\n');
        }
    }
}

} // namespace

void add_predict_command(CLI::App& app)
{
    auto o = std::make_shared<PredictOptions>();
    CLI::App* predict = app.add_subcommand(
        "predict", "Classify a drawn digit, read as MNIST made its digits: the ink scaled into 20x20 and centred by "
                   "its centre of mass in 28x28. Prints 'predicted: D', then the probability of each class.");
    add_model_argument(*predict, o->model)->capture_default_str();
    predict->add_option("--image", o->image, "the drawing: any size, black on white or white on black")
        ->type_name("FILE.png")
        ->required();
    predict->add_flag("--show", o->show, "also draw the 28x28 image the network sees, in characters");
    predict->callback([o] { run_prediction(*o); });
}

} // namespace cli
