#include "timelinebar.h"

#include "livelabel.h"

#include "icons.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QSignalBlocker>
#include <QSlider>
#include <QTimer>
#include <QToolButton>

#include <algorithm>

TimelineBar::TimelineBar(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("timelineBar"));
    m_liveButton = new QToolButton(this);
    m_liveButton->setObjectName(QStringLiteral("timelineLive"));
    m_liveButton->setText(tr("Live"));
    m_liveButton->setCheckable(true);
    m_liveButton->setChecked(true);
    m_liveButton->setToolTip(tr("Show the model in training (End)"));
    m_playButton = new QToolButton(this);
    m_playButton->setObjectName(QStringLiteral("timelinePlay"));
    m_playButton->setIcon(toolIcon(ToolIcon::Run));
    m_playButton->setToolTip(tr("Replay training from the step shown, as a movie"));
    m_slider = new QSlider(Qt::Horizontal, this);
    m_slider->setObjectName(QStringLiteral("timelineSlider"));
    m_slider->setToolTip(tr("Go back to any kept step: every step of the recent past, and every 10th, 100th... "
                            "before it.\nEvery view then shows the model at that step (\u2190 \u2192 step through "
                            "them, End goes back to live)."));
    m_slider->setMinimumWidth(160);
    m_slider->setRange(0, 0);
    m_slider->setPageStep(10);
    m_slider->installEventFilter(this);
    // Live: its step changes with every picture, and a QLabel's new text
    // would lay the bar (and the window above it) out again each time.
    auto* label = new LiveLabel(this);
    m_label = label->label();
    m_label->setObjectName(QStringLiteral("timelineLabel"));
    m_label->setTextFormat(Qt::RichText);
    label->setMinimumWidth(m_label->fontMetrics().horizontalAdvance(QStringLiteral("step 000,000 of 000,000: history")));
    m_speed = new QComboBox(this);
    m_speed->setObjectName(QStringLiteral("timelineSpeed"));
    for (int s : speeds()) m_speed->addItem(tr("%1 steps/s").arg(s), s);
    m_speed->setCurrentIndex(1);
    m_speed->setToolTip(tr("Replay speed: kept steps shown a second"));
    m_player = new QTimer(this);
    m_player->setInterval(1000 / speed());

    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 0, 8, 0);
    layout->addWidget(m_liveButton);
    layout->addWidget(m_playButton);
    layout->addWidget(m_slider, 1);
    layout->addWidget(label);
    layout->addWidget(m_speed);

    connect(m_liveButton, &QToolButton::clicked, this, [this](bool on) {
        if (on) goLive();
        else if (!m_steps.empty()) choose(int(m_steps.size()) - 1);
    });
    connect(m_playButton, &QToolButton::clicked, this, [this] { isPlaying() ? pauseReplay() : play(); });
    connect(m_slider, &QSlider::valueChanged, this, [this](int index) {
        // The right end (dragged there, or End) is the model in training.
        if (index == int(m_steps.size()) - 1) goLive();
        else choose(index);
    });
    connect(m_speed, &QComboBox::activated, this, [this] { m_player->setInterval(1000 / speed()); });
    connect(m_player, &QTimer::timeout, this, &TimelineBar::advance);
    updateLabel();
}

bool TimelineBar::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_slider && event->type() == QEvent::ShortcutOverride) {
        const auto* key = static_cast<QKeyEvent*>(event);
        const bool plain = (key->modifiers() & ~Qt::KeypadModifier) == Qt::NoModifier;
        switch (key->key()) {
        case Qt::Key_Left:
        case Qt::Key_Right:
        case Qt::Key_Up:
        case Qt::Key_Down:
        case Qt::Key_Home:
        case Qt::Key_End:
        case Qt::Key_PageUp:
        case Qt::Key_PageDown:
            if (plain) event->accept();
            break;
        default:
            break;
        }
    }
    return QWidget::eventFilter(watched, event);
}

const std::vector<int>& TimelineBar::speeds()
{
    static const std::vector<int> s{2, 5, 10, 25, 50};
    return s;
}

int TimelineBar::speed() const { return m_speed->currentData().toInt(); }

void TimelineBar::setSpeed(int stepsPerSecond)
{
    const int i = m_speed->findData(stepsPerSecond);
    if (i < 0) return;
    m_speed->setCurrentIndex(i);
    m_player->setInterval(1000 / stepsPerSecond);
}

bool TimelineBar::isPlaying() const { return m_player->isActive(); }

