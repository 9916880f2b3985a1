// ProbeSet: the images whose learning history the timeline follows (issue
// 16), by default the first 200 test images: few enough that a column (one
// forward of the set) takes tens of milliseconds, many enough to show which
// images are learned early, late, or learned and then forgotten.
//
//   images        (n, h, w, c), copied out of the dataset (the set outlives
//                 a dataset that is replaced while a column is computed)
//   labels        (n)
//   imageIndices  (n) example i is image imageIndices[i] of `split`
#pragma once

#include "datasplit.h"

#include "dataset.hpp"

#include <QStringList>

#include <memory>
#include <vector>

struct ProbeSet {
    static constexpr int defaultSize = 200;

    cs::Tensor<float> images;
    std::vector<std::uint8_t> labels;
    std::vector<int> imageIndices;
    DataSplit split = DataSplit::Test;
    QStringList classNames; // the dataset's, for what a view says

    int size() const { return int(labels.size()); }
    // The first `count` images of a split (fewer if it has fewer).
    static std::shared_ptr<const ProbeSet> first(const cs::Dataset& data, DataSplit split = DataSplit::Test,
                                                 int count = defaultSize);
};
