// LayerSettings: the settings of one layer as spin boxes and combo boxes,
// only those its kind reads (cs::LayerSpec's comment):
//
//   conv2d             name, filters, kernel h x w, stride h x w, padding, activation, bias
//   max/avg pooling    name, pool h x w, stride h x w
//   dense              name, units, activation, bias
//   dropout            name, rate        activation  name, activation
//   rescaling          name, scale, offset
//   zero_padding2d     name, top, bottom, left, right
//
// Every change is said at once (valueChanged, not editingFinished), so the
// table's shapes follow as the person types.
#pragma once

#include "layer.hpp"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QSpinBox;

class LayerSettings : public QWidget {
    Q_OBJECT

public:
    explicit LayerSettings(QWidget* parent = nullptr);

    // The layer to show (without emitting anything); clear(): none chosen,
    // nothing to edit.
    void setLayer(const QString& name, const cs::LayerSpec& spec);
    void clear();
    cs::LayerSpec spec() const { return m_spec; }

    // The largest kernel, stride and margin offered (the JSON reader's limit).
    static constexpr int maxSide = 1024;

signals:
    void specEdited(const cs::LayerSpec& spec);
    void nameEdited(const QString& name);

private:
    void showRowsOf(const std::string& kind);
    void read(); // the widgets into m_spec, then specEdited

    cs::LayerSpec m_spec;
    bool m_filling = false;
    QFormLayout* m_form = nullptr;
    QLabel* m_kind = nullptr;
    QLineEdit* m_name = nullptr;
    QLabel* m_unitsLabel = nullptr;
    QSpinBox *m_units = nullptr, *m_kernelH = nullptr, *m_kernelW = nullptr, *m_strideH = nullptr, *m_strideW = nullptr;
    QLabel* m_kernelLabel = nullptr;
    QComboBox *m_padding = nullptr, *m_activation = nullptr;
    QCheckBox* m_bias = nullptr;
    QDoubleSpinBox *m_rate = nullptr, *m_scale = nullptr, *m_offset = nullptr;
    QSpinBox *m_top = nullptr, *m_bottom = nullptr, *m_left = nullptr, *m_right = nullptr;
    QWidget *m_kernelRow = nullptr, *m_strideRow = nullptr, *m_marginsRow = nullptr;
};
