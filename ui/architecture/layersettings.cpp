#include "layersettings.h"

#include "architecture.hpp"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>

#include <algorithm>

namespace {

QSpinBox* spinBox(QWidget* parent, const QString& name, int min, int max)
{
    auto* s = new QSpinBox(parent);
    s->setObjectName(name);
    s->setRange(min, max);
    s->setAccelerated(true);
    return s;
}

// Two spin boxes side by side ("5 x 5"), or four (margins).
QWidget* row(QWidget* parent, std::initializer_list<QWidget*> boxes, const QString& between)
{
    auto* w = new QWidget(parent);
    auto* layout = new QHBoxLayout(w);
    layout->setContentsMargins(0, 0, 0, 0);
    bool first = true;
    for (QWidget* b : boxes) {
        if (!first && !between.isEmpty()) layout->addWidget(new QLabel(between, w));
        layout->addWidget(b, 1);
        first = false;
    }
    return w;
}

} // namespace

LayerSettings::LayerSettings(QWidget* parent) : QWidget(parent)
{
    m_form = new QFormLayout(this);
    m_form->setContentsMargins(0, 0, 0, 0);
    m_form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);

    m_kind = new QLabel(this);
    m_kind->setObjectName(QStringLiteral("layerKind"));
    m_kind->setWordWrap(true);
    m_name = new QLineEdit(this);
    m_name->setObjectName(QStringLiteral("layerName"));
    m_name->setToolTip(tr("The layer's name: its weights are saved under it (\u201cconv2d/kernel\u201d)"));
    m_units = spinBox(this, QStringLiteral("layerUnits"), 1, 1 << 16);
    m_kernelH = spinBox(this, QStringLiteral("layerKernelH"), 1, maxSide);
    m_kernelW = spinBox(this, QStringLiteral("layerKernelW"), 1, maxSide);
    m_strideH = spinBox(this, QStringLiteral("layerStrideH"), 1, maxSide);
    m_strideW = spinBox(this, QStringLiteral("layerStrideW"), 1, maxSide);
    m_padding = new QComboBox(this);
    m_padding->setObjectName(QStringLiteral("layerPadding"));
    m_padding->addItem(tr("same"), int(cs::Padding::same));
    m_padding->addItem(tr("valid"), int(cs::Padding::valid));
    m_padding->setToolTip(tr("same: zeros around the input, h_out = ceil(h / stride)\n"
                             "valid: no zeros, h_out = floor((h - kernel) / stride) + 1"));
    m_activation = new QComboBox(this);
    m_activation->setObjectName(QStringLiteral("layerActivation"));
    for (cs::Activation a : {cs::Activation::linear, cs::Activation::relu, cs::Activation::tanh,
                             cs::Activation::sigmoid, cs::Activation::softmax})
        m_activation->addItem(QString::fromStdString(cs::to_string(a)), int(a));
    m_activation->setToolTip(tr("softmax only on the last layer (it is part of the loss)"));
    m_bias = new QCheckBox(tr("use a bias"), this);
    m_bias->setObjectName(QStringLiteral("layerBias"));
    m_rate = new QDoubleSpinBox(this);
    m_rate->setObjectName(QStringLiteral("layerRate"));
    m_rate->setRange(0, 0.99);
    m_rate->setSingleStep(0.05);
    m_rate->setToolTip(tr("The share of units zeroed at each training step (none when evaluating)"));
    m_scale = new QDoubleSpinBox(this);
    m_scale->setObjectName(QStringLiteral("layerScale"));
    m_scale->setRange(-1e6, 1e6);
    m_scale->setDecimals(6);
    m_offset = new QDoubleSpinBox(this);
    m_offset->setObjectName(QStringLiteral("layerOffset"));
    m_offset->setRange(-1e6, 1e6);
    m_offset->setDecimals(6);
    m_top = spinBox(this, QStringLiteral("layerTop"), 0, maxSide);
    m_bottom = spinBox(this, QStringLiteral("layerBottom"), 0, maxSide);
    m_left = spinBox(this, QStringLiteral("layerLeft"), 0, maxSide);
    m_right = spinBox(this, QStringLiteral("layerRight"), 0, maxSide);
    m_kernelRow = row(this, {m_kernelH, m_kernelW}, QStringLiteral("\u00d7"));
    m_strideRow = row(this, {m_strideH, m_strideW}, QStringLiteral("\u00d7"));
    m_marginsRow = row(this, {m_top, m_bottom, m_left, m_right}, QString());
    m_marginsRow->setToolTip(tr("Zeros added on top, bottom, left and right, in that order"));

    m_form->addRow(tr("Kind:"), m_kind);
    m_form->addRow(tr("Name:"), m_name);
    m_unitsLabel = new QLabel(tr("Units:"), this);
    m_form->addRow(m_unitsLabel, m_units);
    m_kernelLabel = new QLabel(tr("Kernel (h \u00d7 w):"), this);
    m_form->addRow(m_kernelLabel, m_kernelRow);
    m_form->addRow(tr("Stride (h \u00d7 w):"), m_strideRow);
    m_form->addRow(tr("Padding:"), m_padding);
    m_form->addRow(tr("Activation:"), m_activation);
    m_form->addRow(QString(), m_bias);
    m_form->addRow(tr("Rate:"), m_rate);
    m_form->addRow(tr("Scale:"), m_scale);
    m_form->addRow(tr("Offset:"), m_offset);
    m_form->addRow(tr("Margins:"), m_marginsRow);

    for (QSpinBox* s : {m_units, m_kernelH, m_kernelW, m_strideH, m_strideW, m_top, m_bottom, m_left, m_right})
        connect(s, &QSpinBox::valueChanged, this, &LayerSettings::read);
    for (QDoubleSpinBox* s : {m_rate, m_scale, m_offset}) connect(s, &QDoubleSpinBox::valueChanged, this, &LayerSettings::read);
    for (QComboBox* c : {m_padding, m_activation}) connect(c, &QComboBox::currentIndexChanged, this, &LayerSettings::read);
    connect(m_bias, &QCheckBox::toggled, this, &LayerSettings::read);
    connect(m_name, &QLineEdit::textEdited, this, &LayerSettings::nameEdited);
    clear();
}

