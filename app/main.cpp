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
//   convscope --autorun-seconds N --report-every S
//       prints the step, the speed, the memory and the lateness every S seconds (a soak)
//   --reset, --presentation, --show-change reset|step, --size WxH
//       for screenshots: start from fresh weights, in Presentation mode,
//       with a change view, at a window size
#include "displaycontrols.h"
#include "eventlooplatency.h"
#include "mainwindow.h"
#include "mapgridwidget.h"
#include "mapinspector.h"
#include "version.hpp"
#include "windowexercise.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFile>
#include <QScreen>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <memory>

namespace {

// --help and --version print and quit: they must work without a display
// (over ssh, in a package check), so they get a QCoreApplication.
bool onlyPrints(int argc, char** argv)
{
    for (int i = 1; i < argc; ++i)
        for (const char* flag : {"-h", "--help", "--help-all", "-v", "--version"})
            if (!std::strcmp(argv[i], flag)) return true;
    return false;
}

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

} // namespace

int main(int argc, char** argv)
{
    std::unique_ptr<QCoreApplication> app;
    if (onlyPrints(argc, argv)) {
        app = std::make_unique<QCoreApplication>(argc, argv);
    } else {
        app = std::make_unique<QApplication>(argc, argv);
        QApplication::setStyle(QStringLiteral("Fusion"));
    }
    nameApplication();

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Watch a CNN (LeNet-5) learn."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption dataset(QStringLiteral("dataset"), QStringLiteral("digits, mnist, fashion, an IDX folder or a .npz file."),
                                     QStringLiteral("spec"), QStringLiteral("digits"));
    const QCommandLineOption autorun(QStringLiteral("autorun-seconds"), QStringLiteral("Train for N seconds, then stop."),
                                     QStringLiteral("N"));
    const QCommandLineOption screenshot(QStringLiteral("screenshot"), QStringLiteral("After --autorun-seconds, save the window to this PNG and quit."),
                                        QStringLiteral("png"));
    const QCommandLineOption inspect(QStringLiteral("inspect"), QStringLiteral("Also save an enlarged map (grid object name:index) next to the screenshot."),
                                     QStringLiteral("grid:index"));
    const QCommandLineOption freshLayout(QStringLiteral("fresh-layout"), QStringLiteral("Ignore the remembered window layout."));
    const QCommandLineOption pace(QStringLiteral("pace"),
                                  QStringLiteral("Run at N steps per second (0: as fast as possible; default 5, or full "
                                                 "speed with --autorun-seconds)."),
                                  QStringLiteral("N"));
    const QCommandLineOption reset(QStringLiteral("reset"), QStringLiteral("Start from fresh weights instead of the shipped model."));
    const QCommandLineOption presentation(QStringLiteral("presentation"), QStringLiteral("Start in Presentation mode (F11)."));
    const QCommandLineOption showChange(QStringLiteral("show-change"),
                                        QStringLiteral("Maps and kernels show their change: 'reset' (since Reset) or 'step' (in the last step)."),
                                        QStringLiteral("what"));
    const QCommandLineOption windowSize(QStringLiteral("size"), QStringLiteral("Window size, e.g. 1280x720 (within the screen)."),
                                        QStringLiteral("WxH"));
    const QCommandLineOption exactSteps(QStringLiteral("steps"),
                                        QStringLiteral("Instead of running for --autorun-seconds, train exactly N steps at "
                                                       "full speed (--autorun-seconds is then the most it may take)."),
                                        QStringLiteral("N"));
    const QCommandLineOption latency(QStringLiteral("latency-report"),
                                     QStringLiteral("With --autorun-seconds, measure how late the window answers while it trains, and print it."));
    const QCommandLineOption reportEvery(QStringLiteral("report-every"),
                                         QStringLiteral("With --autorun-seconds, print the step, the speed, the memory and the lateness every S seconds."),
                                         QStringLiteral("S"));
    const QCommandLineOption exercise(QStringLiteral("exercise"),
                                      QStringLiteral("With --autorun-seconds, also every 2 seconds open the dataset again, "
                                                     "evaluate the test set or draw a digit (in turn)."));
    parser.addOptions({dataset, autorun, screenshot, inspect, freshLayout, pace, reset, presentation, showChange, windowSize,
                       exactSteps, latency, reportEvery, exercise});
    parser.process(*app); // quits after --help or --version

    MainWindow::Options options;
    options.dataset = parser.value(dataset);
    options.restoreLayout = !parser.isSet(freshLayout) && !parser.isSet(screenshot);
    options.shippedModel = !parser.isSet(reset);
    // Measuring with --autorun-seconds means full speed, unless a pace is asked for.
    options.pace = parser.isSet(pace) ? std::max(0.0, parser.value(pace).toDouble()) : parser.isSet(autorun) ? 0.0 : 5.0;
    if (parser.isSet(autorun)) options.confirmDiscard = false;
    MainWindow window(options);
    if (parser.isSet(windowSize)) {
        const QStringList wh = parser.value(windowSize).split(QLatin1Char('x'));
        const QRect room = window.screen()->availableGeometry();
        if (wh.size() == 2) window.resize(QSize(wh[0].toInt(), wh[1].toInt()).boundedTo(room.size()));
    }
    window.show();
    if (parser.isSet(presentation)) window.setPresentation(true);
    if (parser.isSet(showChange)) {
        if (auto* display = window.displayControls())
            display->setChange(parser.value(showChange) == QLatin1String("step") ? DisplayControls::Change::LastStep
                                                                                 : DisplayControls::Change::SinceReset);
    }

    EventLoopLatency meter, sinceReport; // the whole run; since the last report
    WindowExercise exerciser(&window, 2000);
    QTimer reporter;
    QElapsedTimer sinceStart;
    if (parser.isSet(autorun)) {
        const int ms = int(parser.value(autorun).toDouble() * 1000);
        auto startStep = std::make_shared<quint64>(0);
        auto clock = std::make_shared<QElapsedTimer>();
        const quint64 steps = parser.value(exactSteps).toULongLong();
        auto finished = std::make_shared<bool>(false);
        auto finish = [&, startStep, clock, finished] {
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
            if (parser.isSet(latency)) std::printf("%s\n", qPrintable(meter.report()));
            if (parser.isSet(exercise)) std::printf("meanwhile: %s\n", qPrintable(exerciser.summary()));
            std::fflush(stdout);
            if (window.isTraining()) window.pause();
            if (!parser.isSet(screenshot)) {
                QApplication::quit();
                return;
            }
            // Let the pause and the last snapshot arrive, then grab.
            QTimer::singleShot(800, &window, [&] {
                const QString out = parser.value(screenshot);
                window.grab().save(out, "PNG");
                if (parser.isSet(inspect)) {
                    const QString spec = parser.value(inspect);
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
            std::printf("convscope: %.0f s, step %llu, %.0f images/s, RSS %.0f MB, %s\n", sinceStart.elapsed() / 1000.0,
                        static_cast<unsigned long long>(window.step()), window.imagesPerSecond(), residentMegabytes(),
                        qPrintable(sinceReport.report()));
            std::fflush(stdout);
            sinceReport.start();
        });
        QTimer::singleShot(500, &window, [&, startStep, clock, steps, finish] {
            *startStep = window.step();
            clock->start();
            if (parser.isSet(latency)) meter.start();
            if (parser.isSet(exercise)) exerciser.start();
            sinceStart.start();
            if (parser.isSet(reportEvery)) {
                sinceReport.start();
                reporter.start(int(parser.value(reportEvery).toDouble() * 1000));
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
    return app->exec();
}
