// MainWindow: the training workbench.
//
//   centre   the network view (the pinned sample through every layer)
//   left     the image browser          right  hyperparameters, kernels
//   bottom   the curves                 status step, epoch, images/s, time
// Docks can be moved and closed; their layout is remembered (QSettings).
// Training runs in a TrainingWorker on its own thread; the window sends it
// requests and shows the snapshots it sends back. Errors appear in a message
// bar inside the window (never a blocking dialog) and pause training.
#pragma once

#include "datasetloader.h"
#include "trainingtypes.h"

#include <QFutureWatcher>
#include <QMainWindow>
#include <QThread>

#include <functional>
#include <memory>

class CurvesWidget;
class HyperparameterPanel;
class InsightDocks;
class ImageBrowser;
class KernelView;
class MapGridWidget;
class MapInspector;
class MessageBar;
class NetworkView;
class QAction;
class QLabel;
class QMenu;
class QProgressBar;
class TrainingWorker;

class MainWindow : public QMainWindow {
    Q_OBJECT

public:
    struct Options {
        QString dataset = QStringLiteral("digits"); // opened at start ("" for none)
        bool restoreLayout = true;                   // from QSettings
        bool shippedModel = true;                    // start with the shipped model (shippedmodel.h)
    };

    explicit MainWindow(const Options& options, QWidget* parent = nullptr);
    explicit MainWindow(QWidget* parent = nullptr) : MainWindow(Options{}, parent) {}
    ~MainWindow() override;

    // What the menus do, callable without their file dialogs (tests, scripts).
    // Reads the dataset now (start-up, tests); false with a message on failure.
    bool openDataset(const QString& spec);
    // The same from the menus: read in the thread pool while the window goes
    // on; datasetOpened(ok) when done.
    void openDatasetInBackground(const QString& spec);
    void openModel(const QString& path, bool session);
    void saveModel(const QString& path, bool session);
    bool exportCsv(const QString& path);
    bool exportPng(QWidget* widget, const QString& path);
    void pin(bool test, int index);
    // Opens the enlarged view of map `index` of a grid.
    MapInspector* inspect(MapGridWidget* grid, int index);

    // What the window shows.
    quint64 step() const { return m_step; }
    bool isTraining() const { return m_busy; }
    double imagesPerSecond() const { return m_imagesPerSecond; }
    QString lastError() const { return m_lastError; }
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
    // Loads the model shipped with the app (a session: its curves come along).
    bool restoreShippedModel();
    // A copy of the model's parameters, fetched from the worker (waits for
    // the current slice of steps).
    std::vector<float> modelParameters() const;

signals:
    void snapshotShown(quint64 step);
    void errorShown(const QString& message);
    void trainingChanged(bool training);
    void modelSaved(const QString& path);
    void modelLoaded(const QString& path);
    void datasetOpened(bool ok);

protected:
    void closeEvent(QCloseEvent* event) override;

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
    void setBusy(bool busy);
    void addRecent(const QString& kind, const QString& path);
    void rebuildRecentMenu();
    void openDatasetDialog(bool folder);
    void applyDataset(std::shared_ptr<const cs::Dataset> data, const QString& spec);
    void showDatasetError(const QString& why);
    void openModelDialog(bool session);
    void saveModelDialog(bool session);
    void exportPngDialog(QWidget* widget, const QString& name);
    void exportCsvDialog();
    void about();

    Options m_options;
    QThread m_thread;
    TrainingWorker* m_worker = nullptr; // lives in m_thread
    std::shared_ptr<const cs::Dataset> m_dataset;
    QString m_datasetSpec;
    TrainingSnapshot m_last;
    quint64 m_step = 0;
    bool m_busy = false;
    double m_imagesPerSecond = 0;
    QString m_lastError;

    NetworkView* m_network = nullptr;
    KernelView* m_kernels = nullptr;
    CurvesWidget* m_curves = nullptr;
    ImageBrowser* m_browser = nullptr;
    bool m_confusionTest = true; // the set of the evaluation the confusion matrix shows
    HyperparameterPanel* m_hyper = nullptr;
    MessageBar* m_messages = nullptr;
    MapInspector* m_inspector = nullptr;
    InsightDocks* m_insight = nullptr;

    QAction *m_runAction = nullptr, *m_stepAction = nullptr, *m_step10Action = nullptr, *m_step100Action = nullptr;
    QAction *m_epochAction = nullptr, *m_resetAction = nullptr, *m_evalTestAction = nullptr, *m_evalTrainAction = nullptr;
    QMenu* m_recentMenu = nullptr;
    QMenu* m_datasetMenu = nullptr;

    QLabel *m_stepLabel = nullptr, *m_epochLabel = nullptr, *m_speedLabel = nullptr, *m_timeLabel = nullptr;
    QProgressBar* m_epochProgress = nullptr;
    QProgressBar* m_loadProgress = nullptr;
    // A dataset being read in the thread pool: what it gave, or why not.
    using DatasetLoad = QFutureWatcher<std::pair<std::shared_ptr<const cs::Dataset>, QString>>;
    DatasetLoad* m_datasetLoad = nullptr;
};
