#include "datasplit.h"

#include <QCoreApplication>

const cs::Tensor<float>& splitImages(const cs::Dataset& data, DataSplit split)
{
    return isTest(split) ? data.test_images : data.train_images;
}

const std::vector<std::uint8_t>& splitLabels(const cs::Dataset& data, DataSplit split)
{
    return isTest(split) ? data.test_labels : data.train_labels;
}

QString splitTitle(DataSplit split)
{
    return isTest(split) ? QCoreApplication::translate("DataSplit", "Test")
                         : QCoreApplication::translate("DataSplit", "Training");
}

QString splitWord(DataSplit split)
{
    return isTest(split) ? QCoreApplication::translate("DataSplit", "test")
                         : QCoreApplication::translate("DataSplit", "training");
}
