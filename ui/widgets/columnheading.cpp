#include "columnheading.h"

#include <QPainter>
#include <QWidget>

int paintColumnHeading(QPainter& p, const QWidget& widget, const QString& title, const QStringList& lines,
                       const QString& greyLine, int left, int bandWidth)
{
    const QPalette pal = widget.palette();
    const QFontMetrics fm = widget.fontMetrics();
    const int width = bandWidth < 0 ? widget.width() : bandWidth;
    QFont bold = widget.font();
    bold.setBold(true);
    p.setFont(bold);
    p.setPen(pal.color(QPalette::WindowText));
    p.drawText(QRect(left, 1, width, fm.height()), Qt::AlignHCenter | Qt::AlignTop,
               QFontMetrics(bold).elidedText(title, Qt::ElideRight, width));
    p.setFont(widget.font());
    int y = 1 + fm.height();
    for (const QString& line : lines) {
        p.drawText(QRect(left, y, width, fm.height()), Qt::AlignHCenter | Qt::AlignTop,
                   fm.elidedText(line, Qt::ElideRight, width));
        y += fm.height();
    }
    p.setPen(pal.color(QPalette::PlaceholderText));
    p.drawText(QRect(left, y, width, fm.height()), Qt::AlignHCenter | Qt::AlignTop,
               fm.elidedText(greyLine, Qt::ElideRight, width));
    return y + fm.height();
}
