// bench: training speed of a network (LeNet-5 unless --arch) on 60,000
// images of 28x28, the figures to put beside PyTorch's on the same machine:
// ../shared/bench/pytorch_lenet5.py for LeNet-5, scripts/bench/pytorch_arch.py
// for any architecture (given the JSON that `convscope-cli arch A --json`
// prints).
//
//   bench                          batch 32 and 128, one epoch each
//   bench --batch 32 --threads 1   one configuration
//   bench --arch tiny              a preset, a Keras .json or a model file's
//   bench --json                   one JSON object per configuration
//   bench --timeline               also epochs that record the parameter
//                                  timeline after every step, alternated with
//                                  epochs that do not: the cost of recording
//   bench --input 32x32x3          random images of another shape
//   bench --report-every 0.1       progress lines, for scripts/window_vs_headless.py
//
// Fashion-MNIST when the Debian package is installed, random data otherwise
// (the speed is the same).
//
// --threads N gives the trainer N threads (the mini-batch split across them,
// trainer.hpp) and OpenBLAS one. Beside the epoch time it prints the
// arithmetic rate, from the network's multiply-adds (Network::
// training_multiply_adds), and the fraction it is of a single-thread SGEMM's
// peak measured first on this machine (times N threads): the distance to the
// arithmetic limit.
#include "command_line.hpp"

#include "architecture_file.hpp"
#include "blas_threads.hpp"
#include "dataset.hpp"
#include "gemm.hpp"
#include "parameter_timeline.hpp"
#include "presets.hpp"
#include "trainer.hpp"
#include "worker_team.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

struct Options {
    std::vector<std::size_t> batches{32, 128};
    int threads = 1;
    int epochs = 1;
    bool json = false;
    bool timeline = false;
    double report_every = 0; // seconds; 0: no progress lines
    std::string arch = cs::default_preset;
    cs::Shape input{28, 28, 1};
};

// GFLOP/s of single-thread SGEMMs on square matrices as large as a core's
// caches make best use of, `threads` of them at once (each its own GEMM, as
// the trainer's threads run): the best of a few runs, added over the
// threads. On a machine whose cores share their arithmetic units (SMT
// siblings, a virtual machine's oversubscribed host), two at once reach
// less than twice one: the speed-up threads can give is bounded by it.
double sgemm_peak_gflops(std::size_t threads)
{
    const std::size_t n = 1024;
    cs::WorkerTeam team(threads);
    std::vector<std::vector<float>> a(threads, std::vector<float>(n * n, 0.5f)), b = a, c = a;
    double best = 1e300;
    for (int run = 0; run < 6; ++run) {
        const auto t0 = Clock::now();
        team.run(threads, [&](std::size_t t, std::size_t) {
            cs::gemm<float>(false, false, n, n, n, 1.0f, a[t].data(), b[t].data(), 0.0f, c[t].data());
        });
        best = std::min(best, seconds_since(t0));
    }
    return 2.0 * double(n) * double(n) * double(n) * double(threads) / best / 1e9;
}

cs::Shape parse_input_shape(const std::string& text)
{
    unsigned h = 0, w = 0, c = 0;
    char rest = 0;
    if (std::sscanf(text.c_str(), "%ux%ux%u%c", &h, &w, &c, &rest) != 3 || !h || !w || !c || h > 1024 || w > 1024 ||
        c > 64)
        throw CLI::ValidationError("--input", "'" + text + "' is not HxWxC (e.g. 32x32x3; at most 1024x1024x64)");
    return {h, w, c};
}

} // namespace

