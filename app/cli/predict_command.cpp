// convscope-cli predict [MODEL] --image FILE.png: a drawn digit, read as
// MNIST reads its digits (cs::mnist_from_drawing, the same function as the
// drawing pad), then classified.
// convscope-cli predict [MODEL] --input X.npy --out P.npy: the class
// probabilities (n, classes) of every image in X.
#include "command_line.hpp"
#include "commands.hpp"
#include "png_image.hpp"

#include "dataset.hpp"
#include "model_for_data.hpp"
#include "npy.hpp"
#include "preprocess.hpp"
#include "shipped_model.hpp"
#include "trainer.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <memory>

namespace cli {

namespace {

struct PredictOptions {
    std::string model{cs::shipped_model_name};
    ModelOptions opening;
    std::string data; // labelled images to find out the pixels on
    std::string image;
    std::string input, out;
    bool show = false;
};

// X as images (n, h, w, c): floats as they are, bytes divided by 255.
cs::Tensor<float> images_of(const cs::NpyArray& x)
{
    const bool bytes = x.dtype == "u1";
    if (!bytes && x.dtype != "f4" && x.dtype != "f8")
        throw cs::FormatError(x.name + ": images must be float32, float64 or uint8, not " + x.dtype);
    if (x.shape.rank() != 3 && x.shape.rank() != 4)
        throw cs::FormatError(x.name + ": images must have shape (n, h, w) or (n, h, w, c), not " + x.shape.str());
    cs::Tensor<float> t = cs::to_float_tensor(x);
    t.reshape({x.shape[0], x.shape[1], x.shape[2], x.shape.rank() == 4 ? x.shape[3] : 1});
    if (bytes) t.flat() /= 255.0f;
    for (const float v : t.flat())
        if (!std::isfinite(v)) throw cs::FormatError(x.name + ": the images hold NaN or infinite values");
    return t;
}

void run_prediction_on_array(const PredictOptions& o)
{
    const cs::NpyArray x = cs::read_npy(o.input);
    cs::Dataset images;
    images.name = o.input;
    images.test_images = images_of(x);
    const bool floats = x.dtype != "u1";
    cs::ModelFile f;
    if (floats) {
        // Floats are what the model reads; only a padding is added when its
        // input is larger (the model's own Rescaling applies).
        f = open_model_for(o.model, o.opening, nullptr, /*fit pixels*/ false);
        cs::fit_pixels_to_data(f, images, o.opening.pixels == "0-255" ? cs::PixelRange::byte : cs::PixelRange::unit);
    } else {
        const std::optional<cs::Dataset> labelled =
            o.data.empty() ? std::nullopt : std::optional<cs::Dataset>(cs::load_dataset(o.data));
        f = open_model_for(o.model, o.opening, labelled ? &*labelled : nullptr);
        cs::fit_pixels_to_data(f, images, cs::pixel_reading_of(cs::architecture_of(*f.model)).scale == 255
                                              ? cs::PixelRange::byte
                                              : cs::PixelRange::unit);
    }
    const cs::Shape& in = f.model->input_shape();
    const cs::Tensor<float>& t = images.test_images;
    if (t.dim(1) != in[0] || t.dim(2) != in[1] || t.dim(3) != in[2])
        throw cs::ShapeError(o.model + " takes " + in.str() + " images, but " + o.input + " holds " +
                             cs::Shape{t.dim(1), t.dim(2), t.dim(3)}.str());
    const cs::Tensor<float> probs = cs::predict(*f.model, t);
    cs::write_npy(o.out, probs);
    std::printf("wrote the probabilities (%zu, %zu) of %zu images to %s\n", probs.dim(0), probs.dim(1),
                probs.dim(0), o.out.c_str());
}

void run_prediction(const PredictOptions& o)
{
    if (!o.input.empty()) return run_prediction_on_array(o);
    const GrayImage png = read_png_gray(o.image);
    const std::optional<cs::Dataset> labelled =
        o.data.empty() ? std::nullopt : std::optional<cs::Dataset>(cs::load_dataset(o.data));
    const cs::ModelFile f = open_model_for(o.model, o.opening, labelled ? &*labelled : nullptr);
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
    CLI::Option* image =
        predict->add_option("--image", o->image, "the drawing: any size, black on white or white on black")
            ->type_name("FILE.png");
    CLI::Option* input = predict->add_option(
        "--input", o->input,
        "images (n, h, w) or (n, h, w, c): floats used as they are (the model's own Rescaling applies), uint8 "
        "divided by 255 and then read as --pixels says");
    input->type_name("X.npy")->excludes(image);
    predict->add_option("--out", o->out, "where --input's probabilities (n, classes) go, as float32")
        ->type_name("P.npy")
        ->needs(input);
    add_model_options(*predict, o->opening);
    predict->add_option("--data", o->data,
                        "labelled images on which --pixels auto tries a Keras model (default: the built-in digits)")
        ->type_name("D");
    predict->add_flag("--show", o->show, "also draw the 28x28 image the network sees, in characters");
    predict->callback([o] {
        if (o->image.empty() && o->input.empty()) throw CLI::RequiredError("--image or --input");
        if (!o->input.empty() && o->out.empty()) throw CLI::RequiredError("--out (with --input)");
        run_prediction(*o);
    });
}

} // namespace cli
