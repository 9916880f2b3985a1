#include "visibility.h"

#include <QEvent>
#include <QRect>
#include <QTimer>
#include <QWidget>

bool isSeen(const QWidget* widget)
{
    if (!widget || !widget->isVisible()) return false;
    // The widget's rectangle, clipped by each parent's up to the window.
    // (Not visibleRegion(): it also takes away opaque children, and a chart
    // view covers the whole of the widget that holds it.)
    QRect r = widget->rect();
    for (const QWidget* w = widget; !w->isWindow() && w->parentWidget(); w = w->parentWidget()) {
        r = r.translated(w->pos()) & w->parentWidget()->rect();
        if (r.isEmpty()) return false;
    }
    return true;
}

CatchUp::CatchUp(QWidget* painted, std::function<void()> work) : QObject(painted), m_work(std::move(work))
{
    painted->installEventFilter(this);
}

bool CatchUp::eventFilter(QObject* watched, QEvent* event)
{
    if (event->type() == QEvent::Paint && m_armed) {
        m_armed = false;
        QTimer::singleShot(0, this, [this] { m_work(); });
    }
    return QObject::eventFilter(watched, event);
}
