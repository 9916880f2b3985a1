// convscope: the training workbench.
//
//   convscope [--dataset SPEC]                 digits (shipped) by default
//   convscope --autorun-seconds N --screenshot out.png [--inspect GRID:INDEX]
//       trains for N seconds, saves the window (and an enlarged map) as PNG,
//       prints the training speed and quits (scripts/screenshot.sh); without
//       --screenshot it only measures the speed (at full speed unless --pace)
//   convscope --pace N --autorun-seconds S
//       trains at N steps per second and prints how many steps it trained
//   convscope --autorun-seconds N --latency-report
//       also prints how late the window's event loop answered meanwhile
//   convscope --autorun-seconds N --latency-report --exercise
//       ... while it also opens the dataset again, evaluates and draws in turn
//   convscope --autorun-seconds N --latency-report --event-costs
//       ... and which widgets' events took the window's thread longest
//   convscope --autorun-seconds N --report-every S
//       prints the step, the speed and the memory every S seconds (with
//       --latency-report also the lateness since the last report: a soak)
//   convscope --arch A
//       starts with the network A (a preset, a Keras .json, a model .npz)
//   --reset, --presentation, --show-change reset|step, --size WxH
//       for screenshots: start from fresh weights, in Presentation mode,
//       with a change view, at a window size
#include "command_line.hpp"
#include "displaycontrols.h"
#include "eventlooplatency.h"
#include "mainwindow.h"
#include "mapgridwidget.h"
#include "mapinspector.h"
#include "presets.hpp"
#include "timedapplication.h"
#include "version.hpp"
#include "windowexercise.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QScreen>
#include <QTimer>

#include <climits>
#include <cstdio>
#include <memory>
#include <optional>

namespace {

// The resident set of this process in MB (Linux), or -1 where unknown: what
// a soak watches for growth.
double residentMegabytes()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly | QIODevice::Text)) return -1;
    for (QByteArray line = status.readLine(); !line.isEmpty(); line = status.readLine())
        if (line.startsWith("VmRSS:")) return line.mid(6).trimmed().split(' ').value(0).toDouble() / 1024.0;
    return -1;
}

void nameApplication()
{
    QCoreApplication::setOrganizationName(QStringLiteral("ConvScope"));
    QCoreApplication::setApplicationName(QStringLiteral("ConvScope"));
    QCoreApplication::setApplicationVersion(QString::fromLatin1(cs::version()));
}

// What the command line asks for, every number checked against the range
// that its use needs (timers take int milliseconds).
struct CommandLine {
    std::string dataset = "digits";
    std::string arch; // "" for the shipped model
    std::string model; // a model file to open, "" for none
    bool freshLayout = false, reset = false, presentation = false;
    std::string showChange;                      // "", "reset" or "step"
    std::optional<std::pair<int, int>> size;     // width, height
    std::optional<double> pace;                  // steps per second
    std::optional<double> autorunSeconds;
    std::optional<int> steps;
    std::string screenshot, inspect;             // inspect: "grid:index"
    bool latencyReport = false, exercise = false, eventCosts = false;
    std::optional<double> reportEverySeconds;
};

constexpr double maxSeconds = 1e6; // 11.5 days: as milliseconds, well within an int

// "layerGrid_conv2d:2": an object name, a colon, a map's index.
CLI::Validator gridAndIndex()
{
    return CLI::Validator(
        [](std::string& text) -> std::string {
            const auto colon = text.rfind(':');
            std::string index = colon == std::string::npos ? std::string() : text.substr(colon + 1);
            if (colon == 0 || colon == std::string::npos || !cmdline::whole_number(0, 9999)(index).empty())
                return "'" + text + "' is not GRID:INDEX (an object name, a colon and a whole number from 0 to 9999)";
            return {};
        },
        "");
}

