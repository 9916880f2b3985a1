#include "probeset.h"

#include "classlabels.h"
#include "trainer.hpp"

#include <algorithm>
#include <numeric>

std::shared_ptr<const ProbeSet> ProbeSet::first(const cs::Dataset& data, DataSplit split, int count)
{
    auto probe = std::make_shared<ProbeSet>();
    const cs::Tensor<float>& images = splitImages(data, split);
    const std::vector<std::uint8_t>& labels = splitLabels(data, split);
    const std::size_t n = std::min(std::size_t(std::max(count, 0)), labels.size());
    if (images.rank() == 4) cs::slice_samples(images, 0, n, probe->images); // (0, h, w, c) for none
    probe->labels.assign(labels.begin(), labels.begin() + std::ptrdiff_t(n));
    probe->imageIndices.resize(n);
    std::iota(probe->imageIndices.begin(), probe->imageIndices.end(), 0);
    probe->split = split;
    probe->classNames = ::classNames(data);
    return probe;
}
