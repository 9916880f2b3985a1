// MainWindow: the training workbench.
//
//   centre   the network view (the pinned sample through every layer)
//   left     the image browser          right  hyperparameters, kernels
//   bottom   the curves                 status step, epoch, images/s, time
//            the kernels, the runs (tabs)
// Docks can be moved and closed; their layout is remembered (QSettings).
// Training runs in a TrainingWorker on its own thread; the window sends it
// requests and shows the snapshots it sends back. Errors appear in a message
// bar inside the window (never a blocking dialog) and pause training.
#pragma once

#include "datasetloader.h"
#include "divergencewatch.h"
#include "trainingtypes.h"

#include <QFutureWatcher>
#include <QMainWindow>
#include <QThread>

#include <functional>
#include <memory>

class ArchitectureEditor;
class CurvesWidget;
class DisplayControls;
class FirstLesson;
class HyperparameterPanel;
class InsightDocks;
class ImageBrowser;
class KernelView;
class LearningHistoryPanel;
class MapGridWidget;
class MapInspector;
class MessageBar;
class NetworkView;
class QAction;
class QComboBox;
class QDialog;
class QDockWidget;
class QLabel;
class QMenu;
class QProgressBar;
class RunHistory;
class RunsPanel;
class TimelineBar;
class TimelineViews;
class TrainingWorker;

class QTimer;

class MainWindow : public QMainWindow {
    Q_OBJECT

public:
    struct Options {
        QString dataset = QStringLiteral("digits"); // opened at start ("" for none)
        bool restoreLayout = true;                   // from QSettings
        bool shippedModel = true;                    // start with the shipped model (shippedmodel.h)
        double pace = 5;                             // Run's steps per second (0: as fast as possible)
        bool confirmDiscard = true;                  // ask before Reset etc. discards unsaved training
        // The network to start with (--arch): a preset, a Keras .json or a
        // model .npz; "" for the shipped model (or the default preset).
        QString architecture;
        QString model; // a model file to open (--model), "" for none
    };

    // Run's paces offered on the toolbar, steps per second (0: as fast as possible).
    static const std::vector<double>& paces();
    // Steps trained since the model was last saved, loaded or reset, beyond
    // which Reset and Restore ask first.
    static constexpr quint64 unsavedStepsWorthAsking = 300;

    explicit MainWindow(const Options& options, QWidget* parent = nullptr);
    explicit MainWindow(QWidget* parent = nullptr) : MainWindow(Options{}, parent) {}
    ~MainWindow() override;

    // What the menus do, callable without their file dialogs (tests, scripts).
    // Reads the dataset now (start-up, tests); false with a message on failure.
    bool openDataset(const QString& spec);
    // The same from the menus: read in the thread pool while the window goes
    // on; datasetOpened(ok) when done.
    void openDatasetInBackground(const QString& spec);
    // What the current dataset was opened from ("digits", a path...).
    QString datasetSpec() const { return m_datasetSpec; }
    void openModel(const QString& path, bool session);
    void saveModel(const QString& path, bool session);
    bool exportCsv(const QString& path);
    bool exportPng(QWidget* widget, const QString& path);
    // The timeline as an animated GIF, drawn and written in the thread pool
    // (a progress dialog can stop it); timelineGifWritten says how it went.
    void exportTimelineGif(const QString& path, const struct TimelineGifChoice& choice);
    void pin(bool test, int index);
    // Run's pace in steps per second (0: as fast as possible).
    void setPace(double stepsPerSecond);
    double pace() const { return m_pace; }
    // View > Presentation: side panels hidden, larger text and maps.
    void setPresentation(bool on);
    bool isPresentation() const { return m_presentation; }
    // Ctrl+ / Ctrl-: the maps and kernels larger or smaller (1 = fitted).
    void setZoom(double zoom);
    double zoom() const { return m_zoom; }
    // Exactly `count` steps at full speed (Step xN).
    void trainSteps(int count);
    // Run (train at the pace until paused) and Pause, as the Run button.
    void run();
    void pause();
    // Evaluate on the test or the training set, as the menu: the results
    // are brought forward when they arrive.
    void evaluate(bool test);
    // Reset as from the menu (asks first when unsaved training would be lost).
    void reset();
    // The Architecture dock's Apply: the network built from the seed, a new
    // run (asks first, as Reset).
    void applyArchitecture(const cs::Architecture& architecture);
    // --arch: the network shown in the Architecture dock and, when it can
    // train on the data, applied; false with the reason in the message bar.
    bool startWithArchitecture(const QString& nameOrPath);
    // Whether Reset, Restore and Open ask before discarding unsaved training.
    void setConfirmDiscard(bool on) { m_options.confirmDiscard = on; }
    // Opens the enlarged view of map `index` of a grid.
    MapInspector* inspect(MapGridWidget* grid, int index);

