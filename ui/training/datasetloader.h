// Opening a dataset: the one place the workbench asks the core for data
// (cs::load_dataset), and the list of named datasets for the File menu.
#pragma once

#include "dataset.hpp"

#include <QString>

#include <memory>
#include <vector>

// "digits", "mnist", "fashion", an IDX folder or a .npz file. Throws the
// core's errors (cs::FormatError...) with a message meant for the user.
std::shared_ptr<const cs::Dataset> openDataset(const QString& spec);

// The named datasets and whether each is installed on this machine.
struct DatasetChoice {
    QString spec;  // what openDataset takes
    QString title; // for the menu
    bool available = false;
};
std::vector<DatasetChoice> knownDatasets();
