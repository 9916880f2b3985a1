// FirstLesson: Help > A First Lesson, a guided tour in a panel beside the
// window: Reset, draw a digit, Step once, Run at a slow pace and watch the
// digit's reading turn, then Evaluate. Each stage says what to look at, has a
// button that does it, and notices when it has been done (by the button or
// by hand), so the student can follow at their own speed.
#pragma once

#include <QWidget>

#include <functional>
#include <vector>

class MainWindow;
class QLabel;
class QPushButton;

class FirstLesson : public QWidget {
    Q_OBJECT

public:
    explicit FirstLesson(MainWindow* window);

    int stage() const { return m_stage; }
    int stageCount() const { return int(m_stages.size()); }
    void setStage(int stage);
    // Whether the current stage's goal has been reached.
    bool stageDone() const;

private:
    struct Stage {
        QString title, text, button;
        std::function<void()> act;
        std::function<bool()> done;
    };
    void update();

    MainWindow* m_window = nullptr;
    std::vector<Stage> m_stages;
    int m_stage = 0;
    quint64 m_startStep = 0; // the step when the stage began
    QLabel* m_title = nullptr;
    QLabel* m_text = nullptr;
    QLabel* m_status = nullptr;
    QPushButton* m_act = nullptr;
    QPushButton* m_back = nullptr;
    QPushButton* m_next = nullptr;
};
