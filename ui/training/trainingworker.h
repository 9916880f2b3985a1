// TrainingWorker: the model, its optimizer and its trainer, in a thread of
// their own (Tiled's and Mandelbrot's pattern).
//
// Requests come in as queued calls (QMetaObject::invokeMethod with a functor,
// or queued connections); results go out by value in signals. The worker
// never blocks on the window: while it runs it does steps in slices of about
// 40 ms and, after each slice, emits one TrainingSnapshot that counts every
// step of the slice, so the display follows the screen's pace, not the
// step rate. Between slices its event loop takes new requests (pause,
// hyperparameters, pin), which therefore apply from the next step.
//
// Runs: every new model (Reset, a model file, another dataset's network)
// starts a run. The run it ends goes out whole in runEnded (settings,
// figures, history), then runStarted describes the new one; a session that
// holds earlier runs sends them in runsRestored first. The window keeps the
// list and the names (RunHistory) and hands them back with a session save.
//
// One model: the trainer's steps, the pinned sample and the evaluations all
// run through it, each in a workspace of its own (the trainer's, the pinned
// sample's, the evaluations'), so reading one sample never disturbs the
// training buffers. A snapshot carries the shared, immutable network and a
// copy of the parameters, which the window reads with workspaces of its own.
#pragma once

#include "datasetloader.h"
#include "trainingtypes.h"
#include "pixel_reading.hpp"
#include "sequential.hpp"
#include "trainer.hpp"

#include <QElapsedTimer>
#include <QObject>

#include <atomic>
#include <deque>
#include <limits>
#include <memory>
#include <mutex>
#include <utility>

class TrainingWorker : public QObject {
    Q_OBJECT

public:
    explicit TrainingWorker(QObject* parent = nullptr);
    ~TrainingWorker() override;

    // Everything below runs in the worker's thread.

    // A new dataset. The model is kept when it takes the new images (same
    // shape and classes); otherwise a new network is built for them: the
    // preset in force made again for their shape and classes, the user's
    // own network if it takes them, else the default preset (the user's is
    // then set aside: architectureChanged says so).
    void setDataset(std::shared_ptr<const cs::Dataset> dataset, const QString& spec);
    // New weights from the seed, optimizer and step counter from zero (the
    // network in force, rebuilt).
    void reset(const Hyperparameters& hyperparameters);
    // Another network (the Architecture dock's Apply): built with weights
    // from the seed, and a new run started as Reset starts one. Refused
    // (errorOccurred, the model kept) unless it takes the data.
    void setArchitecture(const cs::Architecture& architecture);
    const cs::Architecture& architecture() const { return m_architecture; }
    // Exactly `count` mini-batches (a snapshot at least at the end).
    void step(int count);
    void run();
    // Run's pace in steps per second (0: as fast as possible). Run keeps to
    // it; Step, Step xN and Run One Epoch stay at full speed.
    void setPace(double stepsPerSecond);
    double pace() const { return m_pace; }
    // Until the end of the current epoch.
    void runEpoch();
    void pause();
    // Applies from the next step; a refused value is reported and the old
    // one kept (hyperparametersChanged carries what is in force).
    void setHyperparameters(const Hyperparameters& hyperparameters);
    // The user's choice of sample (kept over Reset).
    void pin(bool test, int index);
    // Predictions over the whole training or test set.
    void evaluateSet(bool test);
    // session: with optimizer state, progress and history (resumes exactly).
    // runs: the window's names and earlier runs, kept in a session; the
    // worker adds the current run's start and time.
    void saveModel(const QString& path, bool session, cs::SessionRuns runs = {});
    // A ConvScope model or session (.npz), or a Keras model (.h5, .keras),
    // read as the pixel range says; a Keras file of weights only goes into
    // the network in force.
    void loadModel(const QString& path, bool session);
    // The pixels a model from Keras reads (pixel_reading.hpp): found out on
    // the test images, or as given. Applies to the model in force when it
    // came from Keras, and to the next one opened.
    void setPixelRange(cs::PixelRange range);

