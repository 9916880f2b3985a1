#include "trainingworker.h"

#include "snapshotcontents.h"

#include "blas_threads.hpp"
#include "errors.hpp"
#include "architecture_file.hpp"
#include "loss.hpp"
#include "model_file.hpp"
#include "optimizer.hpp"
#include "presets.hpp"
#include "keras_reader_process.hpp"
#include "model_for_data.hpp"
#include "shipped_model.hpp"
#include "thread_priority.hpp"
#include "training_state.hpp"

#include <QDateTime>
#include <QFileInfo>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <cmath>

namespace {

// A slice of steps runs between two looks at the worker's event loop (a
// pause, new settings): at most 66 ms, and a picture after each while paced.
constexpr qint64 sliceMs = 66;
// Flat out (no pace), a picture every 100 ms, the slice ending when it is
// due. 10 a second still move smoothly; 25 kept the window's thread busy
// half the time, and on two cores each millisecond it spends drawing costs
// training about two (the other training thread waits at the end of the
// step for the one the window held up).
constexpr qint64 fullSpeedPictureMs = 100;
// At full speed a test evaluation is skipped while its cost would exceed
// this share of the training time: 1,000 images every 200 steps took 5% of
// a LeNet-5 run on two cores, and at 1,200 steps a second nobody reads six
// test points a second.
constexpr double evalShare = 0.02;
constexpr int maxEvalStride = 50;
constexpr double rateWindow = 10; // seconds of history for images/s
// The longest the trainer's helpers rest for one picture (windowIdle): a
// picture takes the window 3-8 ms, and a window that is slower to say so
// gets no more than this.
constexpr qint64 maxRestMs = 40;

cs::Shape sampleShape(const cs::Dataset& d)
{
    const cs::Tensor<float>& t = d.train_images;
    return {t.dim(1), t.dim(2), t.dim(3)};
}

QString text(const std::exception& e)
{
    return QString::fromStdString(e.what());
}

// The preset that `a` is, made for its input and `classes` classes (layer
// names aside), or "".
QString presetOf(const cs::Architecture& a, std::size_t classes)
{
    for (const cs::Preset& p : cs::presets()) {
        try {
            const cs::Architecture preset = cs::preset_architecture(p.name, a.input, classes);
            const bool same = std::equal(preset.layers.begin(), preset.layers.end(), a.layers.begin(), a.layers.end(),
                                         [](const cs::NamedLayer& x, const cs::NamedLayer& y) { return x.spec == y.spec; });
            if (same) return QString::fromStdString(p.name);
        } catch (const std::exception&) {
            // Not made for this input: not this preset.
        }
    }
    return {};
}

} // namespace

TrainingWorker::TrainingWorker(QObject* parent) : QObject(parent)
{
    registerTrainingTypes();
}

TrainingWorker::~TrainingWorker()
{
    endRest();
}

void TrainingWorker::runBehindTheWindow()
{
    // Nicer than the GUI thread (thread_priority.hpp): a repaint takes a
    // core from training at once, and the trainer's threads, started from
    // this one, inherit it. Training keeps every core while the window idles.
    cs::lower_current_thread_priority(cs::background_niceness);
}

void TrainingWorker::useOneBlasThread()
{
    // One thread for each GEMM: the trainer splits each mini-batch across
    // its own threads (trainer.hpp), whose GEMMs are too small to share.
    cs::set_blas_threads(1);
}

void TrainingWorker::setTestEvaluation(int steps, int images)
{
    m_evalEvery = std::max(steps, 0);
    m_evalImages = std::max(images, 1);
    prepareTestSubset();
}

