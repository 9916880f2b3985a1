#include "model_for_data.hpp"

namespace cs {

std::optional<PixelReadingReport> fit_pixels_to_data(ModelFile& file, const Dataset& data, PixelRange range)
{
    const Shape image{data.test_images.dim(1), data.test_images.dim(2), data.test_images.dim(3)};
    const Architecture bare = without_pixel_reading(architecture_of(*file.model));
    const std::optional<std::size_t> pad = padding_to(image, bare.input);
    if (!pad) return std::nullopt;
    const bool foreign = !file.origin.empty();
    PixelReadingReport report;
    if (range == PixelRange::automatic && foreign && data.classes() <= file.model->classes() &&
        !data.test_labels.empty()) {
        const PixelReadingChoice choice =
            choose_pixel_reading(*file.model, data.test_images, data.test_labels, pixel_reading_test_images);
        report = {choice.chosen, choice.summary()};
    } else if (range == PixelRange::automatic) {
        // Ours (trained on 0..1), or nothing labelled to try it on.
        report.reading = {pixel_reading_of(architecture_of(*file.model)).scale, *pad};
        if (report.reading == PixelReading{}) return std::nullopt;
        report.summary = describe(report.reading, image);
    } else {
        report.reading = {range == PixelRange::byte ? 255.0 : 1.0, *pad};
        report.summary = describe(report.reading, image) + " (as asked)";
    }
    if (!(report.reading == pixel_reading_of(architecture_of(*file.model))) ||
        !(file.model->input_shape() == image))
        file.model = apply_pixel_reading(*file.model, report.reading);
    return report;
}

} // namespace cs