int main(int argc, char** argv)
{
    Options opt;
    CLI::App app{"Training speed of a network (LeNet-5 unless --arch): seconds per epoch of 60,000 28x28 images, "
                 "images per second, the arithmetic rate against this machine's SGEMM peak, and the latency of one forward pass "
                 "of one image.",
                 "bench"};
    cmdline::use_house_style(app);
    app.add_option_function<std::size_t>(
           "--batch", [&opt](std::size_t batch) { opt.batches = {batch}; }, "mini-batch size")
        ->type_name("N")
        ->transform(cmdline::whole_number(1, long(cs::trainer_max_batch_size)))
        ->default_str("32, then 128");
    app.add_option("--threads", opt.threads, "the trainer's threads (each mini-batch split across them)")
        ->type_name("N")
        ->transform(cmdline::whole_number(1, 256))
        ->capture_default_str();
    app.add_option("--epochs", opt.epochs, "epochs per batch size (the median is reported)")
        ->type_name("N")
        ->transform(cmdline::whole_number(1, 1000))
        ->capture_default_str();
    app.add_flag("--json", opt.json, "one JSON object per batch size");
    app.add_flag("--timeline", opt.timeline,
                 "also time epochs that record the parameter timeline (256 MB) after every step, alternating with "
                 "epochs that do not, and report what recording costs");
    app.add_option("--report-every", opt.report_every,
                   "while training, print the steps done (\"bench: step N\") every S seconds, for a script that "
                   "stops and continues it beside the window (scripts/window_vs_headless.py)")
        ->type_name("S")
        ->check(cmdline::real_number(0.01, 3600));
    app.add_option("--arch", opt.arch,
                   "the network: a preset, a Keras model.to_json() file (.json) or a model file (.npz); it must take "
                   "the images (--input) in 10 classes")
        ->type_name("A")
        ->capture_default_str();
    app.add_option_function<std::string>(
           "--input", [&opt](const std::string& text) { opt.input = parse_input_shape(text); },
           "the images' shape HxWxC: random images of it (60,000 of them) rather than Fashion-MNIST")
        ->type_name("HxWxC")
        ->default_str("28x28x1");
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return cmdline::exit_code(app, e);
    }
    // The trainer's threads share no GEMM: OpenBLAS keeps to the caller's.
    cs::set_blas_threads(1);
    cs::Architecture architecture;
    try {
        architecture = cs::load_architecture(opt.arch, opt.input, 10);
        cs::check_fits_data(architecture, opt.input, 10, "the bench's images");
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench: %s\n", e.what());
        return 1;
    }

    std::string data = "random";
    cs::Tensor<float> images;
    std::vector<std::uint8_t> labels;
    try {
        if (!(opt.input == cs::Shape{28, 28, 1})) throw cs::FormatError("random images of another shape");
        cs::Dataset fashion = cs::load_dataset("fashion");
        images = std::move(fashion.train_images);
        labels = std::move(fashion.train_labels);
        data = "fashion";
    } catch (const cs::FormatError&) {
        std::mt19937_64 rng(0);
        std::uniform_real_distribution<float> u(0, 1);
        images.resize({60000, opt.input[0], opt.input[1], opt.input[2]});
        for (std::size_t i = 0; i < images.size(); ++i) images.data()[i] = u(rng);
        labels.resize(60000);
        for (auto& y : labels) y = std::uint8_t(rng() % 10);
    }

    const double peak = sgemm_peak_gflops(1);
    const double team_peak = opt.threads > 1 ? sgemm_peak_gflops(std::size_t(opt.threads)) : peak;
    for (std::size_t batch : opt.batches) {
        auto model = cs::make_model<float>(architecture, 0);
        cs::Adam<float> adam;
        cs::Trainer<float> trainer(*model, adam, images, labels, {batch, 0, true, std::size_t(opt.threads)});
        std::vector<double> epoch_seconds, recording_seconds;
        cs::ParameterTimeline timeline(model->parameter_count());
        // Time inside keep_next() itself, and the steps of the recording epochs:
        // the direct cost, precise where whole epochs on a busy machine are not.
        // And each step's time (its record included), whose median a busy
        // machine's stalls move less than an epoch's total.
        double record_seconds = 0;
        std::size_t records = 0;
        std::vector<double> step_seconds, recording_step_seconds;
        auto last_report = Clock::now();
        const auto epoch = [&](bool record) {
            const auto t0 = Clock::now();
            for (std::size_t s = 0; s < trainer.steps_per_epoch(); ++s) {
                const auto s0 = Clock::now();
                // As the window records: the update writes the parameters
                // into the timeline's buffer, which is then kept.
                trainer.step(record ? timeline.next_buffer() : nullptr);
                if (record) {
                    const auto r0 = Clock::now();
                    timeline.keep_next(trainer.step_count());
                    record_seconds += seconds_since(r0);
                    ++records;
                }
                if (opt.timeline) (record ? recording_step_seconds : step_seconds).push_back(seconds_since(s0));
                if (opt.report_every > 0 && seconds_since(last_report) >= opt.report_every) {
                    std::printf("bench: step %zu\n", std::size_t(trainer.step_count()));
                    std::fflush(stdout);
                    last_report = Clock::now();
                }
            }
            (record ? recording_seconds : epoch_seconds).push_back(seconds_since(t0));
        };
        for (int e = 0; e < opt.epochs; ++e) {
            if (!opt.timeline) {
                epoch(false);
                continue;
            }
            // The same epoch with a record after every step, as the window
            // does; the pairs alternate which goes first (ABBA), so that a
            // machine that speeds up or slows down favours neither.
            epoch(e % 2 == 1);
            epoch(e % 2 == 0);
        }
        const auto median = [](std::vector<double> v) {
            std::sort(v.begin(), v.end());
            return v.empty() ? 0.0 : v[v.size() / 2];
        };
        const double sec = median(epoch_seconds), recording = median(recording_seconds);

        // One image through the trained model, in a workspace of its own
        // (sized for 1, warm after the first pass).
        cs::Workspace<float> single;
        cs::Tensor<float> one;
        cs::slice_samples(images, 0, 1, one);
        std::vector<double> latency;
        for (int i = 0; i < 200; ++i) {
            const auto t0 = Clock::now();
            model->forward(one, single);
            latency.push_back(seconds_since(t0) * 1000);
        }
        std::sort(latency.begin(), latency.end());
        const double ms = latency[latency.size() / 2];
        const double ips = double(labels.size()) / sec;
        // The arithmetic: 2 flops a multiply-add, against the peak of as many
        // single-thread SGEMMs at once as the trainer has threads.
        const double gflop = 2.0 * double(model->network().training_multiply_adds()) * double(labels.size()) / 1e9;
        const double limit = gflop / team_peak;
        char peak_text[160];
        if (opt.threads == 1)
            std::snprintf(peak_text, sizeof peak_text, "single-thread SGEMM here");
        else
            std::snprintf(peak_text, sizeof peak_text,
                          "%d single-thread SGEMMs at once here, %.2fx one's %.1f: the most %d threads can gain",
                          opt.threads, team_peak / peak, peak, opt.threads);
        const std::string peak_words = peak_text;
        const std::string sample = std::to_string(opt.input[0]) + "x" + std::to_string(opt.input[1]) + "x" +
                                   std::to_string(opt.input[2]);
        if (opt.json)
            std::printf("{\"peer\": \"convscope\", \"arch\": \"%s\", \"parameters\": %zu, \"data\": \"%s\", "
                        "\"input\": \"%s\", \"threads\": %d, \"batch\": %zu, \"epoch_seconds\": %.3f, "
                        "\"images_per_second\": %.1f, \"forward_one_image_ms\": %.4f, \"gflop_per_epoch\": %.1f, "
                        "\"gflops\": %.2f, \"sgemm_peak_gflops\": %.2f, \"sgemm_threads_peak_gflops\": %.2f, "
                        "\"fraction_of_peak\": %.3f, "
                        "\"arithmetic_limit_seconds\": %.3f, \"timeline_epoch_seconds\": %.3f, "
                        "\"timeline_record_ms\": %.4f}\n",
                        opt.arch.c_str(), model->parameter_count(), data.c_str(), sample.c_str(), opt.threads, batch,
                        sec, ips, ms, gflop, gflop / sec, peak, team_peak, limit / sec, limit, recording,
                        records ? record_seconds / double(records) * 1000 : 0.0);
        else
            std::printf("%s, %s 60000x%s, batch %zu, %d thread%s: %.2f s/epoch, %.0f images/s, "
                        "forward of one image %.3f ms\n"
                        "  %.1f GFLOP an epoch: %.1f GFLOP/s = %.0f%% of %.1f GFLOP/s (%s); the arithmetic "
                        "limit is %.2f s/epoch, this is %.1fx it\n",
                        opt.arch.c_str(), data.c_str(), sample.c_str(), batch, opt.threads,
                        opt.threads == 1 ? "" : "s", sec, ips, ms, gflop, gflop / sec, 100 * limit / sec, team_peak,
                        peak_words.c_str(), limit, sec / limit);
        if (opt.timeline && !opt.json) {
            const double step_ms = sec / double(trainer.steps_per_epoch()) * 1000;
            const double record_ms = records ? record_seconds / double(records) * 1000 : 0;
            const double median_step = median(step_seconds) * 1000, median_recording = median(recording_step_seconds) * 1000;
            std::printf("  recording the timeline after every step: %.2f s/epoch, %+.1f%% (%zu steps kept, %.0f MB); "
                        "median step %.3f ms, %.3f ms recording (%+.1f%%); keep_next() itself %.3f ms a step = %.1f%% of "
                        "a step's %.2f ms\n",
                        recording, 100 * (recording / sec - 1), timeline.size(), double(timeline.bytes()) / (1 << 20),
                        median_step, median_recording, 100 * (median_recording / median_step - 1), record_ms,
                        100 * record_ms / step_ms, step_ms);
        }
        std::fflush(stdout);
    }
    return 0;
}
