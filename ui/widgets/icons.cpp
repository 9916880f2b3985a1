#include "icons.h"

#include <QPainter>
#include <QPainterPath>
#include <QPixmap>
#include <QPolygonF>

namespace {

QPixmap draw(ToolIcon which, int size, const QColor& ink)
{
    QPixmap pm(size, size);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    p.scale(size / 24.0, size / 24.0);
    p.setPen(Qt::NoPen);
    p.setBrush(ink);
    auto triangle = [&](double x, double w) {
        QPainterPath path;
        path.moveTo(x, 5);
        path.lineTo(x + w, 12);
        path.lineTo(x, 19);
        path.closeSubpath();
        p.drawPath(path);
    };
    auto label = [&](const QString& t) {
        QFont f;
        f.setPixelSize(8);
        f.setBold(true);
        p.setFont(f);
        p.setPen(ink);
        p.drawText(QRectF(0, 15, 24, 9), Qt::AlignRight | Qt::AlignVCenter, t);
        p.setPen(Qt::NoPen);
    };
    // A circle of a thick stroke from `startDegrees` round `spanDegrees`
    // (counter-clockwise), and a filled arrow head at a, b, c.
    auto circularArrow = [&](int startDegrees, int spanDegrees, QPointF a, QPointF b, QPointF c) {
        p.setBrush(Qt::NoBrush);
        p.setPen(QPen(ink, 2.2, Qt::SolidLine, Qt::RoundCap));
        p.drawArc(QRectF(4, 4, 16, 16), startDegrees * 16, spanDegrees * 16);
        p.setPen(Qt::NoPen);
        p.setBrush(ink);
        p.drawPolygon(QPolygonF({a, b, c}));
    };
    switch (which) {
    case ToolIcon::Run:
        triangle(6, 13);
        break;
    case ToolIcon::Pause:
        p.drawRoundedRect(QRectF(6, 5, 4, 14), 1, 1);
        p.drawRoundedRect(QRectF(14, 5, 4, 14), 1, 1);
        break;
    case ToolIcon::Step:
        triangle(5, 10);
        p.drawRoundedRect(QRectF(16, 5, 3, 14), 1, 1);
        break;
    case ToolIcon::Step10:
    case ToolIcon::Step100: {
        QPainterPath a;
        a.moveTo(2, 4); a.lineTo(10, 10); a.lineTo(2, 16); a.closeSubpath();
        a.moveTo(9, 4); a.lineTo(17, 10); a.lineTo(9, 16); a.closeSubpath();
        p.drawPath(a);
        label(which == ToolIcon::Step10 ? QStringLiteral("10") : QStringLiteral("100"));
        break;
    }
    case ToolIcon::Epoch:
        circularArrow(100, 290, {9, 1.5}, {14.5, 4.5}, {9, 8});
        p.drawEllipse(QPointF(12, 12), 2, 2);
        break;
    case ToolIcon::Reset:
        circularArrow(60, 280, {15, 1.5}, {20.5, 5.5}, {14, 8.5});
        break;
    case ToolIcon::Evaluate: {
        p.setBrush(Qt::NoBrush);
        p.setPen(QPen(ink, 2.4, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
        QPainterPath tick;
        tick.moveTo(4, 12.5); tick.lineTo(9.5, 18); tick.lineTo(20, 6);
        p.drawPath(tick);
        break;
    }
    }
    return pm;
}

} // namespace

QIcon toolIcon(ToolIcon which)
{
    QIcon icon;
    for (int size : {16, 24, 32, 48}) {
        icon.addPixmap(draw(which, size, QColor(0x2b, 0x4c, 0x7e)), QIcon::Normal);
        icon.addPixmap(draw(which, size, QColor(0xa0, 0xa0, 0xa0)), QIcon::Disabled);
    }
    return icon;
}
