// LearningHistoryPanel: the Learning History dock (issue 16). For a probe
// set (the first 200 test images), whether the network read each one right,
// and how surely, at each kept step of the timeline: an ExampleHistoryView
// over an ExampleHistoryModel, with what is being computed.
//
// The window hands it the dataset and each model it shows (network and
// timeline); the panel brings its history up to date only while it is in
// sight (isSeen: not behind another dock's tab): when shown or painted
// again, and then every couple of seconds (the model computes only the
// columns it lacks, off the GUI thread). A click on a cell says
// exampleChosen: the window pins that image and goes to that step.
#pragma once

#include "network.hpp"
#include "parameter_timeline.hpp"

#include <QWidget>

#include <memory>

namespace cs {
struct Dataset;
}

class ExampleHistoryModel;
class ExampleHistoryView;
class LiveLabel;
class CatchUp;
class QTimer;

class LearningHistoryPanel : public QWidget {
    Q_OBJECT

public:
    explicit LearningHistoryPanel(QWidget* parent = nullptr);

    // The probe set: its first 200 test images.
    void setDataset(const std::shared_ptr<const cs::Dataset>& dataset);
    // The model shown: a new network or timeline starts the history again.
    void setModel(std::shared_ptr<const cs::Network<float>> network,
                  std::shared_ptr<const cs::ParameterTimeline> timeline);
    // The step the other views show (marked on the grid).
    void setCurrentStep(quint64 step);

    ExampleHistoryModel* model() const { return m_model; }
    ExampleHistoryView* view() const { return m_view; }

signals:
    // Test image `index` at kept step `step`.
    void exampleChosen(int index, quint64 step);

protected:
    void showEvent(QShowEvent* event) override;

private:
    void update();

    ExampleHistoryModel* m_model = nullptr;
    ExampleHistoryView* m_view = nullptr;
    LiveLabel* m_status = nullptr;
    QTimer* m_refresh = nullptr;
    CatchUp* m_catchUp = nullptr; // out of sight: the refresh stopped until it is painted again
    std::shared_ptr<const cs::Network<float>> m_network;
    std::shared_ptr<const cs::ParameterTimeline> m_timeline;
};
