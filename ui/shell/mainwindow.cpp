#include "mainwindow.h"

#include "architectureeditor.h"
#include "classlabels.h"
#include "curveswidget.h"
#include "datasplit.h"
#include "displaycontrols.h"
#include "samplelens.h"
#include "gradientcontrols.h"
#include "hyperparameterpanel.h"
#include "icons.h"
#include "imagebrowser.h"
#include "insightdocks.h"
#include "explanationpanel.h"
#include "kernelview.h"
#include "livelabel.h"
#include "mapgridwidget.h"
#include "mapinspector.h"
#include "messagebar.h"
#include "networkview.h"
#include "runhistory.h"
#include "runspanel.h"
#include "shippedmodel.h"
#include "examplehistorymodel.h"
#include "learninghistorypanel.h"
#include "timelinebar.h"
#include "timelinegif.h"
#include "timelineviews.h"
#include "trainingworker.h"
#include "errors.hpp"
#include "model_for_data.hpp"
#include "presets.hpp"
#include "thread_priority.hpp"
#include "version.hpp"

#include "firstlesson.h"
#include "helpguide.h"

#include <QAction>
#include <QFutureWatcher>
#include <QActionGroup>
#include <QSettings>
#include <QApplication>
#include <QComboBox>
#include <QScreen>
#include <QTimer>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QProgressDialog>
#include <QtConcurrent/QtConcurrentRun>

#include <atomic>
#include <QSettings>
#include <QStatusBar>
#include <QTabBar>
#include <QTableView>
#include <QToolBar>
#include <QVBoxLayout>

namespace {

constexpr int maxRecent = 8;

QString duration(double seconds)
{
    const qint64 s = qint64(seconds);
    return QStringLiteral("%1:%2:%3")
        .arg(s / 3600)
        .arg((s / 60) % 60, 2, 10, QLatin1Char('0'))
        .arg(s % 60, 2, 10, QLatin1Char('0'));
}

QString modelFilter()
{
    return QObject::tr("Models (*.npz *.h5 *.hdf5 *.keras);;ConvScope models (*.npz);;"
                       "Keras models and weights (*.h5 *.hdf5 *.keras);;All files (*)");
}

} // namespace

const std::vector<double>& MainWindow::paces()
{
    static const std::vector<double> list{1, 2, 5, 10, 20, 50, 0};
    return list;
}

MainWindow::MainWindow(const Options& options, QWidget* parent) : QMainWindow(parent), m_options(options)
{
    registerTrainingTypes();
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("ConvScope"));
    m_fitToScreen = new QTimer(this);
    m_fitToScreen->setSingleShot(true);
    m_fitToScreen->setInterval(150);
    connect(m_fitToScreen, &QTimer::timeout, this, &MainWindow::fitToScreen);
    setWindowIcon(QIcon(QStringLiteral(":/icons/convscope.png")));
    setDockOptions(AnimatedDocks | AllowNestedDocks | AllowTabbedDocks);

    m_worker = new TrainingWorker;
    m_worker->moveToThread(&m_thread);
    m_thread.setObjectName(QStringLiteral("training"));

    // The centre: messages above the network view.
    auto* centre = new QWidget(this);
    m_messages = new MessageBar(centre);
    m_network = new NetworkView(centre);
    auto* layout = new QVBoxLayout(centre);
    layout->setContentsMargins(4, 4, 4, 0);
    layout->setSpacing(4);
    layout->addWidget(m_messages);
    layout->addWidget(m_network, 1);
    setCentralWidget(centre);
    m_inspector = new MapInspector(this);

    createActions();
    createDocks();
    layout->insertWidget(1, m_insight->controls()); // above the network view
    m_display = new DisplayControls(centre);
    layout->insertWidget(2, m_display);
    connect(m_display, &DisplayControls::changeChosen, this, [this](DisplayControls::Change c) {
        m_insight->lens()->setChange(SampleLens::Change(int(c)));
        m_kernels->setChange(KernelView::Change(int(c)));
    });
    connect(m_insight->controls(), &GradientControls::modeChanged, m_display, &DisplayControls::setGradientsMode);
    auto* timelineBar = new TimelineBar(centre);
    layout->addWidget(timelineBar); // under the network view
    m_timeline = new TimelineViews(m_insight, m_kernels, m_display, timelineBar, this);
    connect(m_timeline, &TimelineViews::shownStepChanged, m_learning, &LearningHistoryPanel::setCurrentStep);
    connect(m_timeline, &TimelineViews::shownStepChanged, this, [this](quint64 step, bool history) {
        m_curves->setCursorStep(history ? std::optional<quint64>(step) : std::nullopt);
    });
    connect(m_timeline, &TimelineViews::shownStepChanged, this, [this](quint64 step, bool history) {
        statusBar()->showMessage(history ? tr("Showing step %L1 of the timeline (End: back to live)").arg(step)
                                         : tr("Back to the model in training"),
                                 4000);
    });
    connect(m_display, &DisplayControls::scaleModeChosen, this, [this](ScaleMode mode) {
        m_network->ranges().setMode(mode);
        m_insight->lens()->refresh();
        m_kernels->setScaleMode(mode);
    });
    createMenus();
    createStatusBar();
    connectWorker();
    m_thread.start();

    m_normalFont = font();
    fitToScreen();
    if (m_options.restoreLayout) {
        QSettings settings;
        restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
        restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
        m_curves->setLogScale(settings.value(QStringLiteral("curves/log"), false).toBool());
        fitToScreen(); // a layout remembered from a larger screen
    }
    setPace(m_options.pace);
    setBusy(false);
    if (!m_options.dataset.isEmpty() && openDataset(m_options.dataset)) {
        if (!m_options.architecture.isEmpty()) startWithArchitecture(m_options.architecture);
        else if (m_options.shippedModel) restoreShippedModel();
        if (!m_options.model.isEmpty()) openModel(m_options.model, false);
    }
}

MainWindow::~MainWindow()
{
    // Tiled's pattern: ask the worker to stop, end its event loop, wait.
    m_thread.requestInterruption();
    m_thread.quit();
    m_thread.wait();
    delete m_worker; // its thread has ended: nothing else touches it
}

void MainWindow::fitToScreen()
{
    // Within the screen's available area (a projector's 1280x720 has room
    // for less than the 1400x900 a desktop gets).
    const QScreen* screen = this->screen() ? this->screen() : QGuiApplication::primaryScreen();
    const QRect available = screen ? screen->availableGeometry() : QRect(0, 0, 1400, 900);
    // The window frame's decorations are not part of the size.
    const QSize frame = frameGeometry().size() - geometry().size();
    const QSize room = available.size() - frame.expandedTo(QSize(0, 0));
    const QSize want = isVisible() ? size() : QSize(1400, 900);
    const QSize size = want.boundedTo(room);
    resize(size);
    if (!isVisible() && (size.width() < 1400 || size.height() < 880)) {
        // A projector's screen: one column of panels on the left (Draw a
        // Digit in front, Images, Evaluation and Explain as tabs behind it), the
        // hyperparameters as a tab beside the curves; the network view gets
        // the rest of the width, and no column is taller than the screen.
        QDockWidget* drawing = m_insight->drawingDock();
        addDockWidget(Qt::LeftDockWidgetArea, drawing);
        tabifyDockWidget(drawing, m_imagesDock);
        tabifyDockWidget(drawing, m_insight->evaluationDock());
        tabifyDockWidget(drawing, m_insight->explainDock());
        tabifyDockWidget(drawing, m_learningDock);
        tabifyDockWidget(drawing, m_architectureDock);
        addDockWidget(Qt::BottomDockWidgetArea, m_hyperDock);
        tabifyDockWidget(m_curvesDock, m_hyperDock);
        drawing->raise();
        m_curvesDock->raise();
        resizeDocks({drawing}, {std::clamp(size.width() / 4, 260, 330)}, Qt::Horizontal);
    }
    if (!isVisible()) {
        // The curves a third of the height (their plots need it), whatever
        // the docks' first sizes made of it before the window had its size.
        resizeDocks({m_curvesDock}, {size.height() * 3 / 10}, Qt::Vertical);
    }
    if (isVisible() && !available.contains(frameGeometry())) move(available.topLeft());
}