void TrainingWorker::setDataset(std::shared_ptr<const cs::Dataset> dataset, const QString& spec)
{
    ++m_datasetGeneration;
    pause();
    try {
        const cs::Shape shape = sampleShape(*dataset);
        const bool sameClasses = m_data && m_data->class_names == dataset->class_names;
        if (m_model && m_model->input_shape() == shape && m_model->classes() == dataset->classes() && sameClasses) {
            // The model takes these images and knows these classes: keep what
            // it learned, and say so.
            m_trainer->set_data(dataset->train_images, dataset->train_labels);
            if (m_trainer->step_count() > 0)
                emit notice(tr("The model trained on \u201c%1\u201d is kept: \u201c%2\u201d has the same classes. "
                               "Reset to start from fresh weights.")
                                .arg(m_spec, spec));
            m_data = std::move(dataset);
        } else {
            // Other classes (or images of another shape): a network trained
            // on the old ones would name the new images with the old names.
            // The same network, new: a preset made again for these images,
            // the user's own if it takes them, else the default preset.
            const bool hadModel = m_model != nullptr;
            const QString old = m_spec;
            const std::size_t classes = dataset->classes();
            const QString preset = m_model ? presetOf(m_architecture, m_model->classes()) : QString();
            cs::Architecture next;
            ArchitectureInForce setAside;
            if (!m_model || !preset.isEmpty()) {
                try {
                    next = cs::preset_architecture(m_model ? preset.toStdString() : cs::default_preset, shape, classes);
                } catch (const cs::ShapeError&) {
                    next = cs::preset_architecture(cs::default_preset, shape, classes); // too small for that preset
                }
            } else {
                try {
                    cs::check_fits_data(m_architecture, shape, classes, spec.toStdString());
                    next = m_architecture;
                } catch (const cs::ShapeError& e) {
                    setAside.setAside = m_architecture;
                    setAside.setAsideReason = text(e);
                    next = cs::preset_architecture(cs::default_preset, shape, classes);
                }
            }
            // startNewRun trains on m_data and names the new run after m_spec:
            // both are the new dataset's, or the old ones again if it fails.
            const cs::RunRecord ended = currentRun(); // on the old dataset
            auto previous = std::move(m_data);
            m_data = std::move(dataset);
            m_spec = spec;
            if (!startNewRun(next, m_hyper, tr("Cannot train on this dataset: %1"), setAside, &ended)) {
                m_data = std::move(previous);
                m_spec = old;
                return;
            }
            if (!setAside.setAside.layers.empty())
                emit notice(tr("Your network cannot train on \u201c%1\u201d (%2). It stays in the Architecture "
                               "dock, marked; %3 trains meanwhile.")
                                .arg(spec, setAside.setAsideReason, QString::fromLatin1(cs::default_preset)));
            else if (hadModel)
                emit notice(tr("\u201c%1\u201d has other classes than \u201c%2\u201d: the model trained on those "
                               "cannot read these. A new, untrained network was built (step 0); Run to train it.")
                                .arg(spec, old));
        }
    } catch (const std::exception& e) {
        emit errorOccurred(tr("Cannot train on this dataset: %1").arg(text(e)));
        return;
    }
    m_spec = spec;
    prepareTestSubset();
    m_userPinned = false; // an index into other images means nothing now
    pinTeachingSample();
}

void TrainingWorker::pinTeachingSample()
{
    if (m_userPinned || !m_data || !m_model) return;
    // Held-out images when there are: the reading that turns is then one
    // the network never trained on.
    const bool test = !m_data->test_labels.empty();
    const cs::Tensor<float>& images = test ? m_data->test_images : m_data->train_images;
    const std::vector<std::uint8_t>& labels = test ? m_data->test_labels : m_data->train_labels;
    const std::size_t n = std::min<std::size_t>(labels.size(), 200);
    int best = 0;
    if (n > 0) {
        try {
            cs::Tensor<float> batch;
            cs::slice_samples(images, 0, n, batch);
            const cs::Tensor<float> probs = cs::predict(*m_model, batch, m_evaluationWorkspace); // (n, classes)
            const std::size_t k = probs.size() / n;
            // The image read wrong with the least probability for its label
            // (the first one if every image is read right).
            float lowest = 2;
            for (std::size_t i = 0; i < n; ++i) {
                const float* p = probs.data() + i * k;
                const std::size_t guess = std::size_t(std::max_element(p, p + k) - p);
                if (guess != labels[i] && p[labels[i]] < lowest) {
                    lowest = p[labels[i]];
                    best = int(i);
                }
            }
        } catch (const std::exception&) {
            best = 0;
        }
    }
    pinSample(test, best);
}

void TrainingWorker::makeTrainer(std::uint64_t steps, std::size_t epoch, std::size_t position)
{
    endRest();
    cs::TrainerOptions options;
    options.batch_size = std::size_t(m_hyper.batchSize);
    options.seed = m_hyper.seed;
    // Every core: the run is the same whatever the number of threads.
    options.threads = cs::hardware_threads();
    m_trainer = std::make_unique<cs::Trainer<float>>(*m_model, *m_optimizer, m_data->train_images, m_data->train_labels,
                                                     options);
    if (steps || epoch || position) m_trainer->set_progress(steps, epoch, position);
    m_lossSum = m_accSum = 0;
    m_sinceEval = 0;
}

