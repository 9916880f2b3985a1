// ProbabilityBars: the network's output, one horizontal bar per class, the
// predicted class filled in the accent colour and the true label marked.
#pragma once

#include "columnheading.h"

#include <QStringList>
#include <QWidget>

#include <vector>

class ProbabilityBars : public QWidget {
    Q_OBJECT

public:
    explicit ProbabilityBars(QWidget* parent = nullptr);

    void setClassNames(const QStringList& names);
    // The header ("Output"); the line under it says softmax and the classes.
    void setTitle(const QString& title);
    // probabilities: one per class; label: the true class (-1 if unknown).
    void setProbabilities(const std::vector<float>& probabilities, int label);
    const std::vector<float>& probabilities() const { return m_probs; }
    int predicted() const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    QStringList m_names;
    QString m_title = tr("Output");
    ColumnHeading m_heading;
    std::vector<float> m_probs;
    int m_label = -1;
};
