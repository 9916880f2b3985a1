// KernelView: the convolution kernels, live, on a diverging colour scale.
// A kernel (kh, kw, c_prev, c_new) is shown as a grid of kh x kw images: one
// row per input channel, one column per filter.
#pragma once

#include "trainingtypes.h"

#include <QWidget>

#include <vector>

class MapGridWidget;
class QVBoxLayout;

class KernelView : public QWidget {
    Q_OBJECT

public:
    explicit KernelView(QWidget* parent = nullptr);

    void showSnapshot(const TrainingSnapshot& snapshot);
    const std::vector<MapGridWidget*>& grids() const { return m_grids; }

signals:
    void mapClicked(MapGridWidget* grid, int index);

private:
    QVBoxLayout* m_layout = nullptr;
    std::vector<MapGridWidget*> m_grids;
};