void TrainingWorker::dropTrainer()
{
    endRest();
    m_trainer.reset();
}

void TrainingWorker::restHelpers()
{
    m_trainer->rest_helpers();
    std::lock_guard lock(m_restMutex);
    m_restingTrainer = m_trainer.get();
    m_restClock.start();
}

void TrainingWorker::endRest()
{
    std::lock_guard lock(m_restMutex);
    if (m_restingTrainer) m_restingTrainer->end_helpers_rest();
    m_restingTrainer = nullptr;
}

void TrainingWorker::startTimeline(std::shared_ptr<cs::ParameterTimeline> loaded)
{
    const std::size_t count = m_model->parameter_count();
    const std::size_t budget = std::max(m_timelineBudget, 2 * count * sizeof(float));
    if (loaded && loaded->parameter_count() == count) {
        m_timeline = std::move(loaded);
        m_timeline->set_budget_bytes(budget);
    } else {
        m_timeline = std::make_shared<cs::ParameterTimeline>(count, budget);
    }
    // A session saved without its last step (or none): the weights as they are now.
    if (m_timeline->last_step() != m_trainer->step_count()) m_timeline->record(m_trainer->step_count(), m_model->parameters());
}

void TrainingWorker::setTimelineBudget(std::size_t bytes)
{
    m_timelineBudget = bytes;
    if (m_timeline) m_timeline->set_budget_bytes(std::max(bytes, 2 * m_timeline->parameter_count() * sizeof(float)));
}

void TrainingWorker::prepareTestSubset()
{
    if (!m_data || m_data->test_labels.empty()) {
        m_testSubset = {};
        m_testSubsetLabels.clear();
        return;
    }
    const std::size_t n = std::min<std::size_t>(std::size_t(m_evalImages), m_data->test_labels.size());
    cs::slice_samples(m_data->test_images, 0, n, m_testSubset);
    m_testSubsetLabels.assign(m_data->test_labels.begin(), m_data->test_labels.begin() + std::ptrdiff_t(n));
}

void TrainingWorker::reset(const Hyperparameters& h)
{
    if (!m_model) return;
    if (!startNewRun(m_architecture, h, tr("Cannot reset: %1"))) return;
    if (m_userPinned) emitSnapshot();
    else pinTeachingSample(); // emits the snapshot
}

void TrainingWorker::setArchitecture(const cs::Architecture& architecture)
{
    if (!m_data) return;
    try {
        cs::check_fits_data(architecture, sampleShape(*m_data), m_data->classes(), m_spec.toStdString());
    } catch (const std::exception& e) {
        emit errorOccurred(tr("Cannot apply the architecture: %1. The current network is kept.").arg(text(e)));
        return;
    }
    if (!startNewRun(cs::with_default_names(architecture), m_hyper,
                     tr("Cannot build the network: %1. The current network is kept.")))
        return;
    if (m_userPinned) emitSnapshot();
    else pinTeachingSample(); // emits the snapshot
}

bool TrainingWorker::startNewRun(const cs::Architecture& architecture, const Hyperparameters& h, const QString& failure,
                                 const ArchitectureInForce& setAside, const cs::RunRecord* endedBefore)
{
    pause();
    const cs::RunRecord ended = endedBefore ? *endedBefore : currentRun();
    try {
        if (h.batchSize < 1) throw cs::ShapeError("the batch size must be at least 1");
        auto optimizer = cs::make_optimizer<float>(h.optimizer.toStdString(), h.learningRate);
        auto model = cs::make_model<float>(architecture, h.seed);
        // Nothing can fail from here on (makeTrainer's settings were checked).
        dropTrainer();
        m_model = std::move(model);
        m_architecture = cs::architecture_of(*m_model);
        m_modelOrigin.clear(); // new weights, ConvScope's own: their pixels are ConvScope's
        m_optimizer = std::move(optimizer);
        m_hyper = h;
        makeTrainer();
        startTimeline();
    } catch (const std::exception& e) {
        emit errorOccurred(failure.arg(text(e)));
        return false;
    }
    m_history = {};
    m_pending = {};
    m_busySeconds = 0;
    m_images = 0;
    m_rate.clear();
    emit hyperparametersChanged(m_hyper);
    emit historyReplaced(m_history);
    endRun(ended);
    startRun();
    emitArchitecture(setAside);
    return true;
}

