// The heading of a column of the network view, painted the same way above
// the maps (MapGridWidget) and above the output (ProbabilityBars): the title
// in bold, lines that say what the column does, and a greyed line under
// them (the shape, or "softmax · 10 classes"), each centred and elided to
// the widget's width.
#pragma once

#include <QStringList>

class QPainter;
class QWidget;

// Paints from the top of `widget` in its font and palette, centred on the
// band of `width` pixels from `left` (-1: the widget's width); returns the y
// under the last line.
int paintColumnHeading(QPainter& painter, const QWidget& widget, const QString& title, const QStringList& lines,
                       const QString& greyLine, int left = 0, int width = -1);
