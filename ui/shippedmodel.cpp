#include "shippedmodel.h"

#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>

#include <memory>
#include <stdexcept>

namespace {

const QString resourcePath = QStringLiteral(":/models/lenet5-digits.npz");

} // namespace

QString shippedModelPath()
{
    if (QFile::exists(resourcePath)) {
        // load_model reads files: give it a copy of the resource (made once).
        static std::unique_ptr<QTemporaryDir> dir;
        static QString copy;
        if (copy.isEmpty() || !QFile::exists(copy)) {
            dir = std::make_unique<QTemporaryDir>();
            const QString target = dir->filePath(QStringLiteral("lenet5-digits.npz"));
            if (dir->isValid() && QFile::copy(resourcePath, target)) copy = target;
        }
        if (!copy.isEmpty()) return copy;
    }
    const QString source = QStringLiteral(CONVSCOPE_RESOURCES_DIR "/models/lenet5-digits.npz");
    return QFileInfo::exists(source) ? source : QString();
}

cs::ModelFile loadShippedModel()
{
    const QString path = shippedModelPath();
    if (path.isEmpty()) throw std::runtime_error("ConvScope was built without its shipped model (lenet5-digits.npz)");
    return cs::load_model(path.toStdString());
}