void TrainingWorker::emitArchitecture(const ArchitectureInForce& setAside)
{
    ArchitectureInForce a = setAside;
    a.architecture = m_architecture;
    a.preset = m_model ? presetOf(m_architecture, m_model->classes()) : QString();
    emit architectureChanged(a);
}

void TrainingWorker::step(int count)
{
    if (count > 0) start(std::uint64_t(count), false);
}

void TrainingWorker::run()
{
    start(std::numeric_limits<std::uint64_t>::max(), false);
}

void TrainingWorker::setPace(double stepsPerSecond)
{
    m_pace = std::isfinite(stepsPerSecond) ? std::max(stepsPerSecond, 0.0) : 0.0;
    // The new pace counts from now (not from the start of the run).
    m_paceClock.start();
    m_pacedSteps = 0;
}

void TrainingWorker::runEpoch()
{
    start(std::numeric_limits<std::uint64_t>::max(), true);
}

void TrainingWorker::start(std::uint64_t steps, bool untilEpochEnd)
{
    if (!ready()) return;
    // Steps asked for while others are pending add up; Run replaces them.
    constexpr std::uint64_t untilPaused = std::numeric_limits<std::uint64_t>::max();
    const bool add = m_remaining > 0 && m_remaining != untilPaused && steps != untilPaused && !untilEpochEnd;
    m_remaining = add ? m_remaining + steps : steps;
    m_untilEpochEnd = untilEpochEnd;
    m_untilPaused = steps == untilPaused && !untilEpochEnd;
    if (paced()) {
        m_paceClock.start();
        m_pacedSteps = 0;
    }
    // A single step is over before the window could show "running".
    if (m_remaining > 1) setBusy(true);
    if (!m_workQueued) {
        m_workQueued = true;
        QMetaObject::invokeMethod(this, &TrainingWorker::work, Qt::QueuedConnection);
    }
}

void TrainingWorker::pause()
{
    m_remaining = 0;
    m_untilPaused = false;
    m_untilEpochEnd = false;
    setBusy(false);
}

void TrainingWorker::setBusy(bool busy)
{
    if (busy == m_busy) return;
    m_busy = busy;
    if (busy) {
        m_busyClock.start();
    } else {
        m_busySeconds += double(m_busyClock.elapsed()) / 1000;
        // Stopped: whatever comes next (an evaluation, the next run) has every core.
        endRest();
    }
    emit busyChanged(busy);
    if (!busy) emitSnapshot();
}

