#include "probabilitybars.h"

#include "classlabels.h"
#include "columnheading.h"

#include <QPainter>

#include <algorithm>

ProbabilityBars::ProbabilityBars(QWidget* parent) : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Expanding);
}

void ProbabilityBars::setClassNames(const QStringList& names)
{
    m_names = names;
    updateGeometry();
    update();
}

void ProbabilityBars::setProbabilities(const std::vector<float>& probabilities, int label)
{
    m_probs = probabilities;
    m_label = label;
    update();
}

void ProbabilityBars::setTitle(const QString& title)
{
    m_title = title;
    update();
}

int ProbabilityBars::predicted() const
{
    if (m_probs.empty()) return -1;
    return int(std::max_element(m_probs.begin(), m_probs.end()) - m_probs.begin());
}

QSize ProbabilityBars::sizeHint() const
{
    return {std::max(170, minimumSizeHint().width()), 260};
}

QSize ProbabilityBars::minimumSizeHint() const
{
    // The longest class name (in bold: the true label is), a bar of 60
    // pixels and "100.0%".
    const QFontMetrics fm = fontMetrics();
    QFont bold = font();
    bold.setBold(true);
    int nameW = 0;
    for (const QString& s : m_names) nameW = std::max(nameW, QFontMetrics(bold).horizontalAdvance(s));
    return {std::min(nameW, 110) + 8 + 60 + fm.horizontalAdvance(QStringLiteral("100.0%")) + 8, 160};
}

void ProbabilityBars::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QPalette pal = palette();
    const QFontMetrics fm = fontMetrics();
    QFont bold = font();
    bold.setBold(true);

    // "softmax · 10 classes", or "softmax" alone when narrow (the rows count the classes).
    const QString what = tr("softmax \u00b7 %1 classes").arg(m_names.size());
    m_heading.paint(p, *this, m_title.section(QStringLiteral(" \u00b7 "), 0, 0), {},
                       fm.horizontalAdvance(what) <= width() ? what : tr("softmax"));

    const int n = std::max<int>(int(m_probs.size()), m_names.size());
    if (n == 0) return;
    const int top = fm.height() * 2 + 8;
    const int rowH = std::clamp((height() - top - 4) / n, 10, 30);
    int nameW = 0;
    for (const QString& s : m_names) nameW = std::max(nameW, QFontMetrics(bold).horizontalAdvance(s));
    nameW = std::min(nameW + 8, width() / 2);
    const int pctW = fm.horizontalAdvance(QStringLiteral("100.0%")) + 6;
    const int barX = nameW + 2;
    const int barW = std::max(10, width() - barX - pctW);
    const int best = predicted();
    const QColor accent = pal.color(QPalette::Highlight);

    for (int k = 0; k < n; ++k) {
        const int y = top + k * rowH;
        const float prob = k < int(m_probs.size()) ? m_probs[k] : 0.0f;
        const QString name = classLabel(m_names, k);
        const bool isLabel = k == m_label;
        QFont f = font();
        f.setBold(isLabel);
        p.setFont(f);
        p.setPen(pal.color(QPalette::WindowText));
        p.drawText(QRect(0, y, nameW - 4, rowH), Qt::AlignRight | Qt::AlignVCenter,
                   QFontMetrics(f).elidedText(name, Qt::ElideRight, nameW - 4));
        const QRectF track(barX, y + rowH * 0.18, barW, rowH * 0.64);
        p.setPen(Qt::NoPen);
        p.setBrush(pal.color(QPalette::AlternateBase));
        p.drawRoundedRect(track, 2, 2);
        QColor fill = k == best ? (best == m_label || m_label < 0 ? accent : QColor(200, 50, 50)) : pal.color(QPalette::Mid);
        p.setBrush(fill);
        p.drawRoundedRect(QRectF(track.x(), track.y(), std::max(1.0, track.width() * double(prob)), track.height()), 2, 2);
        if (isLabel) {
            p.setPen(QPen(pal.color(QPalette::WindowText), 1.2));
            p.setBrush(Qt::NoBrush);
            p.drawRoundedRect(track.adjusted(-1, -1, 1, 1), 2, 2);
        }
        p.setFont(font());
        p.setPen(k == best ? pal.color(QPalette::WindowText) : pal.color(QPalette::PlaceholderText));
        p.drawText(QRect(barX + barW + 4, y, pctW, rowH), Qt::AlignLeft | Qt::AlignVCenter,
                   QString::number(double(prob) * 100, 'f', 1) + QLatin1Char('%'));
    }
}
