#include "confusioncell.h"

#include "classlabels.h"

#include <QCoreApplication>

bool ConfusionCell::contains(int label, int prediction) const
{
    if (trueClass >= 0 && label != trueClass) return false;
    if (predicted >= 0 && prediction != predicted) return false;
    return diagonal() || label != prediction;
}

QString ConfusionCell::describe(std::size_t count, const QStringList& classNames) const
{
    const auto tr = [](const char* text) { return QCoreApplication::translate("ConfusionCell", text); };
    return diagonal() ? tr("%1 × %2 read right").arg(count).arg(classLabel(classNames, trueClass))
                      : tr("%1 × a %2 read as %3")
                            .arg(count)
                            .arg(classLabel(classNames, trueClass), classLabel(classNames, predicted));
}

std::vector<int> imagesIn(const ConfusionCell& cell, const std::vector<std::uint8_t>& labels,
                          const std::vector<std::uint8_t>& predictions)
{
    std::vector<int> images;
    if (labels.size() != predictions.size()) return images;
    for (std::size_t i = 0; i < labels.size(); ++i)
        if (cell.contains(labels[i], predictions[i])) images.push_back(int(i));
    return images;
}