void LayerSettings::clear()
{
    m_spec = {};
    m_kind->setText(tr("Choose a layer in the table to change it."));
    showRowsOf({});
    setEnabled(false);
}

void LayerSettings::setLayer(const QString& name, const cs::LayerSpec& spec)
{
    m_filling = true;
    m_spec = spec;
    setEnabled(true);
    m_kind->setText(QString::fromStdString(cs::keras_class_name(spec.kind)));
    if (m_name->text() != name) m_name->setText(name);
    m_units->setValue(int(std::min<std::size_t>(spec.units, std::size_t(m_units->maximum()))));
    m_kernelH->setValue(int(spec.kernel.h));
    m_kernelW->setValue(int(spec.kernel.w));
    m_strideH->setValue(int(spec.stride.h));
    m_strideW->setValue(int(spec.stride.w));
    m_padding->setCurrentIndex(m_padding->findData(int(spec.padding)));
    m_activation->setCurrentIndex(m_activation->findData(int(spec.activation)));
    m_bias->setChecked(spec.use_bias);
    m_rate->setValue(spec.rate);
    m_scale->setValue(spec.scale);
    m_offset->setValue(spec.offset);
    m_top->setValue(int(spec.margins.top));
    m_bottom->setValue(int(spec.margins.bottom));
    m_left->setValue(int(spec.margins.left));
    m_right->setValue(int(spec.margins.right));
    m_unitsLabel->setText(spec.kind == "conv2d" ? tr("Filters:") : tr("Units:"));
    m_kernelLabel->setText(spec.kind == "conv2d" ? tr("Kernel (h \u00d7 w):") : tr("Pool (h \u00d7 w):"));
    showRowsOf(spec.kind);
    m_filling = false;
}

void LayerSettings::showRowsOf(const std::string& kind)
{
    const bool conv = kind == "conv2d", dense = kind == "dense";
    const bool pool = kind == "max_pooling2d" || kind == "average_pooling2d";
    const bool any = !kind.empty();
    m_form->setRowVisible(m_name, any);
    m_form->setRowVisible(m_units, conv || dense);
    m_form->setRowVisible(m_kernelRow, conv || pool);
    m_form->setRowVisible(m_strideRow, conv || pool);
    m_form->setRowVisible(m_padding, conv);
    m_form->setRowVisible(m_activation, conv || dense || kind == "activation");
    m_form->setRowVisible(m_bias, conv || dense);
    m_form->setRowVisible(m_rate, kind == "dropout");
    m_form->setRowVisible(m_scale, kind == "rescaling");
    m_form->setRowVisible(m_offset, kind == "rescaling");
    m_form->setRowVisible(m_marginsRow, kind == "zero_padding2d");
}

void LayerSettings::read()
{
    if (m_filling || !isEnabled()) return;
    cs::LayerSpec s = m_spec;
    const std::string& kind = s.kind;
    if (kind == "conv2d" || kind == "dense") {
        s.units = std::size_t(m_units->value());
        s.activation = cs::Activation(m_activation->currentData().toInt());
        s.use_bias = m_bias->isChecked();
    }
    if (kind == "conv2d" || kind == "max_pooling2d" || kind == "average_pooling2d") {
        s.kernel = {std::size_t(m_kernelH->value()), std::size_t(m_kernelW->value())};
        s.stride = {std::size_t(m_strideH->value()), std::size_t(m_strideW->value())};
    }
    if (kind == "conv2d") s.padding = cs::Padding(m_padding->currentData().toInt());
    if (kind == "activation") s.activation = cs::Activation(m_activation->currentData().toInt());
    if (kind == "dropout") s.rate = m_rate->value();
    if (kind == "rescaling") {
        s.scale = m_scale->value();
        s.offset = m_offset->value();
    }
    if (kind == "zero_padding2d")
        s.margins = {std::size_t(m_top->value()), std::size_t(m_bottom->value()), std::size_t(m_left->value()),
                     std::size_t(m_right->value())};
    if (s == m_spec) return;
    m_spec = s;
    emit specEdited(s);
}
