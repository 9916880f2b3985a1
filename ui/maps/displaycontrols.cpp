#include "displaycontrols.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSpinBox>

DisplayControls::DisplayControls(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("displayControls"));
    m_change = new QComboBox(this);
    m_change->setObjectName(QStringLiteral("changeCombo"));
    m_change->addItem(tr("the values"), int(Change::None));
    m_change->addItem(tr("change since Reset"), int(Change::SinceReset));
    m_change->addItem(tr("change in the last step"), int(Change::LastStep));
    m_change->addItem(tr("change over the last"), int(Change::SinceStep));
    m_change->setToolTip(tr("The values, or how they changed: W \u2212 W\u2080 and A \u2212 A\u2080 since the last "
                            "Reset, the change made by the last step, or the change over the last k steps (from "
                            "the timeline).\nRed: grew, blue: shrank."));
    m_since = new QSpinBox(this);
    m_since->setObjectName(QStringLiteral("sinceStepsSpin"));
    m_since->setRange(1, 1'000'000);
    m_since->setValue(100);
    m_since->setSuffix(tr(" steps"));
    m_since->setToolTip(tr("k: the change since the kept step k steps before the one shown (older steps are kept "
                           "thinned: the nearest kept one before)"));
    m_since->setVisible(false);
    m_scale = new QComboBox(this);
    m_scale->setObjectName(QStringLiteral("scaleCombo"));
    m_scale->addItem(tr("fitted to each frame"), int(ScaleMode::PerFrame));
    m_scale->addItem(tr("range so far"), int(ScaleMode::SoFar));
    m_scale->addItem(tr("fixed at this step"), int(ScaleMode::Fixed));
    m_scale->setToolTip(tr("Fitted to each frame shows patterns but hides growth.\nRange so far and fixed keep one "
                           "scale, so a map that grows gets brighter."));

    auto* layout = m_layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 0, 8, 0);
    m_what = new QLabel(this);
    m_what->setObjectName(QStringLiteral("changeLabel"));
    m_what->setBuddy(m_change);
    setGradientsMode(false);
    layout->addWidget(m_what);
    layout->addWidget(m_change);
    layout->addWidget(m_since);
    layout->addSpacing(8);
    auto* colours = new QLabel(tr("c&olours"), this);
    colours->setBuddy(m_scale);
    layout->addWidget(colours);
    layout->addWidget(m_scale);
    layout->addStretch(1);

    connect(m_change, &QComboBox::activated, this, [this] {
        m_since->setVisible(change() == Change::SinceStep);
        emit changeChosen(change());
    });
    connect(m_since, &QSpinBox::valueChanged, this, &DisplayControls::sinceStepsChanged);
    connect(m_scale, &QComboBox::activated, this, [this] { emit scaleModeChosen(scaleMode()); });
}

void DisplayControls::setGradientsMode(bool on)
{
    // The maps then show how the loss depends on each activation: a change
    // of a gradient between steps is not a lesson, so the choice is the
    // kernels' alone, and the label says so.
    m_what->setText(on ? tr("&Kernels show") : tr("&Maps and kernels show"));
    m_what->setToolTip(on ? tr("In the gradients view the maps show \u2202loss/\u2202activation; the change "
                               "since Reset or in the last step applies to the kernels.")
                          : QString());
}

DisplayControls::Change DisplayControls::change() const
{
    return Change(m_change->currentData().toInt());
}

void DisplayControls::setTrailingWidget(QWidget* widget)
{
    if (m_trailing && m_trailing != widget) m_layout->removeWidget(m_trailing);
    m_trailing = widget;
    if (widget) m_layout->addWidget(widget, 2);
}

int DisplayControls::sinceSteps() const { return m_since->value(); }

void DisplayControls::setSinceSteps(int steps) { m_since->setValue(steps); }

void DisplayControls::setChange(Change change)
{
    m_change->setCurrentIndex(m_change->findData(int(change)));
    m_since->setVisible(change == Change::SinceStep);
    emit changeChosen(change);
}

ScaleMode DisplayControls::scaleMode() const
{
    return ScaleMode(m_scale->currentData().toInt());
}

void DisplayControls::setScaleMode(ScaleMode mode)
{
    m_scale->setCurrentIndex(m_scale->findData(int(mode)));
    emit scaleModeChosen(mode);
}
