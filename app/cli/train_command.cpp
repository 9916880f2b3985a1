// convscope-cli train: LeNet-5 on a dataset, one mini-batch at a time.
#include "args.hpp"
#include "commands.hpp"
#include "progress.hpp"

#include "blas_threads.hpp"
#include "dataset.hpp"
#include "lenet5.hpp"
#include "model_file.hpp"
#include "trainer.hpp"
#include "training_state.hpp"

#include <chrono>
#include <cstdio>
#include <fstream>

namespace cli {

namespace {

const char* help =
    "usage: convscope-cli train [options]\n"
    "  --data D           digits (default, shipped), mnist, fashion, an IDX folder or an .npz file\n"
    "  --epochs N         epochs to train (default 5)\n"
    "  --batch N          mini-batch size (default 32)\n"
    "  --lr X             learning rate (default 0.001 for adam, 0.01 for sgd)\n"
    "  --optimizer NAME   adam (Keras defaults) or sgd (momentum 0.9)\n"
    "  --seed N           seed of the weights and of the shuffling (default 0)\n"
    "  --no-shuffle       mini-batches in file order\n"
    "  --init W.npz       start from Keras-named weights (see export-weights)\n"
    "  --save MODEL       save the model, optimizer state and history at the end\n"
    "  --log CSV          one line per step: step,epoch,loss,accuracy (the batch's, before its update)\n"
    "  --threads N        BLAS threads (default 1)\n";

double seconds_since(std::chrono::steady_clock::time_point t0)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

} // namespace

int train_command(int argc, char** argv)
{
    const Args args(argc, argv, 2,
                    {"data", "epochs", "batch", "lr", "optimizer", "seed", "init", "save", "log", "threads"},
                    {"no-shuffle"});
    if (args.help()) return std::fputs(help, stdout), 0;
    if (!args.positional().empty()) throw UsageError("unexpected argument '" + args.positional()[0] + "'");
    const long epochs = args.integer("epochs", 5, 1, 100000);
    const long batch = args.integer("batch", 32, 1, long(cs::trainer_max_batch_size));
    const long seed = args.integer("seed", 0, 0, 1L << 62);
    const std::string optimizer_name = args.get_or("optimizer", "adam");
    cs::set_blas_threads(int(args.integer("threads", 1, 1, 256)));
    // The core takes lr 0 (the window shows that nothing learns); a model
    // trained by the CLI with it would be the initial weights: refused here.
    if (args.get("lr") && args.real("lr", 0) == 0)
        throw UsageError("--lr 0: the learning rate must be above 0 (nothing would be learnt)");
    std::unique_ptr<cs::Optimizer<float>> optimizer =
        args.get("lr") ? cs::make_optimizer<float>(optimizer_name, args.real("lr", 0))
                       : cs::make_optimizer<float>(optimizer_name);

    const std::string spec = args.get_or("data", "digits");
    const cs::Dataset data = cs::load_dataset(spec);
    const cs::Shape input{data.train_images.dim(1), data.train_images.dim(2), data.train_images.dim(3)};
    cs::check_lenet5_input(input, data.classes(), spec);
    auto model = cs::lenet5<float>(input, std::uint64_t(seed), data.classes());
    if (auto init = args.get("init")) cs::import_weights_npz(*init, *model);
    const bool shuffle = !args.flag("no-shuffle");
    cs::Trainer<float> trainer(*model, *optimizer, data.train_images, data.train_labels,
                               {std::size_t(batch), std::uint64_t(seed), shuffle});

    std::ofstream log;
    if (auto path = args.get("log")) {
        log.open(*path);
        if (!log) throw std::runtime_error("cannot write the log " + *path);
        log << "step,epoch,loss,accuracy\n";
    }
    std::printf("LeNet-5 (%zu parameters) on %s: %zu train / %zu test images of %zux%zux%zu, %zu classes\n"
                "%s, learning rate %g, batch %ld, seed %ld%s\n",
                model->parameter_count(), data.name.c_str(), data.train_labels.size(), data.test_labels.size(),
                input[0], input[1], input[2], data.classes(), optimizer->name().c_str(), optimizer->learning_rate(),
                batch, seed, shuffle ? "" : ", not shuffled");
    std::fflush(stdout);

    cs::TrainingHistory history;
    Progress progress;
    for (long e = 1; e <= epochs; ++e) {
        const auto t0 = std::chrono::steady_clock::now();
        double loss_sum = 0, correct = 0;
        std::size_t seen = 0;
        const std::size_t steps = trainer.steps_per_epoch();
        for (std::size_t s = 1; s <= steps; ++s) {
            const cs::StepResult r = trainer.step();
            history.loss.push_back(float(r.loss));
            history.accuracy.push_back(float(r.accuracy));
            if (log.is_open()) log << r.step << ',' << e << ',' << r.loss << ',' << r.accuracy << '\n';
            loss_sum += r.loss * double(r.batch);
            correct += r.accuracy * double(r.batch);
            seen += r.batch;
            progress.update(std::size_t(e), std::size_t(epochs), s, steps, loss_sum / double(seen),
                            correct / double(seen), double(seen) / seconds_since(t0));
        }
        const double elapsed = seconds_since(t0);
        progress.finish();
        const cs::Evaluation test = cs::evaluate(*model, data.test_images, data.test_labels);
        history.evaluations.push_back({trainer.step_count(), std::size_t(e), loss_sum / double(seen),
                                       correct / double(seen), test.loss, test.accuracy});
        std::printf("epoch %ld/%ld: train loss %.4f accuracy %.4f | test loss %.4f accuracy %.4f | %.1f s, %.0f "
                    "images/s\n",
                    e, epochs, loss_sum / double(seen), correct / double(seen), test.loss, test.accuracy, elapsed,
                    double(seen) / elapsed);
        std::fflush(stdout);
    }

    if (auto path = args.get("save")) {
        cs::save_model(*path, *model, cs::capture_training_state(trainer, *optimizer, spec), history);
        std::printf("saved %s\n", path->c_str());
    }
    return 0;
}

} // namespace cli