void MainWindow::setPace(double stepsPerSecond)
{
    m_pace = std::max(stepsPerSecond, 0.0);
    int index = m_paceCombo->findData(m_pace);
    if (index < 0) {
        // A pace from the command line that the list lacks.
        m_paceCombo->addItem(tr("%1 steps/s").arg(m_pace), m_pace);
        index = m_paceCombo->count() - 1;
    }
    if (m_paceCombo->currentIndex() != index) {
        const QSignalBlocker block(m_paceCombo);
        m_paceCombo->setCurrentIndex(index);
    }
    const double pace = m_pace;
    post([pace](TrainingWorker* w) { w->setPace(pace); });
}

namespace {

// Posted when a snapshot has been shown, at the window's repaint's low
// priority: it comes after the repaint that the snapshot asked for. Qt
// delivers the events posted while it delivers others in a later pass, and
// a paint can ask for another (a rich-text label lays its text out in its
// first paint, then repaints; a chart's scene updates a pass late): posted
// again once, it comes after those too.
const QEvent::Type snapshotDrawnEvent = QEvent::Type(QEvent::registerEventType());

struct SnapshotDrawn : QEvent {
    explicit SnapshotDrawn(int passes) : QEvent(snapshotDrawnEvent), passesLeft(passes) {}
    int passesLeft;
};

} // namespace

bool MainWindow::event(QEvent* event)
{
    if (event->type() == snapshotDrawnEvent) {
        if (const int left = static_cast<SnapshotDrawn*>(event)->passesLeft; left > 0)
            QCoreApplication::postEvent(this, new SnapshotDrawn(left - 1), Qt::LowEventPriority);
        else
            m_worker->windowIdle();
        return true;
    }
    if (event->type() == QEvent::ChildPolished) {
        // The tab bars that QMainWindow makes for docks tabbed together:
        // whole titles, with scroll buttons when they do not fit, rather
        // than "D…", "E…", "Ex…" in a narrow dock (at 1400x900 the network
        // view takes the width it needs first).
        if (auto* bar = qobject_cast<QTabBar*>(static_cast<QChildEvent*>(event)->child())) {
            bar->setElideMode(Qt::ElideNone);
            bar->setUsesScrollButtons(true);
        }
    }
    const bool done = QMainWindow::event(event);
    // A resize, or a layout whose minimum may have shrunk since the window
    // grew: back within the screen once they settle (restarted each time).
    if ((event->type() == QEvent::Resize || event->type() == QEvent::LayoutRequest) && isVisible() && screen() &&
        !isFullScreen() && !screen()->availableGeometry().contains(frameGeometry()))
        m_fitToScreen->start();
    return done;
}

void MainWindow::setPresentation(bool on)
{
    if (on == m_presentation) return;
    m_presentation = on;
    if (m_presentationAction->isChecked() != on) {
        const QSignalBlocker block(m_presentationAction);
        m_presentationAction->setChecked(on);
    }
    if (on) {
        m_statusBeforePresentation = saveState();
        for (QDockWidget* side : {m_imagesDock, m_hyperDock, m_insight->drawingDock(), m_insight->evaluationDock(),
                                  m_insight->explainDock(), m_learningDock, m_architectureDock})
            side->hide();
        // The bottom row as tabs across the whole width: wide charts, and
        // kernels large enough to read when their tab is chosen.
        if (!m_kernelsDock->isFloating()) {
            tabifyDockWidget(m_curvesDock, m_kernelsDock);
            m_curvesDock->raise();
            resizeDocks({m_curvesDock}, {height() * 3 / 10}, Qt::Vertical);
        }
        QFont big = m_normalFont;
        big.setPointSizeF(m_normalFont.pointSizeF() * 1.5);
        setFont(big);
        // The timeline bar joins the row above the maps (they need the
        // height), at its usual size: the network view's caption says the
        // step shown in large type.
        QFont usual = m_normalFont;
        usual.setPointSizeF(m_normalFont.pointSizeF()); // set, so that the window's larger font does not reach it
        m_timeline->bar()->setFont(usual);
        m_display->setTrailingWidget(m_timeline->bar());
    } else {
        setFont(m_normalFont);
        m_display->setTrailingWidget(nullptr);
        m_timeline->bar()->setFont(QFont());
        centralWidget()->layout()->addWidget(m_timeline->bar()); // under the network view again
        restoreState(m_statusBeforePresentation);
    }
    m_curves->setTextScale(on ? 1.5 : 1.0);
    statusBar()->showMessage(on ? tr("Presentation: F11 to leave") : QString(), 4000);
}

TimelineBar* MainWindow::timelineBar() const { return m_timeline->bar(); }

void MainWindow::setTimelineBudget(int megabytes)
{
    m_timelineBudgetMB = std::clamp(megabytes, 16, 65536);
    QSettings().setValue(QStringLiteral("timeline/budgetMB"), m_timelineBudgetMB);
    const std::size_t bytes = std::size_t(m_timelineBudgetMB) << 20;
    post([bytes](TrainingWorker* w) { w->setTimelineBudget(bytes); });
}

void MainWindow::setZoom(double zoom)
{
    m_zoom = std::clamp(zoom, 1.0, 4.0);
    m_network->setZoom(m_zoom);
    m_kernels->setZoom(m_zoom);
    statusBar()->showMessage(m_zoom > 1 ? tr("Maps at %1% (Ctrl+0 fits them again)").arg(qRound(m_zoom * 100))
                                        : tr("Maps fitted to the window"),
                             3000);
}

bool MainWindow::confirmDiscard(const QString& what)
{
    if (!m_options.confirmDiscard || unsavedSteps() <= unsavedStepsWorthAsking) return true;
    const auto answer = QMessageBox::question(
        this, tr("Discard the training?"),
        tr("%1 discards %L2 steps of training that have not been saved. Go on?\n\n"
           "(File > Save Session keeps them.)")
            .arg(what)
            .arg(unsavedSteps()),
        QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Cancel);
    return answer == QMessageBox::Discard;
}

void MainWindow::trainSteps(int count)
{
    post([count](TrainingWorker* w) { w->step(count); });
}

void MainWindow::reset()
{
    if (!confirmDiscard(tr("Reset"))) return;
    // A new network starts at the pace a person can follow (the first
    // hundred steps are the lesson), not at the last run's full speed.
    setPace(m_options.pace);
    const Hyperparameters h = m_hyper->values();
    post([h](TrainingWorker* w) { w->reset(h); });
}

void MainWindow::applyArchitecture(const cs::Architecture& architecture)
{
    if (!confirmDiscard(tr("Applying a new network"))) return;
    setPace(m_options.pace); // as Reset: a new network starts at a pace a person can follow
    post([architecture](TrainingWorker* w) { w->setArchitecture(architecture); });
}

void MainWindow::showArchitectureDock()
{
    m_architectureDock->show();
    m_architectureDock->raise();
    // Room for the table's four columns (a desktop has it; a projector's
    // screen keeps its narrower column).
    if (!m_architectureDock->isFloating() && m_architectureDock->width() < 400 && width() >= 1400)
        resizeDocks({m_architectureDock}, {400}, Qt::Horizontal);
}

bool MainWindow::startWithArchitecture(const QString& nameOrPath)
{
    showArchitectureDock();
    const bool read = cs::is_preset(nameOrPath.toStdString()) ? m_architecture->loadPreset(nameOrPath)
                                                              : m_architecture->openFile(nameOrPath);
    const QString why = !read                                ? m_architecture->message()
                        : !m_architecture->model()->isValid() ? m_architecture->model()->firstProblem()
                                                              : m_architecture->fitProblem();
    if (!why.isEmpty()) {
        showError(tr("The network %1 cannot train on this data: %2. %3 trains meanwhile; the Architecture dock "
                     "shows what to change.")
                      .arg(nameOrPath, why, QString::fromLatin1(cs::default_preset)));
        return false;
    }
    const cs::Architecture architecture = m_architecture->edited();
    post([architecture](TrainingWorker* w) { w->setArchitecture(architecture); });
    return true;
}

