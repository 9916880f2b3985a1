#include "datasetloader.h"

#include "errors.hpp"

#include <QDir>
#include <QFileInfo>

#ifndef CONVSCOPE_HAVE_DATASET
#include "idx.hpp"
#include "npy.hpp"

#include <filesystem>
#endif

namespace {

QString resourcesDir()
{
    return QStringLiteral(CONVSCOPE_RESOURCES_DIR);
}

// Where the named datasets live when they are installed.
QString namedFolder(const QString& spec)
{
    if (spec == QLatin1String("digits")) return resourcesDir() + QStringLiteral("/digits");
#ifdef CONVSCOPE_HAVE_DATASET
    if (spec == QLatin1String("mnist")) return QString::fromStdString(cs::mnist_dir().string());
    if (spec == QLatin1String("fashion")) return QString::fromLatin1(cs::fashion_mnist_dir);
#else
    if (spec == QLatin1String("mnist")) return resourcesDir() + QStringLiteral("/../data/mnist");
    if (spec == QLatin1String("fashion")) return QStringLiteral("/usr/share/datasets/fashion-mnist");
#endif
    return {};
}

#ifndef CONVSCOPE_HAVE_DATASET
// (n, h, w) bytes -> (n, h, w, 1) floats in [0, 1] (DESIGN.md: uint8 / 255).
cs::Tensor<float> imagesFromIdx(const cs::IdxArray& a, const std::string& name)
{
    if (a.shape.rank() != 3) throw cs::FormatError(name + ": expected images (n, h, w), found " + a.shape.str());
    cs::Tensor<float> t({a.shape[0], a.shape[1], a.shape[2], 1});
    for (std::size_t i = 0; i < a.bytes.size(); ++i) t.data()[i] = float(a.bytes[i]) / 255.0f;
    return t;
}

std::vector<std::uint8_t> labelsFromIdx(const cs::IdxArray& a, const std::string& name)
{
    if (a.shape.rank() != 1) throw cs::FormatError(name + ": expected labels (n,), found " + a.shape.str());
    return a.bytes;
}

cs::Dataset readIdxFolder(const QString& folder, const std::string& name)
{
    const QDir dir(folder);
    auto find = [&](const QString& stem) {
        for (const QString& f : {stem, stem + QStringLiteral(".gz")})
            if (dir.exists(f)) return dir.filePath(f).toStdString();
        throw cs::FormatError(folder.toStdString() + ": no " + stem.toStdString() + "(.gz) in this folder");
    };
    cs::Dataset d;
    d.name = name;
    const std::string tri = find(QStringLiteral("train-images-idx3-ubyte"));
    const std::string trl = find(QStringLiteral("train-labels-idx1-ubyte"));
    const std::string tei = find(QStringLiteral("t10k-images-idx3-ubyte"));
    const std::string tel = find(QStringLiteral("t10k-labels-idx1-ubyte"));
    d.train_images = imagesFromIdx(cs::read_idx(tri), tri);
    d.train_labels = labelsFromIdx(cs::read_idx(trl), trl);
    d.test_images = imagesFromIdx(cs::read_idx(tei), tei);
    d.test_labels = labelsFromIdx(cs::read_idx(tel), tel);
    return d;
}

cs::Dataset readNpz(const QString& path)
{
    const auto arrays = cs::read_npz(path.toStdString());
    auto get = [&](const char* key) -> const cs::NpyArray& {
        const auto it = arrays.find(key);
        if (it == arrays.end())
            throw cs::FormatError(path.toStdString() + ": no array " + key + " (expected X_train, Y_train, X_test, Y_test)");
        return it->second;
    };
    auto images = [&](const char* key) {
        const cs::NpyArray& a = get(key);
        cs::Tensor<float> t = cs::to_float_tensor(a);
        if (a.dtype == "u1") t.flat() /= 255.0f;
        if (t.rank() == 3) t.reshape({t.dim(0), t.dim(1), t.dim(2), 1});
        if (t.rank() != 4) throw cs::FormatError(a.name + ": expected images (n, h, w[, c]), found " + t.shape().str());
        return t;
    };
    auto labels = [&](const char* key) {
        std::vector<std::uint8_t> out;
        for (std::int64_t y : cs::to_labels(get(key))) {
            if (y < 0 || y > 255) throw cs::FormatError(path.toStdString() + ": label " + std::to_string(y) + " out of range");
            out.push_back(std::uint8_t(y));
        }
        return out;
    };
    cs::Dataset d;
    d.name = QFileInfo(path).fileName().toStdString();
    d.train_images = images("X_train");
    d.train_labels = labels("Y_train");
    d.test_images = images("X_test");
    d.test_labels = labels("Y_test");
    return d;
}

cs::Dataset loadFallback(const QString& spec)
{
    cs::Dataset d;
    const QString named = namedFolder(spec);
    if (!named.isEmpty()) {
        if (!QFileInfo(named).isDir()) throw cs::FormatError(spec.toStdString() + ": not installed (" + named.toStdString() + ")");
        d = readIdxFolder(named, spec.toStdString());
    } else if (QFileInfo(spec).isDir()) {
        d = readIdxFolder(spec, QFileInfo(spec).fileName().toStdString());
    } else if (spec.endsWith(QLatin1String(".npz"), Qt::CaseInsensitive)) {
        d = readNpz(spec);
    } else {
        throw cs::FormatError(spec.toStdString() + ": not a dataset (expected an IDX folder or a .npz file)");
    }
    if (d.train_images.dim(0) != d.train_labels.size() || d.test_images.dim(0) != d.test_labels.size())
        throw cs::FormatError(spec.toStdString() + ": the numbers of images and labels differ");
    std::uint8_t top = 0;
    for (auto y : d.train_labels) top = std::max(top, y);
    for (auto y : d.test_labels) top = std::max(top, y);
    static const char* fashion[] = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"};
    for (int k = 0; k <= top; ++k)
        d.class_names.push_back(spec == QLatin1String("fashion") && k < 10 ? fashion[k] : std::to_string(k));
    return d;
}
#endif

} // namespace

std::shared_ptr<const cs::Dataset> openDataset(const QString& spec)
{
#ifdef CONVSCOPE_HAVE_DATASET
    return std::make_shared<const cs::Dataset>(cs::load_dataset(spec.toStdString()));
#else
    return std::make_shared<const cs::Dataset>(loadFallback(spec));
#endif
}

std::vector<DatasetChoice> knownDatasets()
{
    std::vector<DatasetChoice> out;
    const std::pair<const char*, const char*> named[] = {
        {"digits", "Digits (shipped, 8,000 + 2,000)"},
        {"mnist", "MNIST (60,000 + 10,000)"},
        {"fashion", "Fashion-MNIST (60,000 + 10,000)"},
    };
    for (const auto& [spec, title] : named) {
        const QString s = QString::fromLatin1(spec);
        // The digits are embedded in the core library: always there.
        const bool available = s == QLatin1String("digits") || QFileInfo(namedFolder(s)).isDir();
        out.push_back({s, QString::fromLatin1(title), available});
    }
    return out;
}
