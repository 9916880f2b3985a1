// An architecture in a few words, for a table of runs: Keras'
// model.to_json() text (as model files and runs keep it, architecture_json.hpp)
// read with Qt's JSON parser.
//
//   short:  "conv 6 5×5 same · max 2×2 · conv 16 5×5 valid · max 2×2 · dense 120 · 84 · 10"
//   layers: one line a layer, every setting that changes the numbers
#pragma once

#include <QString>

// An empty string when the text is not an architecture this app writes.
QString architectureSummary(const QString& kerasJson);
QString architectureLayers(const QString& kerasJson);
