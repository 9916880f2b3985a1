#include "mapgridwidget.h"

#include "columnheading.h"

#include "trainingtypes.h"

#include <QCoreApplication>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>
#include <QToolTip>
#include <QWheelEvent>

#include <algorithm>
#include <climits>
#include <cmath>

namespace {
constexpr int barHeight = 8; // colour bar
constexpr int stripWidth = 22;       // a strip in one column
constexpr int wrappedStripWidth = 12; // each column of a wrapped strip
constexpr int maxStripColumns = 4;    // beyond, a strip scrolls
constexpr int maxGridColumns = 8;     // the network view's columns wrap maps into at most this many, then scroll
constexpr int scrollBarWidth = 10;
} // namespace

MapGridWidget::MapGridWidget(QWidget* parent) : QWidget(parent)
{
    setMouseTracking(true);
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Expanding);
    m_scrollBar = new QScrollBar(Qt::Vertical, this);
    m_scrollBar->setObjectName(QStringLiteral("mapScrollBar"));
    m_scrollBar->hide();
    connect(m_scrollBar, &QScrollBar::valueChanged, this, [this] { update(); });
}

bool MapGridWidget::scrolls() const
{
    return !m_scrollBar->isHidden();
}

int MapGridWidget::scrollOffset() const
{
    return scrolls() ? m_scrollBar->value() : 0;
}

void MapGridWidget::scrollTo(int pixels)
{
    m_scrollBar->setValue(pixels);
}

QString MapGridWidget::shapeLine() const
{
    if (m_strip || !m_countsMaps || mapCount() < countedMaps) return m_subtitle;
    return tr("%1 \u00b7 %2 maps").arg(m_subtitle).arg(mapCount());
}

void MapGridWidget::setMaps(const QString& title, const cs::Tensor<float>& values, ColorScaleKind kind,
                            std::optional<ValueRange> range)
{
    const bool shapeChanged = !(values.shape() == m_values.shape()) || kind != m_kind;
    m_title = title;
    m_fixedRange = range;
    m_values = values;
    m_kind = kind;
    if (values.rank() == 3) {
        m_h = int(values.dim(0));
        m_w = int(values.dim(1));
        m_c = int(values.dim(2));
        m_strip = false;
    } else if (values.rank() == 1) {
        m_h = int(values.dim(0));
        m_w = 1;
        m_c = 1;
        m_strip = true;
    } else {
        m_h = m_w = m_c = 0;
        m_strip = false;
    }
    if (!m_customSubtitle) m_subtitle = shapeText(values.shape());
    rebuildImages();
    if (shapeChanged) {
        relayout();
        updateGeometry();
    }
    update();
    emit mapsChanged();
}

void MapGridWidget::setSubtitle(const QString& subtitle)
{
    m_subtitle = subtitle;
    m_customSubtitle = true;
    update();
}

void MapGridWidget::setDetail(const QString& detail)
{
    if (detail == m_detail) return;
    m_detail = detail;
    update();
}

void MapGridWidget::setHeaderToolTip(const QString& tip)
{
    m_headerTip = tip;
}

void MapGridWidget::setColumns(int columns)
{
    // Asked with every redraw of the kernels: a relayout only for a change.
    if (std::max(columns, 0) == m_columns) return;
    m_columns = std::max(columns, 0);
    relayout();
    updateGeometry();
    update();
}

void MapGridWidget::setSpacing(int pixels)
{
    m_gap = std::max(pixels, 0);
    relayout();
    update();
}

int MapGridWidget::textWidth() const
{
    QFont bold = font();
    bold.setBold(true);
    int widest = std::max(QFontMetrics(bold).horizontalAdvance(m_title), fontMetrics().horizontalAdvance(shapeLine()));
    // The detail may take two lines: the least width is its wider half.
    for (const QString& line : detailLines(0)) widest = std::max(widest, fontMetrics().horizontalAdvance(line));
    return widest + 6;
}

QStringList MapGridWidget::detailLines(int width) const
{
    if (m_detail.isEmpty()) return {};
    if (width == m_detailLinesWidth && m_detail == m_detailLinesOf && font() == m_detailLinesFont) return m_detailLines;
    m_detailLinesWidth = width;
    m_detailLinesOf = m_detail;
    m_detailLinesFont = font();
    m_detailLines = breakDetail(width);
    return m_detailLines;
}

