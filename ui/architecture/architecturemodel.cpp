#include "architecturemodel.h"

#include "trainingtypes.h" // shapeText

#include <QBrush>
#include <QColor>
#include <QLocale>

#include <algorithm>
#include <set>

ArchitectureModel::ArchitectureModel(QObject* parent) : QAbstractTableModel(parent) {}

int ArchitectureModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_architecture.layers.size());
}

int ArchitectureModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString ArchitectureModel::error(int row) const
{
    const QString& name = m_nameErrors.at(std::size_t(row));
    return name.isEmpty() ? QString::fromStdString(shapes(row).error) : name;
}

QVariant ArchitectureModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount()) return {};
    const int row = index.row();
    const cs::NamedLayer& l = layer(row);
    const cs::LayerShapes& s = shapes(row);
    const QString why = error(row);
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case LayerColumn: return l.name.empty() ? tr("(unnamed)") : QString::fromStdString(l.name);
        case SettingsColumn: return QString::fromStdString(cs::describe(l.spec));
        case OutputColumn: return why.isEmpty() ? shapeText(s.output) : tr("\u2717 %1").arg(why);
        case ParametersColumn: return why.isEmpty() ? QLocale().toString(qulonglong(s.parameters)) : QString();
        }
        return {};
    case Qt::ToolTipRole: {
        if (!why.isEmpty()) return tr("%1 cannot be built: %2").arg(QString::fromStdString(l.name), why);
        QString tip = tr("%1 \u2192 %2").arg(shapeText(s.input), shapeText(s.output));
        if (!s.formula.empty()) tip += QLatin1Char('\n') + QString::fromStdString(s.formula);
        return tip;
    }
    case Qt::BackgroundRole:
        if (!why.isEmpty()) return QBrush(QColor(255, 220, 220));
        return {};
    case Qt::ForegroundRole:
        if (!why.isEmpty()) return QBrush(QColor(160, 0, 0));
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == ParametersColumn) return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    }
    return {};
}

QVariant ArchitectureModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole) return {};
    if (orientation == Qt::Vertical) return section + 1;
    switch (section) {
    case LayerColumn: return tr("Layer");
    case SettingsColumn: return tr("Settings");
    case OutputColumn: return tr("Output");
    case ParametersColumn: return tr("Parameters");
    }
    return {};
}

void ArchitectureModel::setArchitecture(const cs::Architecture& architecture)
{
    beginResetModel();
    m_architecture = architecture;
    recompute();
    endResetModel();
    emit edited();
}

void ArchitectureModel::setInput(const cs::Shape& input)
{
    m_architecture.input = input;
    recompute();
    if (rowCount() > 0) emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
    emit edited();
}

void ArchitectureModel::setSpec(int row, const cs::LayerSpec& spec)
{
    if (row < 0 || row >= rowCount()) return;
    m_architecture.layers[std::size_t(row)].spec = spec;
    recompute();
    // The layer and every one after it may change shape.
    emit dataChanged(index(row, 0), index(rowCount() - 1, ColumnCount - 1));
    emit edited();
}

void ArchitectureModel::setName(int row, const QString& name)
{
    if (row < 0 || row >= rowCount()) return;
    m_architecture.layers[std::size_t(row)].name = name.trimmed().toStdString();
    recompute();
    emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1)); // duplicates anywhere
    emit edited();
}

void ArchitectureModel::insertLayer(int row, cs::NamedLayer layer)
{
    row = std::clamp(row, 0, rowCount());
    beginInsertRows({}, row, row);
    m_architecture.layers.insert(m_architecture.layers.begin() + row, std::move(layer));
    // Keras' default name for it ("dense_2"), unique among the others.
    m_architecture = cs::with_default_names(m_architecture);
    recompute();
    endInsertRows();
    if (rowCount() > 0) emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
    emit edited();
}

void ArchitectureModel::removeLayer(int row)
{
    if (row < 0 || row >= rowCount()) return;
    beginRemoveRows({}, row, row);
    m_architecture.layers.erase(m_architecture.layers.begin() + row);
    recompute();
    endRemoveRows();
    if (rowCount() > 0) emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
    emit edited();
}

void ArchitectureModel::moveLayer(int from, int to)
{
    if (from < 0 || from >= rowCount() || to < 0 || to >= rowCount() || from == to) return;
    // Qt's destination is the row before which it goes, in the table before the move.
    beginMoveRows({}, from, from, {}, to > from ? to + 1 : to);
    cs::NamedLayer moved = std::move(m_architecture.layers[std::size_t(from)]);
    m_architecture.layers.erase(m_architecture.layers.begin() + from);
    m_architecture.layers.insert(m_architecture.layers.begin() + to, std::move(moved));
    recompute();
    endMoveRows();
    emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
    emit edited();
}

bool ArchitectureModel::isValid() const
{
    return firstProblem().isEmpty();
}

QString ArchitectureModel::firstProblem() const
{
    if (m_architecture.layers.empty()) return tr("no layers");
    for (int row = 0; row < rowCount(); ++row) {
        const QString why = error(row);
        if (!why.isEmpty())
            return tr("layer %1 \u2018%2\u2019 (%3): %4")
                .arg(row + 1)
                .arg(QString::fromStdString(layer(row).name), QString::fromStdString(cs::describe(layer(row).spec)), why);
    }
    return {};
}

std::size_t ArchitectureModel::totalParameters() const
{
    std::size_t total = 0;
    for (const cs::LayerShapes& s : m_shapes) total += s.parameters;
    return total;
}

void ArchitectureModel::recompute()
{
    m_shapes = cs::infer_shapes(m_architecture);
    m_nameErrors.assign(m_architecture.layers.size(), QString());
    std::set<std::string> seen;
    for (std::size_t i = 0; i < m_architecture.layers.size(); ++i) {
        const std::string& name = m_architecture.layers[i].name;
        if (name.empty()) continue; // named as Keras would when built
        if (!seen.insert(name).second)
            m_nameErrors[i] = tr("another layer is already named \u2018%1\u2019 (names key the weights)")
                                  .arg(QString::fromStdString(name));
    }
}
