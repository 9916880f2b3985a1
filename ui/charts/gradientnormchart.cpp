#include "gradientnormchart.h"

#include "hairlines.h"
#include "ratelimiter.h"

#include "visibility.h"

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
    useHairlines(m_x);
    useHairlines(m_y);
    m_view = new QChartView(m_chart, this);
    m_view->setRenderHint(QPainter::Antialiasing);
    m_view->setToolTip(tr("The norm of each layer's kernel gradient at the last step before each update of the "
                          "display"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view);
    m_shows = new RateLimiter(showMs, this, [this] { showPoints(); });
    // Painted again after points came while it was out of sight (its tab
    // chosen): show them.
    m_catchUp = new CatchUp(m_view->viewport(), [this] { showPoints(); });
}

int GradientNormChart::lineFor(const QString& layer)
{
    for (std::size_t i = 0; i < m_lines.size(); ++i)
        if (m_lines[i].layer == layer) return int(i);
    m_lines.push_back({layer, {}, nullptr});
    return int(m_lines.size()) - 1;
}

int GradientNormChart::pointCount(int line) const
{
    return int(points(line).size());
}

QList<QPointF> GradientNormChart::points(int line) const
{
    return line >= 0 && line < int(m_lines.size()) ? m_lines[std::size_t(line)].points : QList<QPointF>();
}

void GradientNormChart::halve(QList<QPointF>& points)
{
    qsizetype kept = 0;
    for (qsizetype i = 0; i + 1 < points.size(); i += 2)
        points[kept++] = QPointF((points[i].x() + points[i + 1].x()) / 2, std::sqrt(points[i].y() * points[i + 1].y()));
    if (points.size() % 2) points[kept++] = points.back();
    points.resize(kept);
    bool first = true;
    for (const Line& line : m_lines)
        for (const QPointF& p : line.points) {
            m_low = first ? p.y() : std::min(m_low, p.y());
            m_high = first ? p.y() : std::max(m_high, p.y());
            first = false;
        }
}

void GradientNormChart::append(quint64 step, const std::vector<LayerGradientNorm>& norms)
{
    if (m_any && step < m_lastStep) clear(); // a reset or another model: start again
    if (m_any && step == m_lastStep) return;
    bool added = false;
    for (const LayerGradientNorm& n : norms) {
        if (!(n.norm > 0) || !std::isfinite(n.norm)) continue; // a log axis cannot show 0
        QList<QPointF>& points = m_lines[std::size_t(lineFor(n.layer))].points;
        if (points.size() >= maxPoints) halve(points);
        points.append(QPointF(double(step), n.norm));
        m_low = m_any ? std::min(m_low, n.norm) : n.norm;
        m_high = m_any ? std::max(m_high, n.norm) : n.norm;
        m_any = added = true;
    }
    if (!added) return;
    m_lastStep = step;
    scheduleShow();
}

void GradientNormChart::clear()
{
    for (Line& line : m_lines) {
        if (!line.series) continue;
        m_chart->removeSeries(line.series);
        delete line.series;
    }
    m_lines.clear();
    m_any = false;
    m_lastStep = 0;
    m_x->setRange(0, 1);
    m_y->setRange(1e-4, 1);
}

void GradientNormChart::scheduleShow()
{
    // Points arrive with every picture (10-15 a second); each hand-over
    // makes Qt Charts stroke the lines again. A few times a second is
    // enough to watch, and nothing while the chart is out of sight (isSeen:
    // a tab behind another).
    // When due, the points are shown at once, with the picture that brought
    // them (one repaint of the window for both); the timer only catches the
    // last of a run.
    if (!isSeen(this)) {
        m_catchUp->arm();
        return;
    }
    m_shows->request();
}

void GradientNormChart::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    showPoints();
}

void GradientNormChart::showPoints()
{
    m_shows->ran();
    for (Line& line : m_lines) {
        if (!line.series) {
            line.series = new QLineSeries;
            line.series->setName(line.layer);
            m_chart->addSeries(line.series);
            line.series->attachAxis(m_x);
            line.series->attachAxis(m_y);
        }
        if (line.series->count() != line.points.size() ||
            (!line.points.isEmpty() && line.series->at(line.series->count() - 1) != line.points.back()))
            line.series->replace(line.points);
    }
    if (!m_any) return;
    double first = double(m_lastStep);
    for (const Line& line : m_lines)
        if (!line.points.isEmpty()) first = std::min(first, line.points.front().x());
    const double last = std::max(first + 1, double(m_lastStep));
    if (m_x->min() != first || m_x->max() != last) m_x->setRange(first, last);
    // Whole decades around the values.
    const double lo = std::pow(10.0, std::floor(std::log10(m_low)));
    const double hi = std::pow(10.0, std::ceil(std::log10(m_high)));
    const double top = hi > lo ? hi : lo * 10;
    if (m_y->min() != lo || m_y->max() != top) m_y->setRange(lo, top);
}
