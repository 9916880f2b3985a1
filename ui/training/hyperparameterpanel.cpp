#include "hyperparameterpanel.h"

#include "errors.hpp"
#include "optimizer.hpp"

#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QMenu>
#include <QToolButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include <cmath>

HyperparameterPanel::HyperparameterPanel(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("hyperparameterPanel"));

    m_lr = new QLineEdit(this);
    m_lr->setObjectName(QStringLiteral("learningRateEdit"));
    m_lr->setToolTip(tr("Learning rate: the size of each update. Type any value of 0 or more and press Enter,\n"
                        "or pick one from the menu beside it. Adam usually works at 0.001, SGD+momentum at 0.01."));
    auto* presets = new QToolButton(this);
    presets->setObjectName(QStringLiteral("learningRatePresets"));
    presets->setText(QStringLiteral("\u25be"));
    presets->setToolTip(tr("Usual learning rates"));
    presets->setPopupMode(QToolButton::InstantPopup);
    auto* presetMenu = new QMenu(presets);
    // Log steps: 1, 3, 10, 30... times a power of ten, and 0 (nothing learns).
    for (double v : {0.3, 0.1, 0.03, 0.01, 0.003, 0.001, 0.0003, 0.0001, 0.00003, 0.0})
        presetMenu->addAction(plainNumber(v), this, [this, v] {
            m_lr->setText(plainNumber(v));
            commitLearningRate();
        });
    presets->setMenu(presetMenu);
    auto* lrRow = new QHBoxLayout;
    lrRow->setContentsMargins(0, 0, 0, 0);
    lrRow->setSpacing(2);
    lrRow->addWidget(m_lr, 1);
    lrRow->addWidget(presets);
    m_lrNote = new QLabel(this);
    m_lrNote->setObjectName(QStringLiteral("learningRateNote"));
    m_lrNote->setWordWrap(true);
    m_lrNote->hide();

    m_batch = new QSpinBox(this);
    m_batch->setObjectName(QStringLiteral("batchSizeSpin"));
    m_batch->setRange(1, 4096);
    m_batch->setKeyboardTracking(false);
    m_batch->setToolTip(tr("Images per mini-batch (one step = one mini-batch)"));

    m_optimizer = new QComboBox(this);
    m_optimizer->setObjectName(QStringLiteral("optimizerCombo"));
    m_optimizer->addItem(tr("Adam"), QStringLiteral("adam"));
    m_optimizer->addItem(tr("SGD + momentum 0.9"), QStringLiteral("sgd"));
    m_optimizer->setToolTip(tr("The update rule. Switching starts the new optimizer with fresh state."));
    // Its longest name need not set the panel's least width (the list shows it whole).
    m_optimizer->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_optimizer->setMinimumContentsLength(10);

    m_seed = new QSpinBox(this);
    m_seed->setObjectName(QStringLiteral("seedSpin"));
    m_seed->setRange(0, 999999);
    m_seed->setKeyboardTracking(false);
    m_seed->setToolTip(tr("Seed of the initial weights and of the shuffling; used at the next Reset"));

    m_model = new QLabel(this);
    m_model->setObjectName(QStringLiteral("modelSummary"));
    m_model->setWordWrap(true);
    m_model->setForegroundRole(QPalette::PlaceholderText);

    auto* note = new QLabel(tr("Changes apply from the next step and are marked on the curves; the seed applies "
                               "at the next Reset."),
                            this);
    note->setWordWrap(true);
    note->setForegroundRole(QPalette::PlaceholderText);

    auto* form = new QFormLayout;
    auto* lrLabel = new QLabel(tr("&Learning rate"), this);
    lrLabel->setBuddy(m_lr);
    form->addRow(lrLabel, lrRow);
    form->addRow(m_lrNote);
    form->addRow(tr("&Batch size"), m_batch);
    form->addRow(tr("&Optimizer"), m_optimizer);
    form->addRow(tr("&Seed"), m_seed);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 4, 6, 4);
    layout->addLayout(form);
    layout->addWidget(note);
    layout->addWidget(m_model);
    layout->addStretch(1);

    setValues(m_values);
    connect(m_lr, &QLineEdit::returnPressed, this, &HyperparameterPanel::commitLearningRate);
    connect(m_lr, &QLineEdit::editingFinished, this, [this] {
        if (m_lr->text() != plainNumber(m_values.learningRate)) commitLearningRate();
    });
    connect(m_batch, &QSpinBox::valueChanged, this, &HyperparameterPanel::commit);
    connect(m_optimizer, &QComboBox::activated, this, &HyperparameterPanel::commit);
    connect(m_seed, &QSpinBox::valueChanged, this, &HyperparameterPanel::commit);
}