void MainWindow::run()
{
    post([](TrainingWorker* w) { w->run(); });
}

void MainWindow::pause()
{
    post([](TrainingWorker* w) { w->pause(); });
}

void MainWindow::evaluate(bool test)
{
    m_raiseEvaluation = true;
    post([test](TrainingWorker* w) { w->evaluateSet(test); });
}

void MainWindow::post(std::function<void(TrainingWorker*)> request) const
{
    TrainingWorker* w = m_worker;
    QMetaObject::invokeMethod(w, [w, request = std::move(request)] { request(w); }, Qt::QueuedConnection);
}

std::vector<float> MainWindow::modelParameters() const
{
    std::vector<float> out;
    TrainingWorker* w = m_worker;
    QMetaObject::invokeMethod(w, [w, &out] { out = w->parameters(); }, Qt::BlockingQueuedConnection);
    return out;
}

void MainWindow::createActions()
{
    auto make = [this](const QString& name, const QString& text, const QString& tip, const QKeySequence& key,
                       ToolIcon icon) {
        auto* a = new QAction(toolIcon(icon), text, this);
        a->setObjectName(name);
        a->setShortcut(key);
        a->setToolTip(QStringLiteral("%1 (%2)").arg(tip, key.toString(QKeySequence::NativeText)));
        a->setStatusTip(tip);
        return a;
    };
    m_runAction = make(QStringLiteral("runAction"), tr("&Run"), tr("Train continuously until paused"),
                       QKeySequence(Qt::Key_Space), ToolIcon::Run);
    m_stepAction = make(QStringLiteral("stepAction"), tr("&Step"), tr("Train on exactly one mini-batch"),
                        QKeySequence(Qt::Key_Right), ToolIcon::Step);
    m_step10Action = make(QStringLiteral("step10Action"), tr("Step &x10"), tr("Train on 10 mini-batches"),
                          QKeySequence(Qt::SHIFT | Qt::Key_Right), ToolIcon::Step10);
    m_step100Action = make(QStringLiteral("step100Action"), tr("Step x&100"), tr("Train on 100 mini-batches"),
                           QKeySequence(Qt::CTRL | Qt::Key_Right), ToolIcon::Step100);
    m_epochAction = make(QStringLiteral("epochAction"), tr("Run One &Epoch"),
                         tr("Train until the end of the current epoch"), QKeySequence(Qt::CTRL | Qt::Key_E), ToolIcon::Epoch);
    m_resetAction = make(QStringLiteral("resetAction"), tr("Rese&t"),
                         tr("New weights from the seed; the step counter and the curves start again"),
                         QKeySequence(Qt::CTRL | Qt::Key_R), ToolIcon::Reset);
    m_evalTestAction = make(QStringLiteral("evaluateTestAction"), tr("Evaluate on &Test Set"),
                            tr("Predict every test image; wrong ones are marked in the image browser"),
                            QKeySequence(Qt::CTRL | Qt::Key_T), ToolIcon::Evaluate);
    m_evalTrainAction = new QAction(tr("Evaluate on T&raining Set"), this);
    m_evalTrainAction->setObjectName(QStringLiteral("evaluateTrainAction"));
    m_evalTrainAction->setToolTip(tr("Predict every training image (takes longer)"));

    connect(m_runAction, &QAction::triggered, this, [this] { m_busy ? pause() : run(); });
    connect(m_stepAction, &QAction::triggered, this, [this] { post([](TrainingWorker* w) { w->step(1); }); });
    connect(m_step10Action, &QAction::triggered, this, [this] { post([](TrainingWorker* w) { w->step(10); }); });
    connect(m_step100Action, &QAction::triggered, this, [this] { post([](TrainingWorker* w) { w->step(100); }); });
    connect(m_epochAction, &QAction::triggered, this, [this] { post([](TrainingWorker* w) { w->runEpoch(); }); });
    connect(m_resetAction, &QAction::triggered, this, &MainWindow::reset);
    connect(m_evalTestAction, &QAction::triggered, this, [this] { evaluate(true); });
    connect(m_evalTrainAction, &QAction::triggered, this, [this] { evaluate(false); });

    // Run's pace: slow enough at first to follow each step.
    m_paceCombo = new QComboBox(this);
    m_paceCombo->setObjectName(QStringLiteral("paceCombo"));
    for (double p : paces())
        m_paceCombo->addItem(p > 0 ? tr("%1 steps/s").arg(p) : tr("As fast as possible"), p);
    m_paceCombo->setToolTip(tr("Run's pace: training steps per second. Slow paces let you follow each step;\n"
                               "Step, Step x10, Step x100 and Run One Epoch always go at full speed."));
    m_paceCombo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    connect(m_paceCombo, &QComboBox::currentIndexChanged, this, [this] { setPace(m_paceCombo->currentData().toDouble()); });

    m_presentationAction = new QAction(tr("&Presentation"), this);
    m_presentationAction->setObjectName(QStringLiteral("presentationAction"));
    m_presentationAction->setCheckable(true);
    m_presentationAction->setShortcut(QKeySequence(Qt::Key_F11));
    m_presentationAction->setStatusTip(tr("For a projector: side panels hidden, larger text and maps (F11)"));
    connect(m_presentationAction, &QAction::toggled, this, &MainWindow::setPresentation);

    auto* bar = addToolBar(tr("Training"));
    bar->setObjectName(QStringLiteral("trainingToolBar"));
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    bar->setIconSize(QSize(20, 20));
    bar->addAction(m_runAction);
    auto* paceLabel = new QLabel(tr(" at "), this);
    bar->addWidget(paceLabel);
    bar->addWidget(m_paceCombo);
    bar->addSeparator();
    bar->addAction(m_stepAction);
    bar->addAction(m_step10Action);
    bar->addAction(m_step100Action);
    bar->addAction(m_epochAction);
    bar->addSeparator();
    bar->addAction(m_resetAction);
    bar->addAction(m_evalTestAction);
}