QStringList MapGridWidget::breakDetail(int width) const
{
    const QFontMetrics fm = fontMetrics();
    if (width > 0 && fm.horizontalAdvance(m_detail) <= width) return {m_detail};
    // Two lines, broken at the " · " that makes the wider of them narrowest
    // ("6 filters 5×5" above "same · ReLU").
    const QString dot = QStringLiteral(" \u00b7 ");
    const QStringList parts = m_detail.split(dot);
    if (parts.size() < 2) return {m_detail};
    QStringList best;
    int bestWidth = INT_MAX;
    for (qsizetype k = 1; k < parts.size(); ++k) {
        const QStringList lines{parts.mid(0, k).join(dot), parts.mid(k).join(dot)};
        const int w = std::max(fm.horizontalAdvance(lines[0]), fm.horizontalAdvance(lines[1]));
        if (w < bestWidth) {
            bestWidth = w;
            best = lines;
        }
    }
    return best;
}

int MapGridWidget::gridWidthFor(int mapPixels, int gridHeight) const
{
    const int n = mapCount();
    if (n == 0 || m_h == 0) return 0;
    if (m_strip) {
        const int cols = stripColumnsFor(gridHeight);
        const bool scroll = m_h * minimumUnitPixels > cols * std::max(gridHeight, 1);
        return (cols == 1 ? stripWidth : cols * wrappedStripWidth + (cols - 1) * m_gap) + (scroll ? scrollBarWidth + 2 : 0);
    }
    // Never below the legible size: more maps wrap into more columns, up
    // to maxGridColumns, and then the grid scrolls.
    const double s = double(m_columns > 0 ? mapPixels : std::max(mapPixels, legibleMapPixels)) / std::max(m_h, m_w);
    const int ch = std::max(1, int(std::lround(m_h * s))), cw = std::max(1, int(std::lround(m_w * s)));
    const int rows = std::clamp((gridHeight + m_gap) / (ch + m_gap), 1, n);
    int cols = m_columns > 0 ? m_columns : (n + rows - 1) / rows;
    const bool scroll = m_columns == 0 && cols > maxGridColumns;
    if (scroll) cols = maxGridColumns;
    return cols * cw + (cols - 1) * m_gap + (scroll ? scrollBarWidth + 2 : 0);
}

int MapGridWidget::stripColumnsFor(int height) const
{
    const int n = m_strip ? m_h : 0;
    if (n * minimumUnitPixels <= height || height <= 0) return 1;
    return std::min(maxStripColumns, (n * minimumUnitPixels + height - 1) / height);
}

void MapGridWidget::setHighlighted(int index)
{
    m_highlighted = index;
    update();
}

void MapGridWidget::clear()
{
    m_values = {};
    m_images.clear();
    m_rects.clear();
    m_h = m_w = m_c = 0;
    m_scrollBar->hide();
    update();
}

void MapGridWidget::rebuildImages()
{
    m_images.clear();
    m_zeroMaps = 0;
    if (m_h == 0 || m_w == 0 || m_c == 0) return;
    const ValueRange range = m_fixedRange ? *m_fixedRange : ColorScale::rangeFor(m_kind, m_values.data(), m_values.size());
    m_scale = ColorScale(m_kind, range);
    const float* v = m_values.data();
    if (isRgb()) {
        // Map k is channels 3k, 3k + 1, 3k + 2, each from range.low (0) to
        // range.high (255): kernels come with a range symmetric about 0,
        // so a zero weight is mid grey.
        const float span = range.high - range.low;
        auto byte = [&](float x) { return int(std::lround(std::clamp((x - range.low) / span, 0.0f, 1.0f) * 255)); };
        for (int k = 0; k < m_c / 3; ++k) {
            QImage img(m_w, m_h, QImage::Format_RGB32);
            for (int y = 0; y < m_h; ++y) {
                QRgb* line = reinterpret_cast<QRgb*>(img.scanLine(y));
                for (int x = 0; x < m_w; ++x) {
                    const float* p = v + (y * m_w + x) * m_c + 3 * k;
                    line[x] = qRgb(byte(p[0]), byte(p[1]), byte(p[2]));
                }
            }
            m_images.push_back(img);
        }
        return;
    }
    for (int k = 0; k < m_c; ++k) {
        QImage img(m_w, m_h, QImage::Format_RGB32);
        bool zero = true;
        for (int y = 0; y < m_h; ++y) {
            QRgb* line = reinterpret_cast<QRgb*>(img.scanLine(y));
            for (int x = 0; x < m_w; ++x) {
                const float value = v[(y * m_w + x) * m_c + k];
                zero = zero && value == 0;
                line[x] = m_scale.color(value);
            }
        }
        if (zero) ++m_zeroMaps;
        m_images.push_back(img);
    }
}

