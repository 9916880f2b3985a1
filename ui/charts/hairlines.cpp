#include "hairlines.h"

#include <QAbstractAxis>
#include <QPen>

namespace {

QPen hairline(QPen pen)
{
    pen.setWidth(0);
    pen.setCosmetic(true);
    return pen;
}

// `c` a third of the way to white: a solid line as faint as a dashed one.
QColor fainter(const QColor& c)
{
    return QColor(c.red() + (255 - c.red()) / 3, c.green() + (255 - c.green()) / 3, c.blue() + (255 - c.blue()) / 3,
                  c.alpha());
}

} // namespace

void useHairlines(QAbstractAxis* axis)
{
    axis->setLinePen(hairline(axis->linePen()));
    axis->setGridLinePen(hairline(axis->gridLinePen()));
    QPen minor = hairline(axis->minorGridLinePen());
    minor.setStyle(Qt::SolidLine);
    minor.setColor(fainter(axis->gridLinePen().color()));
    axis->setMinorGridLinePen(minor);
}
