#include "columnheading.h"

#include <QPainter>
#include <QWidget>

int ColumnHeading::paint(QPainter& p, const QWidget& widget, const QString& title, const QStringList& lines,
                         const QString& greyLine, int left, int bandWidth)
{
    const QPalette pal = widget.palette();
    const int width = std::max(bandWidth < 0 ? widget.width() : bandWidth, 1);
    const qreal ratio = p.device() ? p.device()->devicePixelRatioF() : 1.0;
    const QColor text = pal.color(QPalette::WindowText), grey = pal.color(QPalette::PlaceholderText);
    const QFontMetrics fm = widget.fontMetrics();
    if (m_pixmap.isNull() || title != m_title || lines != m_lines || greyLine != m_greyLine || width != m_width ||
        ratio != m_ratio || text != m_text || grey != m_grey || widget.font() != m_font) {
        m_title = title;
        m_lines = lines;
        m_greyLine = greyLine;
        m_width = width;
        m_ratio = ratio;
        m_text = text;
        m_grey = grey;
        m_font = widget.font();
        m_bottom = 1 + fm.height() * (2 + int(lines.size()));

        m_pixmap = QPixmap(QSize(width, m_bottom) * ratio);
        m_pixmap.setDevicePixelRatio(ratio);
        m_pixmap.fill(Qt::transparent);
        QPainter h(&m_pixmap);
        QFont bold = m_font;
        bold.setBold(true);
        h.setFont(bold);
        h.setPen(text);
        h.drawText(QRect(0, 1, width, fm.height()), Qt::AlignHCenter | Qt::AlignTop,
                   QFontMetrics(bold).elidedText(title, Qt::ElideRight, width));
        h.setFont(m_font);
        int y = 1 + fm.height();
        for (const QString& line : lines) {
            h.drawText(QRect(0, y, width, fm.height()), Qt::AlignHCenter | Qt::AlignTop,
                       fm.elidedText(line, Qt::ElideRight, width));
            y += fm.height();
        }
        h.setPen(grey);
        h.drawText(QRect(0, y, width, fm.height()), Qt::AlignHCenter | Qt::AlignTop,
                   fm.elidedText(greyLine, Qt::ElideRight, width));
    }
    p.drawPixmap(left, 0, m_pixmap);
    return m_bottom;
}
