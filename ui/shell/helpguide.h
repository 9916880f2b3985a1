// HelpGuide: Help > What Am I Seeing?, a short illustrated guide to each
// panel of the window. The illustrations are pictures of the panels as they
// are when the guide is opened, so the guide always shows what the student
// is looking at. Non-modal: it can stay open beside the window.
#pragma once

#include <QDialog>

class QTextBrowser;

class HelpGuide : public QDialog {
    Q_OBJECT

public:
    explicit HelpGuide(QWidget* parent = nullptr);

    // A picture of `panel` for the section `name` ("network", "kernels",
    // "curves", "drawing", "evaluation", "controls"); none: a hidden panel.
    void setIllustration(const QString& name, QWidget* panel);
    // Writes the guide with the pictures given.
    void build();
    QString html() const;

private:
    QTextBrowser* m_text = nullptr;
    QStringList m_pictures;
};
