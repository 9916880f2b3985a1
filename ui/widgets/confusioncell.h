// A cell of the confusion matrix: the images of true class `trueClass` that
// the model read as `predicted`. -1 stands for any class, so {-1, -1} is
// every mistake and {3, -1} every misread 3. One definition for every view
// that a click on the matrix filters (the gallery, the image grid).
#pragma once

#include <QString>
#include <QStringList>

#include <cstddef>
#include <cstdint>
#include <vector>

struct ConfusionCell {
    int trueClass = -1;
    int predicted = -1;

    // A cell on the diagonal holds right answers; every other cell, mistakes.
    bool diagonal() const { return trueClass >= 0 && trueClass == predicted; }
    bool contains(int label, int prediction) const;
    // How many images it holds, in words: "12 × a 7 read as 1", "980 × 0
    // read right" (for a cell with both classes given).
    QString describe(std::size_t count, const QStringList& classNames) const;

    friend bool operator==(const ConfusionCell&, const ConfusionCell&) = default;
};

// Indices of the images in `cell`, in dataset order. labels and predictions
// are per image (the same length; an empty list when they differ).
std::vector<int> imagesIn(const ConfusionCell& cell, const std::vector<std::uint8_t>& labels,
                          const std::vector<std::uint8_t>& predictions);
