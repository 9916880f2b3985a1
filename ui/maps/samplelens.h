// SampleLens: what the network view shows of the pinned sample, forward or
// backward, and the drawn digit as a pinned sample.
//
// The window hands every training snapshot to the lens instead of straight
// to the network view. The lens runs the network that the snapshots share
// (read-only) on the parameter snapshots they carry, through a workspace of
// its own (a forward and backward pass of one 28x28 image take well under a
// millisecond, so this runs on the GUI thread and never waits for the
// worker). With it the lens
//   - substitutes the drawing for the worker's pinned sample when the user
//     pinned the drawing (its maps then follow training live);
//   - in gradient mode, runs cs::sample_gradients for the chosen class and
//     feeds each column of the network view dL/dA of its layer on a
//     diverging scale (blue negative, red positive), the input column the
//     saliency dL/dx.
//   - with a change view chosen, shows A - A_ref for each layer (diverging):
//     the reference is the same sample through the weights at the last
//     Reset (or load), through the weights of the previous step shown, or
//     through the weights of a step the window chose (setReference: k
//     steps before, from the timeline).
// Columns are matched by their key (the layer's Keras name), so the network
// view needs to know nothing about gradients or changes.
#pragma once

#include "gradientcompute.h"
#include "trainingtypes.h"

#include "network.hpp"

#include <QObject>
#include <QStringList>

#include <memory>
#include <vector>

class NetworkView;

class SampleLens : public QObject {
    Q_OBJECT

public:
    enum class Mode { Activations, Gradients };
    // What the activations view shows: the values, or how they changed.
    enum class Change { None, SinceReset, LastStep, SinceStep };
    // Targets below 0: the true label (the predicted class for a drawing), or
    // the predicted class; 0..k-1: that class.
    static constexpr int trueLabel = -2;
    static constexpr int predictedClass = -1;

    explicit SampleLens(NetworkView* view, QObject* parent = nullptr);
    ~SampleLens() override;

    // The network whose parameters follow (shared, never changed).
    void setNetwork(std::shared_ptr<const cs::Network<float>> network);
    // step: the training step the parameters come from (the previous step's
    // parameters are kept for "change in the last step"). False, and nothing
    // changes, unless they fit the network.
    bool setParameters(std::shared_ptr<const arma::Col<float>> parameters, quint64 step = 0);
    // The next parameters given are the reference of "change since Reset".
    void takeBaseline() { m_takeBaseline = true; }
    Change change() const { return m_change; }
    void setChange(Change change);
    // The reference of Change::SinceStep: the weights after an earlier step.
    void setReference(std::shared_ptr<const arma::Col<float>> parameters, quint64 step);
    // The steps of the reference and of the current weights of a change view.
    quint64 referenceStep() const
    {
        return m_change == Change::SinceReset ? m_baselineStep
               : m_change == Change::SinceStep ? m_referenceStep
                                               : m_previousStep;
    }
    const cs::Network<float>* network() const { return m_network.get(); }
    // The parameters the view shows (those of the last snapshot given).
    std::shared_ptr<const arma::Col<float>> parameters() const { return m_current; }
    // The buffers of the lens' last pass (a batch of one).
    const cs::Workspace<float>& workspace() const { return m_workspace; }

    // For the caption of a drawing ("read as 7").
    void setClassNames(const QStringList& names) { m_classNames = names; }

    // Shows a snapshot (substituted, with gradients as the mode says).
    void show(const TrainingSnapshot& snapshot);
    // Shows the last snapshot again (after a change of mode, target, drawing).
    void refresh();

    Mode mode() const { return m_mode; }
    void setMode(Mode mode);
    int target() const { return m_target; }
    void setTarget(int target);

    // The drawing (28, 28, 1) as the pinned sample; an empty tensor unpins it.
    void pinDrawing(const cs::Tensor<float>& image);
    void unpinDrawing();
    bool drawingPinned() const { return m_drawingPinned; }

    // What was shown last.
    const TrainingSnapshot& shown() const { return m_shown; }
    const GradientSnapshot& gradients() const { return m_gradients; }
    bool hasGradients() const { return m_gradients.target >= 0; }
    // The class the gradients were taken for, -1 if none.
    int gradientTarget() const { return m_gradients.target; }
    QString lastError() const { return m_error; }

signals:
    // After every show(): mode, target and the sample as shown.
    void shownChanged();

private:
    bool modelFits(const cs::Tensor<float>& sample) const;
    void applyGradients();
    void labelActivations();
    void captionDrawing();
    void applyChange(const cs::Tensor<float>& sample);

    NetworkView* m_view = nullptr;
    std::shared_ptr<const cs::Network<float>> m_network;
    cs::Workspace<float> m_workspace;
    Mode m_mode = Mode::Activations;
    Change m_change = Change::None;
    bool m_takeBaseline = true;
    std::shared_ptr<const arma::Col<float>> m_baseline, m_previous, m_current, m_reference;
    quint64 m_baselineStep = 0, m_previousStep = 0, m_currentStep = 0, m_referenceStep = 0;
    int m_target = trueLabel;
    bool m_drawingPinned = false;
    cs::Tensor<float> m_drawing;
    TrainingSnapshot m_raw;   // the last snapshot as it came
    TrainingSnapshot m_shown; // as it was shown
    GradientSnapshot m_gradients;
    QString m_error;
    QStringList m_classNames;
};
