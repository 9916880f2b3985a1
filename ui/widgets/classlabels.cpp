#include "classlabels.h"

QStringList classNames(const cs::Dataset& data)
{
    QStringList names;
    names.reserve(qsizetype(data.class_names.size()));
    for (const std::string& name : data.class_names) names << QString::fromStdString(name);
    return names;
}

QString classLabel(const QStringList& names, int k)
{
    return k >= 0 && k < names.size() ? names[k] : QString::number(k);
}
