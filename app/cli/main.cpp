// convscope-cli: the ConvScope core from a terminal.
#include "args.hpp"
#include "commands.hpp"
#include "version.hpp"

#include <cstdio>
#include <cstring>
#include <exception>
#include <string>

namespace {

const char* usage = "usage: convscope-cli <command> [options]   (convscope-cli <command> --help for its options)\n"
                    "\n"
                    "  train            train LeNet-5 on digits, mnist, fashion, an IDX folder or an .npz file\n"
                    "  eval MODEL       loss, accuracy and confusion matrix on a dataset's test set\n"
                    "  predict [MODEL]  classify a drawn digit (.png); without MODEL, the shipped model\n"
                    "  export-weights MODEL OUT.npz   the weights with Keras' names and shapes\n"
                    "  ops OP           run conv-forward, pool-forward, conv-backward or pool-backward on .npy files\n"
                    "\n"
                    "MODEL is a model file (.npz) or 'shipped', the model that comes with ConvScope.\n"
                    "  --version        print the version\n";

} // namespace

int main(int argc, char** argv)
{
    if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h")) {
        std::fputs(usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (!std::strcmp(argv[1], "--version")) {
        std::printf("convscope-cli %s\n", cs::version());
        return 0;
    }
    const std::string command = argv[1];
    try {
        if (command == "train") return cli::train_command(argc, argv);
        if (command == "eval") return cli::eval_command(argc, argv);
        if (command == "predict") return cli::predict_command(argc, argv);
        if (command == "export-weights") return cli::export_weights_command(argc, argv);
        if (command == "ops") return cli::ops_command(argc, argv);
        std::fprintf(stderr, "convscope-cli: unknown command '%s'\n%s", command.c_str(), usage);
        return 2;
    } catch (const cli::UsageError& e) {
        std::fprintf(stderr, "convscope-cli %s: %s (see --help)\n", command.c_str(), e.what());
        return 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "convscope-cli %s: %s\n", command.c_str(), e.what());
        return 1;
    }
}
