#include "trainingtypes.h"

#include <QStringList>

void registerTrainingTypes()
{
    qRegisterMetaType<Hyperparameters>();
    qRegisterMetaType<TrainingSnapshot>();
    qRegisterMetaType<SetEvaluation>();
    qRegisterMetaType<cs::TrainingHistory>();
    qRegisterMetaType<cs::RunRecord>();
    qRegisterMetaType<std::vector<cs::RunRecord>>();
    qRegisterMetaType<cs::Architecture>();
    qRegisterMetaType<ArchitectureInForce>();
}

QString shapeText(const cs::Shape& shape)
{
    QStringList dims;
    for (std::size_t i = 0; i < shape.rank(); ++i) dims << QString::number(shape[i]);
    return dims.join(QLatin1Char('x'));
}
