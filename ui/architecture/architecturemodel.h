// ArchitectureModel: the network being designed in the Architecture dock,
// as a table, a row per layer:
//
//   Layer       its name ("conv2d_1"), the weights' prefix
//   Settings    what it is, in a line: "Conv2D 16@5x5 valid relu"
//   Output      its output shape per sample, "10x10x16" (tooltip: the formula)
//   Parameters  its kernel and bias values
//
// Every edit works every shape out again (cs::infer_shapes: cheap, no
// thread), so the columns follow as the person types. A layer that cannot
// be built is marked red with the reason (also in its tooltip); the layers
// after it "follow an invalid layer". Layer names must be unique (they key
// the weights in a model file); an empty one is given Keras' default when
// the network is built.
#pragma once

#include "architecture.hpp"

#include <QAbstractTableModel>

#include <vector>

class ArchitectureModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column { LayerColumn, SettingsColumn, OutputColumn, ParametersColumn, ColumnCount };

    explicit ArchitectureModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    const cs::Architecture& architecture() const { return m_architecture; }
    void setArchitecture(const cs::Architecture& architecture);
    void setInput(const cs::Shape& input);

    const cs::NamedLayer& layer(int row) const { return m_architecture.layers.at(std::size_t(row)); }
    void setSpec(int row, const cs::LayerSpec& spec);
    void setName(int row, const QString& name);
    // At `row` (0 to rowCount()); an empty name is made unique from its kind.
    void insertLayer(int row, cs::NamedLayer layer);
    void removeLayer(int row);
    // The layer at `from` to `to` (both rows of the current table).
    void moveLayer(int from, int to);

    // Per layer: its shapes, formula and why it cannot be built ("" if it can).
    const cs::LayerShapes& shapes(int row) const { return m_shapes.at(std::size_t(row)); }
    QString error(int row) const;
    // Every layer can be built (and there is at least one).
    bool isValid() const;
    // "layer 3 'conv2d_1': ..." for the first layer that cannot be built,
    // "no layers" for none, or "".
    QString firstProblem() const;
    std::size_t totalParameters() const;

signals:
    // After any change of the architecture (an edit, a new one).
    void edited();

private:
    void recompute();

    cs::Architecture m_architecture;
    std::vector<cs::LayerShapes> m_shapes;
    std::vector<QString> m_nameErrors; // a duplicate name, per layer ("" if none)
};
