#include "datasetloader.h"

#include "data_locations.hpp"

#include <QObject>

std::shared_ptr<const cs::Dataset> openDataset(const QString& spec)
{
    return std::make_shared<const cs::Dataset>(cs::load_dataset(spec.toStdString()));
}

std::vector<DatasetChoice> knownDatasets()
{
    auto installed = [](const char* name) { return !cs::find_installed_dataset(name).empty(); };
    return {
        // The digits are embedded in the core library: always there.
        {QStringLiteral("digits"), QObject::tr("Digits (shipped, 8,000 + 2,000)"), true},
        {QStringLiteral("mnist"), QObject::tr("MNIST (60,000 + 10,000)"), installed("mnist")},
        {QStringLiteral("fashion"), QObject::tr("Fashion-MNIST (60,000 + 10,000)"), installed("fashion-mnist")},
    };
}
