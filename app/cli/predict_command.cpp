// convscope-cli predict [MODEL] --image FILE.png: a drawn digit, read as
// MNIST reads its digits (cs::mnist_from_drawing, the same function as the
// drawing pad), then classified.
#include "args.hpp"
#include "commands.hpp"
#include "png_image.hpp"

#include "shipped_model.hpp"
#include "preprocess.hpp"
#include "trainer.hpp"

#include <algorithm>
#include <cstdio>

namespace cli {

int predict_command(int argc, char** argv)
{
    const Args args(argc, argv, 2, {"image"}, {"show"});
    if (args.help())
        return std::fputs("usage: convscope-cli predict [MODEL] --image FILE.png\n"
                          "  any size, black on white or white on black; the ink is scaled into 20x20 and centred\n"
                          "  by its centre of mass in 28x28, as MNIST's digits. Without MODEL, the model shipped\n"
                          "  with ConvScope. Prints 'predicted: D', then the probability of each class.\n"
                          "  --show   also draw the 28x28 image the network sees, in characters\n",
                          stdout),
               0;
    if (args.positional().size() > 1) throw UsageError("give at most one MODEL");
    const std::string model_path = args.positional().empty() ? std::string(cs::shipped_model_name) : args.positional()[0];
    const GrayImage png = read_png_gray(args.require("image"));
    const cs::ModelFile f = cs::open_model(model_path);
    const cs::Shape& in = f.model->input_shape();
    if (in[0] != 28 || in[1] != 28 || in[2] != 1)
        throw cs::ShapeError(model_path + " takes " + in.str() + " images, not 28x28 grey digits");
    const cs::DigitImage digit = cs::mnist_from_drawing(png.pixels.data(), png.height, png.width);
    if (digit.empty) throw cs::FormatError(args.require("image") + ": no ink found in the image");
    const cs::Tensor<float> probs = cs::predict(*f.model, digit.image);
    const float* p = probs.data();
    const std::size_t k = f.model->classes();
    std::printf("predicted: %zu\n", std::size_t(std::max_element(p, p + k) - p));
    for (std::size_t c = 0; c < k; ++c) std::printf("%zu: %.6f\n", c, double(p[c]));
    if (args.flag("show")) {
        static const char shades[] = " .:-=+*#%@";
        for (std::size_t r = 0; r < 28; ++r) {
            for (std::size_t c = 0; c < 28; ++c)
                std::putchar(shades[std::min<std::size_t>(9, std::size_t(digit.image.data()[r * 28 + c] * 9.99f))]);
            std::putchar('\n');
        }
    }
    return 0;
}

} // namespace cli
