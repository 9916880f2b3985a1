// Hairline pens for a chart axis's line, ticks and grid.
//
// Qt Charts' themes give them 1-pixel pens that are not cosmetic, and the
// minor grid a dashed one. A QGraphicsLineItem with such a pen works out
// its bounding rectangle by stroking its shape (QPainterPathStroker) each
// time the scene asks, and a dashed line is stroked into spans that the
// raster engine fills, the tall ones on its thread pool. Those lines were
// half the time of a curve chart's paint on the window's thread. A
// cosmetic pen of width 0 is one device pixel at any scale: its bounding
// rectangle is the line's, and the raster engine draws it, dashed or not,
// in its cosmetic stroker. Drawing the antialiased lines pixel by pixel
// is still most of what they cost.
#pragma once

class QAbstractAxis;

// Call before the axis is added to its chart (a theme leaves pens that were
// set alone).
void useHairlines(QAbstractAxis* axis);