// A preset's name or a file that exists (what it holds is the window's to
// judge, and to show in the Architecture dock).
CLI::Validator presetOrFile()
{
    std::string names;
    for (const cs::Preset& p : cs::presets()) names += (names.empty() ? "" : ", ") + p.name;
    return CLI::Validator(
        [names](std::string& text) -> std::string {
            if (cs::is_preset(text) || QFile::exists(QString::fromStdString(text))) return {};
            return "'" + text + "' is neither a preset (" + names + ") nor a file";
        },
        "");
}

// Reads the options; an exit code when the program should stop here (after
// --help or --version, or a mistake). With `qtOptionsLeft`, words it does not
// know are let through: they may be Qt's own (-platform, -style, ...), which
// QApplication takes out.
std::optional<int> parseCommandLine(int argc, char** argv, CommandLine& c, bool qtOptionsLeft)
{
    CLI::App app{"Watch a CNN (LeNet-5) learn.", "convscope"};
    cmdline::use_house_style(app);
    app.allow_extras(qtOptionsLeft);
    app.set_version_flag("-v,--version", "ConvScope " + std::string(cs::version()), "print the version and exit");
    const char* const window = "The window";
    const char* const autorun = "An automatic run (measurements, screenshots)";
    app.add_option("--dataset", c.dataset, cmdline::dataset_help)
        ->type_name("SPEC")
        ->capture_default_str()
        ->group(window);
    app.add_flag("--reset", c.reset, "start from fresh weights instead of the shipped model")->group(window);
    app.add_option("--arch", c.arch,
                   "start with this network (fresh weights): a preset, a Keras model.to_json() file (.json) or a "
                   "model file (.npz)")
        ->type_name("A")
        ->check(presetOrFile())
        ->group(window);
    app.add_option("--model", c.model,
                   "open this model: ConvScope's (.npz) or one trained in Keras (.h5, .keras); the pixels it "
                   "reads are found out on the test images (File > Pixels of Keras Models)")
        ->type_name("FILE")
        ->check(CLI::ExistingFile)
        ->group(window);
    app.add_option_function<double>(
           "--pace", [&c](double pace) { c.pace = pace; },
           "Run's steps per second; 0: as fast as possible")
        ->type_name("N")
        ->check(cmdline::real_number(0, 1000))
        ->default_str("5, or 0 with --autorun-seconds")
        ->group(window);
    app.add_flag("--presentation", c.presentation, "start in Presentation mode (F11)")->group(window);
    app.add_option("--show-change", c.showChange,
                   "maps and kernels show their change: since Reset, or in the last step")
        ->type_name("WHAT")
        ->check(cmdline::one_of({"reset", "step"}))
        ->group(window);
    app.add_option_function<std::string>(
           "--size", [&c](const std::string& wh) {
               const auto [w, h] = cmdline::split_pair(wh, 'x');
               c.size = {int(w), int(h)};
           },
           "the window's size, kept within the screen")
        ->type_name("WxH")
        ->transform(cmdline::whole_number_pair('x', 1, 16384, false))
        ->group(window);
    app.add_flag("--fresh-layout", c.freshLayout, "ignore the remembered window layout")->group(window);

    CLI::Option* seconds = app.add_option_function<double>(
                                  "--autorun-seconds", [&c](double s) { c.autorunSeconds = s; },
                                  "train for N seconds, print the number of steps and the speed, and quit")
                               ->type_name("N")
                               ->check(cmdline::real_number(0, maxSeconds))
                               ->group(autorun);
    app.add_option_function<int>(
           "--steps", [&c](int n) { c.steps = n; },
           "instead, train exactly N steps at full speed (--autorun-seconds is then the most it may take)")
        ->type_name("N")
        ->transform(cmdline::whole_number(1, INT_MAX))
        ->needs(seconds)
        ->group(autorun);
    CLI::Option* screenshot =
        app.add_option("--screenshot", c.screenshot, "then save the window to this PNG and quit")
            ->type_name("PNG")
            ->needs(seconds)
            ->group(autorun);
    app.add_option("--inspect", c.inspect, "also save an enlarged map (a grid's object name and a map's index "
                                           "from 0 to 9999) next to the screenshot, e.g. layerGrid_conv2d:2")
        ->option_text("GRID:INDEX")
        ->check(gridAndIndex())
        ->needs(screenshot)
        ->group(autorun);
    app.add_flag("--latency-report", c.latencyReport,
                 "measure how late the window answers while it trains, and print it")
        ->needs(seconds)
        ->group(autorun);
    app.add_flag("--event-costs", c.eventCosts,
                 "with the lateness, print the events that took the window's thread longest (their receiver and type)")
        ->needs(seconds)
        ->group(autorun);
    app.add_flag("--exercise", c.exercise,
                 "also every 2 seconds open the dataset again, evaluate the test set or draw a digit (in turn)")
        ->needs(seconds)
        ->group(autorun);
    app.add_option_function<double>(
           "--report-every", [&c](double s) { c.reportEverySeconds = s; },
           "print the step, the speed, the memory (and with --latency-report the lateness) every S seconds")
        ->type_name("S")
        ->check(cmdline::real_number(0.1, maxSeconds))
        ->needs(seconds)
        ->group(autorun);
    app.footer("Qt's own options (-platform, -style, ...) are taken too.");
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return cmdline::exit_code(app, e);
    }
    return std::nullopt;
}

} // namespace

