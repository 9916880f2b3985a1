#include "firstlesson.h"

#include "digitclassifierpanel.h"
#include "insightdocks.h"
#include "mainwindow.h"

#include <QDockWidget>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

FirstLesson::FirstLesson(MainWindow* window) : QWidget(window), m_window(window)
{
    setObjectName(QStringLiteral("firstLesson"));
    m_stages = {
        {tr("1. Start from nothing"),
         tr("Reset gives the network new random weights. Look at the Output column on the right of the network "
            "view: every class gets about 10%. The network is guessing."),
         tr("Reset"), [window] { window->reset(); }, [window, this] { return window->step() == 0 && m_window->lastSnapshot().step == 0; }},
        {tr("2. Draw a digit"),
         tr("Draw a digit in the Draw a Digit panel. It becomes the pinned sample: the network view now follows "
            "your drawing. The caption says what it is read as, with how much confidence."),
         tr("Show the drawing pad"),
         [window] {
             window->insight()->drawingDock()->show();
             window->insight()->drawingDock()->raise();
         },
         [window] { return window->insight()->drawing()->hasDigit(); }},
        {tr("3. One step"),
         tr("Step trains on one mini-batch of 32 images. Read the line under the caption: the batch loss and the "
            "probability of your digit, before and after. One step changes little."),
         tr("Step once"), [window] { window->trainSteps(1); }, [window, this] { return window->step() > m_startStep; }},
        {tr("4. Watch it learn"),
         tr("Run at 5 steps a second. Watch the probability bars: within a hundred steps or so the right class "
            "should take over. Set Maps and kernels show to \u201cchange since Reset\u201d to see what learning "
            "has changed."),
         tr("Run at 5 steps/s"),
         [window] {
             window->setPace(5);
             if (!window->isTraining()) window->run();
         },
         [window, this] { return window->step() >= m_startStep + 100; }},
        {tr("5. How good is it?"),
         tr("Pause, then Evaluate: the network reads all the test images. The confusion matrix shows which digits "
            "it mixes up; click a cell to see those images."),
         tr("Pause and evaluate"),
         [window] {
             if (window->isTraining()) window->pause();
             window->evaluate(true);
         },
         [window] { return window->insight()->evaluationStep() >= 0; }},
    };

    m_title = new QLabel(this);
    m_title->setObjectName(QStringLiteral("lessonTitle"));
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_text = new QLabel(this);
    m_text->setObjectName(QStringLiteral("lessonText"));
    m_text->setWordWrap(true);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("lessonStatus"));
    m_act = new QPushButton(this);
    m_act->setObjectName(QStringLiteral("lessonAct"));
    m_back = new QPushButton(tr("Back"), this);
    m_next = new QPushButton(tr("Next"), this);
    m_next->setObjectName(QStringLiteral("lessonNext"));
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_back);
    buttons->addStretch(1);
    buttons->addWidget(m_next);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_title);
    layout->addWidget(m_text);
    layout->addWidget(m_act, 0, Qt::AlignLeft);
    layout->addWidget(m_status);
    layout->addStretch(1);
    layout->addLayout(buttons);

    connect(m_act, &QPushButton::clicked, this, [this] { m_stages[std::size_t(m_stage)].act(); });
    connect(m_back, &QPushButton::clicked, this, [this] { setStage(m_stage - 1); });
    connect(m_next, &QPushButton::clicked, this, [this] {
        if (m_stage + 1 < stageCount()) return setStage(m_stage + 1);
        if (auto* dock = qobject_cast<QDockWidget*>(parentWidget())) dock->close();
    });
    connect(window, &MainWindow::snapshotShown, this, &FirstLesson::update);
    connect(window, &MainWindow::trainingChanged, this, &FirstLesson::update);
    setStage(0);
}

void FirstLesson::setStage(int stage)
{
    m_stage = std::clamp(stage, 0, stageCount() - 1);
    m_startStep = m_window->step();
    const Stage& s = m_stages[std::size_t(m_stage)];
    m_title->setText(s.title);
    m_text->setText(s.text);
    m_act->setText(s.button);
    m_back->setEnabled(m_stage > 0);
    m_next->setText(m_stage + 1 < stageCount() ? tr("Next") : tr("Done"));
    update();
}

bool FirstLesson::stageDone() const
{
    return m_stages[std::size_t(m_stage)].done();
}

void FirstLesson::update()
{
    const bool done = stageDone();
    m_status->setText(done ? tr("\u2713 Done. Next when you are ready.") : QString());
    m_next->setDefault(done);
}
