// Colour scales for maps: how a float becomes a pixel.
//
//   Grey       black (low) to white (high): input images
//   Sequential viridis, perceptually uniform: activations (>= 0 after ReLU)
//   Diverging  blue (negative), white (0), red (positive), symmetric about 0:
//              kernels, gradients
//   Rgb        a 3-channel map shown as one colour image
#pragma once

#include <QColor>
#include <QImage>
#include <QString>

#include <vector>

enum class ColorScaleKind { Grey, Sequential, Diverging, Rgb };

struct ValueRange {
    float low = 0, high = 1;
    bool isValid() const { return high > low; }
};

class ColorScale {
public:
    explicit ColorScale(ColorScaleKind kind = ColorScaleKind::Sequential, ValueRange range = {});

    ColorScaleKind kind() const { return m_kind; }
    ValueRange range() const { return m_range; }
    QRgb color(float value) const;
    // A horizontal strip of the scale, low on the left (for colour bars).
    QImage legendImage(int width, int height) const;

    // The range that shows `values` under `kind`: [min(0, lo), max] for
    // Sequential, [-m, m] with m = max |v| for Diverging, [0, 1] or the
    // values' range for Grey/Rgb.
    static ValueRange rangeFor(ColorScaleKind kind, const float* values, std::size_t count);

private:
    ColorScaleKind m_kind;
    ValueRange m_range;
};

// A compact number for scale labels: "0", "0.25", "1.3e-04".
QString formatValue(double value);
