// RunHistory: the training runs of this window, as a table model (GUI thread).
//
// Row 0 is the current run, the one the worker trains; rows 1... are the
// earlier runs, the newest first. Columns: whether the run's curves are
// drawn (a check box and its colour), name (editable: renaming), steps,
// final train and test accuracy, training time, architecture,
// hyperparameters, start. The worker reports runs (TrainingWorker::runEnded, runStarted,
// runsRestored); the current run's steps, time and accuracy follow the
// snapshots. Each earlier run keeps its colour while it is listed, from a
// palette that reads on light and dark backgrounds and stays clear of the
// current run's blue, green and orange.
#pragma once

#include "trainingtypes.h"

#include <QAbstractTableModel>
#include <QColor>

#include <memory>
#include <vector>

// An earlier run's curves, for CurvesWidget::setRunCurves.
struct RunCurve {
    QString name;
    QColor colour;
    std::shared_ptr<const cs::TrainingHistory> history; // shared, never changed
};

class RunHistory : public QAbstractTableModel {
    Q_OBJECT

public:
    // The figures first: a narrow dock shows what compares runs, the
    // architecture and settings follow (and are in the name's tooltip).
    enum Column { Curve, Name, Steps, TrainAccuracy, TestAccuracy, Time, Architecture, Settings, Started, ColumnCount };

    explicit RunHistory(QObject* parent = nullptr);
    ~RunHistory() override;

    static const std::vector<QColor>& palette();

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;
    // Earlier runs only: the current run stays.
    bool removeRows(int row, int count, const QModelIndex& parent = {}) override;

    // From the worker.
    void startCurrent(const cs::RunRecord& run);
    void endCurrent(const cs::RunRecord& run);
    void restore(const std::vector<cs::RunRecord>& earlier);
    // From the window: the current run as it trains.
    void updateCurrent(const TrainingSnapshot& snapshot);
    void setCurrentSettings(const Hyperparameters& hyperparameters);

    int earlierCount() const { return int(m_earlier.size()); }
    static bool isCurrent(int row) { return row == 0; }
    QString name(int row) const;
    bool rename(int row, const QString& name);
    bool isShown(int row) const;
    void setShown(int row, bool shown);
    // A copy of earlier run `row` (1...) as its record, with its name.
    cs::RunRecord record(int row) const;

    // What a session keeps: the current run's name and every earlier run.
    cs::SessionRuns sessionRuns() const;
    // The earlier runs whose curves are shown, oldest first.
    std::vector<RunCurve> shownCurves() const;

signals:
    void shownCurvesChanged();

private:
    struct Run {
        cs::RunRecord record; // its history moved to `history`
        std::shared_ptr<const cs::TrainingHistory> history;
        QColor colour;
        bool shown = false;
        QString summary, layers; // of the architecture, parsed once
    };
    Run* at(int row);
    const Run* at(int row) const;
    Run makeRun(cs::RunRecord record);
    Run makeEarlier(cs::RunRecord record); // with the next colour
    void currentChanged(int firstColumn, int lastColumn);

    Run m_current;
    bool m_hasCurrent = false;
    std::vector<Run> m_earlier; // newest first, as shown
    int m_nextNumber = 1;       // for "Run N"
    std::size_t m_nextColour = 0;
};
