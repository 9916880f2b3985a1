#include "gradientnormchart.h"

#include <QChart>
#include <QChartView>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

GradientNormChart::GradientNormChart(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("gradientNormChart"));
    m_chart = new QChart;
    m_chart->setTitle(tr("Weight gradient per layer, ||dW||"));
    m_chart->legend()->setAlignment(Qt::AlignRight);
    m_chart->legend()->setFont(QFont(m_chart->legend()->font().family(), 8));
    m_chart->setMargins(QMargins(2, 2, 2, 2));
    m_x = new QValueAxis;
    m_x->setTitleText(tr("step"));
    m_x->setLabelFormat(QStringLiteral("%d"));
    m_x->setRange(0, 1);
    m_y = new QLogValueAxis;
    m_y->setLabelFormat(QStringLiteral("%.0e"));
    m_y->setBase(10);
    m_y->setRange(1e-4, 1);
    m_chart->addAxis(m_x, Qt::AlignBottom);
    m_chart->addAxis(m_y, Qt::AlignLeft);
    m_view = new QChartView(m_chart, this);
    m_view->setRenderHint(QPainter::Antialiasing);
    m_view->setToolTip(tr("The norm of each layer's kernel gradient at the last step before each update of the "
                          "display"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view);
}

QLineSeries* GradientNormChart::seriesFor(const QString& layer)
{
    for (QLineSeries* s : m_series)
        if (s->name() == layer) return s;
    auto* s = new QLineSeries;
    s->setName(layer);
    m_chart->addSeries(s);
    s->attachAxis(m_x);
    s->attachAxis(m_y);
    m_series.push_back(s);
    return s;
}

int GradientNormChart::pointCount(int line) const
{
    return line >= 0 && line < int(m_series.size()) ? int(m_series[std::size_t(line)]->count()) : 0;
}

void GradientNormChart::append(quint64 step, const std::vector<LayerGradientNorm>& norms)
{
    if (m_any && step < m_lastStep) clear(); // a reset or another model: start again
    if (m_any && step == m_lastStep) return;
    bool added = false;
    for (const LayerGradientNorm& n : norms) {
        if (!(n.norm > 0) || !std::isfinite(n.norm)) continue; // a log axis cannot show 0
        QLineSeries* s = seriesFor(n.layer);
        if (s->count() >= maxPoints) {
            QList<QPointF> kept;
            const QList<QPointF> all = s->points();
            for (qsizetype i = 0; i < all.size(); i += 2) kept.append(all[i]);
            s->replace(kept);
        }
        s->append(double(step), n.norm);
        m_low = m_any ? std::min(m_low, n.norm) : n.norm;
        m_high = m_any ? std::max(m_high, n.norm) : n.norm;
        m_any = added = true;
    }
    if (!added) return;
    m_lastStep = step;
    rescale();
}

void GradientNormChart::clear()
{
    for (QLineSeries* s : m_series) {
        m_chart->removeSeries(s);
        delete s;
    }
    m_series.clear();
    m_any = false;
    m_lastStep = 0;
    m_x->setRange(0, 1);
    m_y->setRange(1e-4, 1);
}

void GradientNormChart::rescale()
{
    double first = double(m_lastStep);
    for (QLineSeries* s : m_series)
        if (s->count()) first = std::min(first, s->at(0).x());
    m_x->setRange(first, std::max(first + 1, double(m_lastStep)));
    // Whole decades around the values.
    const double lo = std::pow(10.0, std::floor(std::log10(m_low)));
    const double hi = std::pow(10.0, std::ceil(std::log10(m_high)));
    m_y->setRange(lo, hi > lo ? hi : lo * 10);
}
