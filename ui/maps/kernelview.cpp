#include "kernelview.h"

#include "mapgridwidget.h"

#include <QLabel>
#include <QScrollArea>
#include <QVBoxLayout>

namespace {
constexpr int weightPixels = 4; // the least size of one weight at zoom 1
constexpr int kernelGap = 4;    // between filters and between input channels
} // namespace

KernelView::KernelView(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("kernelView"));
    m_content = new QWidget;
    m_layout = new QVBoxLayout(m_content);
    m_layout->setContentsMargins(6, 4, 6, 4);
    m_scroll = new QScrollArea(this);
    m_scroll->setFrameShape(QFrame::NoFrame);
    m_scroll->setWidgetResizable(true);
    m_scroll->setWidget(m_content);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_scroll);
    setToolTip(tr("Each kernel as an image: one row per input channel, one column per filter.\n"
                  "Blue: negative weights, white: 0, red: positive. Click one to enlarge it."));
}

void KernelView::setChange(Change change)
{
    if (change == m_change) return;
    m_change = change;
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
    const int px = int(weightPixels * m_zoom);
    int width = 0, height = 0;
    for (MapGridWidget* g : m_grids) {
        if (!g->isVisibleTo(this) || g->mapCount() == 0) continue;
        const int cols = std::max(1, int(g->values().rank() == 3 ? g->values().dim(2) : 1));
        const int filters = std::min(cols, std::max(1, g->property("filters").toInt()));
        const int rows = (cols + filters - 1) / filters;
        const int w = filters * (g->mapWidth() * px + kernelGap) + 8;
        const int h = rows * (g->mapHeight() * px + kernelGap) + g->chromeHeight() + 8;
        g->setMinimumSize(w, h);
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
        grid->setObjectName(QStringLiteral("kernelGrid_%1").arg(m_grids.size()));
        connect(grid, &MapGridWidget::mapClicked, this, [this, grid](int index) { emit mapClicked(grid, index); });
        m_layout->addWidget(grid, m_grids.empty() ? 2 : 5);
        m_grids.push_back(grid);
    }
    const std::vector<LayerOutput>& reference = m_change == Change::SinceReset ? m_baseline : m_previous;
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
            what = m_change == Change::SinceReset ? QStringLiteral("sinceReset") : QStringLiteral("lastStep");
            subtitle = m_change == Change::SinceReset
                           ? tr("W \u2212 W\u2080: change since step %L1").arg(m_baselineStep)
                           : tr("\u0394W in step %L1 \u2192 %L2").arg(m_previousStep).arg(m_step);
        }
        maps.reshape({shape[0], shape[1], shape[2] * shape[3]});
        MapGridWidget* grid = m_grids[i];
        grid->setKey(k.name);
        grid->setProperty("filters", int(shape[3]));
        grid->setColumns(int(shape[3]));
        grid->setSubtitle(subtitle);
        grid->setHeaderToolTip(tr("The %1 of convolution %2 (Keras name %3): %4 filters, each %5\u00d7%6 weights for "
                                  "each of %7 input maps. A row per input map, a column per filter.")
                                   .arg(m_quantity)
                                   .arg(i + 1)
                                   .arg(k.name)
                                   .arg(shape[3])
                                   .arg(shape[0])
                                   .arg(shape[1])
                                   .arg(shape[2]));
        const QString key = k.name + QLatin1Char('/') + what;
        grid->setMaps(tr("Conv %1 \u00b7 %2").arg(i + 1).arg(m_quantity), maps, ColorScaleKind::Diverging,
                      m_ranges.range(key, ColorScaleKind::Diverging, maps.data(), maps.size()));
    }
    updateMinimumSize();
}
