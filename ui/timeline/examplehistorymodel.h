// ExampleHistoryModel: the learning history of a probe set (ProbeSet) over
// a run's parameter timeline, computed off the GUI thread (issue 16).
//
// Given the network, the timeline and the probe set, update() looks at the
// timeline's kept steps, chooses at most maxColumns() of them and computes
// the columns it does not have yet (cs::probe_step: one forward of the probe
// set each) as a task in a thread pool of its own, with a workspace of its
// own. The GUI thread never waits for it: each column arrives by a queued
// signal; progress() counts the task's columns, and the arrived ones go
// into history() (changed() is emitted), at most every publishMs and when
// the task ends (a new history, and the view's sorting of its examples, for
// every column cost the window's thread up to 12 ms a time).
//
// Columns: the first and last kept steps, and between them the kept step
// nearest to each of evenly spaced targets (evenly in steps, so equally wide
// columns stand for equally long stretches of training; the timeline keeps
// old steps sparser). A target whose half-spacing window holds a step
// already computed takes that one instead, so that a growing run shifts the
// choice without recomputing it: an update mostly adds the new steps.
//
// A column is kept while the timeline still holds the very parameters it was
// computed from (the model holds that snapshot, so the timeline cannot
// recycle it, and a restarted run's new step of the same number is another
// snapshot): thinned or rewound steps are dropped at the next update().
//
// setNetwork, setTimeline and setProbe cancel the running task and drop
// every column; nothing is computed until update(). Call update() when the
// timeline may have grown (training paused, or every few seconds): it
// returns at once when the timeline's revision is the one already seen, and
// while a task runs it only notes that another update is due when it ends.
// Destruction cancels the task without waiting: the task holds shared
// pointers to everything it reads and ends after its current column.
#pragma once

#include "probeset.h"

#include "example_history.hpp"
#include "network.hpp"
#include "parameter_timeline.hpp"

#include <QFutureWatcher>
#include <QElapsedTimer>
#include <QObject>
#include <QThreadPool>
#include <QString>
#include <QTimer>

#include <cstdint>
#include <map>
#include <memory>
#include <vector>

class ExampleHistoryModel : public QObject {
    Q_OBJECT

public:
    static constexpr int defaultMaxColumns = 200;
    // The shortest and longest rests between two tasks (taskFinished()).
    static constexpr int minRestMs = 200, maxRestMs = 3000;
    static constexpr int restFactor = 19; // the rest after a task, in multiples of its time
    static constexpr int publishMs = 250; // the columns of a running task go into history() this often

    explicit ExampleHistoryModel(QObject* parent = nullptr);
    ~ExampleHistoryModel() override;

    void setNetwork(std::shared_ptr<const cs::Network<float>> network);
    void setTimeline(std::shared_ptr<const cs::ParameterTimeline> timeline);
    void setProbe(std::shared_ptr<const ProbeSet> probe);
    // At least 2; applies from the next update().
    void setMaxColumns(int columns);
    int maxColumns() const { return m_maxColumns; }

    // Computes the columns the timeline now calls for (see above).
    void update();

    // The columns so far, in step order (never null; empty before any).
    std::shared_ptr<const cs::ExampleHistory> history() const { return m_history; }
    std::shared_ptr<const ProbeSet> probe() const { return m_probe; }
    // A task is running.
    bool isComputing() const { return m_task != nullptr; }
    // The pause after a task (taskFinished()): an update() now is done
    // when it ends.
    bool isResting() const { return m_rest.isActive(); }
    // Why the last update could not compute ("" if it could): the probe
    // images do not fit the network, the timeline is another network's.
    QString error() const { return m_error; }

    // At most maxColumns of the kept steps (ascending), always the first and
    // the last, preferring those in `computed` (ascending) as above.
    // The one thread the columns are computed in (also the GIF export's).
    static QThreadPool* backgroundPool();

    static std::vector<std::uint64_t> chooseSteps(const std::vector<std::uint64_t>& kept,
                                                  const std::vector<std::uint64_t>& computed, std::size_t maxColumns);

signals:
    // Columns of the running task done, of `total`.
    void progress(int done, int total);
    // history() has new columns, or lost some.
    void changed();
    void failed(const QString& why);

private:
    struct Column {
        cs::ParameterTimeline::Parameters parameters; // what it was computed from
        cs::ProbeColumn column;
    };
    struct Result {
        std::uint64_t step = 0;
        cs::ParameterTimeline::Parameters parameters;
        cs::ProbeColumn column;
        QString error;
    };

    void reset();
    void cancelTask();
    QString checkInputs() const;
    void columnArrived(int index);
    void taskFinished();
    // The columns so far into history() (changed() if its steps changed).
    void rebuildHistory();
    // progress(), then rebuildHistory().
    void publish();

    std::shared_ptr<const cs::Network<float>> m_network;
    std::shared_ptr<const cs::ParameterTimeline> m_timeline;
    std::shared_ptr<const ProbeSet> m_probe;
    int m_maxColumns = defaultMaxColumns;

    std::map<std::uint64_t, Column> m_columns; // computed, by step
    std::vector<std::uint64_t> m_chosen;       // the steps the history shows
    std::shared_ptr<const cs::ExampleHistory> m_history;
    std::uint64_t m_seenRevision = 0;
    bool m_seen = false;          // m_seenRevision is meaningful
    bool m_updateDue = false;     // update() was called while a task ran, or rested
    QFutureWatcher<Result>* m_task = nullptr;
    QElapsedTimer m_taskClock;    // since the running task started
    QTimer m_rest;                // after a task: no other until it times out
    QTimer m_publish;             // a column arrived: into history() when it times out
    int m_taskTotal = 0, m_taskDone = 0;
    QString m_error;
};
