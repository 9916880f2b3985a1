// The toolbar's icons, drawn with QPainter so that they are crisp at any
// scale and need no image files: play, pause, step, step x10, x100, epoch,
// reset.
#pragma once

#include <QIcon>

enum class ToolIcon { Run, Pause, Step, Step10, Step100, Epoch, Reset, Evaluate };

QIcon toolIcon(ToolIcon which);
