// ExplanationPanel: the number under a click, as the sum that made it.
//
// A click on a cell of any map (or a unit of a dense layer) in the network
// view asks it (cellexplanation.h): with activations shown, the window on
// the layer before, the kernel, every product, + bias = z and
// activation(z) = the value in the map; with gradients shown, every term of
// the backward sum that wrote that dA. A click on a kernel's weight (with
// gradients shown) explains its dL/dW for the sample. The numbers are the core's own, and
// the panel says that the sum equals the map's value. The network view is
// marked as the explanation reads it: the cell, its window on the maps
// before (dashed) and its receptive field on the input.
//
// It follows the view: every snapshot (training goes on), a change of mode,
// class or sample explains the same cell again, while the panel is visible.
#pragma once

#include "cellexplanation.h"

#include <QPointer>
#include <QWidget>

#include <memory>
#include <optional>

class MapGridWidget;
class NetworkView;
class CatchUp;
class QLabel;
class QTextBrowser;
class QToolButton;
class SampleLens;

class ExplanationPanel : public QWidget {
    Q_OBJECT

public:
    ExplanationPanel(SampleLens* lens, NetworkView* view, QWidget* parent = nullptr);
    ~ExplanationPanel() override;

    // A click on cell (row, column) of map `index` of a column of the view.
    void explainCell(MapGridWidget* grid, int index, int row, int column);
    // A click on weight (di, dj, channel, filter) of layer `key`'s kernel:
    // with gradients shown, its dL/dW for the sample.
    void explainWeight(const QString& key, int di, int dj, int channel, int filter);
    // Forgets the cell (and the marks on the view).
    void clearCell();

    bool hasExplanation() const { return m_answer.has_value(); }
    const cs::Explanation& explanation() const { return m_answer->explanation; }
    const std::optional<CellQuestion>& question() const { return m_question; }
    // What the panel shows, as HTML (and why there is nothing, in words).
    QString html() const;
    QString message() const { return m_message; }

signals:
    // A cell was picked (the dock it sits in comes forward).
    void cellPicked();

protected:
    void showEvent(QShowEvent* event) override;

private:
    // Asks the question again of what the view shows now.
    void refresh();
    void render();
    void markView();
    void showMessage(const QString& text);
    // The value of the weight a question names (0 if it names none).
    double weightValue(const CellQuestion& q) const;

    SampleLens* m_lens;
    NetworkView* m_view;
    QLabel* m_heading = nullptr;
    QTextBrowser* m_text = nullptr;
    QToolButton* m_clear = nullptr;
    // The column and cell clicked; whether it is asked forward or backward
    // follows the view's mode.
    std::optional<CellQuestion> m_question;
    const cs::Network<float>* m_network = nullptr; // the question's network (a new one forgets it)
    std::optional<CellAnswer> m_answer;
    QString m_message;
    CatchUp* m_catchUp = nullptr; // out of sight when the view changed: asked again when shown or painted
    std::unique_ptr<cs::Workspace<float>> m_workspace;
};
