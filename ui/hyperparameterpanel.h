// HyperparameterPanel: learning rate, batch size, optimizer and seed. A value
// is sent (changed) when the user commits it; the learning rate is checked
// with the core's own rule first, and a refused one is reported (invalid)
// and put back.
#pragma once

#include "trainingtypes.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QSpinBox;

class HyperparameterPanel : public QWidget {
    Q_OBJECT

public:
    explicit HyperparameterPanel(QWidget* parent = nullptr);

    Hyperparameters values() const { return m_values; }
    // Shows what is in force, without emitting changed().
    void setValues(const Hyperparameters& values);
    void setModelSummary(const QString& text);

    // Parses and checks a learning rate; on failure returns false and says why.
    static bool parseLearningRate(const QString& text, double* value, QString* error);

signals:
    void changed(const Hyperparameters& values);
    void invalid(const QString& message);

private:
    void commitLearningRate();
    void commit();

    Hyperparameters m_values;
    QComboBox* m_lr = nullptr;
    QSpinBox* m_batch = nullptr;
    QComboBox* m_optimizer = nullptr;
    QSpinBox* m_seed = nullptr;
    QLabel* m_model = nullptr;
};
