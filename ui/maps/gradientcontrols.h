// GradientControls: the switch above the network view between the forward
// pass (activations) and the backward pass (gradients of the loss), the class
// the loss is taken for, and a line saying how to read the colours.
#pragma once

#include <QStringList>
#include <QWidget>

class QComboBox;
class QLabel;
class QRadioButton;

class GradientControls : public QWidget {
    Q_OBJECT

public:
    explicit GradientControls(QWidget* parent = nullptr);

    void setClassNames(const QStringList& names);
    bool gradients() const;
    void setGradients(bool on);
    // SampleLens' target: trueLabel (-2), predictedClass (-1) or a class.
    int target() const;
    // What was computed last: the class, its name, whether it is a drawing.
    void setExplanation(int targetClass, bool drawing, double loss);

signals:
    void modeChanged(bool gradients);
    void targetChanged(int target);

private:
    QRadioButton* m_activations = nullptr;
    QRadioButton* m_gradients = nullptr;
    QComboBox* m_target = nullptr;
    QLabel* m_explanation = nullptr;
    QStringList m_names;
};
