// convscope: the training workbench.
//
//   convscope [--dataset SPEC]                 digits (shipped) by default
//   convscope --autorun-seconds N --screenshot out.png [--inspect GRID:INDEX]
//       trains for N seconds, saves the window (and an enlarged map) as PNG,
//       prints the training speed and quits (scripts/screenshot.sh); without
//       --screenshot it only measures the speed
//   convscope --autorun-seconds N --latency-report
//       also prints how late the window's event loop answered meanwhile
//   convscope --autorun-seconds N --report-every S
//       prints the step, the speed, the memory and the lateness every S seconds (a soak)
#include "eventlooplatency.h"
#include "mainwindow.h"
#include "mapgridwidget.h"
#include "mapinspector.h"
#include "version.hpp"

#include <QAction>
#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFile>
#include <QTimer>

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
    const QCommandLineOption latency(QStringLiteral("latency-report"),
                                     QStringLiteral("With --autorun-seconds, measure how late the window answers while it trains, and print it."));
    const QCommandLineOption reportEvery(QStringLiteral("report-every"),
                                         QStringLiteral("With --autorun-seconds, print the step, the speed, the memory and the lateness every S seconds."),
                                         QStringLiteral("S"));
    parser.addOptions({dataset, autorun, screenshot, inspect, freshLayout, latency, reportEvery});
    parser.process(*app); // quits after --help or --version

    MainWindow::Options options;
    options.dataset = parser.value(dataset);
    options.restoreLayout = !parser.isSet(freshLayout) && !parser.isSet(screenshot);
    MainWindow window(options);
    window.show();

    EventLoopLatency meter, sinceReport; // the whole run; since the last report
    QTimer reporter;
    QElapsedTimer sinceStart;
    if (parser.isSet(autorun)) {
        const int ms = int(parser.value(autorun).toDouble() * 1000);
        QAction* run = window.findChild<QAction*>(QStringLiteral("runAction"));
        QTimer::singleShot(500, &window, [&, run] {
            run->trigger();
            if (parser.isSet(latency)) meter.start();
            sinceStart.start();
            if (parser.isSet(reportEvery)) {
                sinceReport.start();
                reporter.start(int(parser.value(reportEvery).toDouble() * 1000));
            }
        });
        QObject::connect(&reporter, &QTimer::timeout, &window, [&] {
            std::printf("convscope: %.0f s, step %llu, %.0f images/s, RSS %.0f MB, %s\n", sinceStart.elapsed() / 1000.0,
                        static_cast<unsigned long long>(window.step()), window.imagesPerSecond(), residentMegabytes(),
                        qPrintable(sinceReport.report()));
            std::fflush(stdout);
            sinceReport.start();
        });
        QTimer::singleShot(500 + ms, &window, [&] {
            meter.stop();
            reporter.stop();
            sinceReport.stop();
            std::printf("convscope: %llu steps, %.0f images/s\n", static_cast<unsigned long long>(window.step()),
                        window.imagesPerSecond());
            if (parser.isSet(latency)) std::printf("%s\n", qPrintable(meter.report()));
            std::fflush(stdout);
            if (window.isTraining()) run->trigger(); // pause
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
        });
    }
    return app->exec();
}
