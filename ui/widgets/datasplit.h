// Which of a dataset's two sets: the images trained on, or the test images
// held out from training. The worker's messages carry it as `bool test`
// (TrainingSnapshot::pinnedTest, SetEvaluation::test); the views choose
// images, labels and words through these helpers.
#pragma once

#include "dataset.hpp"

#include <QString>

#include <cstdint>
#include <vector>

enum class DataSplit { Training, Test };

constexpr DataSplit splitOf(bool test)
{
    return test ? DataSplit::Test : DataSplit::Training;
}
constexpr bool isTest(DataSplit split)
{
    return split == DataSplit::Test;
}

// The split's images (n, h, w, c) and labels (n,).
const cs::Tensor<float>& splitImages(const cs::Dataset& data, DataSplit split);
const std::vector<std::uint8_t>& splitLabels(const cs::Dataset& data, DataSplit split);

// "Training" or "Test", to begin a sentence ("Test image #12"); splitWord
// is the same inside one ("51 of 2000 test images misread").
QString splitTitle(DataSplit split);
QString splitWord(DataSplit split);