void MainWindow::createDocks()
{
    auto dock = [this](const QString& name, const QString& title, QWidget* content, Qt::DockWidgetArea area) {
        auto* d = new QDockWidget(title, this);
        d->setObjectName(name);
        d->setWidget(content);
        addDockWidget(area, d);
        return d;
    };
    // Left: the images above the hyperparameters. Bottom: the curves and,
    // beside them, the kernels. The network view gets the rest.
    m_browser = new ImageBrowser(this);
    m_imagesDock = dock(QStringLiteral("imagesDock"), tr("Images"), m_browser, Qt::LeftDockWidgetArea);
    m_hyper = new HyperparameterPanel(this);
    m_hyperDock = dock(QStringLiteral("hyperparametersDock"), tr("Hyperparameters"), m_hyper, Qt::LeftDockWidgetArea);
    splitDockWidget(m_imagesDock, m_hyperDock, Qt::Vertical);
    m_curves = new CurvesWidget(this);
    m_curvesDock = dock(QStringLiteral("curvesDock"), tr("Curves"), m_curves, Qt::BottomDockWidgetArea);
    m_kernels = new KernelView(this);
    m_kernelsDock = dock(QStringLiteral("kernelsDock"), tr("Kernels"), m_kernels, Qt::BottomDockWidgetArea);
    splitDockWidget(m_curvesDock, m_kernelsDock, Qt::Horizontal);
    setCorner(Qt::BottomLeftCorner, Qt::LeftDockWidgetArea);
    resizeDocks({m_imagesDock}, {240}, Qt::Horizontal);
    resizeDocks({m_imagesDock, m_hyperDock}, {520, 230}, Qt::Vertical);
    resizeDocks({m_curvesDock}, {300}, Qt::Vertical);
    resizeDocks({m_curvesDock, m_kernelsDock}, {780, 360}, Qt::Horizontal);

    connect(m_browser, &ImageBrowser::pinned, this, [this](bool test, int index) {
        post([test, index](TrainingWorker* w) { w->pin(test, index); });
    });
    connect(m_hyper, &HyperparameterPanel::changed, this, [this](const Hyperparameters& h) {
        post([h](TrainingWorker* w) { w->setHyperparameters(h); });
    });
    connect(m_hyper, &HyperparameterPanel::invalid, this, &MainWindow::showError);
    connect(m_network, &NetworkView::mapClicked, this, &MainWindow::inspect);
    // Drawing, gradients, evaluation (issue #5): docks of their own.
    m_insight = new InsightDocks(this, m_network, m_evalTestAction);
    // The weight gradients beside the curves (wide enough for kernels and
    // chart side by side); the weights' own kernels stay in view next to them.
    tabifyDockWidget(m_curvesDock, m_insight->gradientsDock());
    m_curvesDock->raise();
    resizeDocks({m_curvesDock, m_kernelsDock}, {780, 360}, Qt::Horizontal);
    // A click on a confusion-matrix cell shows those images in the image grid too.
    connect(m_insight, &InsightDocks::confusionCellChosen, m_browser, &ImageBrowser::showConfusionCell);
    connect(m_insight, &InsightDocks::pinRequested, this, &MainWindow::pin);
    connect(m_browser, &ImageBrowser::pinned, m_insight, &InsightDocks::datasetImagePinned);
    connect(m_kernels, &KernelView::mapClicked, this, &MainWindow::inspect);
    connect(m_kernels, &KernelView::weightClicked, m_insight->cellExplanation(), &ExplanationPanel::explainWeight);

    // The runs (issue #13): a tab behind the kernels, beside the curves that
    // draw the checked ones.
    m_runs = new RunHistory(this);
    m_runsPanel = new RunsPanel(m_runs, this);
    m_runsDock = dock(QStringLiteral("runsDock"), tr("Runs"), m_runsPanel, Qt::BottomDockWidgetArea);
    tabifyDockWidget(m_kernelsDock, m_runsDock);
    m_kernelsDock->raise();
    resizeDocks({m_curvesDock, m_kernelsDock}, {780, 360}, Qt::Horizontal);
    connect(m_runs, &RunHistory::shownCurvesChanged, this, [this] { m_curves->setRunCurves(m_runs->shownCurves()); });

    // The learning history of examples (issue 16): a tab behind Evaluation;
    // a click pins the image and shows that step.
    m_learning = new LearningHistoryPanel(this);
    m_learningDock = dock(QStringLiteral("learningHistoryDock"), tr("Learning History"), m_learning,
                          Qt::RightDockWidgetArea);
    tabifyDockWidget(m_insight->evaluationDock(), m_learningDock);
    connect(m_learning, &LearningHistoryPanel::exampleChosen, this, [this](int index, quint64 step) {
        pin(true, index);
        m_timeline->showStep(step);
    });

    // The network designer: a tab behind Draw a Digit (View > Architecture
    // brings it forward).
    m_architecture = new ArchitectureEditor(this);
    m_architectureDock = dock(QStringLiteral("architectureDock"), tr("Architecture"), m_architecture,
                              Qt::RightDockWidgetArea);
    tabifyDockWidget(m_insight->drawingDock(), m_architectureDock);
    m_insight->drawingDock()->raise();
    connect(m_architecture, &ArchitectureEditor::applyRequested, this, &MainWindow::applyArchitecture);
}

