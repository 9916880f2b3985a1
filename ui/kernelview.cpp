#include "kernelview.h"

#include "mapgridwidget.h"

#include <QLabel>
#include <QVBoxLayout>

KernelView::KernelView(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("kernelView"));
    m_layout = new QVBoxLayout(this);
    m_layout->setContentsMargins(6, 4, 6, 4);
    setToolTip(tr("Each kernel as an image: one row per input channel, one column per filter.\n"
                  "Blue: negative weights, white: 0, red: positive. Click one to enlarge it."));
}

void KernelView::showSnapshot(const TrainingSnapshot& s)
{
    while (m_grids.size() < s.kernels.size()) {
        auto* grid = new MapGridWidget(this);
        grid->setSpacing(2);
        grid->setObjectName(QStringLiteral("kernelGrid_%1").arg(m_grids.size()));
        connect(grid, &MapGridWidget::mapClicked, this, [this, grid](int index) { emit mapClicked(grid, index); });
        m_layout->addWidget(grid, m_grids.empty() ? 2 : 5);
        m_grids.push_back(grid);
    }
    for (std::size_t i = 0; i < m_grids.size(); ++i) {
        m_grids[i]->setVisible(i < s.kernels.size());
        if (i >= s.kernels.size()) continue;
        const LayerOutput& k = s.kernels[i];
        const cs::Shape& shape = k.values.shape(); // (kh, kw, c_prev, c_new)
        if (shape.rank() != 4) continue;
        // C order (kh, kw, c_prev, c_new) is (kh, kw, c_prev * c_new) with map
        // index c_in * c_new + c_out: row c_in, column c_out when there are
        // c_new columns.
        cs::Tensor<float> maps = k.values;
        maps.reshape({shape[0], shape[1], shape[2] * shape[3]});
        m_grids[i]->setColumns(int(shape[3]));
        m_grids[i]->setSubtitle(tr("%1 filters of %2x%3x%4").arg(shape[3]).arg(shape[0]).arg(shape[1]).arg(shape[2]));
        m_grids[i]->setMaps(k.name + tr(" kernels"), maps, ColorScaleKind::Diverging);
    }
}