void TrainingWorker::work()
{
    m_workQueued = false;
    if (m_remaining == 0 || !ready()) return;
    QElapsedTimer slice;
    slice.start();
    QThread* thread = QThread::currentThread();
    const bool pacing = paced();
    // At a pace, the steps due by now on the pace clock (a step is due at
    // k / pace seconds): one at a time, each shown, the clock never drifts.
    auto due = [&] {
        return !pacing || double(m_pacedSteps) < double(m_paceClock.elapsed()) / 1000 * m_pace + 1;
    };
    // Flat out, the slice ends when the next picture is due.
    const qint64 sliceLimit =
        pacing || !m_lastPicture.isValid()
            ? sliceMs
            : std::clamp<qint64>(fullSpeedPictureMs - m_lastPicture.elapsed(), 5, fullSpeedPictureMs);
    int steps = 0;
    qint64 evaluationNs = 0;
    try {
        while (m_remaining > 0 && slice.elapsed() < sliceLimit && !thread->isInterruptionRequested() && due()) {
            if (m_trainer->helpers_resting() && m_restClock.elapsed() >= maxRestMs) endRest();
            if (m_trainer->helpers_resting()) ++m_restedSteps;
            // The update writes the new parameters into the timeline too
            // (a copy of its own took 3% of a LeNet-5 step on two cores).
            const cs::StepResult r = m_trainer->step(m_timeline->next_buffer());
            m_timeline->keep_next(r.step);
            --m_remaining;
            ++m_pacedSteps;
            ++steps;
            record(r);
            if (evaluationDue(r.step, !pacing)) {
                const qint64 before = slice.nsecsElapsed();
                evaluateSubset();
                const qint64 ns = slice.nsecsElapsed() - before;
                evaluationNs += ns;
                m_evalSeconds = double(ns) / 1e9;
            }
            if (r.epoch_done && m_untilEpochEnd) m_remaining = 0;
        }
    } catch (const cs::DivergenceError& e) {
        m_remaining = 0;
        emit errorOccurred(tr("Training paused at step %1: %2. That step was not applied: the model is as it was "
                              "before it.")
                               .arg(m_trainer->step_count() + 1)
                               .arg(text(e)));
    } catch (const std::exception& e) {
        m_remaining = 0;
        emit errorOccurred(tr("Training paused: %1").arg(text(e)));
    }
    // The run's time: its steps and their test evaluations, not the pauses
    // between paced steps.
    m_runSeconds += double(slice.nsecsElapsed()) / 1e9;
    if (steps > 0) {
        const double perStep = double(slice.nsecsElapsed() - evaluationNs) / 1e9 / steps;
        m_stepSeconds = m_stepSeconds > 0 ? 0.8 * m_stepSeconds + 0.2 * perStep : perStep;
        updateEvaluationStride(!pacing);
    }
    if (m_remaining > 0) {
        if (m_inFlight.load() < 2 && (pacing || !m_lastPicture.isValid() || m_lastPicture.elapsed() >= fullSpeedPictureMs - 5)) {
            if (!pacing) {
                // The helpers asleep before the picture wakes the window's thread.
                restHelpers();
            }
            emitSnapshot();
        }
        m_workQueued = true;
        if (paced()) {
            // Sleep in the event loop until the next step is due (pause and
            // other requests are taken meanwhile).
            const double next = double(m_pacedSteps) / m_pace * 1000;
            const int wait = int(std::clamp(next - double(m_paceClock.elapsed()), 0.0, 1000.0));
            QTimer::singleShot(wait, this, &TrainingWorker::work);
        } else {
            QMetaObject::invokeMethod(this, &TrainingWorker::work, Qt::QueuedConnection);
        }
    } else {
        m_untilEpochEnd = false;
        if (m_busy) setBusy(false); // emits the last snapshot
        else emitSnapshot();
        // After a longer stretch of training, fresh predictions on the test
        // set for the image browser (not during the run: it would slow it).
        if (m_trainer->step_count() >= m_lastSetEvaluation + 100) evaluateSet(true);
    }
}

void TrainingWorker::record(const cs::StepResult& r)
{
    if (m_pending.losses.empty()) m_pending.firstStep = r.step;
    m_pending.losses.push_back(float(r.loss));
    m_pending.accuracies.push_back(float(r.accuracy));
    m_pending.epochs.push_back(quint32(r.epoch));
    m_history.add_step(float(r.loss), float(r.accuracy));
    m_lossSum += r.loss;
    m_accSum += r.accuracy;
    ++m_sinceEval;
    m_images += r.batch;
}

bool TrainingWorker::evaluationDue(std::uint64_t step, bool flatOut) const
{
    if (m_evalEvery <= 0 || step % std::uint64_t(m_evalEvery) != 0) return false;
    return !flatOut || (step / std::uint64_t(m_evalEvery)) % std::uint64_t(m_evalStride) == 0;
}

// Every m_evalEvery steps while that costs at most evalShare of the
// training time; at full speed on a fast machine, every 2nd, 3rd... of those
// steps (test points at 400, 800... or 600, 1,200...), as few as keep it there.
void TrainingWorker::updateEvaluationStride(bool flatOut)
{
    m_evalStride = flatOut ? evaluationStride(m_evalSeconds, m_stepSeconds, m_evalEvery) : 1;
}

int TrainingWorker::evaluationStride(double evaluationSeconds, double stepSeconds, int every)
{
    if (every <= 0 || !(stepSeconds > 0) || !(evaluationSeconds > 0)) return 1;
    const double budget = evalShare * double(every) * stepSeconds; // the seconds it may take
    return int(std::clamp(std::ceil(evaluationSeconds / budget), 1.0, double(maxEvalStride)));
}