    // What the window shows.
    quint64 step() const { return m_step; }
    bool isTraining() const { return m_busy; }
    double imagesPerSecond() const { return m_imagesPerSecond; }
    QString lastError() const { return m_lastError; }
    QString lastWarning() const { return m_lastWarning; }
    const TrainingSnapshot& lastSnapshot() const { return m_last; }
    std::shared_ptr<const cs::Dataset> dataset() const { return m_dataset; }
    NetworkView* networkView() const { return m_network; }
    KernelView* kernelView() const { return m_kernels; }
    CurvesWidget* curves() const { return m_curves; }
    ImageBrowser* imageBrowser() const { return m_browser; }
    HyperparameterPanel* hyperparameters() const { return m_hyper; }
    MessageBar* messageBar() const { return m_messages; }
    // The drawing, gradient and evaluation views (issue #5).
    InsightDocks* insight() const { return m_insight; }
    DisplayControls* displayControls() const { return m_display; }
    // The runs: the current one and those before it (issue #13).
    RunHistory* runs() const { return m_runs; }
    RunsPanel* runsPanel() const { return m_runsPanel; }
    QDockWidget* runsDock() const { return m_runsDock; }
    ArchitectureEditor* architectureEditor() const { return m_architecture; }
    // Going back in training (issue 16): the bar under the network view and
    // the views it drives.
    TimelineBar* timelineBar() const;
    TimelineViews* timelineViews() const { return m_timeline; }
    LearningHistoryPanel* learningHistory() const { return m_learning; }
    QDockWidget* learningHistoryDock() const { return m_learningDock; }
    // The most memory the timeline keeps, in MB (remembered).
    void setTimelineBudget(int megabytes);
    int timelineBudget() const { return m_timelineBudgetMB; }
    QDockWidget* architectureDock() const { return m_architectureDock; }
    // Loads the model shipped with the app (a session: its curves come along).
    bool restoreShippedModel();
    // A copy of the model's parameters, fetched from the worker (waits for
    // the current slice of steps).
    std::vector<float> modelParameters() const;
    // Steps trained since the model was saved, loaded or reset.
    quint64 unsavedSteps() const { return m_step > m_savedStep ? m_step - m_savedStep : 0; }

signals:
    void snapshotShown(quint64 step);
    void errorShown(const QString& message);
    void warningShown(const QString& message);
    void trainingChanged(bool training);
    void modelSaved(const QString& path);
    // ok false: the reason is in the message bar (or it was stopped).
    void timelineGifWritten(const QString& path, bool ok);
    void modelLoaded(const QString& path);
    void datasetOpened(bool ok);

protected:
    void closeEvent(QCloseEvent* event) override;
    bool event(QEvent* event) override;

private:
    void createActions();
    void createMenus();
    void createDocks();
    void createStatusBar();
    void connectWorker();
    void post(std::function<void(TrainingWorker*)> request) const;
    void showSnapshot(const TrainingSnapshot& snapshot);
    void showError(const QString& message);
    void showNotice(const QString& message);
    // A warning that does not pause training (the loss exploded).
    void showWarning(const QString& message);
    void setBusy(bool busy);
    void addRecent(const QString& kind, const QString& path);
    void rebuildRecentMenu();
    void openDatasetDialog(bool folder);
    // False when the user declined to lose the training it would replace.
    bool applyDataset(std::shared_ptr<const cs::Dataset> data, const QString& spec);
    void showDatasetError(const QString& why);
    void openModelDialog(bool session);
    void saveModelDialog(bool session);
    void exportPngDialog(QWidget* widget, const QString& name);
    void exportCsvDialog();
    void exportTimelineGifDialog();
    void about();
    void whatAmISeeing();
    void firstLesson();
    // True when nothing would be lost, or the user agrees to lose it.
    bool confirmDiscard(const QString& what);
    void fitToScreen();
    // Brings the Architecture dock forward, wide enough for its table.
    void showArchitectureDock();
    void evaluationArrived(const SetEvaluation& evaluation);

