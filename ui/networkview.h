// NetworkView: the pinned sample flowing through the network, left to right:
// the input, each layer's output (maps for convolutions and pooling, a strip
// for dense layers) and the output probabilities.
//
// Each column is a MapGridWidget fed a (h, w, c) or (n,) tensor with a colour
// scale kind, so another quantity of the same shapes (the gradients, on a
// diverging scale) can be shown by feeding the same columns other tensors.
#pragma once

#include "trainingtypes.h"

#include <QStringList>
#include <QWidget>

#include <vector>

class MapGridWidget;
class ProbabilityBars;
class QHBoxLayout;
class QLabel;

class NetworkView : public QWidget {
    Q_OBJECT

public:
    explicit NetworkView(QWidget* parent = nullptr);

    void setClassNames(const QStringList& names);
    void showSnapshot(const TrainingSnapshot& snapshot);

    // The input column, then one column per shown layer (flatten and the
    // output layer have none: the output is the probability bars).
    const std::vector<MapGridWidget*>& columns() const { return m_columns; }
    MapGridWidget* inputGrid() const { return m_columns.empty() ? nullptr : m_columns.front(); }
    ProbabilityBars* probabilities() const { return m_probs; }

signals:
    void mapClicked(MapGridWidget* grid, int index);

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void rebuild(const TrainingSnapshot& snapshot);
    // Gives every map column the width that shows its maps at one common
    // size, the largest at which all columns fit side by side.
    void fitColumns();
    MapGridWidget* addColumn();

    QLabel* m_caption = nullptr;
    QHBoxLayout* m_row = nullptr;
    std::vector<MapGridWidget*> m_columns;
    std::vector<int> m_layerOfColumn; // -1 for the input
    ProbabilityBars* m_probs = nullptr;
    QStringList m_classNames;
    QStringList m_structure; // layer names and shapes the columns were built for
};