void TrainingWorker::evaluateSubset()
{
    if (m_testSubsetLabels.empty() || !m_sinceEval) return;
    // On the trainer's threads, which are idle meanwhile.
    const cs::Evaluation e = m_trainer->evaluate(m_testSubset, m_testSubsetLabels, 250);
    cs::EpochRecord rec;
    rec.step = m_trainer->step_count();
    rec.epoch = m_trainer->epoch();
    rec.train_loss = m_lossSum / double(m_sinceEval);
    rec.train_accuracy = m_accSum / double(m_sinceEval);
    rec.test_loss = e.loss;
    rec.test_accuracy = e.accuracy;
    m_lossSum = m_accSum = 0;
    m_sinceEval = 0;
    m_history.evaluations.push_back(rec);
    m_pending.evaluations.push_back(rec);
}

void TrainingWorker::setHyperparameters(const Hyperparameters& h)
{
    if (!m_optimizer || h == m_hyper) {
        emit hyperparametersChanged(m_hyper);
        return;
    }
    const quint64 at = m_trainer ? m_trainer->step_count() : 0;
    QStringList changes;
    try {
        if (h.optimizer != m_hyper.optimizer) {
            auto optimizer = cs::make_optimizer<float>(h.optimizer.toStdString(), h.learningRate);
            m_trainer->set_optimizer(*optimizer);
            m_optimizer = std::move(optimizer);
            m_hyper.optimizer = h.optimizer;
            m_hyper.learningRate = h.learningRate;
            changes << (h.optimizer == QLatin1String("sgd") ? tr("SGD+momentum") : tr("Adam"))
                    << tr("lr %1").arg(h.learningRate);
        } else if (h.learningRate != m_hyper.learningRate) {
            m_optimizer->set_learning_rate(h.learningRate);
            m_hyper.learningRate = h.learningRate;
            changes << tr("lr %1").arg(h.learningRate);
        }
        if (h.batchSize != m_hyper.batchSize) {
            m_trainer->set_batch_size(std::size_t(std::max(h.batchSize, 0)));
            m_hyper.batchSize = h.batchSize;
            changes << tr("batch %1").arg(h.batchSize);
        }
    } catch (const std::exception& e) {
        emit errorOccurred(tr("Setting refused: %1. The previous value stays in force.").arg(text(e)));
    }
    m_hyper.seed = h.seed; // takes effect at the next reset
    if (!changes.isEmpty()) m_pending.events.push_back({at, changes.join(QStringLiteral(", "))});
    emit hyperparametersChanged(m_hyper);
    if (!m_busy) emitSnapshot();
}

void TrainingWorker::pin(bool test, int index)
{
    m_userPinned = true;
    pinSample(test, index);
}

void TrainingWorker::pinSample(bool test, int index)
{
    if (!m_data) return;
    const cs::Tensor<float>& images = test ? m_data->test_images : m_data->train_images;
    if (index < 0 || std::size_t(index) >= images.dim(0)) return;
    m_pinnedTest = test;
    m_pinnedIndex = index;
    cs::slice_samples(images, std::size_t(index), 1, m_pinned);
    if (!m_busy) emitSnapshot(); // while running, the next slice shows it
}

void TrainingWorker::emitSnapshot()
{
    if (!ready()) return;
    TrainingSnapshot s = std::move(m_pending);
    m_pending = {};
    s.step = m_trainer->step_count();
    s.epoch = m_trainer->epoch();
    s.position = m_trainer->position();
    s.epochSamples = m_trainer->samples();
    s.running = m_busy;

    // The pinned sample in its own workspace, the kernels and the last step's
    // dW (zeros before a model's first step); the model for the window's own
    // passes: the shared network and a copy of the parameters.
    s.pinnedTest = m_pinnedTest;
    s.pinnedIndex = m_pinnedIndex;
    s.pinnedLabel = (m_pinnedTest ? m_data->test_labels : m_data->train_labels)[std::size_t(m_pinnedIndex)];
    s.network = m_model->shared_network();
    s.parameters = m_model->snapshot();
    s.timeline = m_timeline;
    describeParameters(s, m_pinned, m_pinnedWorkspace, &m_trainer->gradients());

    // Speed over the last ~10 s of running.
    const double now = m_busySeconds + (m_busy ? double(m_busyClock.elapsed()) / 1000 : 0);
    if (m_busy) {
        m_rate.emplace_back(now, m_images);
        while (m_rate.size() > 2 && m_rate.front().first < now - rateWindow) m_rate.pop_front();
    }
    if (m_rate.size() >= 2 && m_rate.back().first > m_rate.front().first)
        s.imagesPerSecond = double(m_rate.back().second - m_rate.front().second) / (m_rate.back().first - m_rate.front().first);
    s.trainingSeconds = now;
    s.runSeconds = m_runSeconds;
    s.parameterCount = m_model->parameter_count();
    s.restedSteps = m_restedSteps;
    ++m_inFlight;
    m_lastPicture.start();
    emit snapshotReady(s);
}