int MapGridWidget::headerHeight() const
{
    return fontMetrics().height() * (2 + int(detailLines(width()).size())) + 4;
}

int MapGridWidget::tallestChromeHeight() const
{
    return fontMetrics().height() * (2 + int(detailLines(0).size())) + 4 + footerHeight();
}

int MapGridWidget::footerHeight() const
{
    return barHeight + fontMetrics().height() + 8;
}

QRect MapGridWidget::gridArea() const
{
    return rect().adjusted(2, headerHeight(), -2, -footerHeight());
}

void MapGridWidget::relayout()
{
    m_rects.clear();
    m_stripPerColumn = 0;
    const QRect area = gridArea();
    if (mapCount() == 0 || area.width() < 4 || area.height() < 4) {
        m_scrollBar->hide();
        return;
    }
    const int height = place(area);
    if (height <= area.height()) {
        m_scrollBar->hide();
        m_scrollBar->setValue(0);
        return;
    }
    // Too many to show at a legible size: a scroll bar at the right, the
    // maps laid out again beside it.
    const int content = place(area.adjusted(0, 0, -(scrollBarWidth + 2), 0));
    m_scrollBar->setGeometry(area.right() - scrollBarWidth + 1, area.y(), scrollBarWidth, area.height());
    m_scrollBar->setRange(0, std::max(0, content - area.height()));
    m_scrollBar->setPageStep(area.height());
    m_scrollBar->setSingleStep(std::max(8, m_rects.empty() ? 8 : std::min(m_rects.front().height(), area.height() / 4) + m_gap));
    m_scrollBar->show();
}

int MapGridWidget::place(const QRect& area)
{
    m_rects.clear();
    m_stripPerColumn = 0;
    const int n = mapCount();
    if (m_strip) {
        const int units = m_h;
        int cols = std::min(stripColumnsFor(area.height()), std::max(1, (area.width() + m_gap) / (wrappedStripWidth + m_gap)));
        if (units * minimumUnitPixels <= area.height()) {
            // One column, each unit as tall as the room allows.
            const int w = std::min(stripWidth, area.width());
            m_rects.emplace_back(area.x() + (area.width() - w) / 2, area.y(), w, area.height());
            return area.height();
        }
        // A few narrow columns of whole-pixel units, top to bottom, then
        // left to right (and a scroll beyond maxStripColumns).
        const int per = (units + cols - 1) / cols;
        m_stripPerColumn = per;
        m_unitPixels = std::max(minimumUnitPixels, area.height() / per);
        const int colW = cols == 1 ? std::min(stripWidth, area.width()) : wrappedStripWidth;
        const int totalW = cols * colW + (cols - 1) * m_gap;
        const int x0 = area.x() + std::max(0, (area.width() - totalW) / 2);
        for (int j = 0; j < cols && j * per < units; ++j)
            m_rects.emplace_back(x0 + j * (colW + m_gap), area.y(), colW, std::min(per, units - j * per) * m_unitPixels);
        return per * m_unitPixels;
    }
    // The column count that makes the maps largest (or the one asked for).
    int bestCols = 1;
    double bestScale = 0;
    for (int cols = 1; cols <= n; ++cols) {
        if (m_columns > 0 && cols != m_columns) continue;
        const int rows = (n + cols - 1) / cols;
        const double sx = double(area.width() - (cols - 1) * m_gap) / (cols * m_w);
        const double sy = double(area.height() - (rows - 1) * m_gap) / (rows * m_h);
        const double s = std::min(sx, sy);
        if (s > bestScale + 1e-9) {
            bestScale = s;
            bestCols = cols;
        }
    }
    // Whole pixels per value once the maps are large (every value then
    // drawn the same size); below that, as large as fits, but never under
    // the legible size: then as many columns as the width holds, and the
    // rows run on below (the grid scrolls).
    const double scale = bestScale >= 4 ? std::floor(bestScale) : bestScale;
    int cw = std::max(1, int(m_w * scale));
    int ch = std::max(1, int(m_h * scale));
    if (m_columns == 0 && std::max(cw, ch) < legibleMapPixels) {
        const double legible = double(legibleMapPixels) / std::max(m_h, m_w);
        cw = std::max(1, int(std::lround(m_w * legible)));
        ch = std::max(1, int(std::lround(m_h * legible)));
        bestCols = std::clamp((area.width() + m_gap) / (cw + m_gap), 1, n);
    }
    const int rows = (n + bestCols - 1) / bestCols;
    const int gridW = bestCols * cw + (bestCols - 1) * m_gap;
    const int gridH = rows * ch + (rows - 1) * m_gap;
    const int x0 = area.x() + std::max(0, (area.width() - gridW) / 2);
    const int y0 = area.y() + std::max(0, (area.height() - gridH) / 2);
    for (int i = 0; i < n; ++i)
        m_rects.emplace_back(x0 + (i % bestCols) * (cw + m_gap), y0 + (i / bestCols) * (ch + m_gap), cw, ch);
    return gridH;
}

