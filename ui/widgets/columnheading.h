// The heading of a column of the network view, painted the same way above
// the maps (MapGridWidget) and above the output (ProbabilityBars): the title
// in bold, lines that say what the column does, and a greyed line under
// them (the shape, or "softmax · 10 classes"), each centred and elided to
// the widget's width.
//
// A column is repainted with every picture while training, and its heading
// rarely changes: shaping its text each time (elide, then draw) was most
// of what a map grid's paint cost. So the heading is drawn once into a
// pixmap, and again only when its text, width, font, colours or the
// screen's pixel ratio change.
#pragma once

#include <QColor>
#include <QFont>
#include <QPixmap>
#include <QStringList>

class QPainter;
class QWidget;

class ColumnHeading {
public:
    // Paints from the top of `widget` in its font and palette, centred on
    // the band of `width` pixels from `left` (-1: the widget's width);
    // returns the y under the last line.
    int paint(QPainter& painter, const QWidget& widget, const QString& title, const QStringList& lines,
              const QString& greyLine, int left = 0, int width = -1);

private:
    // What the pixmap shows.
    QString m_title, m_greyLine;
    QStringList m_lines;
    QFont m_font;
    QColor m_text, m_grey;
    int m_width = -1;
    qreal m_ratio = 0;
    QPixmap m_pixmap;
    int m_bottom = 0;
};