std::vector<float> TrainingWorker::parameters() const
{
    if (!m_model) return {};
    const arma::Col<float>& p = m_model->parameters();
    return std::vector<float>(p.begin(), p.end());
}

void TrainingWorker::evaluateSet(bool test)
{
    if (!ready()) return;
    const cs::Tensor<float>& images = test ? m_data->test_images : m_data->train_images;
    const std::vector<std::uint8_t>& labels = test ? m_data->test_labels : m_data->train_labels;
    try {
        const cs::Evaluation e = m_trainer->evaluate(images, labels, 500); // on every core
        SetEvaluation out;
        out.datasetGeneration = m_datasetGeneration;
        out.test = test;
        out.step = m_trainer->step_count();
        out.loss = e.loss;
        out.accuracy = e.accuracy;
        out.predictions = e.predictions;
        out.confidence = e.confidence;
        if (test) m_lastSetEvaluation = out.step;
        emit evaluated(out);
    } catch (const std::exception& e) {
        emit errorOccurred(tr("Evaluation failed: %1").arg(text(e)));
    }
}

void TrainingWorker::saveModel(const QString& path, bool session, cs::SessionRuns runs)
{
    if (!ready()) return;
    pause();
    try {
        const cs::TrainingState state =
            cs::capture_training_state(*m_trainer, *m_optimizer, m_spec.toStdString(), /*optimizer state*/ session);
        runs.current_started_at = m_runStartedAt;
        runs.current_seconds = m_runSeconds;
        if (session) cs::save_model(path.toStdString(), *m_model, state, m_history, &runs, m_timeline.get());
        else cs::save_model(path.toStdString(), *m_model, state);
    } catch (const std::exception& e) {
        emit errorOccurred(tr("Could not save %1: %2").arg(path, text(e)));
        return;
    }
    emit modelSaved(path);
}

void TrainingWorker::loadModel(const QString& path, bool session)
{
    if (!m_data) return;
    pause();
    cs::ModelFile file;
    std::unique_ptr<cs::Optimizer<float>> optimizer;
    Hyperparameters h = m_hyper;
    std::optional<cs::PixelReadingReport> pixels;
    try {
        const std::string p = path.toStdString();
        try {
            file = cs::open_model(p);
        } catch (const cs::KerasWeightsOnly&) {
            if (session) throw;
            // model.save_weights: the weights of the network in force.
            file = cs::open_model(p, cs::without_pixel_reading(m_architecture));
        }
        if (!file.origin.empty()) pixels = cs::fit_pixels_to_data(file, *m_data, m_pixelRange);
        const cs::Shape shape = sampleShape(*m_data);
        if (!(file.model->input_shape() == shape))
            throw cs::ShapeError("this model takes " + shapeText(file.model->input_shape()).toStdString() +
                                 " images, the dataset has " + shapeText(shape).toStdString());
        if (file.model->classes() != m_data->classes())
            throw cs::ShapeError("this model has " + std::to_string(file.model->classes()) + " classes, the dataset " +
                                 std::to_string(m_data->classes()));
        if (session) {
            h.optimizer = QString::fromStdString(file.state.optimizer);
            h.learningRate = file.state.learning_rate;
            h.batchSize = int(file.state.batch_size);
            h.seed = file.state.seed;
            optimizer = cs::restore_optimizer(file.state, file.model->parameter_count());
        } else {
            optimizer = cs::make_optimizer<float>(h.optimizer.toStdString(), h.learningRate);
        }
    } catch (const std::exception& e) {
        emit errorOccurred(tr("Could not open %1: %2. The current model is unchanged.").arg(path, text(e)));
        return;
    }
    // Nothing can fail from here on: replace the model.
    const cs::RunRecord ended = ready() ? currentRun() : cs::RunRecord{};
    dropTrainer();
    m_model = std::move(file.model);
    m_architecture = cs::architecture_of(*m_model);
    m_modelOrigin = file.origin;
    m_optimizer = std::move(optimizer);
    m_hyper = h;
    if (session) {
        makeTrainer(file.state.steps, file.state.epoch, file.state.position);
        startTimeline(std::move(file.timeline));
        m_history = std::move(file.history);
        if (!file.state.dataset.empty() && QString::fromStdString(file.state.dataset) != m_spec)
            emit notice(tr("This session was trained on \u201c%1\u201d; it continues on the open dataset.")
                            .arg(QString::fromStdString(file.state.dataset)));
    } else {
        makeTrainer();
        startTimeline();
        m_history = {};
    }
    m_pending = {};
    emit hyperparametersChanged(m_hyper);
    emit historyReplaced(m_history);
    if (session && file.runs) {
        // The session's runs replace the list; the run that was current goes
        // with the rest of what the session replaces.
        emit runsRestored(file.runs->earlier);
        startRun(file.runs->current_name, file.runs->current_seconds, file.runs->current_started_at);
    } else {
        endRun(ended);
        const std::string name = path == QLatin1String(cs::shipped_model_name)
                                     ? tr("Shipped model").toStdString()
                                     : QFileInfo(path).completeBaseName().toStdString();
        startRun(name);
    }
    emitArchitecture();
    emit modelLoaded(path);
    if (pixels)
        emit notice(tr("%1 (%2): reading the images as %3.")
                        .arg(QFileInfo(path).fileName(), QString::fromStdString(file.origin),
                             QString::fromStdString(pixels->summary)));
    emitSnapshot();
}

