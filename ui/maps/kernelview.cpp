#include "kernelview.h"

#include "mapgridwidget.h"

#include <QCheckBox>
#include <QLabel>
#include <QScrollArea>
#include <QScrollBar>
#include <QVBoxLayout>

#include <algorithm>

namespace {
constexpr int weightPixels = 4; // the least size of one weight at zoom 1
constexpr int kernelGap = 4;    // between filters and between input channels
constexpr int kernelPixels = 10; // the least edge of a drawn kernel (1x1, 2x2 ones)
constexpr int rgbColumns = 16;   // colour kernels a row

bool colourInput(const LayerOutput& k)
{
    return k.values.rank() == 4 && k.values.dim(2) == 3;
}

// (kh, kw, 3, c_new) as (kh, kw, 3 * c_new), filter f's red, green, blue
// adjacent (channels 3f, 3f + 1, 3f + 2): what MapGridWidget shows as
// c_new colour maps.
cs::Tensor<float> colourPatches(const cs::Tensor<float>& k)
{
    const std::size_t kh = k.dim(0), kw = k.dim(1), filters = k.dim(3);
    cs::Tensor<float> out(cs::Shape{kh, kw, 3 * filters});
    const float* w = k.data();
    float* o = out.data();
    for (std::size_t p = 0; p < kh * kw; ++p)
        for (std::size_t c = 0; c < 3; ++c)
            for (std::size_t f = 0; f < filters; ++f) o[p * 3 * filters + 3 * f + c] = w[(p * 3 + c) * filters + f];
    return out;
}

} // namespace

KernelView::KernelView(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("kernelView"));
    m_content = new QWidget;
    m_layout = new QVBoxLayout(m_content);
    m_layout->setContentsMargins(6, 4, 6, 4);
    m_colourSwitch = new QCheckBox(tr("Colour kernels"), this);
    m_colourSwitch->setObjectName(QStringLiteral("kernelColour"));
    m_colourSwitch->setChecked(m_colour);
    m_colourSwitch->setToolTip(tr("Kernels on a colour image: one colour patch per filter (mid grey is 0), or "
                                  "unticked, a row per channel (red, green, blue) on the blue-white-red scale."));
    m_colourSwitch->hide(); // shown when a kernel reads 3 channels
    connect(m_colourSwitch, &QCheckBox::toggled, this, &KernelView::setColourKernels);
    m_scroll = new QScrollArea(this);
    m_scroll->setFrameShape(QFrame::NoFrame);
    m_scroll->setWidgetResizable(true);
    m_scroll->setWidget(m_content);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_colourSwitch, 0, Qt::AlignLeft);
    layout->addWidget(m_scroll);
    // Scrolled sideways, the grids' headings move back over the part in view.
    connect(m_scroll->horizontalScrollBar(), &QScrollBar::valueChanged, this, [this] {
        for (MapGridWidget* g : m_grids) g->update();
    });
    setToolTip(tr("Each kernel as an image: one row per input channel, one column per filter.\n"
                  "Blue: negative weights, white: 0, red: positive. Double-click one to enlarge it; with gradients "
                  "shown, click a weight to see its dL/dW for the pinned image as a sum."));
}

void KernelView::setChange(Change change)
{
    if (change == m_change) return;
    m_change = change;
    redraw();
}

void KernelView::setReference(quint64 step, const std::vector<LayerOutput>& kernels)
{
    m_reference = kernels;
    m_referenceStep = step;
}

void KernelView::setColourKernels(bool on)
{
    if (on == m_colour) return;
    m_colour = on;
    m_colourSwitch->setChecked(on);
    redraw();
}

void KernelView::setScaleMode(ScaleMode mode)
{
    m_ranges.setMode(mode);
    redraw();
}

void KernelView::setZoom(double zoom)
{
    m_zoom = std::max(zoom, 1.0);
    updateMinimumSize();
}

void KernelView::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    updateMinimumSize();
}

void KernelView::updateMinimumSize()
{
    // Each weight at least weightPixels * zoom: the content's least size;
    // the scroll area takes over below it.
    int width = 0, height = 0;
    for (MapGridWidget* g : m_grids) {
        if (!g->isVisibleTo(this) || g->mapCount() == 0) continue;
        const int px = std::max(int(weightPixels * m_zoom), (kernelPixels + std::max(g->mapWidth(), g->mapHeight()) - 1) /
                                                                std::max(1, std::max(g->mapWidth(), g->mapHeight())));
        const int maps = g->mapCount();
        const int columns = std::min(maps, std::max(1, g->property("gridColumns").toInt()));
        const int rows = (maps + columns - 1) / columns;
        const int w = columns * (g->mapWidth() * px + kernelGap) + 8;
        const int h = rows * (g->mapHeight() * px + kernelGap) + g->chromeHeight() + 8;
        // A grid wider than the view keeps its own width (and scrolls); the
        // others fill the view's width, so that each sits at the left.
        g->setMinimumSize(w, h);
        g->setMaximumWidth(std::max(w, m_scroll->viewport()->width() - 12));
        width = std::max(width, w);
        height += h + m_layout->spacing();
    }
    m_content->setMinimumSize(width + 12, height + 8);
}

