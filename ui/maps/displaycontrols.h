// DisplayControls: how the maps and kernels show learning, in the row under
// the activations/gradients switch:
//
//   Maps:     the values | their change since Reset | their change in the
//             last step | their change over the last k steps (from the
//             timeline) (W - W0 for kernels, A - A0 for maps)
//   Colours:  fitted to each frame | the range so far | fixed at this step
//
// A frame fitted to itself hides growth; a fixed scale or a change view
// makes the learning visible.
#pragma once

#include "rangememory.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QHBoxLayout;
class QSpinBox;

class DisplayControls : public QWidget {
    Q_OBJECT

public:
    // In the order of SampleLens::Change and KernelView::Change.
    enum class Change { None, SinceReset, LastStep, SinceStep };

    explicit DisplayControls(QWidget* parent = nullptr);

    Change change() const;
    void setChange(Change change);
    // In the gradients view the change applies to the kernels only.
    void setGradientsMode(bool on);
    // A widget at the right end of the row (the timeline bar, in
    // presentation), or none; the row does not own it.
    void setTrailingWidget(QWidget* widget);
    // k of "change over the last k steps".
    int sinceSteps() const;
    void setSinceSteps(int steps);
    ScaleMode scaleMode() const;
    void setScaleMode(ScaleMode mode);

signals:
    void changeChosen(DisplayControls::Change change);
    void scaleModeChosen(ScaleMode mode);
    void sinceStepsChanged(int steps);

private:
    QLabel* m_what = nullptr;
    QComboBox* m_change = nullptr;
    QSpinBox* m_since = nullptr;
    QHBoxLayout* m_layout = nullptr;
    QWidget* m_trailing = nullptr;
    QComboBox* m_scale = nullptr;
};
