// ExampleHistoryView: the learning history of a probe set as a heatmap,
// a row per example and a column per step (issue 16).
//
//   cell (row r, column c)   example order[r] at history.steps[c]:
//     green   read right, darker the surer (p of the true class high)
//     red     read wrong, darker the surer (p of the true class low)
//   rows    in the order of the combo: by index, by when learned (the step
//           from which an example stays right; never learned last), or
//           forgotten first (right at one step, wrong at a later one); a
//           dashed line parts the learned from the rest, or the forgotten
//   marker  a vertical line at the step shown elsewhere (setCurrentStep:
//           the timeline slider's), on the last column at or before it
//
// Hovering names the cell ("test image 17 (a 7) at step 1,200: read as 1,
// p(7) = 0.12"); a click selects it and emits exampleChosen(image, step),
// `image` the example's index in its split (ProbeSet::imageIndices; for the
// default probe set, the test image's number) so that the window can pin
// that image at that step. The summary above says how many were learned and
// how many learned and then forgotten.
//
// Follows an ExampleHistoryModel (setModel) or shows a history it is given
// (setHistory). The cells are drawn once into an image of the grid's size,
// a pixel at a time (a cell is a few pixels; 200 x 200 of them fit any
// window), so a repaint for the marker or a hover is one blit.
#pragma once

#include "probeset.h"

#include "example_history.hpp"

#include <QImage>
#include <QWidget>

#include <memory>
#include <optional>
#include <vector>

class ExampleHistoryModel;
class QComboBox;
class LiveLabel;

class ExampleHistoryView : public QWidget {
    Q_OBJECT

public:
    explicit ExampleHistoryView(QWidget* parent = nullptr);

    // Shows the model's history and follows it (nullptr: none).
    void setModel(ExampleHistoryModel* model);
    // A history and the probe set it is of (both may be null: nothing).
    void setHistory(std::shared_ptr<const cs::ExampleHistory> history, std::shared_ptr<const ProbeSet> probe);
    std::shared_ptr<const cs::ExampleHistory> history() const { return m_history; }

    void setOrder(cs::ExampleOrder order);
    cs::ExampleOrder order() const { return m_order; }
    // The step shown elsewhere, marked on the grid.
    void setCurrentStep(quint64 step);
    void clearCurrentStep();
    std::optional<quint64> currentStep() const { return m_currentStep; }
    // The outlined cell: an example (probe index) at a step; -1: none.
    void setSelected(int example, quint64 step);
    int selectedExample() const { return m_selExample; }

    int rowCount() const { return int(m_rows.size()); }
    int columnCount() const { return m_history ? int(m_history->size()) : 0; }
    // The example (probe index) on row r.
    int exampleAt(int row) const { return m_rows.at(std::size_t(row)); }
    // Where cell (row, column) is drawn (tests, hit-testing); empty if the
    // grid is too small to give it a pixel.
    QRect cellRect(int row, int column) const;
    // What hovering over a cell says.
    QString cellText(int row, int column) const;
    // "143 of 200 learned; 12 learned and then forgotten".
    QString summary() const;

    QSize sizeHint() const override { return {640, 440}; }
    QSize minimumSizeHint() const override { return {220, 260}; }

signals:
    void exampleChosen(int index, quint64 step);

protected:
    bool event(QEvent* event) override;
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;

private:
    QRect gridRect() const;
    bool cellAt(const QPoint& pos, int& row, int& column) const;
    void historyChanged();
    void updateSummary();
    void renderCells(const QSize& grid);
    QString imageName(int example) const;
    QString stepText(std::uint64_t step) const;
    // The column shown for the current step: the last at or before it.
    int currentColumn() const;

    ExampleHistoryModel* m_model = nullptr;
    std::shared_ptr<const cs::ExampleHistory> m_history;
    std::shared_ptr<const ProbeSet> m_probe;
    cs::ExampleOrder m_order = cs::ExampleOrder::by_index;
    std::vector<int> m_rows; // row -> example
    int m_boundary = -1;     // rows above it: learned, or forgotten (-1: no line)
    std::optional<quint64> m_currentStep;
    int m_selExample = -1;
    quint64 m_selStep = 0;
    QString m_progress;      // "reading 40 of 120 steps" while the model computes

    QComboBox* m_orderBox = nullptr;
    LiveLabel* m_summary = nullptr;
    QWidget* m_topRow = nullptr;
    // The cells as last drawn, at the grid's size, until the history, the
    // order or the size changes.
    QImage m_cells;
    bool m_cellsDirty = true;
    QMetaObject::Connection m_modelChanged, m_modelProgress, m_modelGone;
};
