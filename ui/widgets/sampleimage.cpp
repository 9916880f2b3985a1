#include "sampleimage.h"

#include <algorithm>
#include <cmath>

QImage sampleImage(const cs::Tensor<float>& t, std::size_t index)
{
    const int h = int(t.dim(1)), w = int(t.dim(2)), c = int(t.dim(3));
    const float* p = t.data() + index * std::size_t(h * w * c);
    QImage img(w, h, QImage::Format_RGB32);
    const auto byte = [](float v) { return int(std::lround(std::clamp(v, 0.0f, 1.0f) * 255)); };
    for (int y = 0; y < h; ++y) {
        auto* line = reinterpret_cast<QRgb*>(img.scanLine(y));
        for (int x = 0; x < w; ++x) {
            const float* q = p + (y * w + x) * c;
            line[x] = c >= 3 ? qRgb(byte(q[0]), byte(q[1]), byte(q[2])) : qRgb(byte(q[0]), byte(q[0]), byte(q[0]));
        }
    }
    return img;
}
