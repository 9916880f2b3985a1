#include "examplehistorymodel.h"

#include "thread_priority.hpp"

#include <QPromise>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <cmath>
#include <deque>
#include <iterator>

namespace {

// The steps in an order that draws the whole run coarsely first and then
// fills it in (the first, the last, the middle, the quarters, ...), so that
// a long computation shows a picture of the whole run from the start.
std::vector<std::uint64_t> coarseFirst(const std::vector<std::uint64_t>& steps)
{
    std::vector<std::uint64_t> out;
    if (steps.empty()) return out;
    out.reserve(steps.size());
    out.push_back(steps.front());
    if (steps.size() > 1) out.push_back(steps.back());
    std::deque<std::pair<std::size_t, std::size_t>> spans{{0, steps.size() - 1}}; // open intervals (a, b)
    while (!spans.empty()) {
        const auto [a, b] = spans.front();
        spans.pop_front();
        if (b - a < 2) continue;
        const std::size_t m = a + (b - a) / 2;
        out.push_back(steps[m]);
        spans.emplace_back(a, m);
        spans.emplace_back(m, b);
    }
    return out;
}

} // namespace

ExampleHistoryModel::ExampleHistoryModel(QObject* parent)
    : QObject(parent), m_history(std::make_shared<const cs::ExampleHistory>())
{
    m_rest.setSingleShot(true);
    connect(&m_rest, &QTimer::timeout, this, [this] {
        if (!m_updateDue) return;
        m_updateDue = false;
        update();
    });
    m_publish.setSingleShot(true);
    m_publish.setInterval(publishMs);
    connect(&m_publish, &QTimer::timeout, this, &ExampleHistoryModel::publish);
}

ExampleHistoryModel::~ExampleHistoryModel()
{
    cancelTask();
}

void ExampleHistoryModel::setNetwork(std::shared_ptr<const cs::Network<float>> network)
{
    m_network = std::move(network);
    reset();
}

void ExampleHistoryModel::setTimeline(std::shared_ptr<const cs::ParameterTimeline> timeline)
{
    m_timeline = std::move(timeline);
    reset();
}

void ExampleHistoryModel::setProbe(std::shared_ptr<const ProbeSet> probe)
{
    m_probe = std::move(probe);
    reset();
}

void ExampleHistoryModel::setMaxColumns(int columns)
{
    m_maxColumns = std::max(columns, 2);
    m_seen = false; // the next update() chooses again
}

void ExampleHistoryModel::reset()
{
    cancelTask();
    m_columns.clear();
    m_chosen.clear();
    m_seen = false;
    m_updateDue = false;
    m_rest.stop(); // a new network or timeline: its columns at once
    m_error.clear();
    m_history = std::make_shared<const cs::ExampleHistory>(
        m_probe ? cs::ExampleHistory::of(m_probe->labels) : cs::ExampleHistory());
    emit changed();
}

QThreadPool* ExampleHistoryModel::backgroundPool()
{
    // Not Qt's global pool: Qt scales and converts images on the GUI
    // thread's behalf in that pool and waits for it, so a task of seconds
    // there stalled the window (up to 0.9 s under --latency-report).
    static QThreadPool* pool = [] {
        auto* p = new QThreadPool;
        p->setMaxThreadCount(1);
        return p;
    }();
    return pool;
}

void ExampleHistoryModel::cancelTask()
{
    if (!m_task) return;
    // The task stops after its current column; its results go nowhere.
    m_task->disconnect(this);
    m_task->future().cancel();
    m_task->deleteLater();
    m_task = nullptr;
    m_publish.stop();
}

QString ExampleHistoryModel::checkInputs() const
{
    if (m_timeline->parameter_count() != m_network->parameter_count())
        return tr("the timeline holds %1 parameters a step, the network has %2")
            .arg(m_timeline->parameter_count())
            .arg(m_network->parameter_count());
    const cs::Tensor<float>& images = m_probe->images;
    const cs::Shape& in = m_network->input_shape();
    if (m_probe->size() > 0 &&
        (images.rank() != 4 || images.dim(1) != in[0] || images.dim(2) != in[1] || images.dim(3) != in[2]))
        return tr("the probe images %1 do not fit the network's input %2")
            .arg(QString::fromStdString(images.shape().str()), QString::fromStdString(in.str()));
    for (std::uint8_t y : m_probe->labels)
        if (y >= m_network->classes())
            return tr("a probe image is of class %1, the network has %2 classes").arg(y).arg(m_network->classes());
    return {};
}

std::vector<std::uint64_t> ExampleHistoryModel::chooseSteps(const std::vector<std::uint64_t>& kept,
                                                            const std::vector<std::uint64_t>& computed,
                                                            std::size_t maxColumns)
{
    if (kept.size() <= maxColumns || kept.size() < 2) return kept;
    maxColumns = std::max<std::size_t>(maxColumns, 2);
    const double first = double(kept.front()), last = double(kept.back());
    const double spacing = (last - first) / double(maxColumns - 1);
    // The element of a sorted list nearest to t, or none within `reach`.
    const auto nearest = [](const std::vector<std::uint64_t>& list, double t,
                            double reach) -> std::optional<std::uint64_t> {
        const auto at = std::lower_bound(list.begin(), list.end(), t,
                                         [](std::uint64_t s, double v) { return double(s) < v; });
        std::optional<std::uint64_t> best;
        if (at != list.end()) best = *at;
        if (at != list.begin() && (!best || t - double(*std::prev(at)) <= double(*best) - t)) best = *std::prev(at);
        if (best && std::abs(double(*best) - t) > reach) return std::nullopt;
        return best;
    };
    std::vector<std::uint64_t> chosen{kept.front()};
    for (std::size_t j = 1; j + 1 < maxColumns; ++j) {
        const double t = first + double(j) * spacing;
        auto s = nearest(computed, t, spacing / 2);
        if (!s) s = nearest(kept, t, INFINITY);
        chosen.push_back(*s);
    }
    chosen.push_back(kept.back());
    std::sort(chosen.begin(), chosen.end());
    chosen.erase(std::unique(chosen.begin(), chosen.end()), chosen.end());
    return chosen;
}