void TrainingWorker::setPixelRange(cs::PixelRange range)
{
    m_pixelRange = range;
    if (!ready() || m_modelOrigin.empty()) return;
    pause();
    cs::ModelFile file;
    file.origin = m_modelOrigin;
    std::optional<cs::PixelReadingReport> pixels;
    try {
        file.model = cs::apply_pixel_reading(*m_model, cs::pixel_reading_of(m_architecture)); // a copy
        pixels = cs::fit_pixels_to_data(file, *m_data, range);
    } catch (const std::exception& e) {
        emit errorOccurred(tr("Could not change the pixels the model reads: %1").arg(text(e)));
        return;
    }
    if (!pixels) return;
    if (!(cs::architecture_of(*file.model) == m_architecture)) {
        // The reading's layers have no parameters: the same parameters, the
        // optimizer's memory and the training's place all stay.
        const std::uint64_t steps = m_trainer->step_count();
        const std::size_t epoch = m_trainer->epoch(), position = m_trainer->position();
        dropTrainer();
        m_model = std::move(file.model);
        m_architecture = cs::architecture_of(*m_model);
        makeTrainer(steps, epoch, position);
        emitArchitecture();
        emitSnapshot();
    }
    emit notice(tr("Reading the images as %1.").arg(QString::fromStdString(pixels->summary)));
}

cs::RunRecord TrainingWorker::currentRun() const
{
    cs::RunRecord r;
    if (!ready()) return r;
    r.started_at = m_runStartedAt;
    r.seconds = m_runSeconds;
    r.architecture = cs::architecture_text(*m_model);
    r.optimizer = m_hyper.optimizer.toStdString();
    r.learning_rate = m_hyper.learningRate;
    // The trainer's: a seed typed since applies only from the next Reset.
    r.batch_size = m_trainer->options().batch_size;
    r.seed = m_trainer->options().seed;
    r.dataset = m_spec.toStdString();
    r.steps = m_trainer->step_count();
    if (!m_history.evaluations.empty()) {
        r.train_accuracy = m_history.evaluations.back().train_accuracy;
        r.test_accuracy = m_history.evaluations.back().test_accuracy;
    }
    r.history = m_history;
    return r;
}

void TrainingWorker::endRun(const cs::RunRecord& ended)
{
    // A run without a step has nothing to compare.
    if (ended.steps > 0) emit runEnded(ended);
}

void TrainingWorker::startRun(const std::string& name, double seconds, const std::string& startedAt)
{
    m_runStartedAt = !startedAt.empty() ? startedAt
                                        : QDateTime::currentDateTimeUtc().toString(Qt::ISODate).toStdString();
    m_runSeconds = seconds;
    cs::RunRecord r = currentRun();
    r.history = {}; // the curves have it
    r.name = name;
    emit runStarted(r);
}