void TimelineBar::setTimeline(std::shared_ptr<const cs::ParameterTimeline> timeline, quint64 liveStep)
{
    if (timeline == m_timeline) {
        refresh(liveStep);
        return;
    }
    m_timeline = std::move(timeline);
    m_revision = ~std::uint64_t(0);
    // Another run: its past is not this one's.
    if (!m_live) goLive();
    refresh(liveStep);
}

void TimelineBar::refresh(quint64 liveStep)
{
    m_liveStep = liveStep;
    if (m_timeline && m_timeline->revision() != m_revision) readSteps();
    updateLabel();
}

void TimelineBar::readSteps()
{
    m_revision = m_timeline->revision();
    m_steps = m_timeline->steps();
    const QSignalBlocker block(m_slider);
    m_slider->setRange(0, std::max(0, int(m_steps.size()) - 1));
    if (m_live) {
        m_slider->setValue(m_slider->maximum());
        return;
    }
    // The step shown may have been thinned away as it aged: the nearest kept before it.
    const auto it = std::upper_bound(m_steps.begin(), m_steps.end(), m_shown);
    m_slider->setValue(std::max(0, int(it - m_steps.begin()) - 1));
}

void TimelineBar::choose(int index)
{
    if (m_steps.empty()) return;
    index = std::clamp(index, 0, int(m_steps.size()) - 1);
    m_live = false;
    m_shown = m_steps[std::size_t(index)];
    {
        const QSignalBlocker block(m_slider);
        m_slider->setValue(index);
    }
    m_liveButton->setChecked(false);
    updateLabel();
    emit stepChosen(m_shown);
}

void TimelineBar::goToStep(quint64 step)
{
    if (m_timeline && m_timeline->revision() != m_revision) readSteps();
    if (m_steps.empty()) return;
    const auto it = std::upper_bound(m_steps.begin(), m_steps.end(), step);
    choose(std::max(0, int(it - m_steps.begin()) - 1));
}

void TimelineBar::goLive()
{
    pauseReplay();
    const bool wasLive = m_live;
    m_live = true;
    m_liveButton->setChecked(true);
    {
        const QSignalBlocker block(m_slider);
        m_slider->setValue(m_slider->maximum());
    }
    updateLabel();
    if (!wasLive) emit liveChosen();
}

void TimelineBar::play()
{
    if (m_steps.size() < 2) return;
    // From the start when at the end (or live).
    if (m_live || m_slider->value() >= int(m_steps.size()) - 1) choose(0);
    m_player->start(1000 / speed());
    m_playButton->setIcon(toolIcon(ToolIcon::Pause));
    m_playButton->setToolTip(tr("Pause the replay"));
    emit playingChanged(true);
}

void TimelineBar::pauseReplay()
{
    if (!m_player->isActive()) return;
    m_player->stop();
    m_playButton->setIcon(toolIcon(ToolIcon::Run));
    m_playButton->setToolTip(tr("Replay training from the step shown, as a movie"));
    emit playingChanged(false);
}

void TimelineBar::advance()
{
    if (m_timeline && m_timeline->revision() != m_revision) readSteps();
    const int next = m_slider->value() + 1;
    if (m_live) pauseReplay();
    else if (next >= int(m_steps.size()) - 1) goLive(); // the replay has caught up
    else choose(next);
}

void TimelineBar::stepBack()
{
    if (m_steps.empty()) return;
    choose(m_live ? int(m_steps.size()) - 2 : m_slider->value() - 1);
}

void TimelineBar::stepForward()
{
    if (m_live || m_steps.empty()) return;
    if (m_slider->value() + 1 >= int(m_steps.size()) - 1) goLive();
    else choose(m_slider->value() + 1);
}

void TimelineBar::updateLabel()
{
    m_playButton->setEnabled(m_steps.size() >= 2);
    m_slider->setEnabled(!m_steps.empty());
    if (m_live) {
        m_label->setText(tr("live \u00b7 step %L1").arg(m_liveStep));
        m_label->setToolTip(m_steps.empty() ? QString()
                                            : tr("%L1 steps kept, from step %L2").arg(m_steps.size()).arg(m_steps.front()));
        return;
    }
    m_label->setText(tr("<b>step %L1</b> of %L2: <span style='color:#b35900'>history</span>").arg(m_shown).arg(m_liveStep));
    m_label->setToolTip(tr("Every view shows the model as it was after step %L1. Live (End) goes back to the model "
                           "in training.")
                            .arg(m_shown));
}
