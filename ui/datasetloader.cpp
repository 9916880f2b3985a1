#include "datasetloader.h"

#include <QFileInfo>

std::shared_ptr<const cs::Dataset> openDataset(const QString& spec)
{
    return std::make_shared<const cs::Dataset>(cs::load_dataset(spec.toStdString()));
}

std::vector<DatasetChoice> knownDatasets()
{
    auto installed = [](const std::string& dir) { return QFileInfo(QString::fromStdString(dir)).isDir(); };
    return {
        // The digits are embedded in the core library: always there.
        {QStringLiteral("digits"), QObject::tr("Digits (shipped, 8,000 + 2,000)"), true},
        {QStringLiteral("mnist"), QObject::tr("MNIST (60,000 + 10,000)"), installed(cs::mnist_dir().string())},
        {QStringLiteral("fashion"), QObject::tr("Fashion-MNIST (60,000 + 10,000)"), installed(cs::fashion_mnist_dir)},
    };
}
