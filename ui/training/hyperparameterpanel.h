// HyperparameterPanel: learning rate, batch size, optimizer and seed. A value
// is sent (changed) when the user commits it; the learning rate is checked
// with the core's own rule first, and a refused one is reported (invalid)
// and put back.
//
// The learning rate is a plain line edit (an editable combo box completed
// "0" to "0.3" from its list); the usual values are in a menu beside it.
// Any finite rate >= 0 is taken: 0 with a note that nothing will learn, a
// very large one with a warning.
#pragma once

#include "trainingtypes.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
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
    // What to say about a rate that is taken ("" for a usual one).
    static QString learningRateNote(double lr, const QString& optimizer);
    // A number as people write it: 0.3, 0.001, 3e-05 (not 0.300000).
    static QString plainNumber(double value);

signals:
    void changed(const Hyperparameters& values);
    void invalid(const QString& message);

private:
    void commitLearningRate();
    void commit();

    Hyperparameters m_values;
    void showLearningRateNote();

    QLineEdit* m_lr = nullptr;
    QLabel* m_lrNote = nullptr;
    QSpinBox* m_batch = nullptr;
    QComboBox* m_optimizer = nullptr;
    QSpinBox* m_seed = nullptr;
    QLabel* m_model = nullptr;
};
