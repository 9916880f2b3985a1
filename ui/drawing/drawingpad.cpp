#include "drawingpad.h"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QTabletEvent>

#include <algorithm>
#include <cmath>

namespace {

QPointF midpoint(const QPointF& a, const QPointF& b) { return (a + b) / 2; }

} // namespace

DrawingPad::DrawingPad(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("drawingPad"));
    setFocusPolicy(Qt::StrongFocus);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setCursor(Qt::CrossCursor);
    setToolTip(tr("Draw a digit. Esc clears, Ctrl+Z takes back the last stroke."));
    QSizePolicy policy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    policy.setHeightForWidth(true);
    setSizePolicy(policy);
    m_tick.setSingleShot(true);
    m_tick.setInterval(16);
    connect(&m_tick, &QTimer::timeout, this, &DrawingPad::flush);
}

void DrawingPad::setStrokeWidth(double width)
{
    width = std::clamp(width, 1.0, 80.0);
    if (width == m_strokeWidth) return;
    m_strokeWidth = width;
}

QRect DrawingPad::sheetRect() const
{
    const int side = std::max(1, std::min(width(), height()));
    return QRect((width() - side) / 2, (height() - side) / 2, side, side);
}

QPointF DrawingPad::toSheet(const QPointF& widgetPos) const
{
    const QRect r = sheetRect();
    return {(widgetPos.x() - r.x()) / r.width(), (widgetPos.y() - r.y()) / r.height()};
}

std::vector<float> DrawingPad::grayLevels() const
{
    const QImage gray = m_image.convertToFormat(QImage::Format_Grayscale8);
    const int w = gray.width(), h = gray.height();
    std::vector<float> v(std::size_t(w) * std::size_t(h));
    for (int r = 0; r < h; ++r) {
        const uchar* line = gray.constScanLine(r);
        for (int c = 0; c < w; ++c) v[std::size_t(r) * std::size_t(w) + std::size_t(c)] = float(line[c]) / 255.0f;
    }
    return v;
}

void DrawingPad::addStroke(const std::vector<QPointF>& points, double width)
{
    if (points.empty()) return;
    Stroke s;
    s.points = points;
    s.pressures.assign(points.size(), 1.0);
    s.width = width > 0 ? width : m_strokeWidth;
    s.finished = true;
    m_strokes.push_back(std::move(s));
    updateImageRect(paintPieces(m_strokes.back(), 0, m_strokes.back().points.size() + 1));
    changed();
}

void DrawingPad::clear()
{
    const bool had = !m_strokes.empty() || m_drawing;
    m_strokes.clear();
    m_drawing = false;
    redraw();
    if (had) changed();
}

void DrawingPad::undo()
{
    if (m_strokes.empty()) return;
    m_strokes.pop_back();
    m_drawing = false;
    redraw();
    changed();
}

void DrawingPad::flush()
{
    m_tick.stop();
    if (m_image.isNull()) redraw();
    const std::vector<float> gray = m_strokes.empty() ? std::vector<float>{} : grayLevels();
    if (m_strokes.empty()) {
        m_digit = cs::DigitImage{};
        m_digit.image = cs::Tensor<float>(cs::Shape{1, cs::mnist_side, cs::mnist_side, 1});
    } else {
        m_digit = cs::mnist_from_drawing(gray.data(), std::size_t(m_image.height()), std::size_t(m_image.width()),
                                         cs::Ink::dark);
    }
    update(); // the ink's box moved
    emit drawingChanged(m_image);
    emit digitChanged(m_digit);
}

void DrawingPad::changed()
{
    if (!m_tick.isActive()) m_tick.start();
}

// ---- painting ---------------------------------------------------------------

