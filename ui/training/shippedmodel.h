// The model shipped with ConvScope, as the window names it. The model itself
// is compiled into the core (cs::load_shipped_model, shipped_model.hpp).
#pragma once

#include "shipped_model.hpp"

#include <QString>

// What the window passes to the worker to open the shipped model: the name
// cs::open_model knows it by.
inline QString shippedModelPath() { return QString::fromLatin1(cs::shipped_model_name); }

// The model file; FormatError (cs) if this build holds none.
inline cs::ModelFile loadShippedModel() { return cs::load_shipped_model(); }
