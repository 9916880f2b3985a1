#include "pixel_reading.hpp"

#include "errors.hpp"
#include "trainer.hpp"

#include <algorithm>
#include <cstdio>

namespace cs {
namespace {

bool is_scale_layer(const NamedLayer& l)
{
    return l.spec.kind == "rescaling" && l.name == pixel_scale_layer_name;
}

bool is_padding_layer(const NamedLayer& l)
{
    return l.spec.kind == "zero_padding2d" && l.name.rfind(pixel_padding_layer_prefix, 0) == 0;
}

std::string percent(double fraction)
{
    char s[32];
    std::snprintf(s, sizeof s, "%.1f%%", 100 * fraction);
    return s;
}

std::string range_text(const PixelReading& r) { return r.scale == 1 ? "0..1" : "0..255"; }

// The first `count` images as the reading brings them to the model.
Tensor<float> read_images(const Tensor<float>& images, std::size_t count, const PixelReading& r)
{
    const std::size_t h = images.dim(1), w = images.dim(2), c = images.dim(3);
    const std::size_t H = h + 2 * r.pad, W = w + 2 * r.pad;
    Tensor<float> out(Shape{count, H, W, c});
    const float scale = float(r.scale);
    for (std::size_t n = 0; n < count; ++n)
        for (std::size_t y = 0; y < h; ++y) {
            const float* src = images.data() + ((n * h + y) * w) * c;
            float* dst = out.data() + ((n * H + y + r.pad) * W + r.pad) * c;
            for (std::size_t i = 0; i < w * c; ++i) dst[i] = src[i] * scale;
        }
    return out;
}

} // namespace

PixelRange parse_pixel_range(const std::string& text)
{
    if (text == "auto") return PixelRange::automatic;
    if (text == "0-1" || text == "0..1") return PixelRange::unit;
    if (text == "0-255" || text == "0..255") return PixelRange::byte;
    throw SettingError("pixels must be auto, 0-1 or 0-255, not '" + text + "'");
}

std::string to_string(PixelRange range)
{
    switch (range) {
    case PixelRange::unit: return "0-1";
    case PixelRange::byte: return "0-255";
    default: return "auto";
    }
}

std::string describe(const PixelReading& reading, const Shape& image)
{
    std::string s = "pixels " + range_text(reading);
    if (reading.pad > 0)
        s += ", padded to " + std::to_string(image[0] + 2 * reading.pad) + "x" +
             std::to_string(image[1] + 2 * reading.pad);
    return s;
}

std::optional<std::size_t> padding_to(const Shape& image, const Shape& input)
{
    if (image.rank() != 3 || input.rank() != 3 || image[2] != input[2]) return std::nullopt;
    if (input[0] < image[0] || input[1] < image[1]) return std::nullopt;
    const std::size_t dh = input[0] - image[0], dw = input[1] - image[1];
    if (dh != dw || dh % 2 != 0) return std::nullopt;
    return dh / 2;
}

Architecture without_pixel_reading(const Architecture& model)
{
    Architecture out = model;
    auto& layers = out.layers;
    std::size_t front = 0;
    while (front < layers.size() && (is_scale_layer(layers[front]) || is_padding_layer(layers[front]))) {
        if (is_padding_layer(layers[front])) {
            const Margins& m = layers[front].spec.margins;
            out.input = {out.input[0] + m.top + m.bottom, out.input[1] + m.left + m.right, out.input[2]};
        }
        ++front;
    }
    layers.erase(layers.begin(), layers.begin() + std::ptrdiff_t(front));
    return out;
}

PixelReading pixel_reading_of(const Architecture& model)
{
    PixelReading r;
    for (const NamedLayer& l : model.layers) {
        if (is_scale_layer(l)) r.scale = l.spec.scale;
        else if (is_padding_layer(l)) r.pad = l.spec.margins.top;
        else break;
    }
    return r;
}

Architecture with_pixel_reading(const Architecture& model, const PixelReading& reading)
{
    Architecture bare = without_pixel_reading(model);
    Architecture out;
    out.input = bare.input;
    if (reading.pad > 0) {
        if (bare.input[0] < 2 * reading.pad || bare.input[1] < 2 * reading.pad)
            throw ShapeError("a padding of " + std::to_string(reading.pad) + " does not fit an input of " +
                             bare.input.str());
        out.input = {bare.input[0] - 2 * reading.pad, bare.input[1] - 2 * reading.pad, bare.input[2]};
    }
    if (reading.scale != 1) out.layers.push_back({pixel_scale_layer_name, layers::rescaling(reading.scale)});
    if (reading.pad > 0)
        out.layers.push_back({pixel_padding_layer_prefix + std::to_string(bare.input[0]) + "x" +
                                  std::to_string(bare.input[1]),
                              layers::zero_padding2d({reading.pad, reading.pad, reading.pad, reading.pad})});
    for (NamedLayer& l : bare.layers) out.layers.push_back(std::move(l));
    return out;
}

std::string PixelReadingChoice::summary() const
{
    std::string s;
    for (const PixelReadingTrial& t : trials) {
        if (s.empty()) {
            s = describe(t.reading, image) + ": " + percent(t.accuracy) + " on " + std::to_string(images) +
                " test images";
        } else {
            s += "; " + range_text(t.reading) + ": " + percent(t.accuracy);
        }
    }
    return s;
}

PixelReadingChoice choose_pixel_reading(const Sequential<float>& model, const Tensor<float>& images,
                                        const std::vector<std::uint8_t>& labels, std::size_t count)
{
    const Architecture bare = without_pixel_reading(architecture_of(model));
    const Shape image{images.dim(1), images.dim(2), images.dim(3)};
    const std::optional<std::size_t> pad = padding_to(image, bare.input);
    if (!pad)
        throw ShapeError("the model takes " + bare.input.str() + " images; these are " + image.str() +
                         ", and no padding makes them fit");
    const auto reader = apply_pixel_reading(model, PixelReading{}); // the model alone
    PixelReadingChoice choice;
    choice.image = image;
    choice.images = std::min({count, images.dim(0), labels.size()});
    if (choice.images == 0) throw ShapeError("no labelled images to find out which pixels the model reads");
    const std::vector<std::uint8_t> first(labels.begin(), labels.begin() + std::ptrdiff_t(choice.images));
    for (const double scale : {1.0, 255.0}) {
        const PixelReading r{scale, *pad};
        const Evaluation e = evaluate(*reader, read_images(images, choice.images, r), first);
        choice.trials.push_back({r, e.accuracy});
    }
    std::stable_sort(choice.trials.begin(), choice.trials.end(),
                     [](const PixelReadingTrial& a, const PixelReadingTrial& b) { return a.accuracy > b.accuracy; });
    choice.chosen = choice.trials.front().reading;
    return choice;
}

std::unique_ptr<Sequential<float>> apply_pixel_reading(const Sequential<float>& model, const PixelReading& reading)
{
    const Architecture arch = with_pixel_reading(architecture_of(model), reading);
    auto out = std::make_unique<Sequential<float>>(arch.input);
    for (const NamedLayer& l : arch.layers) {
        auto layer = make_layer<float>(l.spec);
        layer->set_name(l.name);
        out->add(std::move(layer));
    }
    out->allocate();
    out->set_parameters(model.parameters());
    return out;
}

} // namespace cs