void MainWindow::createMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    m_datasetMenu = file->addMenu(tr("Open &Dataset"));
    for (const DatasetChoice& c : knownDatasets()) {
        QAction* a = m_datasetMenu->addAction(c.title);
        a->setObjectName(QStringLiteral("dataset_") + c.spec);
        a->setEnabled(c.available);
        a->setToolTip(c.available ? tr("Open %1").arg(c.title) : tr("Not installed on this machine"));
        const QString spec = c.spec;
        connect(a, &QAction::triggered, this, [this, spec] { openDatasetInBackground(spec); });
    }
    m_datasetMenu->addSeparator();
    m_datasetMenu->addAction(tr("IDX &Folder..."), this, [this] { openDatasetDialog(true); });
    m_datasetMenu->addAction(tr("NumPy .&npz File..."), this, [this] { openDatasetDialog(false); });
    m_datasetMenu->setToolTipsVisible(true);

    file->addSeparator();
    QAction* openModelAction = file->addAction(tr("&Open Model..."), this, [this] { openModelDialog(false); });
    openModelAction->setShortcut(QKeySequence::Open);
    openModelAction->setStatusTip(tr("Load a model's architecture and weights; training starts again from step 0"));
    openModelAction->setToolTip(tr("A ConvScope model (.npz) or a Keras model (.h5 from model.save, .keras); "
                                   "a Keras .h5 of weights only (model.save_weights) goes into the network in force"));
    QMenu* pixels = file->addMenu(tr("&Pixels of Keras Models"));
    pixels->setToolTipsVisible(true);
    auto* pixelGroup = new QActionGroup(this);
    const QString chosen = QSettings().value(QStringLiteral("keras/pixels"), QStringLiteral("auto")).toString();
    const struct {
        QString text, key, tip;
    } pixelChoices[] = {
        {tr("&Find Out"), QStringLiteral("auto"),
         tr("Read %1 test images both ways (and padded when the model's input is larger) and keep the reading "
            "that is right most often")
             .arg(cs::pixel_reading_test_images)},
        {tr("0..&1"), QStringLiteral("0-1"), tr("The model was trained on pixels from 0 to 1")},
        {tr("0..&255"), QStringLiteral("0-255"), tr("The model was trained on pixels from 0 to 255")},
    };
    for (const auto& c : pixelChoices) {
        QAction* a = pixels->addAction(c.text);
        a->setCheckable(true);
        a->setChecked(c.key == chosen);
        a->setToolTip(c.tip);
        a->setStatusTip(c.tip);
        pixelGroup->addAction(a);
        const QString key = c.key;
        connect(a, &QAction::triggered, this, [this, key] {
            QSettings().setValue(QStringLiteral("keras/pixels"), key);
            const cs::PixelRange range = cs::parse_pixel_range(key.toStdString());
            post([range](TrainingWorker* w) { w->setPixelRange(range); });
        });
    }
    {
        cs::PixelRange range = cs::PixelRange::automatic;
        try {
            range = cs::parse_pixel_range(chosen.toStdString());
        } catch (const cs::SettingError&) {
        }
        post([range](TrainingWorker* w) { w->setPixelRange(range); });
    }
    QAction* saveModelAction = file->addAction(tr("Save &Model As..."), this, [this] { saveModelDialog(false); });
    saveModelAction->setStatusTip(tr("Save the architecture and the weights"));
    file->addSeparator();
    QAction* openSession = file->addAction(tr("Open S&ession..."), this, [this] { openModelDialog(true); });
    openSession->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    openSession->setStatusTip(tr("Resume a saved session exactly where it stopped"));
    QAction* saveSession = file->addAction(tr("Save Sess&ion As..."), this, [this] { saveModelDialog(true); });
    saveSession->setShortcut(QKeySequence::Save);
    saveSession->setStatusTip(tr("Save the model with its optimizer state, step count and history"));
    m_recentMenu = file->addMenu(tr("Recent &Files"));
    rebuildRecentMenu();

    file->addSeparator();
    QMenu* exports = file->addMenu(tr("&Export"));
    exports->addAction(tr("&Network View as PNG..."), this, [this] { exportPngDialog(m_network, QStringLiteral("network.png")); });
    exports->addAction(tr("&Kernels as PNG..."), this, [this] { exportPngDialog(m_kernels, QStringLiteral("kernels.png")); });
    exports->addAction(tr("&Curves as PNG..."), this, [this] { exportPngDialog(m_curves, QStringLiteral("curves.png")); });
    exports->addAction(tr("&Window as PNG..."), this, [this] { exportPngDialog(this, QStringLiteral("convscope.png")); });
    QAction* gif = exports->addAction(tr("&Timeline as GIF..."), this, &MainWindow::exportTimelineGifDialog);
    gif->setObjectName(QStringLiteral("exportTimelineGifAction"));
    gif->setStatusTip(tr("The kernels, a layer's maps or the network over the kept steps, as an animated GIF for "
                         "slides"));
    exports->addSeparator();
    exports->addAction(tr("&Loss History as CSV..."), this, &MainWindow::exportCsvDialog);
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu* training = menuBar()->addMenu(tr("&Training"));
    training->addActions({m_runAction, m_stepAction, m_step10Action, m_step100Action, m_epochAction});
    training->addSeparator();
    training->addAction(m_resetAction);
    training->addSeparator();
    training->addActions({m_evalTestAction, m_evalTrainAction});
    training->addSeparator();
    QAction* restore = training->addAction(tr("Restore the &Shipped Model"), this, &MainWindow::restoreShippedModel);
    restore->setObjectName(QStringLiteral("restoreShippedModelAction"));
    restore->setStatusTip(tr("Back to the model that came with ConvScope, trained on the digits"));
    training->addSeparator();
    QAction* compare = training->addAction(tr("Compare R&uns"), this, [this] {
        m_runsDock->show();
        m_runsDock->raise();
        m_runsPanel->table()->setFocus();
    });
    compare->setObjectName(QStringLiteral("compareRunsAction"));
    compare->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_U));
    compare->setStatusTip(tr("The earlier runs (every Reset starts one): check one to draw its curves over this one's"));

    QMenu* timeline = menuBar()->addMenu(tr("T&imeline"));
    TimelineBar* bar = m_timeline->bar();
    QAction* back = timeline->addAction(tr("Step &Back in Time"), bar, &TimelineBar::stepBack);
    back->setObjectName(QStringLiteral("timelineBackAction"));
    back->setShortcut(QKeySequence(Qt::ALT | Qt::Key_Left));
    back->setStatusTip(tr("Show the kept step before the one shown"));
    QAction* forward = timeline->addAction(tr("Step &Forward in Time"), bar, &TimelineBar::stepForward);
    forward->setObjectName(QStringLiteral("timelineForwardAction"));
    forward->setShortcut(QKeySequence(Qt::ALT | Qt::Key_Right));
    QAction* replay = timeline->addAction(tr("&Replay Training"), bar, [bar] { bar->isPlaying() ? bar->pauseReplay() : bar->play(); });
    replay->setObjectName(QStringLiteral("timelineReplayAction"));
    replay->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
    replay->setStatusTip(tr("Play the kept steps as a movie, from the one shown"));
    QAction* live = timeline->addAction(tr("Back to &Live"), bar, &TimelineBar::goLive);
    live->setObjectName(QStringLiteral("timelineLiveAction"));
    live->setShortcut(QKeySequence(Qt::Key_End));
    live->setStatusTip(tr("Show the model in training again"));
    timeline->addSeparator();
    QAction* memory = timeline->addAction(tr("&Memory for the Timeline..."), this, [this] {
        bool ok = false;
        const int mb = QInputDialog::getInt(this, tr("Memory for the Timeline"),
                                            tr("The most memory the kept steps may take, in MB.\nLeNet-5 keeps about "
                                               "4 steps a MB; older steps are thinned to fit."),
                                            m_timelineBudgetMB, 16, 65536, 64, &ok);
        if (ok) setTimelineBudget(mb);
    });
    memory->setObjectName(QStringLiteral("timelineMemoryAction"));

    QMenu* view = menuBar()->addMenu(tr("&View"));
    view->addAction(m_presentationAction);
    QAction* zoomIn = view->addAction(tr("Zoom &In"), this, [this] { setZoom(m_zoom * 1.25); });
    zoomIn->setObjectName(QStringLiteral("zoomInAction"));
    zoomIn->setShortcuts({QKeySequence::ZoomIn, QKeySequence(Qt::CTRL | Qt::Key_Equal)});
    zoomIn->setStatusTip(tr("Larger maps and kernels (scroll to see them all)"));
    QAction* zoomOut = view->addAction(tr("Zoom &Out"), this, [this] { setZoom(m_zoom / 1.25); });
    zoomOut->setObjectName(QStringLiteral("zoomOutAction"));
    zoomOut->setShortcut(QKeySequence::ZoomOut);
    QAction* zoomFit = view->addAction(tr("&Fit Maps"), this, [this] { setZoom(1); });
    zoomFit->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_0));
    QAction* design = view->addAction(tr("Design the &Network"), this, [this] {
        showArchitectureDock();
        m_architecture->setFocus();
    });
    design->setObjectName(QStringLiteral("designNetworkAction"));
    design->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_A));
    design->setStatusTip(tr("The Architecture dock: change the layers, see their shapes, apply"));
    view->addSeparator();
    for (QDockWidget* d : findChildren<QDockWidget*>()) view->addAction(d->toggleViewAction());

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    QAction* seeing = help->addAction(tr("&What Am I Seeing?"), this, &MainWindow::whatAmISeeing);
    seeing->setObjectName(QStringLiteral("whatAmISeeingAction"));
    seeing->setShortcut(QKeySequence::HelpContents);
    QAction* lesson = help->addAction(tr("A &First Lesson"), this, &MainWindow::firstLesson);
    lesson->setObjectName(QStringLiteral("firstLessonAction"));
    help->addSeparator();
    help->addAction(tr("&About ConvScope"), this, &MainWindow::about);
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);
}

void MainWindow::createStatusBar()
{
    // Live labels: they change with every snapshot and must not lay the
    // window out again each time (see LiveLabel).
    auto label = [this](const QString& name, int width) {
        auto* live = new LiveLabel(this);
        QLabel* l = live->label();
        l->setObjectName(name);
        live->setMinimumWidth(width);
        l->setAlignment(Qt::AlignCenter);
        statusBar()->addPermanentWidget(live);
        return l;
    };
    m_stepLabel = label(QStringLiteral("stepLabel"), 110);
    m_epochLabel = label(QStringLiteral("epochLabel"), 110);
    m_loadProgress = new QProgressBar(this);
    m_loadProgress->setObjectName(QStringLiteral("loadProgress"));
    m_loadProgress->setRange(0, 0); // busy: reading a dataset takes a moment, not steps
    m_loadProgress->setMaximumWidth(120);
    m_loadProgress->hide();
    statusBar()->addWidget(m_loadProgress);
    m_epochProgress = new QProgressBar(this);
    m_epochProgress->setObjectName(QStringLiteral("epochProgress"));
    m_epochProgress->setMaximumWidth(120);
    // The percentage in the epoch label beside it: a fill across its own
    // text hid it.
    m_epochProgress->setTextVisible(false);
    m_epochProgress->setMaximumHeight(12);
    m_epochProgress->setToolTip(tr("Progress through the current epoch"));
    statusBar()->addPermanentWidget(m_epochProgress);
    m_speedLabel = label(QStringLiteral("speedLabel"), 120);
    m_speedLabel->setToolTip(tr("Training speed over the last 10 seconds of running"));
    m_timeLabel = label(QStringLiteral("timeLabel"), 80);
    m_timeLabel->setToolTip(tr("Time spent training"));
}

