// isSeen: whether any part of a widget is inside its window (and shown).
//
// isVisible() is not that. Qt 6 keeps the docks behind the current tab of a
// tab group visible and moves them out of the window (a dock behind the
// Curves tab sat at (-810, -622)), so a panel that checked isVisible() went
// on computing and drawing for nobody: the learning history's columns, the
// gradient-norm chart's 3 ms redraws four times a second. A panel that skips
// its work while unseen catches up when it is next painted: moved back into
// the window, it is exposed and gets a paint event.
#pragma once

class QWidget;

bool isSeen(const QWidget* widget);
