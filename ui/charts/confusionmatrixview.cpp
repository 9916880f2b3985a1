#include "confusionmatrixview.h"

#include "classlabels.h"
#include "confusioncell.h"

#include <QMouseEvent>
#include <QPainter>

#include <algorithm>
#include <numeric>

ConfusionMatrixView::ConfusionMatrixView(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("confusionMatrixView"));
    setMouseTracking(true);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

std::vector<std::size_t> ConfusionMatrixView::count(const std::vector<std::uint8_t>& labels,
                                                    const std::vector<std::uint8_t>& predictions, int classes)
{
    const std::size_t k = std::size_t(std::max(classes, 0));
    std::vector<std::size_t> m(k * k, 0);
    const std::size_t n = std::min(labels.size(), predictions.size());
    for (std::size_t i = 0; i < n; ++i)
        if (labels[i] < k && predictions[i] < k) ++m[labels[i] * k + predictions[i]];
    return m;
}

void ConfusionMatrixView::setConfusion(const std::vector<std::size_t>& confusion, int classes)
{
    m_classes = classes > 0 && confusion.size() == std::size_t(classes) * std::size_t(classes) ? classes : 0;
    m_counts = m_classes ? confusion : std::vector<std::size_t>{};
    if (m_selTrue >= m_classes || m_selPred >= m_classes) m_selTrue = m_selPred = -1;
    m_cellsDirty = true;
    update();
}

void ConfusionMatrixView::setPredictions(const std::vector<std::uint8_t>& labels,
                                         const std::vector<std::uint8_t>& predictions, int classes)
{
    setConfusion(count(labels, predictions, classes), classes);
}

void ConfusionMatrixView::setClassNames(const QStringList& names)
{
    m_names = names;
    update();
}

void ConfusionMatrixView::setCaption(const QString& caption)
{
    m_caption = caption;
    update();
}

void ConfusionMatrixView::setStale(bool stale)
{
    if (stale == m_stale) return;
    m_stale = stale;
    update();
}

void ConfusionMatrixView::setEmptyText(const QString& text)
{
    m_emptyText = text;
    update();
}

void ConfusionMatrixView::clear()
{
    m_stale = false;
    m_counts.clear();
    m_classes = 0;
    m_selTrue = m_selPred = -1;
    m_cellsDirty = true;
    update();
}

std::size_t ConfusionMatrixView::count(int trueClass, int predicted) const
{
    if (trueClass < 0 || predicted < 0 || trueClass >= m_classes || predicted >= m_classes) return 0;
    return m_counts[std::size_t(trueClass) * std::size_t(m_classes) + std::size_t(predicted)];
}

std::size_t ConfusionMatrixView::total() const
{
    return std::accumulate(m_counts.begin(), m_counts.end(), std::size_t(0));
}

std::size_t ConfusionMatrixView::correct() const
{
    std::size_t c = 0;
    for (int k = 0; k < m_classes; ++k) c += count(k, k);
    return c;
}

void ConfusionMatrixView::setSelected(int trueClass, int predicted)
{
    m_selTrue = trueClass;
    m_selPred = predicted;
    update();
}

QString ConfusionMatrixView::name(int k) const
{
    return classLabel(m_names, k);
}

QRect ConfusionMatrixView::gridRect() const
{
    const QFontMetrics fm = fontMetrics();
    int nameW = fm.horizontalAdvance(QStringLiteral("00"));
    for (int k = 0; k < m_classes; ++k) nameW = std::max(nameW, fm.horizontalAdvance(name(k)));
    nameW = std::min(nameW, width() / 4);
    const int left = fm.height() + 6 + nameW + 4;   // "true" (rotated) + row names
    const int top = fm.height() * 2 + 6 + fm.height() + 2; // caption, "predicted", column names
    const int bottom = fm.height() + 4;             // accuracy line
    const int n = std::max(m_classes, 1);
    const int side = std::max(n, std::min(width() - left - 6, height() - top - bottom) / n * n);
    return QRect(left, top, side, side);
}

QRect ConfusionMatrixView::cellRect(int trueClass, int predicted) const
{
    const QRect g = gridRect();
    const int n = std::max(m_classes, 1);
    const int cell = g.width() / n;
    return QRect(g.x() + predicted * cell, g.y() + trueClass * cell, cell, cell);
}

bool ConfusionMatrixView::cellAt(const QPoint& pos, int& trueClass, int& predicted) const
{
    if (m_classes == 0) return false;
    const QRect g = gridRect();
    if (!g.contains(pos)) return false;
    const int cell = g.width() / m_classes;
    predicted = std::min(m_classes - 1, (pos.x() - g.x()) / cell);
    trueClass = std::min(m_classes - 1, (pos.y() - g.y()) / cell);
    return true;
}