    Options m_options;
    QThread m_thread;
    TrainingWorker* m_worker = nullptr; // lives in m_thread
    std::shared_ptr<const cs::Dataset> m_dataset;
    QString m_datasetSpec;
    quint64 m_datasetGeneration = 0; // datasets sent to the worker
    TrainingSnapshot m_last;
    quint64 m_step = 0;
    quint64 m_savedStep = 0; // step at which the model was last saved, loaded or reset
    bool m_busy = false;
    double m_pace = 5;
    bool m_presentation = false;
    QByteArray m_statusBeforePresentation;
    double m_zoom = 1;
    QFont m_normalFont;
    bool m_raiseEvaluation = false; // the user asked for an evaluation: show it
    double m_imagesPerSecond = 0;
    QString m_lastError, m_lastWarning;

    NetworkView* m_network = nullptr;
    KernelView* m_kernels = nullptr;
    QDockWidget *m_imagesDock = nullptr, *m_hyperDock = nullptr, *m_curvesDock = nullptr, *m_kernelsDock = nullptr;
    QDockWidget* m_lessonDock = nullptr; // made when the lesson is first asked for
    CurvesWidget* m_curves = nullptr;
    ImageBrowser* m_browser = nullptr;
    HyperparameterPanel* m_hyper = nullptr;
    MessageBar* m_messages = nullptr;
    MapInspector* m_inspector = nullptr;
    DisplayControls* m_display = nullptr;
    DivergenceWatch m_divergence;
    TimelineViews* m_timeline = nullptr;
    LearningHistoryPanel* m_learning = nullptr;
    QDockWidget* m_learningDock = nullptr;
    int m_timelineBudgetMB = 256;
    InsightDocks* m_insight = nullptr;
    RunHistory* m_runs = nullptr;
    RunsPanel* m_runsPanel = nullptr;
    QDockWidget* m_runsDock = nullptr;
    ArchitectureEditor* m_architecture = nullptr;
    QDockWidget* m_architectureDock = nullptr;
    // A layout that asked for more than the screen holds for a moment (the
    // docks back after Presentation while the maps still had its larger
    // text; a deep network before its row learnt to scroll) leaves the
    // window wider than the screen: this calls fitToScreen once all settled.
    QTimer* m_fitToScreen = nullptr;

    QAction *m_runAction = nullptr, *m_stepAction = nullptr, *m_step10Action = nullptr, *m_step100Action = nullptr;
    QAction *m_epochAction = nullptr, *m_resetAction = nullptr, *m_evalTestAction = nullptr, *m_evalTrainAction = nullptr;
    QMenu* m_recentMenu = nullptr;
    QMenu* m_datasetMenu = nullptr;
    QComboBox* m_paceCombo = nullptr;
    QAction* m_presentationAction = nullptr;
    QDialog* m_guide = nullptr;
    FirstLesson* m_lesson = nullptr;

    QLabel *m_stepLabel = nullptr, *m_epochLabel = nullptr, *m_speedLabel = nullptr, *m_timeLabel = nullptr;
    QProgressBar* m_epochProgress = nullptr;
    QProgressBar* m_loadProgress = nullptr;
    // A dataset being read in the thread pool: what it gave, or why not.
    using DatasetLoad = QFutureWatcher<std::pair<std::shared_ptr<const cs::Dataset>, QString>>;
    DatasetLoad* m_datasetLoad = nullptr;
};
