// A labelled image data set, split into training and test images.
//
// Images are (n, h, w, c) floats, NHWC as everywhere in the core. Pixel rule
// (DESIGN.md): uint8 pixels are divided by 255, float pixels are used as they
// are; nothing is centred or standardised. Labels are class indices 0..k-1
// (k = classes() >= 2, at most 256).
//
// Where they come from (load_dataset's spec):
//   "digits"   the 8,000 + 2,000 MNIST digits embedded in the library
//   "mnist"    the full MNIST (60,000 + 10,000), installed in one of the
//              folders of data_locations.hpp (scripts/fetch_mnist.sh puts it
//              in ~/.local/share/convscope/mnist, the .deb in /usr/share)
//   "fashion"  Fashion-MNIST, in the same folders (as fashion-mnist/) or from
//              Debian's dataset-fashion-mnist package
//   a folder   IDX files train-images-idx3-ubyte, train-labels-idx1-ubyte,
//              t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte, each plain or .gz
//   a .npz     X_train, Y_train, X_test, Y_test (X_valid, Y_valid ignored);
//              images (n, h, w), (n, h, w, c) or (n, h*w) with h = w, as f4,
//              f8 (finite) or u1; labels integer (n,) or one-hot (n, k)
// A data set that is known but not installed throws DatasetNotInstalled (a
// FormatError) whose message says how to install it.
//
// Sizes are judged from the headers, before any image is read or allocated:
// a file whose images are over the limits below is a FormatError that names
// it, however small it is on disk (deflated zeros shrink a thousandfold).
// Members of an .npz other than the four are not read at all.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "tensor.hpp"

namespace cs {

// What a data set may hold. The images are trained on as they are, by
// LeNet-5 (whose first dense layer grows with h*w: 30 million weights for
// 512x512 images) and by models of the same kind; 28x28 is 784 values, 32x32x3
// is 3,072.
inline constexpr std::size_t dataset_max_image_values = std::size_t(1) << 18; // h*w*c: 512x512x1, 295x295x3
// All images of both splits, as float32 in memory: 2^30 values are 4 GiB
// (MNIST's 70,000 digits are 55 million).
inline constexpr std::size_t dataset_max_values = std::size_t(1) << 30;
// Labels of one split: n for (n,) labels, n*k for one-hot (n, k).
inline constexpr std::size_t dataset_max_label_values = std::size_t(1) << 26;

struct Dataset {
    std::string name;
    Tensor<float> train_images, test_images; // (n, h, w, c)
    std::vector<std::uint8_t> train_labels, test_labels;
    std::vector<std::string> class_names;    // one per class, "0".."9" for digits

    std::size_t classes() const { return class_names.size(); }
};

class DatasetNotInstalled : public FormatError {
public:
    using FormatError::FormatError;
};

Dataset load_dataset(const std::string& spec);
// The digits embedded in the library.
Dataset load_digits();
Dataset load_idx_folder(const std::filesystem::path& folder);
Dataset load_npz_dataset(const std::filesystem::path& path);
// An .npz data set held in memory; `name` is used in messages and as its name.
Dataset load_npz_dataset_bytes(std::span<const std::byte> bytes, const std::string& name);

} // namespace cs
