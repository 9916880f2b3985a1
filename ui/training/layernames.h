// LayerNames: what each layer is, in words a student reads, the same in
// every view (network view, kernels, weight gradients, inspector).
//
//   Keras' name   conv2d          max_pooling2d    dense_1          dense_2
//   title         Conv 1          Pool 1           Dense 2          Output
//   detail        6 filters 5×5 · same · ReLU      max 2×2 / 2      84 · ReLU   softmax
//
// The Keras name stays the key that matches weights, gradients and files;
// the words are only what is shown. The tooltip is one sentence with the
// shape formula; the operation is what the arrow into the layer does.
#pragma once

#include "layer.hpp"
#include "tensor.hpp"

#include <QString>

#include <vector>

struct LayerName {
    QString key;       // Keras' name: "conv2d_1"
    QString title;     // "Conv 2"
    QString detail;    // "16 filters 5×5 · valid · ReLU"
    QString operation; // on the arrow into the layer: "conv 5×5"
    QString tooltip;   // one sentence, with the shape formula
    QString full() const { return detail.isEmpty() ? title : title + QStringLiteral(" \u00b7 ") + detail; }
};

// One name per layer. keys: the layers' Keras names; shapes: each layer's
// output shape (one sample); input: the input's shape. The architecture may
// be empty (names then come from the keys' kinds only).
std::vector<LayerName> nameLayers(const cs::Shape& input, const std::vector<cs::LayerSpec>& architecture,
                                  const std::vector<QString>& keys, const std::vector<QString>& kinds,
                                  const std::vector<cs::Shape>& shapes);

// The name for a Keras key among `names` (the key itself if unknown).
QString titleForKey(const std::vector<LayerName>& names, const QString& key);

// An activation as the views name it: "ReLU", "tanh", "sigmoid",
// "softmax"; empty for linear (nothing is applied).
QString activationName(cs::Activation a);
