// KernelView: the convolution kernels, live, on a diverging colour scale.
// A kernel (kh, kw, c_prev, c_new) is shown as a grid of kh x kw images: one
// row per input channel, one column per filter, with gaps between them. Each
// weight gets at least a few pixels (more when zoomed); when the dock is too
// small for that, the kernels scroll instead of shrinking to a blur. A
// kernel of any size keeps at least kernelPixels on its edge (a 1x1 one too).
//
// A kernel on a colour input (c_prev = 3, the first layer of an RGB network)
// is shown as every CNN course shows it: one colour patch per filter, its
// red, green and blue weights on one scale symmetric about 0 (mid grey is 0),
// up to rgbColumns a row. "Per channel" turns that back into the grid above
// (a row each for red, green and blue).
//
// With a change view it shows W - W0 (since the last Reset) or the change in
// the last step instead of W; the colour ranges follow a RangeMemory.
#pragma once

#include "rangememory.h"
#include "trainingtypes.h"

#include <QWidget>

#include <vector>

class MapGridWidget;
class QCheckBox;
class QScrollArea;
class QVBoxLayout;

class KernelView : public QWidget {
    Q_OBJECT

public:
    enum class Change { None, SinceReset, LastStep, SinceStep };

    explicit KernelView(QWidget* parent = nullptr);

    // quantity: what the kernels hold, for the titles ("weights", "dL/dW").
    void setQuantity(const QString& quantity) { m_quantity = quantity; }
    // The kernels (kh, kw, c_prev, c_new) after `step` steps (a training
    // snapshot's weights or weight gradients).
    void showKernels(quint64 step, const std::vector<LayerOutput>& kernels);
    const std::vector<MapGridWidget*>& grids() const { return m_grids; }

    void setChange(Change change);
    // The reference of Change::SinceStep: the kernels after an earlier step
    // (as showKernels takes them).
    void setReference(quint64 step, const std::vector<LayerOutput>& kernels);
    Change change() const { return m_change; }
    // The next kernels shown are W0 (after a Reset or a new model).
    void takeBaseline() { m_takeBaseline = true; }
    RangeMemory& ranges() { return m_ranges; }
    void setScaleMode(ScaleMode mode);
    // 1: each weight at least 4 pixels; larger zooms scale that.
    void setZoom(double zoom);
    // Kernels on 3 input channels as colour patches (true by default).
    void setColourKernels(bool on);
    bool colourKernels() const { return m_colour; }
    QCheckBox* colourSwitch() const { return m_colourSwitch; }

signals:
    // A double-click on a kernel.
    void mapClicked(MapGridWidget* grid, int index);
    // A click on weight (di, dj, c_in, c_out) of the kernel of layer `key`
    // (a colour patch: its red weight).
    void weightClicked(const QString& key, int di, int dj, int channel, int filter);

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void redraw();
    void updateMinimumSize();

    QCheckBox* m_colourSwitch = nullptr;
    bool m_colour = true;
    QScrollArea* m_scroll = nullptr;
    QWidget* m_content = nullptr;
    QVBoxLayout* m_layout = nullptr;
    std::vector<MapGridWidget*> m_grids;
    QString m_quantity = tr("weights");
    Change m_change = Change::None;
    RangeMemory m_ranges;
    double m_zoom = 1;
    bool m_takeBaseline = true;
    quint64 m_step = 0, m_previousStep = 0, m_baselineStep = 0, m_referenceStep = 0;
    std::vector<LayerOutput> m_kernels, m_previous, m_baseline, m_reference;
};
