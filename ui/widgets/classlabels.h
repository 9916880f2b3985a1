// What a class is called in the window: the dataset's name for it ("Ankle
// boot", "7"), or its number when the dataset has no name for it (a model
// with more outputs than the dataset has classes).
#pragma once

#include "dataset.hpp"

#include <QString>
#include <QStringList>

// The dataset's class names, in class order.
QStringList classNames(const cs::Dataset& data);
// names[k], or k as a number when there is no such name (k < 0 included).
QString classLabel(const QStringList& names, int k);