void MainWindow::connectWorker()
{
    m_timelineBudgetMB = std::clamp(QSettings().value(QStringLiteral("timeline/budgetMB"), 256).toInt(), 16, 65536);
    const std::size_t budget = std::size_t(m_timelineBudgetMB) << 20;
    connect(&m_thread, &QThread::started, m_worker, [w = m_worker, budget] {
        w->runBehindTheWindow(); // first: BLAS may start threads of its own here
        w->useOneBlasThread();
        w->setTestEvaluation(200, 1000);
        w->setTimelineBudget(budget);
    });
    connect(m_worker, &TrainingWorker::snapshotReady, this, &MainWindow::showSnapshot);
    connect(m_worker, &TrainingWorker::historyReplaced, this, [this](const cs::TrainingHistory& h) {
        // A new model (Reset, a file, another dataset's network): its curves,
        // no evaluation of it yet, nothing unsaved.
        m_curves->setHistory(h);
        m_browser->clearEvaluations();
        m_insight->modelReplaced();
        m_kernels->takeBaseline();
        m_divergence.clear();
        m_savedStep = h.steps();
    });
    connect(m_worker, &TrainingWorker::hyperparametersChanged, m_hyper, &HyperparameterPanel::setValues);
    connect(m_worker, &TrainingWorker::hyperparametersChanged, m_runs, &RunHistory::setCurrentSettings);
    connect(m_worker, &TrainingWorker::runEnded, m_runs, &RunHistory::endCurrent);
    connect(m_worker, &TrainingWorker::runStarted, m_runs, &RunHistory::startCurrent);
    connect(m_worker, &TrainingWorker::runsRestored, m_runs, &RunHistory::restore);
    connect(m_worker, &TrainingWorker::evaluated, this, &MainWindow::evaluationArrived);
    connect(m_worker, &TrainingWorker::busyChanged, this, &MainWindow::setBusy);
    connect(m_worker, &TrainingWorker::errorOccurred, this, &MainWindow::showError);
    connect(m_worker, &TrainingWorker::notice, this, &MainWindow::showNotice);
    connect(m_worker, &TrainingWorker::architectureChanged, m_architecture, &ArchitectureEditor::setRunning);
    connect(m_worker, &TrainingWorker::modelSaved, this, [this](const QString& path) {
        statusBar()->showMessage(tr("Saved %1").arg(QDir::toNativeSeparators(path)), 5000);
        m_savedStep = m_step;
        emit modelSaved(path);
    });
    connect(m_worker, &TrainingWorker::modelLoaded, this, [this](const QString& path) {
        const bool shipped = path == shippedModelPath();
        statusBar()->showMessage(shipped ? tr("Opened the shipped model (LeNet-5 trained on the shipped digits)")
                                         : tr("Opened %1").arg(QDir::toNativeSeparators(path)),
                                 5000);
        m_messages->hide();
        if (shipped) m_insight->expectShippedModel();
        emit modelLoaded(path);
    });
}

void MainWindow::evaluationArrived(const SetEvaluation& e)
{
    // One asked for before a change of dataset describes the old images.
    if (e.datasetGeneration != m_datasetGeneration) return;
    m_browser->setEvaluation(e);
    m_insight->showEvaluation(e);
    statusBar()->showMessage(tr("%1 set at step %L2: %3% right, loss %4")
                                 .arg(splitTitle(splitOf(e.test)))
                                 .arg(e.step)
                                 .arg(e.accuracy * 100, 0, 'f', 2)
                                 .arg(e.loss, 0, 'f', 4),
                             8000);
    if (m_raiseEvaluation) {
        // Asked for: bring the results forward.
        m_raiseEvaluation = false;
        m_insight->evaluationDock()->show();
        m_insight->evaluationDock()->raise();
    }
}

void MainWindow::showSnapshot(const TrainingSnapshot& s)
{
    m_worker->snapshotConsumed();
    m_curves->appendSteps(s.firstStep, s.losses, s.accuracies, s.epochs);
    m_curves->appendEvaluations(s.evaluations);
    m_runs->updateCurrent(s);
    for (const TrainingEvent& e : s.events) m_curves->addEvent(e);
    // The network view (through the gradient lens) and the kernels, unless
    // a step of the timeline is shown instead.
    m_timeline->showSnapshot(s);
    m_learning->setModel(s.network, s.timeline);
    if (!m_timeline->isHistory()) m_learning->setCurrentStep(s.step);
    m_browser->setModelStep(s.step);

    if (m_browser->pinnedTest() != s.pinnedTest || m_browser->pinnedIndex() != s.pinnedIndex) {
        // The worker chose the sample (after a Reset: one the fresh network
        // misreads): the image grid marks it too.
        const QSignalBlocker block(m_browser);
        m_browser->pin(s.pinnedTest, s.pinnedIndex);
    }
    if (const auto boom = m_divergence.add(s.firstStep, s.losses)) {
        // Name the change that preceded it, if there was one.
        const std::vector<TrainingEvent>& events = m_curves->events();
        QString cause = tr("with learning rate %1").arg(HyperparameterPanel::plainNumber(m_hyper->values().learningRate));
        for (auto e = events.rbegin(); e != events.rend(); ++e)
            if (e->step < boom->step) {
                cause = tr("after %1 at step %L2").arg(e->text).arg(e->step);
                break;
            }
        showWarning(tr("The loss exploded %1: by step %L2 it had grown from %3 to %4. Reset, or lower the learning "
                       "rate.")
                        .arg(cause)
                        .arg(boom->step)
                        .arg(boom->before, 0, 'f', 2)
                        .arg(boom->now, 0, 'f', 1));
    }
    m_step = s.step;
    m_imagesPerSecond = s.imagesPerSecond;
    m_stepLabel->setText(tr("Step %L1").arg(s.step));
    m_epochLabel->setText(tr("Epoch %1 \u00b7 %2%").arg(s.epoch + 1).arg(s.epochSamples ? 100 * s.position / s.epochSamples : 0));
    {
        // QProgressBar::setValue repaints at once (QWidget::repaint), which
        // painted and flushed the window in the middle of this function, and
        // the rest of the picture in a second pass: with updates off it is
        // repainted with the rest.
        m_epochProgress->setUpdatesEnabled(false);
        m_epochProgress->setRange(0, int(std::max<quint64>(s.epochSamples, 1)));
        m_epochProgress->setValue(int(s.position));
        m_epochProgress->setUpdatesEnabled(true); // and update()
    }
    m_speedLabel->setText(s.imagesPerSecond > 0 ? tr("%L1 images/s").arg(qRound(s.imagesPerSecond)) : tr("\u2013 images/s"));
    m_timeLabel->setText(duration(s.trainingSeconds));
    if (m_last.parameterCount != s.parameterCount || m_last.layers.size() != s.layers.size())
        m_hyper->setModelSummary(tr("Model: %1 layers, %L2 parameters.").arg(s.layers.size()).arg(s.parameterCount));
    // Keep what describes the current state (not the per-step lists).
    m_last = s;
    m_last.losses.clear();
    m_last.accuracies.clear();
    m_last.epochs.clear();
    emit snapshotShown(s.step);
    // The worker's helpers rest until the window has drawn this (TrainingWorker::windowIdle).
    QCoreApplication::postEvent(this, new SnapshotDrawn(1), Qt::LowEventPriority);
}

void MainWindow::setBusy(bool busy)
{
    m_busy = busy;
    m_runAction->setText(busy ? tr("&Pause") : tr("&Run"));
    m_runAction->setIcon(toolIcon(busy ? ToolIcon::Pause : ToolIcon::Run));
    m_runAction->setToolTip(busy ? tr("Pause training (Space)") : tr("Train continuously until paused (Space)"));
    for (QAction* a : {m_stepAction, m_step10Action, m_step100Action, m_epochAction}) a->setEnabled(!busy);
    emit trainingChanged(busy);
}

void MainWindow::showError(const QString& message)
{
    m_lastError = message;
    post([](TrainingWorker* w) { w->pause(); });
    m_messages->showMessage(message, MessageBar::Kind::Error);
    emit errorShown(message);
}

void MainWindow::showNotice(const QString& message)
{
    m_messages->showMessage(message, MessageBar::Kind::Information);
}

void MainWindow::showWarning(const QString& message)
{
    m_lastWarning = message;
    m_messages->showMessage(message, MessageBar::Kind::Error);
    emit warningShown(message);
}

