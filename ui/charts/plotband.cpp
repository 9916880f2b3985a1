#include "plotband.h"

#include <QChart>
#include <QGraphicsItem>
#include <QPainter>
#include <QXYSeries>

#include <algorithm>
#include <cmath>

// The picture, at the plot area's top left in the chart's coordinates.
class PlotBandItem : public QGraphicsItem {
public:
    using QGraphicsItem::QGraphicsItem;

    QImage& image() { return m_image; }
    // The image changed, and is now at `at`.
    void changed(QPointF at)
    {
        prepareGeometryChange();
        m_at = at;
        update();
    }
    QRectF boundingRect() const override { return QRectF(m_at, QSizeF(m_image.size())); }
    void paint(QPainter* painter, const QStyleOptionGraphicsItem*, QWidget*) override
    {
        if (!m_image.isNull()) painter->drawImage(m_at, m_image);
    }

private:
    QPointF m_at;
    QImage m_image;
};

PlotBand::PlotBand(QChart* chart, QXYSeries* mapping, QColor color)
    : m_chart(chart), m_mapping(mapping), m_color(color), m_item(new PlotBandItem(chart))
{
    // Qt Charts stacks the plot area (0), shades (1), the grid (2), the axes
    // (3) and the series (4 and up).
    m_item->setZValue(2.5);
}

const QImage& PlotBand::image() const
{
    return m_item->image();
}

void PlotBand::show(StepCurve::Band band)
{
    m_band = std::move(band);
    const QRectF area = m_chart->plotArea();
    const int w = int(std::ceil(area.width())), h = int(std::ceil(area.height()));
    QImage& image = m_item->image();
    if (m_band.upper.isEmpty() || w <= 0 || h <= 0) {
        if (!image.isNull()) {
            image = QImage();
            m_item->changed(area.topLeft());
        }
        return;
    }
    if (image.size() != QSize(w, h)) image = QImage(w, h, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    const QRgb pixel = qPremultiply(m_color.rgba());
    int lastX = -1;
    for (qsizetype i = 0; i < m_band.upper.size(); ++i) {
        const QPointF top = m_chart->mapToPosition(m_band.upper[i], m_mapping) - area.topLeft();
        const QPointF bottom = m_chart->mapToPosition(m_band.lower[i], m_mapping) - area.topLeft();
        const int x = int(std::floor(top.x()));
        if (x < 0 || x >= w || !std::isfinite(top.y()) || !std::isfinite(bottom.y())) continue;
        // At least a pixel tall: a column whose steps were all alike.
        const int y0 = std::clamp(int(std::floor(std::min(top.y(), bottom.y()))), 0, h - 1);
        const int y1 = std::clamp(int(std::ceil(std::max(top.y(), bottom.y()))), y0 + 1, h);
        // A run per pixel column, give or take the rounding: a column that
        // no run's middle fell in takes the next run's range (a wider gap is
        // steps without a value, and stays empty).
        const int from = lastX >= 0 && x - lastX <= 2 ? lastX + 1 : x;
        for (int y = y0; y < y1; ++y) {
            QRgb* line = reinterpret_cast<QRgb*>(image.scanLine(y));
            for (int c = from; c <= x; ++c) line[c] = pixel;
        }
        lastX = x;
    }
    m_item->changed(area.topLeft());
}
