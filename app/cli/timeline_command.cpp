// convscope-cli timeline MODEL --view kernels|maps:LAYER|network --out FILE.gif:
// the training timeline a model file keeps (parameter_timeline.hpp) as an
// animated GIF, a frame per kept step (core/render/network_frames.hpp says
// what each view draws and how its colours are scaled).
#include "command_line.hpp"
#include "commands.hpp"

#include "dataset.hpp"
#include "explanation.hpp"
#include "frame_palette.hpp"
#include "gif_file.hpp"
#include "network_frames.hpp"
#include "shipped_model.hpp"

#include <cstdio>
#include <limits>
#include <memory>
#include <optional>
#include <string>

namespace cli {

namespace {

struct TimelineOptions {
    std::string model;
    std::string view;
    std::string data = "digits";
    long sample = 0;
    std::string steps; // A:B, either side optional
    long delay = 10;
    std::string out;
};

struct StepRange {
    std::uint64_t first = 0, last = std::numeric_limits<std::uint64_t>::max();
};

// "A:B", ":B", "A:" or ":" -> the range; nullopt for anything else.
std::optional<StepRange> parse_steps(const std::string& text)
{
    const auto colon = text.find(':');
    if (colon == std::string::npos) return std::nullopt;
    const auto side = [](const std::string& s, std::uint64_t& v) {
        if (s.empty()) return true;
        if (s.size() > 19 || s.find_first_not_of("0123456789") != std::string::npos) return false;
        v = std::stoull(s);
        return true;
    };
    StepRange r;
    if (!side(text.substr(0, colon), r.first) || !side(text.substr(colon + 1), r.last) || r.first > r.last)
        return std::nullopt;
    return r;
}

CLI::Validator step_range()
{
    return CLI::Validator(
        [](std::string& text) -> std::string {
            if (parse_steps(text)) return {};
            return "'" + text + "' is not A:B, steps from A to B with A <= B (either may be left out: :500, 1000:)";
        },
        "");
}

CLI::Validator view_name()
{
    return CLI::Validator(
        [](std::string& text) -> std::string {
            if (text == "kernels" || text == "network" || (text.starts_with("maps:") && text.size() > 5)) return {};
            return "'" + text + "' is not kernels, maps:LAYER or network";
        },
        "");
}

void run_timeline(const TimelineOptions& o)
{
    const cs::ModelFile f = cs::open_model(o.model);
    if (!f.timeline || f.timeline->empty())
        throw cs::FormatError(o.model + " keeps no timeline of its training: train with 'convscope-cli train ... "
                                        "--save M --timeline' to keep one");
    const cs::Network<float>& network = f.model->network();

    cs::FrameView view;
    if (o.view == "network") view.kind = cs::FrameViewKind::network;
    else if (o.view.starts_with("maps:")) view = {cs::FrameViewKind::maps, cs::layer_index(network, o.view.substr(5))};

    // The sample, for the views of maps.
    cs::Tensor<float> sample;
    std::vector<std::string> class_names;
    int label = -1;
    if (view.kind != cs::FrameViewKind::kernels) {
        const cs::Dataset data = cs::load_dataset(o.data);
        const cs::Tensor<float>& images = data.test_images;
        if (std::size_t(o.sample) >= images.dim(0))
            throw cs::ShapeError("--sample " + std::to_string(o.sample) + ": " + data.name + "'s test set has " +
                                 std::to_string(images.dim(0)) + " images (0 to " +
                                 std::to_string(images.dim(0) - 1) + ")");
        const cs::Shape& in = network.input_shape();
        const cs::Shape image{images.dim(1), images.dim(2), images.dim(3)};
        if (!(image == in))
            throw cs::ShapeError(o.model + " takes " + in.str() + " images, but " + data.name + " has " + image.str());
        sample = cs::Tensor<float>(in);
        std::copy_n(images.data() + std::size_t(o.sample) * in.elements(), in.elements(), sample.data());
        class_names = data.class_names;
        label = data.test_labels[std::size_t(o.sample)];
    }

    const StepRange range = *parse_steps(o.steps.empty() ? ":" : o.steps);
    std::vector<std::pair<std::uint64_t, cs::ParameterTimeline::Parameters>> steps;
    const std::vector<std::uint64_t> kept = f.timeline->steps();
    for (const std::uint64_t s : kept)
        if (s >= range.first && s <= range.last)
            if (auto p = f.timeline->at(s)) steps.emplace_back(s, std::move(p));
    if (steps.empty())
        throw cs::ShapeError("--steps " + o.steps + " selects none of the " + std::to_string(kept.size()) +
                             " steps kept (" + cs::grouped_digits(kept.front()) + " to " +
                             cs::grouped_digits(kept.back()) + ")");

    cs::FrameRenderer renderer(network, view, sample, class_names, label);
    const std::vector<cs::IndexedImage> frames = cs::render_frames(renderer, steps);
    cs::write_gif(o.out, cs::frame_palette(), frames, unsigned(o.delay));
    std::printf("wrote %s: %zu frame%s, steps %s to %s, %zux%zu\n", o.out.c_str(), frames.size(),
                frames.size() == 1 ? "" : "s", cs::grouped_digits(steps.front().first).c_str(),
                cs::grouped_digits(steps.back().first).c_str(), renderer.width(), renderer.height());
}

} // namespace

void add_timeline_command(CLI::App& app)
{
    auto o = std::make_shared<TimelineOptions>();
    CLI::App* timeline = app.add_subcommand(
        "timeline",
        "Animate a training run as a GIF, a frame per step the model file kept (train with --timeline): the "
        "kernels, one layer's maps or the whole network for a test image, each layer on one colour scale for "
        "all frames.");
    timeline
        ->add_option("MODEL", o->model, "a model file (.npz) that keeps a timeline (convscope-cli train ... --save M "
                                        "--timeline)")
        ->type_name("")
        ->required();
    timeline
        ->add_option("--view", o->view,
                     "what to draw: kernels (every conv2d layer's, blue negative, white 0, red positive), "
                     "maps:LAYER (that layer's output for the sample; 'convscope-cli arch MODEL' lists the names), "
                     "or network (the sample through every conv2d and pooling layer, and the probabilities)")
        ->type_name("VIEW")
        ->check(view_name())
        ->required();
    add_data_option(*timeline, o->data);
    timeline->add_option("--sample", o->sample, "the test image the maps are drawn for: its index in --data's test set")
        ->type_name("N")
        ->transform(cmdline::whole_number(0, 1L << 40))
        ->capture_default_str();
    timeline
        ->add_option("--steps", o->steps,
                     "the kept steps from A to B, either side optional (:500, 1000:); all of them by default")
        ->option_text("A:B")
        ->check(step_range());
    timeline->add_option("--delay", o->delay, "how long each frame shows, in hundredths of a second")
        ->type_name("CS")
        ->transform(cmdline::whole_number(1, 65535))
        ->capture_default_str();
    timeline->add_option("--out", o->out, "the GIF to write")->type_name("FILE.gif")->required();
    timeline->callback([o] { run_timeline(*o); });
}

} // namespace cli