namespace {

// Reads a dataset and checks that it can be trained on; throws with a
// message naming the file and the problem.
std::shared_ptr<const cs::Dataset> readDataset(const QString& spec)
{
    std::shared_ptr<const cs::Dataset> data = ::openDataset(spec);
    if (data->train_images.rank() != 4 || data->train_images.dim(0) == 0 || data->classes() < 2)
        throw cs::FormatError(spec.toStdString() + ": no training images or fewer than two classes");
    // A new network for these images may be the default preset (when the
    // one in force cannot take them): refused here, before the window takes
    // them, rather than by the worker after it has.
    const cs::Tensor<float>& t = data->train_images;
    const cs::Shape sample{t.dim(1), t.dim(2), t.dim(3)};
    try {
        cs::preset_architecture(cs::default_preset, sample, data->classes());
    } catch (const cs::ShapeError& e) {
        throw cs::ShapeError(spec.toStdString() + ": the default network (" + cs::default_preset +
                             ", LeNet-5) cannot be trained on images of " + shapeText(sample).toStdString() + ": " +
                             e.what());
    }
    return data;
}

} // namespace

bool MainWindow::openDataset(const QString& spec)
{
    std::shared_ptr<const cs::Dataset> data;
    QGuiApplication::setOverrideCursor(Qt::WaitCursor);
    try {
        data = readDataset(spec);
    } catch (const std::exception& e) {
        QGuiApplication::restoreOverrideCursor();
        showDatasetError(QString::fromStdString(e.what()));
        return false;
    }
    QGuiApplication::restoreOverrideCursor();
    return applyDataset(data, spec);
}

void MainWindow::openDatasetInBackground(const QString& spec)
{
    // The full MNIST takes about a second to decompress: read it in the
    // thread pool and keep the window answering meanwhile.
    if (m_datasetLoad) return; // one at a time
    using Result = std::pair<std::shared_ptr<const cs::Dataset>, QString>;
    m_datasetLoad = new DatasetLoad(this);
    m_datasetMenu->setEnabled(false);
    statusBar()->showMessage(tr("Opening %1...").arg(spec));
    m_loadProgress->show();
    connect(m_datasetLoad, &DatasetLoad::finished, this, [this, spec] {
        const Result r = m_datasetLoad->result();
        m_datasetLoad->deleteLater();
        m_datasetLoad = nullptr;
        m_datasetMenu->setEnabled(true);
        m_loadProgress->hide();
        statusBar()->clearMessage();
        bool applied = false;
        if (r.first)
            applied = applyDataset(r.first, spec);
        else
            showDatasetError(r.second);
        emit datasetOpened(applied);
    });
    m_datasetLoad->setFuture(QtConcurrent::run([spec]() -> Result {
        try {
            return {readDataset(spec), {}};
        } catch (const std::exception& e) {
            return {nullptr, QString::fromStdString(e.what())};
        }
    }));
}

void MainWindow::showDatasetError(const QString& why)
{
    showError(tr("Could not open the dataset: %1. The current dataset and model are kept.").arg(why));
}

bool MainWindow::applyDataset(std::shared_ptr<const cs::Dataset> data, const QString& spec)
{
    // Other classes (or another image shape) mean a new network: the
    // training so far is lost unless it was saved.
    auto sample = [](const cs::Dataset& d) {
        const cs::Tensor<float>& t = d.train_images;
        return cs::Shape{t.dim(1), t.dim(2), t.dim(3)};
    };
    const bool replacesModel =
        m_dataset && (m_dataset->class_names != data->class_names || !(sample(*m_dataset) == sample(*data)));
    if (replacesModel && !confirmDiscard(tr("Opening a dataset with other classes"))) {
        statusBar()->showMessage(tr("%1 not opened: the current dataset and model are kept.").arg(spec), 5000);
        return false;
    }
    m_dataset = data;
    m_datasetSpec = spec;
    m_network->setClassNames(classNames(*data));
    m_browser->setDataset(data);
    m_insight->setDataset(data);
    m_learning->setDataset(data);
    m_architecture->setData(sample(*data), data->classes(),
                            data->name.empty() ? QFileInfo(spec).fileName() : QString::fromStdString(data->name));
    ++m_datasetGeneration;
    post([data, spec](TrainingWorker* w) { w->setDataset(data, spec); });
    const QString name = QString::fromStdString(data->name.empty() ? spec.toStdString() : data->name);
    setWindowTitle(tr("%1 \u2014 ConvScope").arg(name));
    const cs::Tensor<float>& t = data->train_images;
    statusBar()->showMessage(tr("%1: %L2 training and %L3 test images of %4x%5x%6, %7 classes")
                                 .arg(name)
                                 .arg(t.dim(0))
                                 .arg(data->test_images.dim(0))
                                 .arg(t.dim(1))
                                 .arg(t.dim(2))
                                 .arg(t.dim(3))
                                 .arg(data->classes()),
                             8000);
    if (QFileInfo::exists(spec)) addRecent(QStringLiteral("dataset"), spec);
    m_messages->hide();
    return true;
}

void MainWindow::openModel(const QString& path, bool session)
{
    addRecent(session ? QStringLiteral("session") : QStringLiteral("model"), path);
    post([path, session](TrainingWorker* w) { w->loadModel(path, session); });
}

void MainWindow::saveModel(const QString& path, bool session)
{
    addRecent(session ? QStringLiteral("session") : QStringLiteral("model"), path);
    // A session keeps the runs: the window's names and earlier runs go with
    // the request, by value.
    cs::SessionRuns runs = session ? m_runs->sessionRuns() : cs::SessionRuns{};
    post([path, session, runs = std::move(runs)](TrainingWorker* w) mutable { w->saveModel(path, session, std::move(runs)); });
}

bool MainWindow::restoreShippedModel()
{
    if (!confirmDiscard(tr("Restoring the shipped model"))) return false;
    const QString path = shippedModelPath();
    if (path.isEmpty()) {
        showError(tr("This build of ConvScope has no shipped model."));
        return false;
    }
    post([path](TrainingWorker* w) { w->loadModel(path, true); });
    return true;
}

void MainWindow::pin(bool test, int index)
{
    m_insight->datasetImagePinned();
    m_browser->pin(test, index);
    post([test, index](TrainingWorker* w) { w->pin(test, index); });
}

MapInspector* MainWindow::inspect(MapGridWidget* grid, int index)
{
    m_inspector->inspect(grid, index);
    return m_inspector;
}

bool MainWindow::exportCsv(const QString& path)
{
    QString error;
    if (!m_curves->writeCsv(path, &error)) {
        showError(tr("Could not write %1: %2").arg(path, error));
        return false;
    }
    statusBar()->showMessage(tr("Wrote %L1 steps to %2").arg(m_curves->stepCount()).arg(path), 5000);
    return true;
}

bool MainWindow::exportPng(QWidget* widget, const QString& path)
{
    if (!widget->grab().save(path, "PNG")) {
        showError(tr("Could not write the image %1").arg(path));
        return false;
    }
    statusBar()->showMessage(tr("Saved %1").arg(path), 5000);
    return true;
}

void MainWindow::openDatasetDialog(bool folder)
{
    const QString path = folder ? QFileDialog::getExistingDirectory(this, tr("Open an IDX folder"))
                                : QFileDialog::getOpenFileName(this, tr("Open a NumPy dataset"), QString(),
                                                               tr("NumPy archives (*.npz);;All files (*)"));
    if (!path.isEmpty()) openDatasetInBackground(path);
}

void MainWindow::openModelDialog(bool session)
{
    if (!confirmDiscard(session ? tr("Opening a session") : tr("Opening a model"))) return;
    const QString path = QFileDialog::getOpenFileName(this, session ? tr("Open a session") : tr("Open a model"), QString(),
                                                      modelFilter());
    if (!path.isEmpty()) openModel(path, session);
}