QRect MapGridWidget::mapRect(int index) const
{
    return index >= 0 && index < int(m_rects.size()) ? m_rects[index].translated(0, -scrollOffset()) : QRect();
}

int MapGridWidget::unitAt(const QPoint& pos) const
{
    if (!m_strip) return -1;
    for (int j = 0; j < int(m_rects.size()); ++j) {
        const QRect r = mapRect(j);
        if (!r.contains(pos)) continue;
        if (m_stripPerColumn == 0) return std::clamp(int((pos.y() - r.y()) * m_h / std::max(1, r.height())), 0, m_h - 1);
        return std::min(m_h - 1, j * m_stripPerColumn + (pos.y() - r.y()) / m_unitPixels);
    }
    return -1;
}

QImage MapGridWidget::mapImage(int index) const
{
    return index >= 0 && index < mapCount() ? m_images[index] : QImage();
}

float MapGridWidget::value(int index, int row, int column, int channel) const
{
    if (row < 0 || row >= m_h || column < 0 || column >= m_w) return 0;
    const int k = isRgb() ? 3 * index + channel : m_strip ? 0 : index;
    return m_values.data()[(row * m_w + column) * m_c + k];
}

QSize MapGridWidget::sizeHint() const
{
    const int n = std::max(mapCount(), 1);
    if (m_strip) return {stripWidth + 40, 240};
    const int cols = m_columns > 0 ? m_columns : std::max(1, int(std::lround(std::sqrt(double(n) / 2))));
    const int rows = (n + cols - 1) / cols;
    const int s = m_h > 0 ? std::max(1, 48 / m_h) : 2;
    return {std::max(90, cols * (m_w * s + m_gap)), headerHeight() + footerHeight() + rows * (m_h * s + m_gap)};
}

QSize MapGridWidget::minimumSizeHint() const
{
    return {m_strip ? stripWidth + 24 : 60, headerHeight() + footerHeight() + 40};
}

void MapGridWidget::resizeEvent(QResizeEvent*)
{
    relayout();
}

int MapGridWidget::mapAt(const QPoint& pos) const
{
    if (scrolls() && !gridArea().contains(pos)) return -1;
    if (m_strip) return unitAt(pos) >= 0 ? 0 : -1; // the strip is one map
    for (int i = 0; i < int(m_rects.size()); ++i)
        if (mapRect(i).contains(pos)) return i;
    return -1;
}

void MapGridWidget::wheelEvent(QWheelEvent* event)
{
    // The grid scrolls its own maps; otherwise the view around it scrolls.
    if (scrolls()) QCoreApplication::sendEvent(m_scrollBar, event);
    else event->ignore();
}