void ConfusionMatrixView::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    const QPalette pal = palette();
    const QFontMetrics fm = fontMetrics();
    p.fillRect(rect(), pal.base());
    QFont bold = font();
    bold.setBold(true);

    p.setFont(bold);
    p.setPen(m_stale ? QColor(0xb0, 0x60, 0x00) : pal.color(QPalette::WindowText));
    p.drawText(QRect(6, 2, width() - 12, fm.height()), Qt::AlignLeft,
               QFontMetrics(bold).elidedText(m_caption.isEmpty() ? tr("Confusion matrix") : m_caption,
                                             Qt::ElideRight, width() - 12));
    if (m_classes == 0) {
        p.setFont(font());
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap, m_emptyText);
        return;
    }

    const QRect g = gridRect();
    const int cell = g.width() / m_classes;
    // Axis titles.
    p.setFont(font());
    p.setPen(pal.color(QPalette::PlaceholderText));
    p.drawText(QRect(g.x(), fm.height() + 4, g.width(), fm.height()), Qt::AlignHCenter, tr("predicted"));
    p.save();
    p.translate(2, g.y() + g.height() / 2);
    p.rotate(-90);
    p.drawText(QRect(-g.height() / 2, 0, g.height(), fm.height()), Qt::AlignHCenter, tr("true"));
    p.restore();

    // The cells (a hundred numbers, each laid out as text) change only with
    // the counts or the size: drawn once into a pixmap, then copied, so that
    // hovering and a repaint of the window cost a blit.
    const qreal dpr = devicePixelRatioF();
    if (m_cellsDirty || m_cells.size() != g.size() * dpr || m_cellsFont != font()) {
        m_cellsFont = font();
        m_cells = QPixmap(g.size() * dpr);
        m_cells.setDevicePixelRatio(dpr);
        m_cells.fill(pal.color(QPalette::Base));
        QPainter cp(&m_cells);
        QFont cellFont = font();
        // Numbers as large as the cell allows (they are read from afar).
        cellFont.setPointSizeF(std::clamp(cell * 0.36, 7.0, font().pointSizeF() * 1.3));
        cp.setFont(cellFont);
        for (int t = 0; t < m_classes; ++t) {
            std::size_t row = 0;
            for (int q = 0; q < m_classes; ++q) row += count(t, q);
            for (int q = 0; q < m_classes; ++q) {
                const QRect r = cellRect(t, q).translated(-g.topLeft());
                const std::size_t c = count(t, q);
                const double share = row ? double(c) / double(row) : 0;
                QColor fill;
                if (t == q) {
                    // White to green with the row's recall.
                    fill = QColor::fromRgbF(float(1 - 0.65 * share), float(1 - 0.25 * share), float(1 - 0.6 * share));
                } else {
                    // White to red; a few percent already shows.
                    const double s = c ? std::min(1.0, 0.12 + share * 4) : 0;
                    fill = QColor::fromRgbF(1.0f, float(1 - 0.7 * s), float(1 - 0.7 * s));
                }
                cp.fillRect(r, fill);
                cp.setPen(QColor(0, 0, 0, 30));
                cp.drawRect(r.adjusted(0, 0, -1, -1));
                if (c) {
                    cp.setPen(Qt::black);
                    cp.drawText(r, Qt::AlignCenter, QString::number(c));
                }
            }
        }
        m_cellsDirty = false;
    }
    p.drawPixmap(g.topLeft(), m_cells);
    for (int t = 0; t < m_classes; ++t) {
        p.setFont(t == m_hoverTrue ? bold : font());
        p.setPen(pal.color(QPalette::WindowText));
        p.drawText(QRect(0, g.y() + t * cell, g.x() - 4, cell), Qt::AlignRight | Qt::AlignVCenter, name(t));
    }
    for (int q = 0; q < m_classes; ++q) {
        p.setFont(q == m_hoverPred ? bold : font());
        p.setPen(pal.color(QPalette::WindowText));
        p.drawText(QRect(g.x() + q * cell, g.y() - fm.height() - 2, cell, fm.height()), Qt::AlignCenter, name(q));
    }
    const auto outline = [&](int t, int q, const QColor& color, qreal w) {
        if (t < 0 || q < 0) return;
        p.setPen(QPen(color, w));
        p.setBrush(Qt::NoBrush);
        p.drawRect(QRectF(cellRect(t, q)).adjusted(w / 2, w / 2, -w / 2, -w / 2));
    };
    outline(m_hoverTrue, m_hoverPred, pal.color(QPalette::Mid), 1.5);
    outline(m_selTrue, m_selPred, pal.color(QPalette::Highlight), 2.5);
    if (m_stale) {
        // Greyed: these counts describe weights that are gone.
        p.fillRect(g.adjusted(-1, -1, 1, 1), QColor(255, 255, 255, 150));
    }

    // The bottom line: the hovered cell, or the accuracy.
    p.setFont(font());
    p.setPen(pal.color(QPalette::WindowText));
    QString line;
    const std::size_t n = total();
    if (m_hoverTrue >= 0) {
        const std::size_t c = count(m_hoverTrue, m_hoverPred);
        line = ConfusionCell{m_hoverTrue, m_hoverPred}.describe(c, m_names);
    } else {
        line = tr("%1 images, %2 right (%3 %)")
                   .arg(n)
                   .arg(correct())
                   .arg(n ? 100.0 * double(correct()) / double(n) : 0.0, 0, 'f', 2);
    }
    p.drawText(QRect(6, g.bottom() + 3, width() - 12, fm.height()), Qt::AlignLeft,
               fm.elidedText(line, Qt::ElideRight, width() - 12));
}

void ConfusionMatrixView::mousePressEvent(QMouseEvent* event)
{
    int t = -1, q = -1;
    if (event->button() == Qt::LeftButton && cellAt(event->position().toPoint(), t, q)) {
        setSelected(t, q);
        emit cellClicked(t, q);
        return;
    }
    QWidget::mousePressEvent(event);
}

void ConfusionMatrixView::mouseMoveEvent(QMouseEvent* event)
{
    int t = -1, q = -1;
    cellAt(event->position().toPoint(), t, q);
    if (t != m_hoverTrue || q != m_hoverPred) {
        m_hoverTrue = t;
        m_hoverPred = q;
        update();
    }
    QWidget::mouseMoveEvent(event);
}

void ConfusionMatrixView::leaveEvent(QEvent* event)
{
    m_hoverTrue = m_hoverPred = -1;
    update();
    QWidget::leaveEvent(event);
}
