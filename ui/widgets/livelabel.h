// LiveLabel: a QLabel whose text changes many times a second (the step
// counter, a caption under training) without laying the window out again.
//
// QLabel::setText asks its parent's layout to recompute on every change,
// and in a QMainWindow that is the whole window: docks, charts, the network
// view, 20-30 times a second while training. Here the QLabel sits alone in
// this widget, which takes the request itself and passes it on only when
// the text no longer fits (a longer number, one more line).
//
// The QLabel is an ordinary child: label() for its API, and findChild
// finds it by its object name.
#pragma once

#include <QWidget>

class QLabel;

class LiveLabel : public QWidget {
    Q_OBJECT

public:
    explicit LiveLabel(QWidget* parent = nullptr);

    QLabel* label() const { return m_label; }
    void setText(const QString& text);
    QString text() const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;
    bool hasHeightForWidth() const override;
    int heightForWidth(int width) const override;

protected:
    bool event(QEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    static int lineBreaks(const QString& text);

    QLabel* m_label = nullptr;
    int m_lineBreaks = -1; // of the text last measured
};
