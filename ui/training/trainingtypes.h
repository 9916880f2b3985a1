// The values that travel between the training worker and the window.
//
// Everything here is copied by value through queued signals: the window never
// holds a pointer into the live model (STYLE.md, "talking to the window only
// through signals carrying values").
#pragma once

#include "architecture.hpp"
#include "model_file.hpp" // cs::TrainingHistory, cs::EpochRecord, cs::RunRecord (plain structs)
#include "network.hpp"
#include "parameter_timeline.hpp"
#include "tensor.hpp"

#include <QMetaType>
#include <QString>

#include <cstdint>
#include <memory>
#include <vector>

// What the user chose in the hyperparameter form. A change applies from the
// next step, except the seed, which takes effect at the next reset.
struct Hyperparameters {
    double learningRate = 0.001;
    int batchSize = 32;
    QString optimizer = QStringLiteral("adam"); // "adam" or "sgd"
    quint64 seed = 0;

    friend bool operator==(const Hyperparameters&, const Hyperparameters&) = default;
};

// One layer's output for the pinned sample: (h, w, c) maps or (n,) units.
struct LayerOutput {
    QString name;              // Keras' name: "conv2d", "max_pooling2d_1", "dense"
    QString kind;              // "conv2d", "max_pooling2d", "flatten", "dense"...
    cs::Tensor<float> values;  // one sample, the batch axis dropped
};

// A hyperparameter change, where it took effect (drawn on the curves).
struct TrainingEvent {
    quint64 step = 0; // the change applies from step + 1
    QString text;
};

// What the window shows after some steps. Steps are counted into it between
// snapshots; the pinned sample's outputs and the kernels are fresh copies.
struct TrainingSnapshot {
    quint64 step = 0;          // steps done
    quint64 epoch = 0;         // current epoch (0-based)
    quint64 position = 0;      // samples of the current epoch already used
    quint64 epochSamples = 0;  // samples per epoch

    // The steps done since the previous snapshot: steps firstStep,
    // firstStep + 1, ... (1-based, as StepResult::step).
    quint64 firstStep = 0;
    std::vector<float> losses, accuracies;
    std::vector<quint32> epochs;
    std::vector<cs::EpochRecord> evaluations; // test evaluations since the last snapshot
    std::vector<TrainingEvent> events;

    // The pinned sample and the network's view of it.
    bool pinnedTest = false;
    int pinnedIndex = 0;
    int pinnedLabel = 0;
    cs::Tensor<float> input;            // (h, w, c)
    std::vector<LayerOutput> layers;    // one per layer
    std::vector<float> probabilities;   // softmax of the logits
    int predicted = -1;

    // Every convolution's kernels (kh, kw, c_prev, c_new), in layer order; may be empty.
    std::vector<LayerOutput> kernels;

    // The model, for the window's own passes (the drawing, the gradient
    // view): the architecture the worker trains, shared and immutable, and a
    // copy of its parameters at this step (never written again, so the
    // window reads it while the worker trains on). Each pass there brings
    // its own workspace.
    std::shared_ptr<const cs::Network<float>> network;
    std::shared_ptr<const arma::Col<float>> parameters;
    // The parameters at past steps of this run (thread-safe to read; the
    // worker records into it after every step).
    std::shared_ptr<const cs::ParameterTimeline> timeline;
    // The last step's weight gradients (zeros before a model's first step):
    // the convolutions' dW (kh, kw, c_prev, c_new), ||dW|| of every kernel.
    std::vector<LayerOutput> kernelGradients;
    std::vector<std::pair<QString, double>> gradientNorms;

    quint64 parameterCount = 0;
    double imagesPerSecond = 0; // over the last ~10 s of running
    double trainingSeconds = 0; // wall time spent running
    double runSeconds = 0;      // time this run has spent computing steps (cs::RunRecord::seconds)
    // Steps the worker has run on its own thread alone while the window drew
    // a picture, over its life (TrainingWorker::windowIdle).
    quint64 restedSteps = 0;
    bool running = false;
};

// Predictions over a whole set (the image browser marks the wrong ones).
struct SetEvaluation {
    // Which dataset it describes: the worker counts the datasets it was
    // given, as the window counts those it sent (one asked for before a
    // change of dataset must not be shown on the new images).
    quint64 datasetGeneration = 0;
    bool test = true;
    quint64 step = 0;
    double loss = 0, accuracy = 0;
    std::vector<std::uint8_t> predictions;
    std::vector<float> confidence; // probability of each predicted class
};

// The network the worker trains, said whenever it changes (Apply, a dataset
// that needs another network, a model or session opened), so that the
// Architecture dock knows what Revert goes back to.
struct ArchitectureInForce {
    cs::Architecture architecture; // names as the model has them
    QString preset;                // the preset it is ("lenet5"), or "" for a network of the user's
    // A network of the user's that the new data cannot take: the worker
    // trains the default preset instead, and the dock keeps this one, marked
    // invalid, with the reason (empty layers: nothing was set aside).
    cs::Architecture setAside;
    QString setAsideReason;
};

Q_DECLARE_METATYPE(Hyperparameters)
Q_DECLARE_METATYPE(TrainingSnapshot)
Q_DECLARE_METATYPE(SetEvaluation)
Q_DECLARE_METATYPE(cs::TrainingHistory)
Q_DECLARE_METATYPE(cs::RunRecord)
Q_DECLARE_METATYPE(std::vector<cs::RunRecord>)
Q_DECLARE_METATYPE(cs::Architecture)
Q_DECLARE_METATYPE(ArchitectureInForce)

// Registers the types above for queued connections (idempotent).
void registerTrainingTypes();

// "28x28x6" for (28, 28, 6), "120" for (120,).
QString shapeText(const cs::Shape& shape);