void KernelView::showKernels(quint64 step, const std::vector<LayerOutput>& kernels)
{
    if (m_takeBaseline && !kernels.empty()) {
        m_baseline = kernels;
        m_baselineStep = step;
        m_kernels.clear();
        m_ranges.clear();
        m_takeBaseline = false;
    }
    if (step != m_step || m_kernels.empty()) {
        // A new step: the kernels shown until now are the previous ones.
        m_previous = m_kernels.empty() ? kernels : m_kernels;
        m_previousStep = m_kernels.empty() ? step : m_step;
    }
    m_kernels = kernels;
    m_step = step;
    redraw();
}

void KernelView::redraw()
{
    while (m_grids.size() < m_kernels.size()) {
        auto* grid = new MapGridWidget(m_content);
        grid->setSpacing(kernelGap);
        grid->setCountsMaps(false);
        grid->setObjectName(QStringLiteral("kernelGrid_%1").arg(m_grids.size()));
        grid->setPicksCells(true);
        connect(grid, &MapGridWidget::mapClicked, this, [this, grid](int index) { emit mapClicked(grid, index); });
        connect(grid, &MapGridWidget::cellClicked, this, [this, grid](int index, int row, int column) {
            // Map c_in * c_new + c_out of a grid, or filter `index` of colour patches.
            const int filters = grid->property("filters").toInt();
            if (filters > 0) emit weightClicked(grid->key(), row, column, index / filters, index % filters);
            else emit weightClicked(grid->key(), row, column, 0, index);
        });
        m_layout->addWidget(grid, m_grids.empty() ? 2 : 5);
        m_grids.push_back(grid);
    }
    const std::vector<LayerOutput>& reference = m_change == Change::SinceReset ? m_baseline
                                                : m_change == Change::SinceStep ? m_reference
                                                                                : m_previous;
    m_colourSwitch->setVisible(std::any_of(m_kernels.begin(), m_kernels.end(), colourInput));
    for (std::size_t i = 0; i < m_grids.size(); ++i) {
        m_grids[i]->setVisible(i < m_kernels.size());
        if (i >= m_kernels.size()) continue;
        const LayerOutput& k = m_kernels[i];
        const cs::Shape& shape = k.values.shape(); // (kh, kw, c_prev, c_new)
        if (shape.rank() != 4) continue;
        // C order (kh, kw, c_prev, c_new) is (kh, kw, c_prev * c_new) with map
        // index c_in * c_new + c_out: row c_in, column c_out when there are
        // c_new columns.
        cs::Tensor<float> maps = k.values;
        QString what = QStringLiteral("W");
        QString subtitle = tr("%1 filters of %2\u00d7%3\u00d7%4").arg(shape[3]).arg(shape[0]).arg(shape[1]).arg(shape[2]);
        if (m_change != Change::None && i < reference.size() && reference[i].values.shape() == shape) {
            float* d = maps.data();
            const float* r = reference[i].values.data();
            for (std::size_t j = 0; j < maps.size(); ++j) d[j] -= r[j];
            what = m_change == Change::SinceReset  ? QStringLiteral("sinceReset")
                   : m_change == Change::SinceStep ? QStringLiteral("sinceStep")
                                                   : QStringLiteral("lastStep");
            subtitle = m_change == Change::SinceReset ? tr("W \u2212 W\u2080: change since step %L1").arg(m_baselineStep)
                       : m_change == Change::SinceStep
                           ? tr("\u0394W since step %L1 (%L2 steps)")
                                 .arg(m_referenceStep)
                                 .arg(m_step - std::min(m_step, m_referenceStep))
                           : tr("\u0394W in step %L1 \u2192 %L2").arg(m_previousStep).arg(m_step);
        }
        const bool colour = m_colour && colourInput(k);
        if (colour) maps = colourPatches(maps);
        else maps.reshape({shape[0], shape[1], shape[2] * shape[3]});
        MapGridWidget* grid = m_grids[i];
        grid->setKey(k.name);
        // The inspector reads "filters" as a row per input map, a column per filter.
        const int columns = colour ? std::min(int(shape[3]), rgbColumns) : int(shape[3]);
        grid->setProperty("filters", colour ? 0 : int(shape[3]));
        grid->setProperty("rgbKernels", colour);
        grid->setProperty("gridColumns", columns);
        grid->setColumns(columns);
        grid->setSubtitle(subtitle);
        grid->setHeaderToolTip(tr("The %1 of convolution %2 (Keras name %3): %4 filters, each %5\u00d7%6 weights for "
                                  "each of %7 input maps. %8")
                                   .arg(m_quantity)
                                   .arg(i + 1)
                                   .arg(k.name)
                                   .arg(shape[3])
                                   .arg(shape[0])
                                   .arg(shape[1])
                                   .arg(shape[2])
                                   .arg(colour ? tr("Each filter as one colour patch: its red, green and blue weights, "
                                                    "mid grey for 0.")
                                               : tr("A row per input map, a column per filter.")));
        const QString key = k.name + QLatin1Char('/') + what;
        // Colour patches on the same symmetric range as the diverging scale:
        // -a black, 0 mid grey, +a full colour.
        std::optional<ValueRange> range = m_ranges.range(key, ColorScaleKind::Diverging, maps.data(), maps.size());
        if (colour && !range) range = ColorScale::rangeFor(ColorScaleKind::Diverging, maps.data(), maps.size());
        grid->setMaps(tr("Conv %1 \u00b7 %2").arg(i + 1).arg(m_quantity), maps,
                      colour ? ColorScaleKind::Rgb : ColorScaleKind::Diverging, range);
    }
    updateMinimumSize();
}