    // Test evaluations during training: every `steps` steps on the first
    // `images` test images (0 steps: never).
    void setTestEvaluation(int steps, int images);
    // While training at full speed, a test evaluation takes place at every
    // stride-th multiple of `every` steps, the stride the least that keeps its
    // cost (evaluationSeconds) within 2% of the training time (stepSeconds a
    // step), at most 50; 1 when a time is unknown.
    static int evaluationStride(double evaluationSeconds, double stepSeconds, int every);
    // The most memory the timeline of past parameters keeps (at least two
    // steps of the model, whatever is asked).
    void setTimelineBudget(std::size_t bytes);
    void useOneBlasThread();
    // Call on the worker's thread before training: it and the trainer's
    // threads give way to the GUI thread (cs::background_niceness).
    void runBehindTheWindow();

    // Thread-safe. The window says it has shown a snapshot; while two are
    // waiting to be shown, the worker counts further steps into the next
    // one instead of queueing more (the display never falls behind).
    void snapshotConsumed() { --m_inFlight; }
    // Thread-safe. The window has drawn the last snapshot and is idle.
    // Flat out, the trainer's helper threads rest from each picture until
    // then (at most maxRestMs): the window's thread then finds a core idle
    // instead of taking one from a training thread, which the others would
    // wait for (cs::WorkerTeam::rest). They wake at once, in the middle of
    // a step if one is under way.
    void windowIdle() { endRest(); }
    // A copy of the trained parameters (call from the worker's thread).
    std::vector<float> parameters() const;

signals:
    void snapshotReady(const TrainingSnapshot& snapshot);
    // The history restarts (reset, a new model, a loaded session).
    void historyReplaced(const cs::TrainingHistory& history);
    void hyperparametersChanged(const Hyperparameters& hyperparameters);
    void evaluated(const SetEvaluation& evaluation);
    void busyChanged(bool busy);
    void errorOccurred(const QString& message);
    void notice(const QString& message);
    void modelSaved(const QString& path);
    void modelLoaded(const QString& path);
    // The run that was current, finished (only if it took a step); its name
    // is left empty: the window has it.
    void runEnded(const cs::RunRecord& run);
    // The new current run: settings, steps and figures so far, no history
    // (the curves have it); a name when a session gave one.
    void runStarted(const cs::RunRecord& run);
    // A session's earlier runs: they replace the window's list.
    void runsRestored(const std::vector<cs::RunRecord>& earlier);
    // The network in force changed (a new dataset's, Apply, a model opened).
    void architectureChanged(const ArchitectureInForce& architecture);

private:
    // Reset, Apply and a dataset that needs another network all come here:
    // a model of `architecture` from the seed in `h`, a fresh optimizer and
    // trainer, the history and the speed from zero. False (errorOccurred,
    // `failure` with %1 the reason) leaves everything as it was.
    // `ended`: the run that ends, when the caller took it before changing
    // what it records (the dataset); else the current one.
    bool startNewRun(const cs::Architecture& architecture, const Hyperparameters& h, const QString& failure,
                     const ArchitectureInForce& setAside = {}, const cs::RunRecord* ended = nullptr);
    void emitArchitecture(const ArchitectureInForce& setAside = {});
    void makeTrainer(std::uint64_t steps = 0, std::size_t epoch = 0, std::size_t position = 0);
    void dropTrainer(); // ends a rest first: the window may end it meanwhile
    // The helpers rest for a picture (worker's thread), until endRest (any thread).
    void restHelpers();
    void endRest();
    // A timeline for the model in force (a session's, or a new one), its
    // first step the current one.
    void startTimeline(std::shared_ptr<cs::ParameterTimeline> loaded = {});
    void prepareTestSubset();
    void start(std::uint64_t steps, bool untilEpochEnd);
    void work();
    // Paced running: the steps due by now (at least the one in progress).
    bool paced() const { return m_pace > 0 && m_untilPaused && m_remaining > 0; }
    void record(const cs::StepResult& r);
    void evaluateSubset();
    void setBusy(bool busy);
    void emitSnapshot();
    void pinSample(bool test, int index);
    // Unless the user chose a sample: one that the model (fresh after a
    // Reset) reads wrong, so that its reading visibly turns as it learns.
    void pinTeachingSample();
    bool ready() const { return m_trainer != nullptr; }
    // The current run as it stands, history included.
    cs::RunRecord currentRun() const;
    // Ends the current run (runEnded, if it trained) and starts a new one
    // (runStarted) named `name`, begun now and `seconds` into its training.
    void endRun(const cs::RunRecord& ended);
    void startRun(const std::string& name = {}, double seconds = 0, const std::string& startedAt = {});