QRectF DrawingPad::paintPieces(const Stroke& s, std::size_t from, std::size_t to)
{
    if (m_image.isNull() || s.points.empty()) return {};
    const std::size_t n = s.points.size();
    to = std::min(to, s.finished ? n + 1 : n);
    if (s.finished && n == 1) to = std::min<std::size_t>(to, 1); // a dot has no tail
    if (from >= to) return {};

    const double side = m_image.width() / m_image.devicePixelRatio();
    const double dpr = m_image.devicePixelRatio();
    QPainter p(&m_image);
    p.setRenderHint(QPainter::Antialiasing);
    p.scale(side, side); // sheet coordinates from here on
    const auto penWidth = [&](double pressure) { return s.width / sheetUnits * (0.25 + 0.75 * pressure); };
    QRectF dirty;
    const auto grow = [&](std::initializer_list<QPointF> pts, double w) {
        QRectF r(*pts.begin(), QSizeF(0, 0));
        for (const QPointF& q : pts) r |= QRectF(q, QSizeF(0, 0));
        dirty |= r.normalized().adjusted(-w, -w, w, w);
    };
    for (std::size_t k = from; k < to; ++k) {
        if (k == 0) {
            const double w = penWidth(s.pressures[0]);
            p.setPen(Qt::NoPen);
            p.setBrush(Qt::black);
            p.drawEllipse(s.points[0], w / 2, w / 2);
            grow({s.points[0]}, w);
            continue;
        }
        QPainterPath path;
        double w = 0;
        if (k < n) {
            // From the previous midpoint (or the first point) to the midpoint of
            // points k-1 and k, bending through point k-1.
            const QPointF start = k == 1 ? s.points[0] : midpoint(s.points[k - 2], s.points[k - 1]);
            const QPointF end = midpoint(s.points[k - 1], s.points[k]);
            path.moveTo(start);
            if (k == 1) path.lineTo(end);
            else path.quadTo(s.points[k - 1], end);
            w = penWidth((s.pressures[k - 1] + s.pressures[k]) / 2);
            grow({start, s.points[k - 1], end}, w);
        } else {
            // The tail: the last midpoint to the last point.
            const QPointF start = n == 1 ? s.points[0] : midpoint(s.points[n - 2], s.points[n - 1]);
            path.moveTo(start);
            path.lineTo(s.points[n - 1]);
            w = penWidth(s.pressures[n - 1]);
            grow({start, s.points[n - 1]}, w);
        }
        p.setPen(QPen(Qt::black, w, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
        p.setBrush(Qt::NoBrush);
        p.drawPath(path);
    }
    // Sheet coordinates -> image pixels (device-independent), plus a margin for
    // the anti-aliasing.
    return QRectF(dirty.x() * side, dirty.y() * side, dirty.width() * side, dirty.height() * side)
        .adjusted(-2, -2, 2, 2)
        .intersected(QRectF(0, 0, m_image.width() / dpr, m_image.height() / dpr));
}

void DrawingPad::redraw()
{
    const QRect r = sheetRect();
    const qreal dpr = devicePixelRatioF();
    const QSize pixels(std::max(1, int(std::lround(r.width() * dpr))), std::max(1, int(std::lround(r.height() * dpr))));
    if (m_image.size() != pixels) {
        m_image = QImage(pixels, QImage::Format_RGB32);
        m_image.setDevicePixelRatio(dpr);
    }
    m_image.fill(Qt::white);
    for (const Stroke& s : m_strokes) paintPieces(s, 0, s.points.size() + 1);
    update();
}

void DrawingPad::updateImageRect(const QRectF& imageRect)
{
    if (imageRect.isEmpty()) return;
    update(imageRect.translated(sheetRect().topLeft()).toAlignedRect());
}

void DrawingPad::paintEvent(QPaintEvent* event)
{
    QPainter p(this);
    const QRect sheet = sheetRect();
    if (!sheet.contains(event->rect())) p.fillRect(rect(), palette().window());
    if (m_image.isNull()) redraw();
    p.drawImage(sheet, m_image);
    if (!m_digit.empty && !m_strokes.empty()) {
        // The ink's box as the preprocessing found it: this is what gets
        // scaled to 20x20 pixels.
        const qreal dpr = m_image.devicePixelRatio();
        const QRectF box(sheet.x() + m_digit.left / dpr, sheet.y() + m_digit.top / dpr, m_digit.width / dpr,
                         m_digit.height / dpr);
        p.setRenderHint(QPainter::Antialiasing, false);
        p.setPen(QPen(QColor(40, 110, 210, 150), 1, Qt::DashLine));
        p.setBrush(Qt::NoBrush);
        p.drawRect(box.adjusted(-2, -2, 2, 2));
    }
    if (m_strokes.empty() && !m_drawing) {
        p.setPen(QColor(150, 150, 150));
        QFont f = font();
        f.setPointSizeF(f.pointSizeF() * 1.3);
        p.setFont(f);
        p.drawText(sheet, Qt::AlignCenter, tr("Draw a digit here"));
    }
    p.setPen(QPen(hasFocus() ? palette().highlight().color() : QColor(160, 160, 160), 1));
    p.setBrush(Qt::NoBrush);
    p.drawRect(sheet.adjusted(0, 0, -1, -1));
}

void DrawingPad::resizeEvent(QResizeEvent* /*event*/)
{
    redraw();
}

// ---- input ------------------------------------------------------------------

void DrawingPad::begin(const QPointF& widgetPos, double pressure)
{
    if (m_drawing) end();
    const bool wasEmpty = m_strokes.empty();
    Stroke s;
    s.width = m_strokeWidth;
    s.points.push_back(toSheet(widgetPos));
    s.pressures.push_back(pressure);
    m_strokes.push_back(std::move(s));
    m_drawing = true;
    if (wasEmpty) update(); // the hint text goes
    updateImageRect(paintPieces(m_strokes.back(), 0, 1));
    changed();
}

void DrawingPad::extend(const QPointF& widgetPos, double pressure)
{
    if (!m_drawing || m_strokes.empty()) return;
    Stroke& s = m_strokes.back();
    const QPointF q = toSheet(widgetPos);
    // Ignore jitter below a tenth of a sheet unit.
    if (QLineF(s.points.back(), q).length() * sheetUnits < 0.1) return;
    s.points.push_back(q);
    s.pressures.push_back(pressure);
    updateImageRect(paintPieces(s, s.points.size() - 1, s.points.size()));
    changed();
}

void DrawingPad::end()
{
    if (!m_drawing || m_strokes.empty()) return;
    Stroke& s = m_strokes.back();
    s.finished = true;
    m_drawing = false;
    updateImageRect(paintPieces(s, s.points.size(), s.points.size() + 1));
    flush(); // the stroke is complete: no reason to wait
}

void DrawingPad::mousePressEvent(QMouseEvent* event)
{
    if (m_tabletDown || event->button() != Qt::LeftButton) return QWidget::mousePressEvent(event);
    begin(event->position(), 1.0);
}

void DrawingPad::mouseMoveEvent(QMouseEvent* event)
{
    if (m_tabletDown || !(event->buttons() & Qt::LeftButton)) return QWidget::mouseMoveEvent(event);
    extend(event->position(), 1.0);
}

void DrawingPad::mouseReleaseEvent(QMouseEvent* event)
{
    if (m_tabletDown || event->button() != Qt::LeftButton) return QWidget::mouseReleaseEvent(event);
    extend(event->position(), 1.0);
    end();
}

void DrawingPad::tabletEvent(QTabletEvent* event)
{
    const double pressure = std::clamp(double(event->pressure()), 0.0, 1.0);
    switch (event->type()) {
    case QEvent::TabletPress:
        m_tabletDown = true;
        begin(event->position(), pressure);
        break;
    case QEvent::TabletMove:
        if (m_tabletDown) extend(event->position(), pressure);
        break;
    case QEvent::TabletRelease:
        if (m_tabletDown) end();
        m_tabletDown = false;
        break;
    default:
        break;
    }
    event->accept(); // no synthesized mouse events on top
}

void DrawingPad::keyPressEvent(QKeyEvent* event)
{
    if (event->key() == Qt::Key_Escape) {
        clear();
        flush();
    } else if (event->matches(QKeySequence::Undo)) {
        undo();
        flush();
    } else {
        QWidget::keyPressEvent(event);
    }
}
