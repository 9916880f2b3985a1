#include "livelabel.h"

#include <QEvent>
#include <QLabel>

// What can start a line, in plain or rich text (counted generously: a
// count that changes only costs a measurement).
int LiveLabel::lineBreaks(const QString& text)
{
    int n = int(text.count(QLatin1Char('\n')));
    for (const char* tag : {"<br", "<p", "<div", "<li", "<tr", "<h", "<hr"})
        n += int(text.count(QLatin1String(tag), Qt::CaseInsensitive));
    return n;
}

LiveLabel::LiveLabel(QWidget* parent) : QWidget(parent), m_label(new QLabel(this))
{
    setSizePolicy(m_label->sizePolicy());
}

void LiveLabel::setText(const QString& text)
{
    m_label->setText(text);
}

QString LiveLabel::text() const
{
    return m_label->text();
}

QSize LiveLabel::sizeHint() const
{
    return m_label->sizeHint();
}

QSize LiveLabel::minimumSizeHint() const
{
    return m_label->minimumSizeHint();
}

bool LiveLabel::hasHeightForWidth() const
{
    return m_label->hasHeightForWidth();
}

int LiveLabel::heightForWidth(int width) const
{
    return m_label->heightForWidth(width);
}

bool LiveLabel::event(QEvent* event)
{
    // The label's new text asked for a layout. The window's business only
    // if the text no longer fits: wider than the room it has (unless its
    // width is the layout's alone), or another number of lines. A shorter
    // text just leaves room.
    if (event->type() == QEvent::LayoutRequest) {
        const bool widthMatters = sizePolicy().horizontalPolicy() != QSizePolicy::Ignored;
        // A caption whose width is the layout's and that does not wrap can
        // only need another height with another number of lines: no need
        // to lay its text out to know (in rich text that was most of what
        // a caption cost the window's thread; its paint lays it out anyway).
        if (!widthMatters && !m_label->wordWrap()) {
            const int breaks = lineBreaks(m_label->text());
            if (breaks == m_lineBreaks) return true;
            m_lineBreaks = breaks;
        }
        const QSize want = m_label->sizeHint();
        const bool wider = widthMatters && want.width() > width();
        const bool lines = hasHeightForWidth() ? heightForWidth(width()) != height() : want.height() > height();
        if (wider || lines) updateGeometry();
        return true;
    }
    return QWidget::event(event);
}

void LiveLabel::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    m_label->setGeometry(rect());
}
