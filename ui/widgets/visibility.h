// isSeen: whether any part of a widget is inside its window (and shown).
//
// isVisible() is not that. Qt 6 keeps the docks behind the current tab of a
// tab group visible and moves them out of the window (a dock behind the
// Curves tab sat at (-810, -622)), so a panel that checked isVisible() went
// on computing and drawing for nobody: the learning history's columns, the
// gradient-norm chart's 3 ms redraws four times a second. A panel that skips
// its work while unseen catches up when it is next painted: moved back into
// the window, it is exposed and gets a paint event (CatchUp).
#pragma once

#include <QObject>

#include <functional>

class QWidget;

bool isSeen(const QWidget* widget);

// Work a panel skipped while it was out of sight, run once after the
// widget it watches is next painted (in a turn of its own, not inside the
// paint).
//
//   m_catchUp = new CatchUp(this, [this] { refresh(); });
//   void refresh() { if (!isSeen(this)) { m_catchUp->arm(); return; } ... }
class CatchUp : public QObject {
    Q_OBJECT

public:
    // `painted`: the widget whose paint says the panel is seen again (the
    // panel, or the child that covers it, as a chart's viewport); it owns
    // the CatchUp.
    CatchUp(QWidget* painted, std::function<void()> work);

    void arm() { m_armed = true; }
    void disarm() { m_armed = false; }
    bool armed() const { return m_armed; }

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    std::function<void()> m_work;
    bool m_armed = false;
};
