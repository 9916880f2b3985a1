// MessageBar: a message shown inside the window, above the content, with a
// close button (like KDE's KMessageWidget). Errors appear here instead of in
// a modal box, so nothing blocks: neither training nor a test driving the
// window.
#pragma once

#include <QFrame>

class QLabel;

class MessageBar : public QFrame {
    Q_OBJECT

public:
    enum class Kind { Error, Information };

    explicit MessageBar(QWidget* parent = nullptr);

    void showMessage(const QString& text, Kind kind = Kind::Error);
    QString text() const;
    Kind kind() const { return m_kind; }

private:
    QLabel* m_icon = nullptr;
    QLabel* m_text = nullptr;
    Kind m_kind = Kind::Error;
};