void MapGridWidget::mousePressEvent(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton) return;
    const QPoint pos = event->position().toPoint();
    if (!m_picksCells) {
        const int i = mapAt(pos);
        if (i >= 0) emit mapClicked(i);
    } else if (const auto cell = cellAt(pos)) {
        emit cellClicked((*cell)[0], (*cell)[1], (*cell)[2]);
    }
}

void MapGridWidget::mouseDoubleClickEvent(QMouseEvent* event)
{
    const int i = mapAt(event->position().toPoint());
    if (m_picksCells && i >= 0 && event->button() == Qt::LeftButton) emit mapClicked(i);
}

std::optional<std::array<int, 3>> MapGridWidget::cellAt(const QPoint& pos) const
{
    const int i = mapAt(pos);
    if (i < 0) return std::nullopt;
    if (m_strip) return std::array<int, 3>{0, unitAt(pos), 0};
    const QRect r = mapRect(i);
    const int col = std::clamp(int((pos.x() - r.x()) * m_w / std::max(1, r.width())), 0, m_w - 1);
    const int row = std::clamp(int((pos.y() - r.y()) * m_h / std::max(1, r.height())), 0, m_h - 1);
    return std::array<int, 3>{i, row, col};
}

QRect MapGridWidget::cellRect(int index, int row, int column) const
{
    if (m_strip) {
        if (row < 0 || row >= m_h || m_rects.empty()) return {};
        if (m_stripPerColumn == 0) {
            const QRect r = mapRect(0);
            const int top = r.y() + row * r.height() / m_h, bottom = r.y() + (row + 1) * r.height() / m_h;
            return QRect(r.x(), top, r.width(), std::max(1, bottom - top));
        }
        const QRect r = mapRect(row / m_stripPerColumn);
        return QRect(r.x(), r.y() + (row % m_stripPerColumn) * m_unitPixels, r.width(), m_unitPixels);
    }
    const QRect r = mapRect(index);
    if (r.isEmpty() || m_w <= 0 || m_h <= 0) return {};
    const int left = r.x() + column * r.width() / m_w, right = r.x() + (column + 1) * r.width() / m_w;
    const int top = r.y() + row * r.height() / m_h, bottom = r.y() + (row + 1) * r.height() / m_h;
    return QRect(left, top, std::max(1, right - left), std::max(1, bottom - top));
}

void MapGridWidget::setMarks(std::vector<Mark> marks)
{
    m_marks = std::move(marks);
    update();
}

void MapGridWidget::mouseMoveEvent(QMouseEvent* event)
{
    const QPoint pos = event->position().toPoint();
    const int i = mapAt(pos);
    if (i != m_hovered) {
        m_hovered = i;
        setCursor(i >= 0 ? Qt::PointingHandCursor : Qt::ArrowCursor);
        update();
    }
    if (i < 0) {
        if (pos.y() < headerHeight() && !m_headerTip.isEmpty())
            QToolTip::showText(event->globalPosition().toPoint(), m_headerTip, this);
        else
            QToolTip::hideText();
        return;
    }
    if (m_strip) {
        const int unit = unitAt(pos);
        QToolTip::showText(event->globalPosition().toPoint(),
                           tr("%1: unit %2 of %3 = %4\n%5").arg(m_title).arg(unit).arg(m_h).arg(formatValue(value(0, unit, 0)), clickHint()),
                           this);
        return;
    }
    const QRect r = mapRect(i);
    const int col = std::clamp(int((pos.x() - r.x()) * m_w / std::max(1, r.width())), 0, m_w - 1);
    const int row = std::clamp(int((pos.y() - r.y()) * m_h / std::max(1, r.height())), 0, m_h - 1);
    const QString where = tr("map %1, (%2, %3)").arg(i).arg(row).arg(col);
    const QString shown = isRgb() ? QStringLiteral("(%1, %2, %3)")
                                        .arg(formatValue(value(i, row, col, 0)), formatValue(value(i, row, col, 1)),
                                             formatValue(value(i, row, col, 2)))
                                  : formatValue(value(i, row, col));
    QToolTip::showText(event->globalPosition().toPoint(), tr("%1: %2 = %3\n%4").arg(m_title, where, shown, clickHint()), this);
}

