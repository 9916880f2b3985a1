// PlotBand: a long run's per-step values, drawn as the band between each
// pixel column's lowest and highest step (StepCurve::band), in one image
// over the chart's plot area (below the series, above the grid).
//
// Why not a series: late in a run the per-step loss jumps by decades from
// one step to the next, so a line through each column's min and max, or an
// area series between them, is a column of the chart's full height for
// every pixel. Qt 6.4's raster engine hands each batch of 96 spans or more
// to its global thread pool in pieces of 64 and waits for them
// (QT_THREAD_PARALLEL_FILLS); while training held both cores, that cost
// 15-40 ms a redraw (event-loop p99 17-25 ms). Filling the columns of an
// image is a tight loop here, and the chart draws the image in one call.
#pragma once

#include "stepcurve.h"

#include <QColor>
#include <QImage>

class QChart;
class QXYSeries;
class PlotBandItem;

class PlotBand {
public:
    // `mapping`: a series of the chart attached to the axes the band is
    // drawn against. The band's picture is an item of the chart's, and goes
    // with it.
    PlotBand(QChart* chart, QXYSeries* mapping, QColor color);

    // Draws `band` (x in steps, values as the axes read them); an empty one
    // clears the plot area.
    void show(StepCurve::Band band);
    void clear() { show({}); }
    // Draws the same band again: the axes or the plot area changed.
    void redraw() { show(std::move(m_band)); }

    // What is drawn: the band's points, and the picture (plot-area size,
    // null when the band is empty).
    const StepCurve::Band& band() const { return m_band; }
    const QImage& image() const;

private:
    QChart* m_chart;
    QXYSeries* m_mapping;
    QColor m_color;
    StepCurve::Band m_band;
    PlotBandItem* m_item; // owned by the chart
};
