#include "layernames.h"

#include "trainingtypes.h"

#include <QCoreApplication>

#include <map>

namespace {

QString tr(const char* text)
{
    return QCoreApplication::translate("LayerNames", text);
}

QString times(std::size_t a, std::size_t b)
{
    return QStringLiteral("%1\u00d7%2").arg(a).arg(b);
}

// "28x28x6" as "28×28×6".
QString shapeWords(const cs::Shape& s)
{
    return shapeText(s).replace(QLatin1Char('x'), QChar(0x00d7));
}

// "2" for (2, 2), "2×1" otherwise.
QString strideWords(const cs::Stride& s)
{
    return s.h == s.w ? QString::number(s.h) : times(s.h, s.w);
}

// Layers that learn nothing and keep the count of values (or pad them): a
// title in words for Keras' kind; empty for a kind not known here.
QString plainTitle(const QString& kind)
{
    if (kind == QLatin1String("dropout")) return tr("Dropout");
    if (kind == QLatin1String("activation")) return tr("Activation");
    if (kind == QLatin1String("relu")) return tr("ReLU");
    if (kind == QLatin1String("rescaling")) return tr("Rescaling");
    if (kind == QLatin1String("zero_padding2d")) return tr("Zero padding");
    return {};
}

} // namespace

std::vector<LayerName> nameLayers(const cs::Shape& input, const std::vector<cs::LayerSpec>& architecture,
                                  const std::vector<QString>& keys, const std::vector<QString>& kinds,
                                  const std::vector<cs::Shape>& shapes)
{
    std::vector<LayerName> out;
    int convs = 0, pools = 0, denses = 0;
    std::map<QString, int> others; // counts of the other kinds, for "Dropout 2"
    const std::size_t n = keys.size();
    // The last dense layer is the output (softmax fused with the loss).
    std::size_t lastDense = n;
    for (std::size_t i = 0; i < n; ++i)
        if (kinds[i] == QLatin1String("dense")) lastDense = i;
    cs::Shape in = input;
    for (std::size_t i = 0; i < n; ++i) {
        LayerName name;
        name.key = keys[i];
        const QString& kind = kinds[i];
        const cs::LayerSpec spec = i < architecture.size() ? architecture[i] : cs::LayerSpec{kind.toStdString()};
        const cs::Shape outShape = i < shapes.size() ? shapes[i] : cs::Shape{};
        const QString act = activationName(spec.activation);
        const std::size_t hIn = in.rank() == 3 ? in[0] : 0;
        const std::size_t hOut = outShape.rank() == 3 ? outShape[0] : 0;
        if (kind == QLatin1String("conv2d")) {
            name.title = tr("Conv %1").arg(++convs);
            const bool same = spec.padding == cs::Padding::same;
            QStringList parts{tr("%1 filters %2").arg(spec.units).arg(times(spec.kernel.h, spec.kernel.w)),
                              same ? tr("same") : tr("valid")};
            if (spec.stride.h != 1 || spec.stride.w != 1) parts << tr("stride %1").arg(strideWords(spec.stride));
            if (!act.isEmpty()) parts << act;
            name.detail = parts.join(QStringLiteral(" \u00b7 "));
            name.operation = tr("conv %1").arg(times(spec.kernel.h, spec.kernel.w));
            const QString formula =
                same ? tr("h_out = ceil(h_in / stride) = ceil(%1 / %2) = %3").arg(hIn).arg(spec.stride.h).arg(hOut)
                     : tr("h_out = floor((h_in \u2212 k) / stride) + 1 = floor((%1 \u2212 %2) / %3) + 1 = %4")
                           .arg(hIn)
                           .arg(spec.kernel.h)
                           .arg(spec.stride.h)
                           .arg(hOut);
            name.tooltip = tr("Each of %1 filters slides a %2\u00d7%3 window of weights over all %4 input maps and "
                              "adds it up into one map%5 (%6 padding); %7 \u2192 %8.")
                               .arg(spec.units)
                               .arg(spec.kernel.h)
                               .arg(spec.kernel.w)
                               .arg(in.rank() == 3 ? in[2] : 1)
                               .arg(act.isEmpty() ? QString() : tr(", then %1 keeps the positive part").arg(act))
                               .arg(same ? tr("zero") : tr("no"))
                               .arg(formula, shapeWords(outShape));
        } else if (kind == QLatin1String("max_pooling2d") || kind == QLatin1String("average_pooling2d")) {
            const bool max = kind == QLatin1String("max_pooling2d");
            name.title = tr("Pool %1").arg(++pools);
            name.detail = tr("%1 %2 / %3").arg(max ? tr("max") : tr("average"), times(spec.kernel.h, spec.kernel.w), strideWords(spec.stride));
            name.operation = max ? tr("max %1").arg(times(spec.kernel.h, spec.kernel.w))
                                 : tr("avg %1").arg(times(spec.kernel.h, spec.kernel.w));
            name.tooltip = tr("Keeps the %1 of each %2\u00d7%3 window, moving %4 at a time: every map shrinks, "
                              "h_out = floor((h_in \u2212 k) / stride) + 1 = floor((%5 \u2212 %2) / %4) + 1 = %6 (%7).")
                               .arg(max ? tr("largest value") : tr("average"))
                               .arg(spec.kernel.h)
                               .arg(spec.kernel.w)
                               .arg(spec.stride.h)
                               .arg(hIn)
                               .arg(hOut)
                               .arg(shapeWords(outShape));
        } else if (kind == QLatin1String("flatten")) {
            name.title = tr("Flatten");
            name.detail = QString::number(outShape.elements());
            name.operation = tr("flatten");
            name.tooltip = tr("Lays the maps out as one column of %1 numbers (%2), nothing learnt.")
                               .arg(outShape.elements())
                               .arg(shapeWords(in));
        } else if (kind == QLatin1String("dense") && i == lastDense) {
            name.title = tr("Output");
            name.detail = tr("softmax");
            name.operation = tr("dense");
            name.tooltip = tr("One unit per class, each a weighted sum of all %1 inputs; softmax turns them into "
                              "probabilities that add up to 1.")
                               .arg(in.elements());
        } else if (kind == QLatin1String("dense")) {
            name.title = tr("Dense %1").arg(++denses);
            name.detail = act.isEmpty() ? QString::number(spec.units) : tr("%1 \u00b7 %2").arg(spec.units).arg(act);
            name.operation = tr("dense");
            name.tooltip = tr("%1 units, each a weighted sum of all %2 inputs plus a bias%3: %2 \u2192 %1.")
                               .arg(spec.units)
                               .arg(in.elements())
                               .arg(act.isEmpty() ? QString() : tr(", then %1").arg(act));
        } else {
            // Any other kind (dropout, activation, rescaling, padding, and
            // kinds to come): its kind in words, numbered when it repeats,
            // its Keras name and what it does to the shape.
            const QString words = plainTitle(kind);
            const int count = ++others[kind];
            name.title = words.isEmpty() ? kind : count > 1 ? tr("%1 %2").arg(words).arg(count) : words;
            name.detail = keys[i];
            name.operation = words.isEmpty() ? kind : words.toLower();
            name.tooltip = kind == QLatin1String("dropout")
                               ? tr("Sets a random part of its inputs to 0 while training (and scales the rest up); "
                                    "off here, as in every prediction: %1 \u2192 %2.")
                                     .arg(shapeWords(in), shapeWords(outShape))
                               : tr("A %1 layer: %2 \u2192 %3, nothing learnt.").arg(words.isEmpty() ? kind : words,
                                                                                   shapeWords(in), shapeWords(outShape));
        }
        name.tooltip += tr(" (Keras name: %1)").arg(keys[i]);
        out.push_back(name);
        if (outShape.rank() > 0) in = outShape;
    }
    return out;
}

QString titleForKey(const std::vector<LayerName>& names, const QString& key)
{
    for (const LayerName& n : names)
        if (n.key == key) return n.title;
    return key;
}

QString activationName(cs::Activation a)
{
    switch (a) {
    case cs::Activation::relu: return QStringLiteral("ReLU");
    case cs::Activation::tanh: return QStringLiteral("tanh");
    case cs::Activation::sigmoid: return QStringLiteral("sigmoid");
    case cs::Activation::softmax: return QStringLiteral("softmax");
    case cs::Activation::linear: return {};
    }
    return {};
}
