#include "architecturesummary.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringList>

namespace {

QJsonArray layersOf(const QString& kerasJson)
{
    const QJsonDocument doc = QJsonDocument::fromJson(kerasJson.toUtf8());
    return doc.object().value(QStringLiteral("config")).toObject().value(QStringLiteral("layers")).toArray();
}

// "5×5" for [5, 5] (or 5), "" when absent.
QString pair(const QJsonValue& v)
{
    if (v.isArray() && v.toArray().size() == 2)
        return QStringLiteral("%1\u00d7%2").arg(v.toArray().at(0).toInt()).arg(v.toArray().at(1).toInt());
    if (v.isDouble()) return QStringLiteral("%1\u00d7%1").arg(v.toInt());
    return {};
}

struct Layer {
    QString className;
    QJsonObject config;
    QString text(const QString& key) const { return config.value(key).toString(); }
};

// A layer's words; `full` adds what the short form leaves to the default
// (strides equal to the window, relu, a dense layer's activation).
QString describe(const Layer& l, bool full)
{
    const QString activation = l.text(QStringLiteral("activation"));
    const auto withActivation = [&](QString s, const QString& usual) {
        if (!activation.isEmpty() && (full || activation != usual)) s += QLatin1Char(' ') + activation;
        return s;
    };
    if (l.className == QLatin1String("Conv2D")) {
        QString s = QStringLiteral("conv %1 %2 %3")
                        .arg(l.config.value(QStringLiteral("filters")).toInt())
                        .arg(pair(l.config.value(QStringLiteral("kernel_size"))), l.text(QStringLiteral("padding")));
        const QString strides = pair(l.config.value(QStringLiteral("strides")));
        if (full || (!strides.isEmpty() && strides != QStringLiteral("1\u00d71"))) s += QStringLiteral(" stride ") + strides;
        return withActivation(s, QStringLiteral("relu"));
    }
    if (l.className == QLatin1String("MaxPooling2D") || l.className == QLatin1String("AveragePooling2D")) {
        const QString window = pair(l.config.value(QStringLiteral("pool_size")));
        QString s = (l.className.startsWith(QLatin1String("Max")) ? QStringLiteral("max ") : QStringLiteral("avg ")) + window;
        const QString strides = pair(l.config.value(QStringLiteral("strides")));
        if (full || (!strides.isEmpty() && strides != window)) s += QStringLiteral(" stride ") + strides;
        return s;
    }
    if (l.className == QLatin1String("Dense"))
        return withActivation(QStringLiteral("dense %1").arg(l.config.value(QStringLiteral("units")).toInt()),
                              full ? QString() : activation);
    if (l.className == QLatin1String("Dropout"))
        return QStringLiteral("dropout %1").arg(l.config.value(QStringLiteral("rate")).toDouble());
    if (l.className == QLatin1String("Flatten")) return full ? QStringLiteral("flatten") : QString();
    if (l.className == QLatin1String("InputLayer")) {
        if (!full) return {};
        QJsonArray shape = l.config.value(QStringLiteral("batch_input_shape")).toArray();
        if (shape.isEmpty()) shape = l.config.value(QStringLiteral("batch_shape")).toArray();
        QStringList dims;
        for (qsizetype i = 1; i < shape.size(); ++i) dims << QString::number(shape.at(i).toInt());
        return QStringLiteral("input %1").arg(dims.join(QStringLiteral("\u00d7")));
    }
    return withActivation(l.className.toLower(), QString());
}

std::vector<Layer> parse(const QString& kerasJson)
{
    std::vector<Layer> out;
    for (const QJsonValue& v : layersOf(kerasJson)) {
        const QJsonObject o = v.toObject();
        out.push_back({o.value(QStringLiteral("class_name")).toString(), o.value(QStringLiteral("config")).toObject()});
    }
    return out;
}

} // namespace

QString architectureSummary(const QString& kerasJson)
{
    QStringList words;
    bool lastWasDense = false;
    for (const Layer& l : parse(kerasJson)) {
        const QString d = describe(l, false);
        if (d.isEmpty()) continue;
        // Dense layers in a row read as their widths: "dense 120 · 84 · 10".
        const bool dense = l.className == QLatin1String("Dense");
        words << (dense && lastWasDense ? d.mid(6) : d);
        lastWasDense = dense;
    }
    return words.join(QStringLiteral(" \u00b7 "));
}

QString architectureLayers(const QString& kerasJson)
{
    QStringList lines;
    for (const Layer& l : parse(kerasJson)) {
        const QString name = l.text(QStringLiteral("name"));
        const QString d = describe(l, true);
        lines << (name.isEmpty() ? d : QStringLiteral("%1: %2").arg(name, d));
    }
    return lines.join(QLatin1Char('\n'));
}