    std::shared_ptr<const cs::Dataset> m_data;
    QString m_spec;
    quint64 m_datasetGeneration = 0; // datasets given so far
    std::unique_ptr<cs::Sequential<float>> m_model;
    cs::Architecture m_architecture; // m_model's
    std::string m_modelOrigin;       // who wrote the model in force, when not ConvScope ("Keras 2.10.0 (.h5)")
    cs::PixelRange m_pixelRange = cs::PixelRange::automatic;
    cs::Workspace<float> m_pinnedWorkspace;     // the pinned sample, a batch of one
    cs::Workspace<float> m_evaluationWorkspace; // the pinned sample's search (evaluations run on the trainer's threads)
    std::unique_ptr<cs::Optimizer<float>> m_optimizer;
    std::unique_ptr<cs::Trainer<float>> m_trainer;
    Hyperparameters m_hyper;
    cs::TrainingHistory m_history;
    // The parameters after past steps of the run (recorded after every step).
    std::shared_ptr<cs::ParameterTimeline> m_timeline;
    std::size_t m_timelineBudget = cs::ParameterTimeline::default_budget_bytes;
    // The current run: when it began (ISO 8601, UTC) and the time spent in its steps.
    std::string m_runStartedAt;
    double m_runSeconds = 0;

    // Work in progress.
    std::uint64_t m_remaining = 0;
    bool m_untilEpochEnd = false;
    bool m_untilPaused = false; // Run: the pace applies
    bool m_workQueued = false;
    bool m_busy = false;
    std::uint64_t m_lastSetEvaluation = 0; // step of the last whole-test-set evaluation
    std::atomic<int> m_inFlight{0};
    // The trainer whose helpers rest for a picture, ended from either thread:
    // set and cleared under the mutex, and cleared before that trainer goes.
    std::mutex m_restMutex;
    cs::Trainer<float>* m_restingTrainer = nullptr;
    QElapsedTimer m_restClock; // since the helpers went to rest
    quint64 m_restedSteps = 0;
    double m_pace = 0;            // steps per second while running, 0: full speed
    QElapsedTimer m_lastPicture;  // since the last snapshot
    QElapsedTimer m_paceClock;    // since the paced run (or the last pace change) began
    std::uint64_t m_pacedSteps = 0; // steps done on that clock
    TrainingSnapshot m_pending; // steps, evaluations, events since the last snapshot

    // The pinned sample.
    bool m_pinnedTest = false;
    int m_pinnedIndex = 0;
    bool m_userPinned = false;
    cs::Tensor<float> m_pinned; // (1, h, w, c)

    // Test evaluations while training: at multiples of m_evalEvery steps,
    // every m_evalStride-th of them (see evaluationDue()).
    int m_evalEvery = 200, m_evalImages = 1000;
    int m_evalStride = 1;
    double m_evalSeconds = 0; // the last test evaluation's time
    double m_stepSeconds = 0; // a step's time lately, evaluations aside
    cs::Tensor<float> m_testSubset;
    std::vector<std::uint8_t> m_testSubsetLabels;
    double m_lossSum = 0, m_accSum = 0;
    std::size_t m_sinceEval = 0;

    // Speed: wall time while busy, images done, samples over the last ~10 s.
    QElapsedTimer m_busyClock;
    double m_busySeconds = 0;
    std::uint64_t m_images = 0;
    std::deque<std::pair<double, std::uint64_t>> m_rate;

    bool evaluationDue(std::uint64_t step, bool flatOut) const;
    void updateEvaluationStride(bool flatOut);
};