void ExampleHistoryModel::update()
{
    if (!m_network || !m_timeline || !m_probe) return;
    if (m_task || m_rest.isActive()) {
        m_updateDue = true;
        return;
    }
    const std::uint64_t revision = m_timeline->revision();
    if (m_seen && revision == m_seenRevision) return;
    m_seen = true;
    m_seenRevision = revision;
    const QString why = checkInputs();
    if (why != m_error) {
        m_error = why;
        if (!why.isEmpty()) emit failed(why);
    }
    if (!why.isEmpty()) return;

    // Drop the columns whose parameters the timeline no longer holds.
    const std::vector<std::uint64_t> kept = m_timeline->steps();
    std::vector<std::uint64_t> computed;
    for (auto it = m_columns.begin(); it != m_columns.end();) {
        if (m_timeline->at(it->first) != it->second.parameters) {
            it = m_columns.erase(it);
        } else {
            computed.push_back(it->first);
            ++it;
        }
    }
    m_chosen = chooseSteps(kept, computed, std::size_t(m_maxColumns));
    // Columns no longer chosen are let go (and their snapshots with them).
    std::erase_if(m_columns, [this](const auto& c) { return !std::binary_search(m_chosen.begin(), m_chosen.end(), c.first); });
    rebuildHistory();

    std::vector<std::uint64_t> missing;
    for (std::uint64_t s : m_chosen)
        if (!m_columns.count(s)) missing.push_back(s);
    std::vector<std::pair<std::uint64_t, cs::ParameterTimeline::Parameters>> jobs;
    for (std::uint64_t s : coarseFirst(missing))
        if (auto p = m_timeline->at(s)) jobs.emplace_back(s, std::move(p)); // (thinned since steps(): skipped)
    if (jobs.empty()) return;

    m_taskTotal = int(jobs.size());
    m_taskDone = 0;
    m_taskClock.start();
    m_task = new QFutureWatcher<Result>(this);
    connect(m_task, &QFutureWatcher<Result>::resultReadyAt, this, &ExampleHistoryModel::columnArrived);
    connect(m_task, &QFutureWatcher<Result>::finished, this, &ExampleHistoryModel::taskFinished);
    emit progress(0, m_taskTotal);
    // Everything the task reads is held by it: the model may be gone
    // before it ends.
    m_task->setFuture(QtConcurrent::run(
        backgroundPool(),
        [network = m_network, probe = m_probe, jobs = std::move(jobs)](QPromise<Result>& promise) {
            cs::lower_current_thread_priority(cs::background_niceness); // the window first
            cs::Workspace<float> workspace;
            for (const auto& [step, parameters] : jobs) {
                if (promise.isCanceled()) return;
                Result r{step, parameters, {}, {}};
                try {
                    r.column = cs::probe_step(*network, *parameters, probe->images, probe->labels, workspace);
                } catch (const std::exception& e) {
                    r.error = QString::fromStdString(e.what());
                    promise.addResult(std::move(r));
                    return;
                }
                promise.addResult(std::move(r));
            }
        }));
}

void ExampleHistoryModel::rebuildHistory()
{
    auto h = std::make_shared<cs::ExampleHistory>(cs::ExampleHistory::of(m_probe->labels));
    for (const auto& [step, c] : m_columns) h->insert(step, c.column);
    const bool same = h->steps == m_history->steps;
    m_history = std::move(h);
    if (!same) emit changed();
}

void ExampleHistoryModel::columnArrived(int index)
{
    Result r = m_task->resultAt(index);
    ++m_taskDone;
    if (!r.error.isEmpty()) {
        m_error = r.error;
        emit failed(r.error);
        return;
    }
    m_columns[r.step] = Column{std::move(r.parameters), std::move(r.column)};
    if (!m_publish.isActive()) m_publish.start();
}

void ExampleHistoryModel::publish()
{
    emit progress(m_taskDone, m_taskTotal);
    rebuildHistory();
}

void ExampleHistoryModel::taskFinished()
{
    m_task->deleteLater();
    m_task = nullptr;
    m_publish.stop();
    publish();
    // While training adds steps, tasks would follow each other and take a
    // core from it: the thread rests 19 times as long as its task ran (a
    // twentieth of one core at most), then takes up what came meanwhile.
    // On two cores a tenth of one cost training a tenth of its speed: the
    // other training thread waits at the end of each step for the one the
    // task held up.
    m_rest.start(int(std::clamp<qint64>(restFactor * m_taskClock.elapsed(), minRestMs, maxRestMs)));
}
