// NetworkView: the pinned sample flowing through the network, left to right:
// the input, each layer's output (maps for convolutions and pooling, a strip
// for dense layers) and the output probabilities.
//
// Each column is a MapGridWidget fed a (h, w, c) or (n,) tensor with a colour
// scale kind, so another quantity of the same shapes (the gradients, on a
// diverging scale) can be shown by feeding the same columns other tensors.
// Columns are named in words (layernames.h) and keyed by the Keras name; the
// arrows between them name the operation. The colour ranges follow a
// RangeMemory (per frame, so far, fixed). Zoomed in, the row scrolls.
#pragma once

#include "layernames.h"
#include "rangememory.h"
#include "trainingtypes.h"

#include <QStringList>
#include <QWidget>

#include <vector>

class MapGridWidget;
class ProbabilityBars;
class QHBoxLayout;
class QLabel;
class QScrollArea;

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
    // The column that shows layer `key` (Keras name), or null.
    MapGridWidget* column(const QString& key) const;
    const std::vector<LayerName>& layerNames() const { return m_names; }
    // The layer (its index in the model) whose output `grid` shows: -1 for
    // the input column, -2 for a grid that is not a column here.
    int layerOf(const MapGridWidget* grid) const;
    // The column that shows layer `layer`'s output (-1: the input), or null.
    MapGridWidget* columnOfLayer(int layer) const;
    // Removes every column's marks.
    void clearMarks();

    // Colour ranges of the maps (the lens draws through them too).
    RangeMemory& ranges() { return m_ranges; }
    // Shows `values` in `column` under the colour mode; `what` tells the
    // range memory apart what else the column shows ("", "change", "dL/dA").
    void showInColumn(MapGridWidget* column, const QString& title, const cs::Tensor<float>& values,
                      ColorScaleKind kind, const QString& what = {});

    // 1: maps fitted to the view; above it, larger, and the row scrolls.
    void setZoom(double zoom);
    double zoom() const { return m_zoom; }
    // The caption names the sample the columns show: showSnapshot names the
    // dataset image, showDrawingCaption the drawing the lens put in its place.
    void showDrawingCaption(const QString& readAs, double probability);
    // What the columns show instead of the sample's activations, after its
    // name (rich text; empty: nothing). showSnapshot clears it.
    void setCaptionNote(const QString& note);
    // A line under the caption: what the last step changed.
    void setStepCaption(const QString& text);
    QLabel* stepCaption() const { return m_stepCaption; }

signals:
    // A double-click on a map (a click on a kernel).
    void mapClicked(MapGridWidget* grid, int index);
    // A click on cell (row, column) of map `index` of a column (a strip's
    // unit is the row).
    void cellClicked(MapGridWidget* grid, int index, int row, int column);

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void rebuild(const TrainingSnapshot& snapshot);
    // Gives every map column the width that shows its maps at one common
    // size, the largest at which all columns fit side by side.
    void fitColumns();
    MapGridWidget* addColumn(const QString& operation, const QString& tip);
    // An arrow to the next column, naming the operation between them.
    void addArrow(const QString& operation, const QString& tip);
    void showCaption();

    QLabel* m_caption = nullptr;
    QString m_captionSample, m_captionNote; // rich text
    QLabel* m_stepCaption = nullptr;
    QScrollArea* m_scroll = nullptr;
    QWidget* m_content = nullptr;
    QHBoxLayout* m_row = nullptr;
    double m_zoom = 1;
    int m_leastWidth = 0; // the row's least width at zoom 1, asked of the window
    std::vector<LayerName> m_names;
    RangeMemory m_ranges;
    std::vector<MapGridWidget*> m_columns;
    std::vector<QWidget*> m_arrows; // between the columns
    std::vector<int> m_layerOfColumn; // -1 for the input
    ProbabilityBars* m_probs = nullptr;
    QStringList m_classNames;
    QStringList m_structure; // layer names and shapes the columns were built for
};
