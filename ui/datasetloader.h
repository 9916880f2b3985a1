// Opening a dataset: the one place the workbench asks the core for data.
//
// The core's load_dataset (core/dataset.hpp) does the work when it is built;
// until then a small reader of the IDX folders stands in for it with the same
// cs::Dataset shape, so the rest of ui/ is written against the final API.
#pragma once

#include "tensor.hpp"

#ifdef CONVSCOPE_HAVE_DATASET
#include "dataset.hpp"
#else
#include <cstdint>
#include <string>
#include <vector>
namespace cs {
struct Dataset {
    std::string name;
    Tensor<float> train_images, test_images; // (n, h, w, c), values as used for training
    std::vector<std::uint8_t> train_labels, test_labels;
    std::vector<std::string> class_names;
    std::size_t classes() const { return class_names.size(); }
};
} // namespace cs
#endif

#include <QString>

#include <memory>

// "digits", "mnist", "fashion", an IDX folder or a .npz file. Throws the
// core's errors (cs::FormatError...) with a message meant for the user.
std::shared_ptr<const cs::Dataset> openDataset(const QString& spec);

// The named datasets and whether each can be opened on this machine.
struct DatasetChoice {
    QString spec;  // what openDataset takes
    QString title; // for the menu
    bool available = false;
};
std::vector<DatasetChoice> knownDatasets();
