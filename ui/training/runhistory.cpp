#include "runhistory.h"

#include "architecturesummary.h"

#include <QDateTime>
#include <QFont>
#include <QLocale>
#include <QRegularExpression>

#include <algorithm>
#include <cmath>

namespace {

QString qs(const std::string& s)
{
    return QString::fromStdString(s);
}

QString percent(double accuracy)
{
    return std::isfinite(accuracy) ? QStringLiteral("%1%").arg(accuracy * 100, 0, 'f', 1) : QStringLiteral("\u2013");
}

QString duration(double seconds)
{
    if (seconds < 60) return QObject::tr("%1 s").arg(seconds, 0, 'f', 1);
    const qint64 s = qint64(seconds);
    if (s < 3600) return QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1:%2:%3")
        .arg(s / 3600)
        .arg((s / 60) % 60, 2, 10, QLatin1Char('0'))
        .arg(s % 60, 2, 10, QLatin1Char('0'));
}

QString optimizerName(const std::string& optimizer)
{
    return optimizer == "sgd" ? QObject::tr("SGD+momentum") : optimizer == "adam" ? QObject::tr("Adam") : qs(optimizer);
}

QString settingsText(const cs::RunRecord& r)
{
    return QObject::tr("%1, lr %2, batch %3, seed %4")
        .arg(optimizerName(r.optimizer))
        .arg(r.learning_rate)
        .arg(r.batch_size)
        .arg(r.seed);
}

QDateTime startOf(const cs::RunRecord& r)
{
    QDateTime t = QDateTime::fromString(qs(r.started_at), Qt::ISODate);
    return t.isValid() ? t.toLocalTime() : QDateTime();
}

} // namespace

RunHistory::RunHistory(QObject* parent) : QAbstractTableModel(parent)
{
    setObjectName(QStringLiteral("runHistory"));
}

RunHistory::~RunHistory() = default;

const std::vector<QColor>& RunHistory::palette()
{
    // Mid-light colours (Tableau's, without its blue, green and orange,
    // which are the current run's): each reads on white and on a dark grey.
    static const std::vector<QColor> colours{QColor(0xd6, 0x27, 0x28), QColor(0x17, 0xbe, 0xcf), QColor(0xe3, 0x77, 0xc2),
                                             QColor(0xbc, 0xbd, 0x22), QColor(0x94, 0x67, 0xbd), QColor(0x8c, 0x56, 0x4b),
                                             QColor(0x7f, 0x7f, 0x7f), QColor(0xff, 0x98, 0x96)};
    return colours;
}

int RunHistory::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_earlier.size()) + (m_hasCurrent ? 1 : 0);
}

int RunHistory::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

RunHistory::Run* RunHistory::at(int row)
{
    return const_cast<Run*>(std::as_const(*this).at(row));
}

const RunHistory::Run* RunHistory::at(int row) const
{
    if (!m_hasCurrent) return nullptr;
    if (row == 0) return &m_current;
    if (row < 1 || row > int(m_earlier.size())) return nullptr;
    return &m_earlier[std::size_t(row - 1)];
}

QVariant RunHistory::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal) return {};
    if (role == Qt::DisplayRole) {
        switch (section) {
        case Curve: return tr("Curve");
        case Name: return tr("Run");
        case Architecture: return tr("Architecture");
        case Settings: return tr("Hyperparameters");
        case Steps: return tr("Steps");
        case TrainAccuracy: return tr("Train acc.");
        case TestAccuracy: return tr("Test acc.");
        case Time: return tr("Time");
        case Started: return tr("Started");
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case Curve: return tr("Draw this run's smoothed loss and accuracy over the current run's, in its colour");
        case Name: return tr("Double-click or F2 to rename");
        case TrainAccuracy:
            return tr("Accuracy on the training mini-batches since the run's last test evaluation");
        case TestAccuracy:
            return tr("Accuracy on 1,000 test images at the run's last test evaluation (every 200 steps, or 400, "
                      "600... at full speed)");
        case Time: return tr("Time spent computing the run's steps (pauses and the pace's waits not counted)");
        }
    }
    return {};
}

Qt::ItemFlags RunHistory::flags(const QModelIndex& index) const
{
    if (!index.isValid()) return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    if (index.column() == Name) f |= Qt::ItemIsEditable;
    if (index.column() == Curve && !isCurrent(index.row())) f |= Qt::ItemIsUserCheckable;
    return f;
}

