// An HDF5 file opened for reading, through libhdf5's C API, with only what a
// Keras file needs: groups, text attributes and float datasets.
//
//   Hdf5File f = Hdf5File::open("lenet5.h5");
//   std::string config = f.text("/", "model_config");             // a JSON text
//   std::vector<std::string> names = f.text_list("/model_weights", "layer_names");
//   Tensor<float> w = f.floats("/model_weights/conv2d/conv2d/kernel:0", {5, 5, 1, 6});
//
// Keras writes text both ways h5py stores it: fixed-length (numpy bytes:
// Keras 2.3, and every list in tf.keras 2.x) and variable-length (str); a
// list is an array attribute, an empty one is an empty float64 array, and a
// long one is split into numbered attributes (layer_names0, layer_names1...).
// text_list reads all of these.
//
// Nothing a file says is trusted before it is checked: a text attribute over
// hdf5_max_text_bytes is refused from its type and size, before it is read;
// a dataset is read only when its shape is the one the caller expects, so
// a dataset's claimed size never drives an allocation. Every problem,
// libhdf5's own included, is a FormatError naming the file and the object;
// libhdf5 prints nothing.
#pragma once

#include "tensor.hpp"

#include <cstddef>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace cs {

// A model's JSON config is under 2 kB a layer; lists of names far less.
inline constexpr std::size_t hdf5_max_text_bytes = std::size_t(1) << 24;

class Hdf5File {
public:
    // FormatError naming the file when it is missing or not HDF5.
    static Hdf5File open(const std::filesystem::path& path);
    // An HDF5 file image in memory (a .keras zip's model.weights.h5), copied
    // into libhdf5's in-memory driver.
    static Hdf5File open_image(std::span<const std::byte> bytes, const std::string& name);
    ~Hdf5File();
    Hdf5File(Hdf5File&&) noexcept;
    Hdf5File& operator=(Hdf5File&&) = delete;
    Hdf5File(const Hdf5File&) = delete;
    Hdf5File& operator=(const Hdf5File&) = delete;

    const std::string& name() const { return name_; }

    // Whether `path` ("/model_weights/conv2d") names a group / a dataset.
    bool has_group(const std::string& path) const;
    bool has_dataset(const std::string& path) const;
    bool has_attribute(const std::string& object, const std::string& attribute) const;
    // The names of a group's members, in the file's (alphabetical) order.
    std::vector<std::string> members(const std::string& group) const;

    // A scalar text attribute (or a one-element array of text).
    std::string text(const std::string& object, const std::string& attribute) const;
    // A list of texts: the attribute itself, or its numbered parts
    // (attribute0, attribute1, ...) when Keras split it; an empty numeric
    // array is the empty list. FormatError when neither is there.
    std::vector<std::string> text_list(const std::string& object, const std::string& attribute) const;

    // The shape a dataset claims, read from its header.
    Shape dataset_shape(const std::string& path) const;
    // A float dataset (float16, 32 or 64 in the file) of exactly `shape`,
    // converted to float32.
    Tensor<float> floats(const std::string& path, const Shape& shape) const;

private:
    Hdf5File(std::int64_t file, std::string name);
    [[noreturn]] void fail_at(const std::string& object, const std::string& problem) const;
    std::vector<std::string> attribute_texts(const std::string& object, const std::string& attribute) const;

    std::int64_t file_ = -1; // hid_t
    std::string name_;
};

// Whether the file starts with HDF5's signature (Keras writes none of
// HDF5's optional user block before it).
bool has_hdf5_signature(std::span<const std::byte> first_bytes);

} // namespace cs