void MainWindow::saveModelDialog(bool session)
{
    QString path = QFileDialog::getSaveFileName(this, session ? tr("Save the session") : tr("Save the model"),
                                                session ? QStringLiteral("session.npz") : QStringLiteral("model.npz"),
                                                modelFilter());
    if (path.isEmpty()) return;
    if (!path.endsWith(QLatin1String(".npz"), Qt::CaseInsensitive)) path += QStringLiteral(".npz");
    saveModel(path, session);
}

void MainWindow::exportPngDialog(QWidget* widget, const QString& name)
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export as PNG"), name, tr("PNG images (*.png)"));
    if (!path.isEmpty()) exportPng(widget, path);
}

void MainWindow::exportCsvDialog()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export the loss history"), QStringLiteral("history.csv"),
                                                      tr("CSV files (*.csv)"));
    if (!path.isEmpty()) exportCsv(path);
}

void MainWindow::exportTimelineGifDialog()
{
    const TrainingSnapshot& live = m_last;
    if (!live.timeline || !live.network || live.timeline->size() < 2) {
        showWarning(tr("The timeline keeps fewer than two steps of this model: train a few steps first."));
        return;
    }
    TimelineGifDialog dialog(*live.network, live.timeline->steps(), this);
    if (dialog.exec() != QDialog::Accepted) return;
    const TimelineGifChoice choice = dialog.choice();
    const QString path = QFileDialog::getSaveFileName(this, tr("Export Timeline as GIF"), QStringLiteral("timeline.gif"),
                                                      tr("GIF images (*.gif)"));
    if (!path.isEmpty()) exportTimelineGif(path, choice);
}

void MainWindow::exportTimelineGif(const QString& path, const TimelineGifChoice& choice)
{
    const TrainingSnapshot& live = m_last;
    if (!live.timeline || !live.network) {
        emit timelineGifWritten(path, false);
        return;
    }
    const std::vector<std::uint64_t> steps = timelineGifSteps(live.timeline->steps(), choice.first, choice.last,
                                                              choice.maxFrames);
    // Everything the task reads, by value or shared: the window goes on meanwhile.
    auto network = live.network;
    auto timeline = live.timeline;
    const cs::Tensor<float> sample = live.input;
    const QStringList names = m_dataset ? classNames(*m_dataset) : QStringList();
    const int label = live.pinnedLabel;
    auto done = std::make_shared<std::atomic<int>>(0);
    auto stop = std::make_shared<std::atomic<bool>>(false);
    auto* progress = new QProgressDialog(tr("Drawing %n frame(s)...", nullptr, int(steps.size())), tr("Stop"), 0,
                                         int(steps.size()), this);
    progress->setWindowTitle(tr("Export Timeline as GIF"));
    progress->setMinimumDuration(500);
    progress->setAttribute(Qt::WA_DeleteOnClose);
    connect(progress, &QProgressDialog::canceled, this, [stop] { *stop = true; });
    auto* poll = new QTimer(progress);
    connect(poll, &QTimer::timeout, progress, [progress, done] { progress->setValue(*done); });
    poll->start(100);
    auto* watcher = new QFutureWatcher<QString>(this);
    connect(watcher, &QFutureWatcher<QString>::finished, this, [this, watcher, progress, path, stop, steps] {
        const QString error = watcher->result();
        const bool stopped = *stop;
        watcher->deleteLater();
        progress->disconnect(this); // closing it says "canceled"
        progress->close();
        if (stopped) {
            statusBar()->showMessage(tr("Export of %1 stopped: nothing written").arg(path), 6000);
            emit timelineGifWritten(path, false);
        } else if (!error.isEmpty()) {
            showError(tr("Could not export the timeline as %1: %2").arg(path, error));
            emit timelineGifWritten(path, false);
        } else {
            statusBar()->showMessage(tr("Wrote %1: %n frame(s)", nullptr, int(steps.size())).arg(path), 8000);
            emit timelineGifWritten(path, true);
        }
    });
    watcher->setFuture(QtConcurrent::run(ExampleHistoryModel::backgroundPool(), [=]() -> QString {
        cs::lower_current_thread_priority(cs::background_niceness); // the window first
        try {
            writeTimelineGif(path, *network, *timeline, steps, choice.view, sample, names, label, choice.framesPerSecond,
                             [done, stop](int frames, int) {
                                 *done = frames;
                                 return !*stop;
                             });
            return {};
        } catch (const std::exception& e) {
            return QString::fromUtf8(e.what());
        }
    }));
}

void MainWindow::addRecent(const QString& kind, const QString& path)
{
    QSettings settings;
    QStringList recent = settings.value(QStringLiteral("recentFiles")).toStringList();
    const QString entry = kind + QLatin1Char('|') + QFileInfo(path).absoluteFilePath();
    recent.removeAll(entry);
    recent.prepend(entry);
    while (recent.size() > maxRecent) recent.removeLast();
    settings.setValue(QStringLiteral("recentFiles"), recent);
    rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu()
{
    m_recentMenu->clear();
    const QStringList recent = QSettings().value(QStringLiteral("recentFiles")).toStringList();
    for (const QString& entry : recent) {
        const QString kind = entry.section(QLatin1Char('|'), 0, 0);
        const QString path = entry.section(QLatin1Char('|'), 1);
        const QString label = kind == QLatin1String("dataset") ? tr("Dataset: %1")
                              : kind == QLatin1String("session") ? tr("Session: %1")
                                                                  : tr("Model: %1");
        QAction* a = m_recentMenu->addAction(label.arg(QFileInfo(path).fileName()));
        a->setToolTip(path);
        connect(a, &QAction::triggered, this, [this, kind, path] {
            if (kind == QLatin1String("dataset")) openDatasetInBackground(path);
            else openModel(path, kind == QLatin1String("session"));
        });
    }
    m_recentMenu->setEnabled(!recent.isEmpty());
}

void MainWindow::about()
{
    QMessageBox::about(this, tr("About ConvScope"),
                       tr("<h3>ConvScope %1</h3>"
                          "<p>Watch a convolutional network (LeNet-5) learn, one mini-batch at a time: the "
                          "feature maps of a sample, the kernels and the curves change with every step.</p>"
                          "<p>Core: C++20 and Armadillo. Interface: Qt %2 and Qt Charts.</p>")
                           .arg(QString::fromLatin1(cs::version()), QString::fromLatin1(qVersion())));
}

void MainWindow::whatAmISeeing()
{
    // Pictures of the panels as they are now: the guide shows this window.
    delete m_guide;
    auto* guide = new HelpGuide(this);
    m_guide = guide;
    guide->setIllustration(QStringLiteral("network"), m_network);
    guide->setIllustration(QStringLiteral("controls"), m_display);
    guide->setIllustration(QStringLiteral("timeline"), m_timeline->bar());
    guide->setIllustration(QStringLiteral("kernels"), m_kernels);
    guide->setIllustration(QStringLiteral("curves"), m_curves);
    guide->setIllustration(QStringLiteral("drawing"), m_insight->drawingDock()->widget());
    guide->setIllustration(QStringLiteral("evaluation"), m_insight->evaluationDock()->widget());
    guide->build();
    guide->show();
}

void MainWindow::firstLesson()
{
    if (!m_lessonDock) {
        m_lessonDock = new QDockWidget(tr("A First Lesson"), this);
        m_lessonDock->setObjectName(QStringLiteral("lessonDock"));
        m_lesson = new FirstLesson(this);
        m_lessonDock->setWidget(m_lesson);
        addDockWidget(Qt::RightDockWidgetArea, m_lessonDock);
        if (m_insight->drawingDock()->isVisible())
            splitDockWidget(m_insight->drawingDock(), m_lessonDock, Qt::Vertical);
    }
    m_lesson->setStage(0);
    m_lessonDock->show();
    m_lessonDock->raise();
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    settings.setValue(QStringLiteral("curves/log"), m_curves->logScale());
    m_inspector->close();
    QMainWindow::closeEvent(event);
}