QVariant RunHistory::data(const QModelIndex& index, int role) const
{
    const Run* run = at(index.row());
    if (!run) return {};
    const cs::RunRecord& r = run->record;
    const bool current = isCurrent(index.row());
    switch (index.column()) {
    case Curve:
        if (current) {
            if (role == Qt::DisplayRole) return tr("current");
            if (role == Qt::ToolTipRole) return tr("The current run: always drawn, loss in blue, accuracy in green");
            if (role == Qt::ForegroundRole) return QColor(0x1f, 0x77, 0xb4);
            return {};
        }
        if (role == Qt::CheckStateRole) return run->shown ? Qt::Checked : Qt::Unchecked;
        if (role == Qt::DecorationRole) return run->colour;
        if (role == Qt::ToolTipRole)
            return run->shown ? tr("Drawn on the curves in this colour (uncheck to hide)")
                              : tr("Check to draw this run on the curves, in this colour");
        return {};
    case Name:
        if (role == Qt::DisplayRole || role == Qt::EditRole) return qs(r.name);
        if (role == Qt::FontRole && current) {
            QFont f;
            f.setBold(true);
            return f;
        }
        if (role == Qt::ToolTipRole)
            return tr("<b>%1</b>%2<br>%3<br>%4<br><br><i>%5</i>")
                .arg(qs(r.name).toHtmlEscaped(), current ? tr(" (the run being trained)") : QString(),
                     (run->summary.isEmpty() ? tr("(unknown architecture)") : run->summary).toHtmlEscaped(),
                     settingsText(r).toHtmlEscaped(),
                     current ? tr("Double-click or F2 to rename.") : tr("Double-click or F2 to rename; Delete removes it."));
        return {};
    case Architecture:
        if (role == Qt::DisplayRole) return run->summary.isEmpty() ? tr("(unknown)") : run->summary;
        if (role == Qt::ToolTipRole) return run->layers;
        return {};
    case Settings:
        if (role == Qt::DisplayRole) return settingsText(r);
        if (role == Qt::ToolTipRole)
            return tr("Optimizer %1, learning rate %2, batch size %3, seed %4 (the settings in force at the run's "
                      "last step)\nTrained on %5")
                .arg(optimizerName(r.optimizer))
                .arg(r.learning_rate)
                .arg(r.batch_size)
                .arg(r.seed)
                .arg(r.dataset.empty() ? tr("an unknown dataset") : qs(r.dataset));
        return {};
    case Steps:
        if (role == Qt::DisplayRole) return QLocale().toString(qulonglong(r.steps));
        break;
    case TrainAccuracy:
        if (role == Qt::DisplayRole) return percent(r.train_accuracy);
        break;
    case TestAccuracy:
        if (role == Qt::DisplayRole) return percent(r.test_accuracy);
        break;
    case Time:
        // A model opened from a file brings its steps but not their time.
        if (role == Qt::DisplayRole)
            return r.seconds > 0 || r.steps == 0 ? duration(r.seconds) : QStringLiteral("\u2013");
        if (role == Qt::ToolTipRole && r.seconds == 0 && r.steps > 0)
            return tr("Trained before it was opened here: its time is not known");
        break;
    case Started: {
        const QDateTime t = startOf(r);
        if (role == Qt::DisplayRole)
            return !t.isValid() ? QStringLiteral("\u2013")
                   : t.date() == QDate::currentDate() ? QLocale().toString(t.time(), QLocale::ShortFormat)
                                                      : QLocale().toString(t, QLocale::ShortFormat);
        if (role == Qt::ToolTipRole && t.isValid()) return QLocale().toString(t, QLocale::LongFormat);
        return {};
    }
    }
    if (role == Qt::TextAlignmentRole) return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

bool RunHistory::setData(const QModelIndex& index, const QVariant& value, int role)
{
    if (!at(index.row())) return false;
    if (index.column() == Name && role == Qt::EditRole) return rename(index.row(), value.toString());
    if (index.column() == Curve && role == Qt::CheckStateRole && !isCurrent(index.row())) {
        setShown(index.row(), value.toInt() == Qt::Checked);
        return true;
    }
    return false;
}

bool RunHistory::removeRows(int row, int count, const QModelIndex& parent)
{
    if (parent.isValid() || count < 1 || row < 1 || row + count - 1 > int(m_earlier.size())) return false;
    beginRemoveRows(parent, row, row + count - 1);
    const auto first = m_earlier.begin() + (row - 1);
    const bool wasShown = std::any_of(first, first + count, [](const Run& r) { return r.shown; });
    m_earlier.erase(first, first + count);
    endRemoveRows();
    if (wasShown) emit shownCurvesChanged();
    return true;
}

QString RunHistory::name(int row) const
{
    const Run* run = at(row);
    return run ? qs(run->record.name) : QString();
}

bool RunHistory::rename(int row, const QString& name)
{
    Run* run = at(row);
    const QString simplified = name.simplified();
    if (!run || simplified.isEmpty()) return false;
    run->record.name = simplified.toStdString();
    const QModelIndex i = index(row, Name);
    emit dataChanged(i, i);
    if (run->shown) emit shownCurvesChanged(); // the legend names it
    return true;
}

bool RunHistory::isShown(int row) const
{
    const Run* run = at(row);
    return run && (isCurrent(row) || run->shown);
}

void RunHistory::setShown(int row, bool shown)
{
    Run* run = at(row);
    if (!run || isCurrent(row) || run->shown == shown) return;
    run->shown = shown;
    const QModelIndex i = index(row, Curve);
    emit dataChanged(i, i);
    emit shownCurvesChanged();
}

cs::RunRecord RunHistory::record(int row) const
{
    const Run* run = at(row);
    if (!run) return {};
    cs::RunRecord r = run->record;
    if (run->history) r.history = *run->history;
    return r;
}

RunHistory::Run RunHistory::makeRun(cs::RunRecord record)
{
    Run run;
    if (!record.history.loss.empty() || !record.history.evaluations.empty())
        run.history = std::make_shared<const cs::TrainingHistory>(std::move(record.history));
    record.history = {};
    run.record = std::move(record);
    run.summary = architectureSummary(qs(run.record.architecture));
    run.layers = architectureLayers(qs(run.record.architecture));
    // "Run 7" restored or named by hand: new runs are numbered after it.
    static const QRegularExpression numbered(QStringLiteral("^Run (\\d+)$"));
    const auto m = numbered.match(qs(run.record.name));
    if (m.hasMatch()) m_nextNumber = std::max(m_nextNumber, m.captured(1).toInt() + 1);
    return run;
}

RunHistory::Run RunHistory::makeEarlier(cs::RunRecord record)
{
    Run run = makeRun(std::move(record));
    run.colour = palette()[m_nextColour++ % palette().size()];
    return run;
}

void RunHistory::startCurrent(const cs::RunRecord& run)
{
    cs::RunRecord r = run;
    r.history = {}; // the curves have the current run's
    if (r.name.empty()) r.name = tr("Run %1").arg(m_nextNumber).toStdString();
    m_current = makeRun(std::move(r));
    if (!m_hasCurrent) {
        beginInsertRows({}, 0, 0);
        m_hasCurrent = true;
        endInsertRows();
    } else {
        emit dataChanged(index(0, 0), index(0, ColumnCount - 1));
    }
}

void RunHistory::endCurrent(const cs::RunRecord& run)
{
    cs::RunRecord r = run;
    // The worker's figures; the window's name (the person may have renamed it).
    if (m_hasCurrent) r.name = m_current.record.name;
    if (r.name.empty()) r.name = tr("Run %1").arg(m_nextNumber).toStdString();
    Run ended = makeEarlier(std::move(r));
    const int row = m_hasCurrent ? 1 : 0;
    beginInsertRows({}, row, row);
    m_earlier.insert(m_earlier.begin(), std::move(ended));
    endInsertRows();
}

void RunHistory::restore(const std::vector<cs::RunRecord>& earlier)
{
    const bool anyShown = std::any_of(m_earlier.begin(), m_earlier.end(), [](const Run& r) { return r.shown; });
    beginResetModel();
    m_earlier.clear();
    m_nextColour = 0;
    for (const cs::RunRecord& r : earlier) m_earlier.push_back(makeEarlier(r));
    endResetModel();
    if (anyShown) emit shownCurvesChanged();
}

void RunHistory::updateCurrent(const TrainingSnapshot& s)
{
    if (!m_hasCurrent) return;
    cs::RunRecord& r = m_current.record;
    bool changed = r.steps != s.step || r.seconds != s.runSeconds;
    r.steps = s.step;
    r.seconds = s.runSeconds;
    if (!s.evaluations.empty()) {
        r.train_accuracy = s.evaluations.back().train_accuracy;
        r.test_accuracy = s.evaluations.back().test_accuracy;
        changed = true;
    }
    if (changed) currentChanged(Steps, Time);
}

void RunHistory::setCurrentSettings(const Hyperparameters& h)
{
    if (!m_hasCurrent) return;
    cs::RunRecord& r = m_current.record;
    // The seed stays the run's own: a new one applies from the next Reset.
    r.optimizer = h.optimizer.toStdString();
    r.learning_rate = h.learningRate;
    r.batch_size = std::size_t(std::max(h.batchSize, 1));
    currentChanged(Settings, Settings);
}

void RunHistory::currentChanged(int firstColumn, int lastColumn)
{
    emit dataChanged(index(0, firstColumn), index(0, lastColumn), {Qt::DisplayRole});
}

cs::SessionRuns RunHistory::sessionRuns() const
{
    cs::SessionRuns runs;
    if (m_hasCurrent) runs.current_name = m_current.record.name;
    for (int row = 1; row <= int(m_earlier.size()); ++row) runs.earlier.push_back(record(row));
    return runs;
}

std::vector<RunCurve> RunHistory::shownCurves() const
{
    std::vector<RunCurve> out;
    for (auto run = m_earlier.rbegin(); run != m_earlier.rend(); ++run)
        if (run->shown) out.push_back({qs(run->record.name), run->colour, run->history});
    return out;
}