int main(int argc, char** argv)
{
    // Read once before Qt starts, so that --help, --version and mistakes need
    // no display (over ssh, in a package check) and no window ever opens for
    // them; then again once QApplication has taken its own options, to refuse
    // any word left that neither knows.
    CommandLine cl;
    if (const std::optional<int> code = parseCommandLine(argc, argv, cl, true)) return *code;
    TimedApplication app(argc, argv);
    QApplication::setStyle(QStringLiteral("Fusion"));
    nameApplication();
    if (const std::optional<int> code = parseCommandLine(argc, argv, cl, false)) return *code;

    MainWindow::Options options;
    options.dataset = QString::fromStdString(cl.dataset);
    options.restoreLayout = !cl.freshLayout && cl.screenshot.empty();
    options.shippedModel = !cl.reset && cl.arch.empty(); // also what stays when --model cannot be opened
    options.architecture = QString::fromStdString(cl.arch);
    options.model = QString::fromStdString(cl.model);
    // Measuring with --autorun-seconds means full speed, unless a pace is asked for.
    options.pace = cl.pace ? *cl.pace : cl.autorunSeconds ? 0.0 : 5.0;
    if (cl.autorunSeconds) options.confirmDiscard = false;
    MainWindow window(options);
    if (cl.size)
        window.resize(QSize(cl.size->first, cl.size->second).boundedTo(window.screen()->availableGeometry().size()));
    window.show();
    if (cl.presentation) window.setPresentation(true);
    if (!cl.showChange.empty()) {
        if (auto* display = window.displayControls())
            display->setChange(cl.showChange == "step" ? DisplayControls::Change::LastStep
                                                       : DisplayControls::Change::SinceReset);
    }

    EventLoopLatency meter, sinceReport; // the whole run; since the last report
    WindowExercise exerciser(&window, 2000);
    QTimer reporter;
    QElapsedTimer sinceStart;
    if (cl.autorunSeconds) {
        const int ms = int(*cl.autorunSeconds * 1000);
        auto startStep = std::make_shared<quint64>(0);
        auto startRested = std::make_shared<quint64>(0);
        auto clock = std::make_shared<QElapsedTimer>();
        const quint64 steps = quint64(cl.steps.value_or(0));
        auto finished = std::make_shared<bool>(false);
        auto finish = [&, startStep, startRested, clock, finished] {
            if (*finished) return;
            *finished = true;
            meter.stop();
            exerciser.stop();
            reporter.stop();
            sinceReport.stop();
            const quint64 trained = window.step() - *startStep;
            const double seconds = double(clock->elapsed()) / 1000;
            std::printf("convscope: %llu steps in %.1f s (%.1f steps/s) at pace %s, %.0f images/s\n",
                        static_cast<unsigned long long>(trained), seconds, seconds > 0 ? double(trained) / seconds : 0.0,
                        window.pace() > 0 ? qPrintable(QString::number(window.pace())) : "as fast as possible",
                        window.imagesPerSecond());
            if (trained > 0)
                std::printf("while the window drew, the trainer ran on one thread for %.1f%% of the steps\n",
                            100.0 * double(window.lastSnapshot().restedSteps - *startRested) / double(trained));
            if (cl.latencyReport) {
                std::printf("%s\n", qPrintable(meter.report()));
                std::printf("the latest tick was due %.2f s into the run\n", meter.summary().maxAt);
            }
            if (cl.exercise) std::printf("meanwhile: %s\n", qPrintable(exerciser.summary()));
            if (cl.eventCosts) std::printf("the costliest events %s:\n%s", cl.reportEverySeconds ? "since the last report" : "over the run",
                            qPrintable(app.report(15)));
            std::fflush(stdout);
            if (window.isTraining()) window.pause();
            if (cl.screenshot.empty()) {
                QApplication::quit();
                return;
            }
            // Let the pause and the last snapshot arrive, then grab.
            QTimer::singleShot(800, &window, [&] {
                const QString out = QString::fromStdString(cl.screenshot);
                window.grab().save(out, "PNG");
                if (!cl.inspect.empty()) {
                    const QString spec = QString::fromStdString(cl.inspect);
                    auto* grid = window.findChild<MapGridWidget*>(spec.section(QLatin1Char(':'), 0, 0));
                    if (grid) {
                        MapInspector* inspector = window.inspect(grid, spec.section(QLatin1Char(':'), 1).toInt());
                        QTimer::singleShot(400, &window, [inspector, out] {
                            QString mapPng = out;
                            mapPng.replace(QLatin1String(".png"), QLatin1String("-map.png"));
                            inspector->grab().save(mapPng, "PNG");
                            QApplication::quit();
                        });
                        return;
                    }
                }
                QApplication::quit();
            });
        };
        QObject::connect(&reporter, &QTimer::timeout, &window, [&] {
            // The lateness only when asked for: its 5 ms timer wakes the
            // window's thread 200 times a second, each time taking a core
            // from training (scripts/window_vs_headless.py reports often).
            std::printf("convscope: %.0f s, step %llu, %.0f images/s, RSS %.0f MB%s%s\n", sinceStart.elapsed() / 1000.0,
                        static_cast<unsigned long long>(window.step()), window.imagesPerSecond(), residentMegabytes(),
                        cl.latencyReport ? ", " : "", cl.latencyReport ? qPrintable(sinceReport.report()) : "");
            if (cl.eventCosts) {
                std::printf("%s", qPrintable(app.report(6)));
                app.resetCosts();
            }
            std::fflush(stdout);
            if (cl.latencyReport) sinceReport.start();
        });
        QTimer::singleShot(500, &window, [&, startStep, startRested, clock, steps, finish] {
            *startStep = window.step();
            *startRested = window.lastSnapshot().restedSteps;
            clock->start();
            if (cl.latencyReport) meter.start();
            if (cl.eventCosts) app.setTiming(true);
            if (cl.exercise) exerciser.start();
            sinceStart.start();
            if (cl.reportEverySeconds) {
                if (cl.latencyReport) sinceReport.start();
                reporter.start(int(*cl.reportEverySeconds * 1000));
            }
            if (steps == 0) {
                window.run();
                return;
            }
            window.trainSteps(int(steps));
            // Done when the last of them is shown.
            auto* poll = new QTimer(&window);
            QObject::connect(poll, &QTimer::timeout, &window, [&window, startStep, steps, finish, poll] {
                if (window.step() >= *startStep + steps && !window.isTraining()) {
                    poll->stop();
                    finish();
                }
            });
            poll->start(100);
        });
        QTimer::singleShot(500 + ms, &window, finish);
    }
    return app.exec();
}
