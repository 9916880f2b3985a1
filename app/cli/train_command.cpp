// convscope-cli train: any architecture (a preset, Keras JSON, a model
// file's) on a dataset, one mini-batch at a time.
#include "command_line.hpp"
#include "commands.hpp"
#include "progress.hpp"

#include "architecture_file.hpp"
#include "blas_threads.hpp"
#include "dataset.hpp"
#include "keras_file.hpp"
#include "model_file.hpp"
#include "model_for_data.hpp"
#include "shipped_model.hpp"
#include "presets.hpp"
#include "step_log.hpp"
#include "trainer.hpp"
#include "training_state.hpp"

#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>

namespace cli {

namespace {

struct TrainOptions {
    std::string arch = cs::default_preset;
    std::string data = "digits";
    long epochs = 5;
    long batch = 32;
    double lr = 0; // when given; otherwise the optimizer's default
    bool lr_given = false;
    std::string optimizer = "adam";
    long long seed = 0;
    bool no_shuffle = false;
    std::string init, save, log;
    std::string pixels = "auto";
    int threads = 0; // every core
    bool timeline = false;
    long timeline_mb = long(cs::ParameterTimeline::default_budget_bytes >> 20);
};

double seconds_since(std::chrono::steady_clock::time_point t0)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

void run_training(const TrainOptions& o)
{
    // The trainer's threads share no GEMM (trainer.hpp): OpenBLAS keeps to the caller's.
    cs::set_blas_threads(1);
    std::unique_ptr<cs::Optimizer<float>> optimizer =
        o.lr_given ? cs::make_optimizer<float>(o.optimizer, o.lr) : cs::make_optimizer<float>(o.optimizer);

    const cs::Dataset data = cs::load_dataset(o.data);
    const cs::Shape input{data.train_images.dim(1), data.train_images.dim(2), data.train_images.dim(3)};
    cs::ModelFile start;
    start.model = cs::make_model<float>(cs::load_architecture(o.arch, input, data.classes()), std::uint64_t(o.seed));
    if (!o.init.empty()) {
        if (cs::is_keras_file(o.init)) {
            const cs::ModelFile weights = cs::open_model(o.init, cs::architecture_of(*start.model));
            start.model->set_parameters(weights.model->parameters());
            start.origin = weights.origin;
        } else {
            cs::import_weights_npz(o.init, *start.model);
        }
    }
    // A network for 32x32 digits trains on 28x28 ones padded; weights from
    // Keras may expect pixels in 0..255.
    if (const auto report = cs::fit_pixels_to_data(start, data, cs::parse_pixel_range(o.pixels)))
        std::printf("reading the images as %s\n", report->summary.c_str());
    cs::check_fits_data(cs::architecture_of(*start.model), input, data.classes(), o.data);
    std::unique_ptr<cs::Sequential<float>> model = std::move(start.model);
    const bool shuffle = !o.no_shuffle;
    cs::Trainer<float> trainer(*model, *optimizer, data.train_images, data.train_labels,
                               {std::size_t(o.batch), std::uint64_t(o.seed), shuffle,
                                o.threads ? std::size_t(o.threads) : cs::hardware_threads()});

    std::ofstream log;
    if (!o.log.empty()) {
        log.open(o.log);
        if (!log) throw std::runtime_error("cannot write the log " + o.log);
        log << cs::step_log_header;
    }
    std::printf("%s (%zu layers, %zu parameters) on %s: %zu train / %zu test images of %zux%zux%zu, %zu classes\n"
                "%s, learning rate %g, batch %ld, seed %lld%s\n",
                o.arch.c_str(), model->layer_count(), model->parameter_count(), data.name.c_str(), data.train_labels.size(), data.test_labels.size(),
                input[0], input[1], input[2], data.classes(), optimizer->name().c_str(), optimizer->learning_rate(),
                o.batch, o.seed, shuffle ? "" : ", not shuffled");
    std::fflush(stdout);

    // The parameters at past steps (parameter_timeline.hpp), from the start.
    std::unique_ptr<cs::ParameterTimeline> timeline;
    if (o.timeline) {
        timeline = std::make_unique<cs::ParameterTimeline>(model->parameter_count(),
                                                           std::size_t(o.timeline_mb) << 20);
        timeline->record(trainer.step_count(), model->parameters());
    }

    cs::TrainingHistory history;
    Progress progress;
    for (long e = 1; e <= o.epochs; ++e) {
        const auto t0 = std::chrono::steady_clock::now();
        double loss_sum = 0, correct = 0;
        std::size_t seen = 0;
        const std::size_t steps = trainer.steps_per_epoch();
        for (std::size_t s = 1; s <= steps; ++s) {
            const cs::StepResult r = trainer.step();
            if (timeline) timeline->record(r.step, model->parameters());
            history.add_step(float(r.loss), float(r.accuracy));
            if (log.is_open()) log << cs::step_log_line(r.step, r.epoch, float(r.loss), float(r.accuracy));
            loss_sum += r.loss * double(r.batch);
            correct += r.accuracy * double(r.batch);
            seen += r.batch;
            progress.update(std::size_t(e), std::size_t(o.epochs), s, steps, loss_sum / double(seen),
                            correct / double(seen), double(seen) / seconds_since(t0));
        }
        const double elapsed = seconds_since(t0);
        progress.finish();
        const cs::Evaluation test = cs::evaluate(*model, data.test_images, data.test_labels);
        history.evaluations.push_back({trainer.step_count(), std::size_t(e), loss_sum / double(seen),
                                       correct / double(seen), test.loss, test.accuracy});
        std::printf("epoch %ld/%ld: train loss %.4f accuracy %.4f | test loss %.4f accuracy %.4f | %.1f s, %.0f "
                    "images/s\n",
                    e, o.epochs, loss_sum / double(seen), correct / double(seen), test.loss, test.accuracy, elapsed,
                    double(seen) / elapsed);
        std::fflush(stdout);
    }
    if (log.is_open() && !log.flush()) throw std::runtime_error("cannot write the log " + o.log);

    if (!o.save.empty()) {
        cs::save_model(o.save, *model, cs::capture_training_state(trainer, *optimizer, o.data), history, nullptr,
                       timeline.get());
        if (timeline)
            std::printf("saved %s with a timeline of %zu steps (%.1f MB)\n", o.save.c_str(), timeline->size(),
                        double(timeline->bytes()) / (1 << 20));
        else
            std::printf("saved %s\n", o.save.c_str());
    }
}

} // namespace

void add_train_command(CLI::App& app)
{
    auto o = std::make_shared<TrainOptions>();
    CLI::App* train = app.add_subcommand(
        "train", "Train a network one mini-batch at a time; after each epoch, print the test set's loss and "
                 "accuracy.");
    const char* const data = "Data";
    const char* const training = "Training";
    const char* const output = "Output";
    add_arch_option(*train, o->arch)->group(training);
    add_data_option(*train, o->data)->group(data);
    train->add_flag("--no-shuffle", o->no_shuffle, "mini-batches in file order")->group(data);
    train->add_option("--epochs", o->epochs, "epochs to train")
        ->type_name("N")
        ->transform(cmdline::whole_number(1, 100000))
        ->capture_default_str()
        ->group(training);
    train->add_option("--batch", o->batch, "mini-batch size")
        ->type_name("N")
        ->transform(cmdline::whole_number(1, long(cs::trainer_max_batch_size)))
        ->capture_default_str()
        ->group(training);
    train->add_option("--optimizer", o->optimizer, "Adam with Keras' defaults, or SGD with momentum 0.9")
        ->type_name("NAME")
        ->check(cmdline::one_of({"adam", "sgd"}))
        ->capture_default_str()
        ->group(training);
    // The core takes lr 0 (the window shows that nothing learns); a model
    // trained by the CLI with it would be its initial weights: refused here.
    train
        ->add_option_function<double>(
            "--lr", [o](double lr) { o->lr = lr, o->lr_given = true; }, "learning rate; 0 would learn nothing")
        ->type_name("X")
        ->check(cmdline::positive_number(1000))
        ->default_str("0.001 for adam, 0.01 for sgd")
        ->group(training);
    train->add_option("--seed", o->seed, "seed of the weights and of the shuffling")
        ->type_name("N")
        ->transform(cmdline::whole_number(0, 1LL << 62))
        ->capture_default_str()
        ->group(training);
    train->add_option("--init", o->init,
                      "start from these weights: Keras-named .npz (<layer name>/kernel, <layer name>/bias, as "
                      "export-weights writes them, or a model's), or a Keras file (.h5 from model.save or "
                      "model.save_weights, .keras)")
        ->type_name("W")
        ->group(training);
    train->add_option("--pixels", o->pixels,
                      "the pixels Keras weights (--init) were trained on: 0-1, 0-255, or auto (tried both ways on "
                      "500 test images)")
        ->type_name("P")
        ->check(CLI::IsMember({"auto", "0-1", "0-255"}))
        ->capture_default_str()
        ->group(training);
    train->add_option("--threads", o->threads,
                      "threads that share each mini-batch (the run is the same with any number); 0: every core")
        ->type_name("N")
        ->transform(cmdline::whole_number(0, 256))
        ->capture_default_str()
        ->group(training);
    train->add_option("--save", o->save, "save the model, the optimizer state and the history at the end")
        ->type_name("MODEL")
        ->group(output);
    CLI::Option* save = train->get_option("--save");
    train->add_flag("--timeline", o->timeline,
                    "keep the parameters at past steps in the saved file (every step of the last 500, then "
                    "every 10th, 100th... as they age): `convscope-cli timeline` and the window replay it")
        ->needs(save)
        ->group(output);
    train->add_option("--timeline-budget", o->timeline_mb, "the most memory the timeline keeps, in MB")
        ->type_name("MB")
        ->transform(cmdline::whole_number(1, 1 << 20))
        ->capture_default_str()
        ->group(output);
    train->add_option("--log", o->log, "one line per step: step,epoch,loss,accuracy (the mini-batch's, before its update; epochs counted from 1)")
        ->type_name("CSV")
        ->group(output);
    train->callback([o] { run_training(*o); });
}

} // namespace cli
