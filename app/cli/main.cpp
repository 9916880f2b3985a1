// convscope-cli: the ConvScope core from a terminal.
//
// Exit codes: 0 done, 1 the work failed (a bad file, a network that
// diverged), 2 a mistake on the command line. Every failure is one line on
// stderr.
#include "command_line.hpp"
#include "commands.hpp"
#include "version.hpp"

#include <cstdio>
#include <exception>

int main(int argc, char** argv)
{
    CLI::App app{"Train, evaluate and run convolutional networks (LeNet-5 and any other Keras Sequential of Conv2D, pooling, Dense...) from a terminal: the core of ConvScope without a window. MODEL "
                 "is a model file (.npz) or 'shipped', the model that comes with ConvScope.",
                 "convscope-cli"};
    cmdline::use_house_style(app);
    app.set_version_flag("--version", std::string("convscope-cli ") + cs::version(), "print the version");
    app.require_subcommand(1);
    cli::add_train_command(app);
    cli::add_eval_command(app);
    cli::add_predict_command(app);
    cli::add_export_weights_command(app);
    cli::add_ops_command(app);
    cli::add_arch_command(app);
    cli::add_explain_command(app);
    cli::add_timeline_command(app);
    for (CLI::App* command : app.get_subcommands([](const CLI::App*) { return true; })) command->group("Commands");
    // After the commands, which would copy it.
    app.footer("convscope-cli COMMAND --help lists the options of COMMAND.");

    if (argc < 2) { // a bare command: the overview, as a mistake
        std::fputs(app.help().c_str(), stderr);
        return 2;
    }
    // The chosen command's callback does the work inside parse().
    try {
        app.parse(argc, argv);
        return 0;
    } catch (const CLI::ParseError& e) {
        return cmdline::exit_code(app, e);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s: %s\n", cmdline::command_path(app).c_str(), e.what());
        return 1;
    }
}
