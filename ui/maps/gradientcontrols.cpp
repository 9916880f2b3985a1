#include "gradientcontrols.h"

#include "classlabels.h"

#include "samplelens.h"

#include <QButtonGroup>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QRadioButton>

GradientControls::GradientControls(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("gradientControls"));
    m_activations = new QRadioButton(tr("&Activations (forward)"), this);
    m_activations->setObjectName(QStringLiteral("activationsButton"));
    m_activations->setToolTip(tr("Each layer's output for the pinned sample"));
    m_gradients = new QRadioButton(tr("&Gradients (backward)"), this);
    m_gradients->setObjectName(QStringLiteral("gradientsButton"));
    m_gradients->setToolTip(tr("dL/dA: how the loss for the chosen class changes with each value of each layer's "
                               "output, and with each input pixel (the saliency map)"));
    m_activations->setChecked(true);
    auto* group = new QButtonGroup(this);
    group->addButton(m_activations);
    group->addButton(m_gradients);
    m_target = new QComboBox(this);
    m_target->setObjectName(QStringLiteral("gradientTargetCombo"));
    m_target->setToolTip(tr("The class whose loss -log p(class) is differentiated"));
    m_target->setEnabled(false);
    m_explanation = new QLabel(this);
    m_explanation->setObjectName(QStringLiteral("gradientExplanation"));
    m_explanation->setTextFormat(Qt::RichText);
    m_explanation->setWordWrap(false);
    m_explanation->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    setClassNames({});

    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 2, 8, 0);
    layout->addWidget(new QLabel(tr("Show:"), this));
    layout->addWidget(m_activations);
    layout->addWidget(m_gradients);
    layout->addSpacing(8);
    auto* forLabel = new QLabel(tr("for"), this);
    layout->addWidget(forLabel);
    layout->addWidget(m_target);
    layout->addSpacing(8);
    layout->addWidget(m_explanation, 1);

    connect(m_gradients, &QRadioButton::toggled, this, [this](bool on) {
        m_target->setEnabled(on);
        if (!on) m_explanation->clear();
        emit modeChanged(on);
    });
    connect(m_target, &QComboBox::currentIndexChanged, this, [this] { emit targetChanged(target()); });
}

void GradientControls::setClassNames(const QStringList& names)
{
    m_names = names;
    const QSignalBlocker block(m_target);
    const int old = m_target->currentData().toInt();
    m_target->clear();
    m_target->addItem(tr("the true label"), SampleLens::trueLabel);
    m_target->addItem(tr("the predicted class"), SampleLens::predictedClass);
    for (int k = 0; k < names.size(); ++k) m_target->addItem(tr("class %1").arg(names[k]), k);
    const int index = m_target->findData(old);
    m_target->setCurrentIndex(index >= 0 ? index : 0);
}

bool GradientControls::gradients() const
{
    return m_gradients->isChecked();
}

void GradientControls::setGradients(bool on)
{
    (on ? m_gradients : m_activations)->setChecked(true);
}

int GradientControls::target() const
{
    return m_target->currentData().toInt();
}

void GradientControls::setExplanation(int targetClass, bool drawing, double loss)
{
    if (!gradients() || targetClass < 0) {
        m_explanation->setText(gradients() ? tr("<i>No gradients: the model cannot take this sample.</i>") : QString());
        return;
    }
    const QString name = classLabel(m_names, targetClass);
    QString text = tr("L = −log p(<b>%1</b>) = %2").arg(name.toHtmlEscaped()).arg(loss, 0, 'f', 3);
    if (loss < 0.01)
        // p is already about 1: the gradients are tiny and the maps near blank.
        text += tr(" &nbsp;<span style='color:#b06000'>p(%1) \u2248 1, so the gradients are tiny: pick a misread "
                   "image (Evaluation) or another class</span>")
                    .arg(name.toHtmlEscaped());
    m_explanation->setText(text);
    m_explanation->setToolTip(tr("The colours show dL/dA, the gradient of the loss for class %1 with respect to "
                                 "each value: the numbers backpropagation computes. Max pooling passes the gradient "
                                 "to one winner per window, so the maps before a pooling layer are zero elsewhere. "
                                 "A confident right answer has a loss near 0 and tiny gradients.%2")
                                  .arg(name.toHtmlEscaped(),
                                       drawing && target() == SampleLens::trueLabel
                                           ? tr(" A drawing has no label: its gradients are for the class it is read as.")
                                           : QString()));
}