void HyperparameterPanel::setValues(const Hyperparameters& v)
{
    m_values = v;
    const QSignalBlocker b1(m_lr), b2(m_batch), b3(m_optimizer), b4(m_seed);
    m_lr->setText(plainNumber(v.learningRate));
    showLearningRateNote();
    m_batch->setValue(v.batchSize);
    m_optimizer->setCurrentIndex(std::max(0, m_optimizer->findData(v.optimizer)));
    m_seed->setValue(int(v.seed));
}

void HyperparameterPanel::setModelSummary(const QString& text)
{
    m_model->setText(text);
}

bool HyperparameterPanel::parseLearningRate(const QString& text, double* value, QString* error)
{
    bool ok = false;
    const double lr = text.trimmed().toDouble(&ok);
    if (!ok && text.trimmed().compare(QLatin1String("nan"), Qt::CaseInsensitive) != 0) {
        *error = tr("\u201c%1\u201d is not a number.").arg(text);
        return false;
    }
    try {
        // The optimizers' own rule (finite, >= 0), kept in one place.
        cs::check_learning_rate(ok ? lr : std::nan(""));
    } catch (const cs::SettingError& e) {
        *error = QString::fromStdString(e.what());
        return false;
    }
    *value = lr;
    return true;
}

void HyperparameterPanel::commitLearningRate()
{
    double lr = 0;
    QString error;
    if (!parseLearningRate(m_lr->text(), &lr, &error)) {
        const QString typed = m_lr->text();
        setValues(m_values); // back to the rate in force
        emit invalid(tr("Learning rate %1 refused: %2").arg(typed, error));
        return;
    }
    m_lr->setText(plainNumber(lr));
    if (lr == m_values.learningRate) return;
    m_values.learningRate = lr;
    showLearningRateNote();
    emit changed(m_values);
}

QString HyperparameterPanel::plainNumber(double value)
{
    return QString::number(value, 'g', 6);
}

QString HyperparameterPanel::learningRateNote(double lr, const QString& optimizer)
{
    if (lr == 0) return tr("lr = 0: every update is zero, so nothing will learn (the weights stay as they are).");
    // 30 times the usual rate or more: LeNet's loss most likely explodes.
    const double usual = optimizer == QLatin1String("sgd") ? 0.01 : 0.001;
    if (lr >= 30 * usual)
        return tr("lr %1 is very large for %2: expect the loss to explode and the ReLUs to die.")
            .arg(plainNumber(lr), optimizer == QLatin1String("sgd") ? tr("SGD") : tr("Adam"));
    return {};
}

void HyperparameterPanel::showLearningRateNote()
{
    const QString note = learningRateNote(m_values.learningRate, m_values.optimizer);
    m_lrNote->setText(note);
    QPalette palette = m_lrNote->palette();
    palette.setColor(QPalette::WindowText, m_values.learningRate == 0 ? QColor(0x15, 0x65, 0xc0) : QColor(0xc6, 0x28, 0x28));
    m_lrNote->setPalette(palette);
    m_lrNote->setVisible(!note.isEmpty());
}

void HyperparameterPanel::commit()
{
    m_values.batchSize = m_batch->value();
    const QString optimizer = m_optimizer->currentData().toString();
    if (optimizer != m_values.optimizer) {
        // Each optimizer starts at its usual learning rate (the core's default).
        m_values.learningRate = cs::make_optimizer<float>(optimizer.toStdString())->learning_rate();
        const QSignalBlocker block(m_lr);
        m_lr->setText(plainNumber(m_values.learningRate));
    }
    m_values.optimizer = optimizer;
    showLearningRateNote();
    m_values.seed = quint64(m_seed->value());
    emit changed(m_values);
}