QString MapGridWidget::clickHint() const
{
    return m_picksCells ? tr("click to see how it was computed, double-click to enlarge the map") : tr("click to enlarge");
}

void MapGridWidget::leaveEvent(QEvent*)
{
    m_hovered = -1;
    update();
}

void MapGridWidget::paintEvent(QPaintEvent* event)
{
    QPainter p(this);
    const QPalette pal = palette();
    const QFontMetrics fm = fontMetrics();

    // Wider than the view around it (a deep layer's kernels scroll
    // sideways), the heading and the colour bar stay over the part in view.
    const QRect band = visibleRegion().boundingRect().isEmpty() ? rect() : visibleRegion().boundingRect();
    m_heading.paint(p, *this, m_title, detailLines(width()), shapeLine(), band.x(), band.width());

    if (m_images.empty()) return;
    p.setRenderHint(QPainter::SmoothPixmapTransform, false);
    // Scrolled, the maps are cut at the grid's edges (the frame's 1 pixel
    // kept), not drawn over the heading or the colour bar.
    const QRect area = gridArea();
    if (scrolls()) p.setClipRect(area.adjusted(-1, -1, 1, 1));
    // A hairline frame around each map: maps whose values sit at the
    // background's colour (0 on a diverging scale) keep their outline. A
    // filled rectangle under the map, in the window's colour darkened as a
    // 45/255 black line over it would: solid fills are the raster engine's
    // fastest path (a pen's rectangles cost more than the maps themselves).
    const QColor window = pal.color(QPalette::Window);
    const double keep = 1.0 - 45.0 / 255.0;
    const QColor frame(int(window.red() * keep), int(window.green() * keep), int(window.blue() * keep));
    if (m_strip) {
        // Column j of a wrapped strip holds units j * per ... (j + 1) * per - 1.
        for (int j = 0; j < int(m_rects.size()); ++j) {
            const QRect r = mapRect(j);
            if (m_gap >= 2) p.fillRect(r.adjusted(-1, -1, 1, 1), frame);
            if (m_stripPerColumn == 0) p.drawImage(r, m_images[0]);
            else p.drawImage(r, m_images[0], QRect(0, j * m_stripPerColumn, 1, r.height() / m_unitPixels));
        }
    } else {
        for (int i = 0; i < int(m_rects.size()) && i < mapCount(); ++i) {
            // Only the maps in view and in need of paint (a deep layer's
            // kernels are thousands, most of them scrolled away).
            const QRect r = mapRect(i);
            if (!r.intersects(area.adjusted(-1, -1, 1, 1)) || !r.adjusted(-1, -1, 1, 1).intersects(event->rect())) continue;
            if (m_gap >= 2) p.fillRect(r.adjusted(-1, -1, 1, 1), frame);
            p.drawImage(r, m_images[i]);
        }
    }
    auto outline = [&](int i, const QColor& c, int w) {
        if (i < 0 || i >= int(m_rects.size()) || m_strip) return;
        p.setPen(QPen(c, w));
        p.setBrush(Qt::NoBrush);
        p.drawRect(mapRect(i).adjusted(-1, -1, 0, 0));
    };
    outline(m_hovered, pal.color(QPalette::Highlight).lighter(130), 1);
    outline(m_highlighted, pal.color(QPalette::Highlight), 2);
    paintMarks(p);

    // Maps with nothing in them: a flat colour would pass for a picture.
    const bool rgb = isRgb();
    if (m_zeroMaps > 0 && !rgb) {
        const QString zeroText = m_kind == ColorScaleKind::Sequential ? tr("all zero: dead ReLUs") : tr("all zero");
        if (allZero() && !m_rects.empty()) {
            QRect all = mapRect(0);
            for (int i = 0; i < int(m_rects.size()); ++i) all |= mapRect(i);
            all &= area;
            QFont small = font();
            small.setBold(true);
            p.setFont(small);
            const QRect box = QFontMetrics(small).boundingRect(all, Qt::AlignCenter | Qt::TextWordWrap, zeroText).adjusted(-4, -2, 4, 2);
            p.fillRect(box, QColor(255, 255, 255, 215));
            p.setPen(QColor(0xc6, 0x28, 0x28));
            p.drawText(all, Qt::AlignCenter | Qt::TextWordWrap, zeroText);
            p.setFont(font());
        } else {
            // A small 0 on each empty map, where there is room for it.
            p.setPen(QColor(0xc6, 0x28, 0x28));
            for (int i = 0; i < int(m_rects.size()) && i < mapCount() && !m_strip; ++i) {
                bool zero = true;
                for (int y = 0; y < m_h && zero; ++y)
                    for (int x = 0; x < m_w && zero; ++x) zero = m_values.data()[(y * m_w + x) * m_c + i] == 0;
                if (zero && m_rects[i].height() >= fm.height()) p.drawText(mapRect(i), Qt::AlignCenter, QStringLiteral("0"));
            }
        }
    }

    p.setClipping(false);
    // The shared colour bar and its labels (not for RGB images).
    if (rgb) return;
    const int barW = std::clamp(band.width() - 16, 40, 140);
    const int by = height() - footerHeight() + 4;
    const QRect bar(band.x() + (band.width() - barW) / 2, by, barW, barHeight);
    p.drawImage(bar, m_scale.legendImage(barW, 1));
    p.setPen(pal.color(QPalette::Mid));
    p.drawRect(bar.adjusted(0, 0, -1, -1));
    p.setPen(pal.color(QPalette::WindowText));
    const ValueRange r = m_scale.range();
    const int ty = by + barHeight + 1;
    const QString lo = formatValue(r.low), hi = formatValue(r.high);
    const QRect labels(bar.left(), ty, barW, fm.height());
    if (allZero()) {
        // "0 … 1" under maps that are all 0 would be a lie.
        p.drawText(QRect(band.x(), ty, band.width(), fm.height()), Qt::AlignHCenter | Qt::AlignTop, tr("all 0"));
        return;
    }
    if (m_fixedRange) {
        // A fixed scale: values beyond it are clipped, the bar says so.
        p.setPen(pal.color(QPalette::PlaceholderText));
    }
    const int both = fm.horizontalAdvance(lo) + fm.horizontalAdvance(hi) + 6;
    if (both > barW) {
        // Too narrow for both ends (small gradients, "-1.3e-06"): one label.
        p.drawText(QRect(band.x(), ty, band.width(), fm.height()), Qt::AlignHCenter | Qt::AlignTop,
                   m_kind == ColorScaleKind::Diverging ? QStringLiteral("\u00b1") + hi : lo + QStringLiteral("\u2013") + hi);
        return;
    }
    p.drawText(labels, Qt::AlignLeft | Qt::AlignTop, lo);
    p.drawText(labels, Qt::AlignRight | Qt::AlignTop, hi);
    if (m_kind == ColorScaleKind::Diverging && both + fm.horizontalAdvance(QStringLiteral("0")) + 12 <= barW)
        p.drawText(QRect(bar.center().x() - 20, ty, 40, fm.height()), Qt::AlignHCenter, QStringLiteral("0"));
}

void MapGridWidget::paintMarks(QPainter& p) const
{
    for (const Mark& m : m_marks) {
        // The marked cells, cut to the map (a window may reach into the padding).
        const QRect cells = m_strip ? m.cells.intersected(QRect(0, 0, 1, m_h))
                                    : m.cells.intersected(QRect(0, 0, m_w, m_h));
        if (cells.isEmpty()) continue;
        QPen pen(m.color, 2);
        if (m.dashed) pen.setStyle(Qt::DashLine);
        p.setPen(pen);
        p.setBrush(Qt::NoBrush);
        if (m_strip) {
            for (int unit = cells.top(); unit <= cells.bottom(); ++unit) p.drawRect(cellRect(0, unit, 0).adjusted(0, 0, -1, -1));
            continue;
        }
        const int first = m.map < 0 ? 0 : m.map, last = m.map < 0 ? mapCount() - 1 : std::min(m.map, mapCount() - 1);
        for (int i = first; i <= last; ++i) {
            const QRect a = cellRect(i, cells.top(), cells.left()), b = cellRect(i, cells.bottom(), cells.right());
            if (a.isEmpty() || b.isEmpty()) continue;
            p.drawRect((a | b).adjusted(0, 0, -1, -1));
        }
    }
}
