#include "curveswidget.h"

#include "hairlines.h"
#include "plotband.h"
#include "ratelimiter.h"

#include "step_log.hpp"

#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QFile>
#include <QGraphicsSimpleTextItem>
#include <QHBoxLayout>
#include <QLabel>
#include <QLegendMarker>
#include <QLineSeries>
#include <QGraphicsLayout>
#include <QLogValueAxis>
#include <QToolTip>
#include <QValueAxis>
#include <QVBoxLayout>
#include <QCursor>

#include <algorithm>
#include <cmath>
#include <tuple>

namespace {

// Qt Charts strokes every drawn line for its hover shape: the cost of a
// redraw grows with the points drawn, and it is paid on the GUI thread,
// which shares the machine with the training.
constexpr int maxPoints = 1200;  // per raw series (a band of at most 600 columns beyond that), per test series
// Per smoothed series at most: a smooth line needs few. The live ones take
// a point per 2 pixel columns (smoothPointsFor): a mean of fewer steps
// zigzags again on a late run's log axis.
constexpr int smoothPoints = 600;
constexpr int redrawMs = 150;    // at most ~7 redraws a second
constexpr double emaBeta = 0.95; // smoothing of the per-step curves

const QColor lossColor(0x1f, 0x77, 0xb4);
const QColor accColor(0x2c, 0xa0, 0x2c);
const QColor testColor(0xe6, 0x6a, 0x00);
const QColor markerColor(0x7b, 0x4f, 0x9d);

QLineSeries* makeSeries(QChart* chart, const QString& name, QColor color, qreal width)
{
    auto* s = new QLineSeries(chart);
    s->setName(name);
    QPen pen(color, width);
    pen.setCosmetic(true);
    s->setPen(pen);
    chart->addSeries(s);
    return s;
}

QChart* makeChart(const QString& title)
{
    auto* chart = new QChart;
    chart->setTitle(title);
    QFont f = chart->titleFont();
    f.setBold(true);
    f.setPointSizeF(f.pointSizeF() * 1.0);
    chart->setTitleFont(f);
    chart->setMargins(QMargins(4, 2, 8, 2));
    chart->setBackgroundRoundness(0);
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->legend()->setFont(QFont(chart->legend()->font().family(), 8));
    chart->setAnimationOptions(QChart::NoAnimation);
    return chart;
}

QValueAxis* makeAxis(const QString& title, const QString& format)
{
    auto* a = new QValueAxis;
    a->setTitleText(title);
    a->setLabelFormat(format);
    QFont f = a->labelsFont();
    f.setPointSizeF(8);
    a->setLabelsFont(f);
    a->setTitleFont(f);
    a->setMinorTickCount(1);
    return a;
}

// The exponential moving average of `values`, debiased as Adam's moments
// (the first steps are not pulled to 0): what appendSteps computes as steps
// come. A point that is the mean of k steps moves the average as k steps
// of that value would.
StepCurve smoothed(const cs::StepSeries& values)
{
    std::vector<float> points(values.size());
    double avg = 0;
    for (std::size_t i = 0; i < values.size(); ++i) {
        const double k = double(values.steps_in(i));
        const double keep = std::pow(emaBeta, k);
        avg = keep * avg + (1 - keep) * double(values[i]);
        points[i] = float(avg / (1 - std::pow(emaBeta, double(values.first_step(i)) + k)));
    }
    StepCurve out;
    out.assign(cs::StepSeries(std::move(points), values.steps_per_point(), values.steps()));
    return out;
}

} // namespace

CurvesWidget::CurvesWidget(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("curvesWidget"));

    m_lossChart = makeChart(tr("Loss (cross-entropy)"));
    m_rawLoss = makeSeries(m_lossChart, tr("train, per step"), QColor(lossColor.red(), lossColor.green(), lossColor.blue(), 70), 1);
    m_rawLoss->setObjectName(QStringLiteral("lossSeries"));
    m_rawLossBand = std::make_unique<PlotBand>(m_lossChart, m_rawLoss,
                                               QColor(lossColor.red(), lossColor.green(), lossColor.blue(), 90));
    m_emaLoss = makeSeries(m_lossChart, tr("train, smoothed"), lossColor, 2);
    m_emaLoss->setObjectName(QStringLiteral("smoothedLossSeries"));
    m_testLoss = makeSeries(m_lossChart, tr("test"), testColor, 1.5);
    m_testLoss->setObjectName(QStringLiteral("testLossSeries"));
    m_testLoss->setMarkerSize(4);
    m_lossX = makeAxis(tr("step"), QStringLiteral("%d"));
    m_lossY = makeAxis(tr("loss"), QStringLiteral("%.2f"));
    m_lossLogY = new QLogValueAxis(this); // owned by the chart while shown, by us otherwise
    m_lossLogY->setTitleText(tr("loss (log)"));
    m_lossLogY->setLabelFormat(QStringLiteral("%g"));
    m_lossLogY->setBase(10);
    m_lossLogY->setMinorTickCount(8);
    m_lossLogY->setLabelsFont(m_lossY->labelsFont());
    m_lossLogY->setTitleFont(m_lossY->titleFont());
    m_lossChart->addAxis(m_lossX, Qt::AlignBottom);
    m_lossChart->addAxis(m_lossY, Qt::AlignLeft);
    useHairlines(m_lossX);
    useHairlines(m_lossY);
    for (QLineSeries* s : {m_rawLoss, m_emaLoss, m_testLoss}) {
        s->attachAxis(m_lossX);
        s->attachAxis(m_lossY);
    }

    m_accChart = makeChart(tr("Accuracy"));
    m_rawAcc = makeSeries(m_accChart, tr("train, per step"), QColor(accColor.red(), accColor.green(), accColor.blue(), 70), 1);
    m_rawAcc->setObjectName(QStringLiteral("accuracySeries"));
    m_rawAccBand = std::make_unique<PlotBand>(m_accChart, m_rawAcc,
                                              QColor(accColor.red(), accColor.green(), accColor.blue(), 90));
    m_emaAcc = makeSeries(m_accChart, tr("train, smoothed"), accColor, 2);
    m_testAcc = makeSeries(m_accChart, tr("test"), testColor, 1.5);
    m_testAcc->setObjectName(QStringLiteral("testAccuracySeries"));
    m_testAcc->setMarkerSize(4);
    m_accX = makeAxis(tr("step"), QStringLiteral("%d"));
    m_accY = makeAxis(tr("accuracy"), QStringLiteral("%.2f"));
    m_accChart->addAxis(m_accX, Qt::AlignBottom);
    m_accChart->addAxis(m_accY, Qt::AlignLeft);
    useHairlines(m_accX);
    useHairlines(m_accY);
    for (QLineSeries* s : {m_rawAcc, m_emaAcc, m_testAcc}) {
        s->attachAxis(m_accX);
        s->attachAxis(m_accY);
    }

    // Hover read-outs.
    for (QLineSeries* s : {m_rawLoss, m_emaLoss, m_testLoss, m_rawAcc, m_emaAcc, m_testAcc})
        connect(s, &QXYSeries::hovered, this, [this, s](const QPointF& p, bool state) { hovered(s, p, state); });

    m_lossView = new QChartView(m_lossChart, this);
    m_lossView->setObjectName(QStringLiteral("lossChartView"));
    m_lossView->setRenderHint(QPainter::Antialiasing);
    m_accView = new QChartView(m_accChart, this);
    m_accView->setObjectName(QStringLiteral("accuracyChartView"));
    m_accView->setRenderHint(QPainter::Antialiasing);
    connect(m_lossChart, &QChart::plotAreaChanged, this, [this] {
        placeMarkers();
        m_rawLossBand->redraw();
    });
    connect(m_accChart, &QChart::plotAreaChanged, this, [this] { m_rawAccBand->redraw(); });

    m_logCheck = new QCheckBox(tr("Log scale for the loss"), this);
    m_logCheck->setObjectName(QStringLiteral("logScaleCheck"));
    m_logCheck->setToolTip(tr("Show the loss on a logarithmic axis: late progress stays visible"));
    connect(m_logCheck, &QCheckBox::toggled, this, &CurvesWidget::setLogScale);
    auto* hint = new QLabel(this); // its text: updateHint()
    hint->setForegroundRole(QPalette::PlaceholderText);
    hint->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_hint = hint;
    updateHint();

    m_axisNote = new QLabel(this);
    m_axisNote->setObjectName(QStringLiteral("lossAxisNote"));
    // Coloured through the palette: a style sheet would keep the window's
    // font (Presentation's larger one) from reaching the label.
    QPalette notePalette = m_axisNote->palette();
    notePalette.setColor(QPalette::WindowText, QColor(0xb0, 0x60, 0x00));
    m_axisNote->setPalette(notePalette);
    m_axisNote->hide();
    auto* top = new QHBoxLayout;
    top->addWidget(m_logCheck);
    top->addWidget(m_axisNote);
    top->addSpacing(12);
    top->addWidget(hint, 1);
    auto* charts = new QHBoxLayout;
    charts->setSpacing(4);
    charts->addWidget(m_lossView);
    charts->addWidget(m_accView);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 2, 4, 2);
    layout->setSpacing(2);
    layout->addLayout(top);
    m_runsLegend = new QLabel(this);
    m_runsLegend->setObjectName(QStringLiteral("runsLegend"));
    m_runsLegend->setTextFormat(Qt::RichText);
    m_runsLegend->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_runsLegend->setToolTip(tr("Earlier runs drawn over this one: check them in the Runs panel"));
    m_runsLegend->hide();
    layout->addWidget(m_runsLegend);
    layout->addLayout(charts, 1);

    m_redraws = new RateLimiter(redrawMs, this, [this] { redraw(); });
    redraw();
}

CurvesWidget::~CurvesWidget() = default;

QXYSeries* CurvesWidget::lossSeries() const
{
    return m_rawLoss;
}

QXYSeries* CurvesWidget::smoothedLossSeries() const
{
    return m_emaLoss;
}

QXYSeries* CurvesWidget::testLossSeries() const
{
    return m_testLoss;
}

void CurvesWidget::clear()
{
    m_loss.clear();
    m_acc.clear();
    m_lossEma.clear();
    m_accEma.clear();
    m_epochStarts.clear();
    m_evals.clear();
    m_events.clear();
    m_lossAvg = m_accAvg = 0;
    for (Marker& m : m_markers) {
        m_lossChart->removeSeries(m.lossLine);
        m_accChart->removeSeries(m.accLine);
        delete m.lossLine;
        delete m.accLine;
        delete m.label;
    }
    m_markers.clear();
    scheduleRedraw();
}

void CurvesWidget::setHistory(const cs::TrainingHistory& h)
{
    clear();
    m_loss.assign(h.loss);
    m_acc.assign(h.accuracy);
    m_lossEma = smoothed(h.loss);
    m_accEma = smoothed(h.accuracy);
    // Where the live EMAs go on from (before debiasing).
    const double debias = 1 - std::pow(emaBeta, double(h.steps()));
    m_lossAvg = m_lossEma.empty() ? 0 : double(m_lossEma[m_lossEma.size() - 1]) * debias;
    m_accAvg = m_accEma.empty() ? 0 : double(m_accEma[m_accEma.size() - 1]) * debias;
    // The file has no epoch per step, but each evaluation says at which step
    // it was taken and the Trainer's epoch after that step: the epoch of the
    // steps that follow it (an evaluation at the end of epoch 0 says 1).
    for (const cs::EpochRecord& r : h.evaluations)
        if (r.step < h.steps() && (m_epochStarts.empty() || m_epochStarts.back().second != r.epoch))
            m_epochStarts.emplace_back(r.step + 1, quint32(r.epoch));
    appendEvaluations(h.evaluations);
    scheduleRedraw();
}

void CurvesWidget::appendSteps(quint64 firstStep, const std::vector<float>& losses, const std::vector<float>& accuracies,
                               const std::vector<quint32>& epochs)
{
    if (losses.empty()) return;
    // Steps always arrive in order; a gap (a snapshot lost) would shift x.
    if (firstStep != m_loss.steps() + 1)
        for (StepCurve* c : {&m_loss, &m_acc, &m_lossEma, &m_accEma}) c->padTo(firstStep - 1);
    for (std::size_t i = 0; i < losses.size(); ++i) {
        const float l = losses[i], a = i < accuracies.size() ? accuracies[i] : NAN;
        m_loss.push_back(l);
        m_acc.push_back(a);
        const quint32 epoch = i < epochs.size() ? epochs[i] : 0;
        if (m_epochStarts.empty() || m_epochStarts.back().second != epoch)
            m_epochStarts.emplace_back(m_loss.steps(), epoch);
        // EMA, debiased as Adam's moments (the first steps are not pulled to 0).
        m_lossAvg = emaBeta * m_lossAvg + (1 - emaBeta) * double(l);
        m_accAvg = emaBeta * m_accAvg + (1 - emaBeta) * double(a);
        const double debias = 1 - std::pow(emaBeta, double(m_loss.steps()));
        m_lossEma.push_back(float(m_lossAvg / debias));
        m_accEma.push_back(float(m_accAvg / debias));
    }
    scheduleRedraw();
}

void CurvesWidget::appendEvaluations(const std::vector<cs::EpochRecord>& evaluations)
{
    if (evaluations.empty()) return;
    m_evals.insert(m_evals.end(), evaluations.begin(), evaluations.end());
    scheduleRedraw();
}

void CurvesWidget::addEvent(const TrainingEvent& event)
{
    m_events.push_back(event);
    Marker m;
    QPen pen(markerColor, 1, Qt::DashLine);
    pen.setCosmetic(true);
    const QString text = tr("step %1: %2").arg(event.step).arg(event.text);
    auto line = [&](QChart* chart, QAbstractAxis* x, QAbstractAxis* y) {
        auto* s = new QLineSeries(chart);
        s->setPen(pen);
        s->setName(event.text);
        chart->addSeries(s);
        s->attachAxis(x);
        s->attachAxis(y);
        for (QLegendMarker* lm : chart->legend()->markers(s)) lm->setVisible(false);
        connect(s, &QXYSeries::hovered, this, [text](const QPointF&, bool state) {
            if (state) QToolTip::showText(QCursor::pos(), text);
            else QToolTip::hideText();
        });
        return s;
    };
    m.lossLine = line(m_lossChart, m_lossX, m_axisLog ? static_cast<QAbstractAxis*>(m_lossLogY) : m_lossY);
    m.accLine = line(m_accChart, m_accX, m_accY);
    m.label = new QGraphicsSimpleTextItem(event.text, m_lossChart);
    m.label->setBrush(markerColor);
    QFont f = m.label->font();
    f.setPointSizeF(7.5);
    m.label->setFont(f);
    m_markers.push_back(m);
    scheduleRedraw();
}

void CurvesWidget::setRunCurves(const std::vector<RunCurve>& runs)
{
    std::vector<RunOverlay> kept;
    for (const RunCurve& run : runs) {
        if (!run.history) continue;
        const auto same = std::find_if(m_runs.begin(), m_runs.end(),
                                       [&](const RunOverlay& r) { return r.history == run.history; });
        RunOverlay r;
        if (same != m_runs.end()) {
            r = std::move(*same);
            m_runs.erase(same);
        } else {
            r.history = run.history;
            r.lossEma = smoothed(r.history->loss);
            r.accEma = smoothed(r.history->accuracy);
            r.lossPoints = r.lossEma.means(1, smoothPoints);
            r.accPoints = r.accEma.means(1, smoothPoints);
            std::tie(r.lossLo, r.lossHi) = r.lossEma.bounds();
            r.accLo = r.accEma.bounds().first;
            // A little transparent: the current run's curves show through.
            const QColor colour(run.colour.red(), run.colour.green(), run.colour.blue(), 210);
            r.loss = makeSeries(m_lossChart, run.name, colour, 1.5);
            r.loss->attachAxis(m_lossX);
            r.loss->attachAxis(m_axisLog ? static_cast<QAbstractAxis*>(m_lossLogY) : m_lossY);
            r.acc = makeSeries(m_accChart, run.name, colour, 1.5);
            r.acc->attachAxis(m_accX);
            r.acc->attachAxis(m_accY);
            for (QLineSeries* s : {r.loss, r.acc})
                connect(s, &QXYSeries::hovered, this, [this, s](const QPointF& p, bool state) {
                    for (const RunOverlay& o : m_runs)
                        if (o.loss == s || o.acc == s) hoveredRun(o, p, state);
                });
        }
        r.name = run.name;
        for (QLineSeries* s : {r.loss, r.acc}) {
            s->setName(run.name);
            QPen pen = s->pen();
            pen.setColor(QColor(run.colour.red(), run.colour.green(), run.colour.blue(), 210));
            s->setPen(pen);
        }
        kept.push_back(std::move(r));
    }
    // Runs no longer shown: their series go (an empty list costs nothing).
    for (RunOverlay& r : m_runs) {
        m_lossChart->removeSeries(r.loss);
        m_accChart->removeSeries(r.acc);
        delete r.loss;
        delete r.acc;
    }
    m_runs = std::move(kept);
    m_runsDirty = true;
    updateRunsLegend();
    scheduleRedraw();
}

QList<QXYSeries*> CurvesWidget::runLossSeries() const
{
    QList<QXYSeries*> out;
    for (const RunOverlay& r : m_runs) out << r.loss;
    return out;
}

QList<QXYSeries*> CurvesWidget::runAccuracySeries() const
{
    QList<QXYSeries*> out;
    for (const RunOverlay& r : m_runs) out << r.acc;
    return out;
}

void CurvesWidget::hoveredRun(const RunOverlay& run, const QPointF& point, bool state)
{
    if (!state) {
        QToolTip::hideText();
        return;
    }
    const quint64 step = quint64(std::max(1.0, std::round(point.x())));
    QString text = tr("%1, step %2").arg(run.name).arg(step);
    const std::size_t i = run.lossEma.series().point_of_step(step - 1);
    if (i < run.lossEma.size())
        text += tr("\nloss %1 (smoothed)\naccuracy %2% (smoothed)")
                    .arg(double(run.lossEma[i]), 0, 'f', 4)
                    .arg(double(run.accEma[i]) * 100, 0, 'f', 1);
    QToolTip::showText(QCursor::pos(), text);
}

void CurvesWidget::setLogScale(bool on)
{
    if (on == m_log) return;
    m_log = on;
    {
        const QSignalBlocker block(m_logCheck);
        m_logCheck->setChecked(on);
    }
    redraw();
}

void CurvesWidget::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    fitToHeight();
}

void CurvesWidget::fitToHeight()
{
    // Short charts (a projector's screen): the plot gets the room that the
    // legends and the axis titles took; the hint line names the series.
    // (Presentation's larger type needs proportionally more.)
    const bool roomy = m_lossView->height() >= int(230 * m_textScale);
    for (QChart* chart : {m_lossChart, m_accChart}) {
        chart->legend()->setVisible(roomy);
        // Qt Charts' default margins (20 px around the plot, 9 around the
        // chart) are a third of a short chart's height.
        chart->setMargins(roomy ? QMargins(20, 20, 20, 20) : QMargins(4, 2, 8, 2));
        chart->layout()->setContentsMargins(roomy ? 9 : 2, roomy ? 9 : 2, roomy ? 9 : 2, roomy ? 9 : 2);
        for (QAbstractAxis* axis : chart->axes()) axis->setTitleVisible(roomy);
    }
    m_lossLogY->setTitleVisible(roomy);
    m_lossY->setTitleVisible(roomy);
    // Fewer ticks on a short axis: crowded labels are elided to "...".
    const int ticks = m_lossView->height() < 170 ? 3 : 5;
    m_accY->setTickCount(ticks);
    m_lossY->setTickCount(ticks);
    m_lossLogY->setBase(ticks == 3 ? 100 : 10); // a label every other decade
    m_roomy = roomy;
    updateHint();
}

void CurvesWidget::updateHint()
{
    m_hint->setText(m_roomy ? tr("Smoothed: exponential moving average (0.95), or the mean of each stretch of a long "
                                 "run. Test: 1,000 test images every 200 steps (or 400, 600... at full speed)")
                            : tr("faint: per step \u00b7 bold: smoothed \u00b7 orange: test (1,000 images, every 200+ steps)"));
    m_hint->setToolTip(tr("The test curve: the loss and accuracy on 1,000 test images, every 200 steps. Training at "
                          "full speed, a test takes place only every 400, 600... steps, as few as keep its cost "
                          "under 2% of the training time."));
}

void CurvesWidget::updateRunsLegend()
{
    // A line of its own, whatever the charts' height (their legends go on
    // short charts): which colour is which run.
    m_runsLegend->setVisible(!m_runs.empty());
    if (m_runs.empty()) return;
    const auto entry = [](const QColor& colour, const QString& name) {
        return QStringLiteral("<span style=\"color:%1\">\u2501\u2501</span>&nbsp;%2").arg(colour.name(), name.toHtmlEscaped());
    };
    QStringList entries{entry(lossColor, tr("this run"))};
    for (const RunOverlay& r : m_runs) entries << entry(r.loss->pen().color(), r.name);
    m_runsLegend->setText(tr("Smoothed curves of %1").arg(entries.join(QStringLiteral(" &nbsp; "))));
}

void CurvesWidget::setTextScale(double scale)
{
    m_textScale = scale;
    fitToHeight(); // what is roomy depends on the type's size
    auto sized = [scale](QFont f, double points) {
        f.setPointSizeF(points * scale);
        return f;
    };
    for (QChart* chart : {m_lossChart, m_accChart}) {
        QFont title = sized(chart->titleFont(), QFont().pointSizeF());
        title.setBold(true);
        chart->setTitleFont(title);
        chart->legend()->setFont(sized(chart->legend()->font(), 8));
        for (QAbstractAxis* axis : chart->axes()) {
            axis->setLabelsFont(sized(axis->labelsFont(), 8));
            axis->setTitleFont(sized(axis->titleFont(), 8));
        }
    }
    for (QAbstractAxis* axis : std::initializer_list<QAbstractAxis*>{m_lossY, m_lossLogY}) {
        axis->setLabelsFont(sized(axis->labelsFont(), 8));
        axis->setTitleFont(sized(axis->titleFont(), 8));
    }
}

bool CurvesWidget::outgrown(double axisLo, double axisHi, double lo, double hi)
{
    // Out of the range, or using less than 40% of it (a Reset, a clear).
    return lo < axisLo || hi > axisHi || (hi - lo) < 0.4 * (axisHi - axisLo);
}

bool CurvesWidget::lossRangeFlattens() const
{
    // On a linear axis from 0 to the highest loss, would most of the curve
    // lie in its bottom twentieth (the median against the maximum), because
    // the loss rose far above where the run started? A healthy run's
    // highest loss is its first (ln 10 = 2.3 for ten classes) and its curve
    // falls from there: that picture is the lesson, on a linear axis.
    // The median from the curve's histogram (12.5% is close enough for a
    // factor of 20), so that the test costs the same at any length.
    if (m_loss.finiteCount() < 20) return false;
    std::vector<float> first;
    for (std::size_t i = 0; i < m_loss.size() && first.size() < 10; ++i)
        if (std::isfinite(m_loss[i])) first.push_back(m_loss[i]);
    std::nth_element(first.begin(), first.begin() + 5, first.end());
    const double start = first[5];
    const double hi = m_loss.bounds().second;
    const double median = m_loss.approximateMedian();
    return hi > 20 * std::max(median, 1e-6) && hi > 4 * std::max(start, 1e-6);
}

void CurvesWidget::showAxis(bool on)
{
    if (on == m_axisLog) return;
    m_axisLog = on;
    // Emptied first (redraw() fills them again): a log axis warns about
    // every point at or below 0 attached to it.
    for (QAbstractSeries* s : m_lossChart->series())
        if (auto* xy = qobject_cast<QXYSeries*>(s)) xy->clear();
    m_rawLossBand->clear();
    m_runsDirty = true;
    QAbstractAxis* from = on ? static_cast<QAbstractAxis*>(m_lossY) : m_lossLogY;
    QAbstractAxis* to = on ? static_cast<QAbstractAxis*>(m_lossLogY) : m_lossY;
    m_lossChart->addAxis(to, Qt::AlignLeft);
    useHairlines(to); // the theme's pens came with the chart
    for (QAbstractSeries* s : m_lossChart->series()) {
        s->detachAxis(from);
        s->attachAxis(to);
    }
    m_lossChart->removeAxis(from); // the chart gives the axis back: keep it
    from->setParent(this);
}

void CurvesWidget::scheduleRedraw()
{
    // New steps come with the worker's pictures. Redrawn in the same turn of
    // the event loop, the charts share the window's repaint of the picture
    // (one flush of the window, not two: a redraw on a timer of its own made
    // one more every time). Sooner than redrawMs after the last redraw, the
    // next picture redraws them.
    m_redraws->request();
}

void CurvesWidget::redraw()
{
    m_redraws->ran();
    const std::uint64_t n = m_loss.steps();
    // Log when asked, or when a linear axis would flatten the curve.
    const bool flattens = !m_log && lossRangeFlattens();
    showAxis(m_log || flattens);
    m_axisNote->setVisible(flattens);
    if (flattens) {
        m_axisNote->setText(tr("log axis: the loss spans too wide a range for a linear one"));
        m_axisNote->setToolTip(tr("The loss reached values more than 20 times its median: on a linear axis the "
                                  "rest of the curve would be a flat line at the bottom."));
    }
    auto floorLog = [this](QList<QPointF> pts) {
        if (m_axisLog)
            for (QPointF& p : pts) p.setY(std::max(p.y(), 1e-6));
        return pts;
    };
    // Per step, a line while the steps are no more than twice the plot's
    // pixel columns, then the band of each column's lowest and highest step
    // (PlotBand: drawn once the axes below have their range). More points
    // than that only cost stroking: a semi-transparent line of 1200 points
    // took Qt Charts 10-30 ms a redraw.
    StepCurve::Band lossBand, accBand;
    const auto drawRaw = [&](const StepCurve& curve, QLineSeries* line, const QChart* chart, bool floored,
                             StepCurve::Band& band) {
        const int columns = std::clamp(int(chart->plotArea().width()), 100, maxPoints / 2);
        if (curve.size() <= std::size_t(2 * columns)) {
            const QList<QPointF> points = curve.everyPoint(1);
            line->replace(floored ? floorLog(points) : points);
            return;
        }
        if (line->count()) line->clear();
        band = curve.band(1, columns);
        if (floored) {
            band.upper = floorLog(std::move(band.upper));
            band.lower = floorLog(std::move(band.lower));
        }
    };
    drawRaw(m_loss, m_rawLoss, m_lossChart, true, lossBand);
    const auto smoothPointsFor = [](const QChart* chart) {
        return std::clamp(int(chart->plotArea().width()) / 2, 100, smoothPoints);
    };
    m_emaLoss->replace(floorLog(m_lossEma.means(1, smoothPointsFor(m_lossChart))));
    drawRaw(m_acc, m_rawAcc, m_accChart, false, accBand);
    m_emaAcc->replace(m_accEma.means(1, smoothPointsFor(m_accChart)));
    // Every evaluation while they are few, then an even sample of them and
    // the last (one every 200 steps: a long run has thousands to stroke).
    QList<QPointF> tl, ta;
    const std::size_t stride = std::max<std::size_t>(1, (m_evals.size() + maxPoints - 1) / maxPoints);
    for (std::size_t i = 0; i < m_evals.size(); i += stride) {
        const std::size_t k = i + stride < m_evals.size() ? i : m_evals.size() - 1; // the last always
        const cs::EpochRecord& r = m_evals[k];
        tl.append(QPointF(double(r.step), m_axisLog ? std::max(r.test_loss, 1e-6) : r.test_loss));
        ta.append(QPointF(double(r.step), r.test_accuracy));
    }
    m_testLoss->replace(tl);
    m_testAcc->replace(ta);
    if (m_runsDirty) {
        // Earlier runs do not change: their points go in once (and again
        // after a change of axis), not at every tick.
        m_runsDirty = false;
        for (const RunOverlay& r : m_runs) {
            r.loss->replace(floorLog(r.lossPoints));
            r.acc->replace(r.accPoints);
        }
    }
    // Markers while they are few; dozens of them made a band that hid the
    // training curve.
    m_testLoss->setPointsVisible(m_evals.size() <= 25);
    m_testAcc->setPointsVisible(m_evals.size() <= 25);

    // Axes follow the data, in nice steps, and only when the data leave
    // their range or shrink to a corner of it: each change of range makes
    // Qt Charts stroke every series of the chart again.
    std::uint64_t longest = n;
    for (const RunOverlay& r : m_runs) longest = std::max(longest, r.history->steps());
    const double xMax = std::max<double>(10, double(longest));
    for (QValueAxis* x : {m_lossX, m_accX})
        if (outgrown(x->min(), x->max(), 0, xMax)) {
            x->setRange(0, xMax);
            x->applyNiceNumbers();
        }
    auto [lo, hi] = m_loss.bounds();
    for (const cs::EpochRecord& r : m_evals) {
        lo = std::min(lo, r.test_loss);
        hi = std::max(hi, r.test_loss);
    }
    for (const RunOverlay& r : m_runs) {
        lo = std::min(lo, r.lossLo);
        hi = std::max(hi, r.lossHi);
    }
    if (!std::isfinite(lo)) {
        lo = 0.01;
        hi = 2.5;
    }
    if (m_axisLog) {
        const double low = std::max(lo * 0.8, 1e-6), high = std::max(hi * 1.25, lo * 2);
        // A decade of slack each way before it moves.
        const double axisLo = m_lossLogY->min(), axisHi = m_lossLogY->max();
        if (low < axisLo || high > axisHi || low > axisLo * 10 || high * 10 < axisHi)
            m_lossLogY->setRange(low, high);
    } else if (outgrown(m_lossY->min(), m_lossY->max(), 0, std::max(hi * 1.05, 0.1))) {
        m_lossY->setRange(0, std::max(hi * 1.05, 0.1));
        m_lossY->applyNiceNumbers();
    }
    auto [alo, ahi] = m_acc.bounds();
    for (const cs::EpochRecord& r : m_evals) alo = std::min(alo, r.test_accuracy);
    for (const RunOverlay& r : m_runs) alo = std::min(alo, r.accLo);
    if (!std::isfinite(alo)) alo = 0;
    const double accLo = std::max(0.0, std::floor(alo * 10) / 10);
    if (m_accY->min() != accLo || m_accY->max() != 1.0) m_accY->setRange(accLo, 1.0);
    (void)ahi;

    m_rawLossBand->show(std::move(lossBand));
    m_rawAccBand->show(std::move(accBand));
    placeMarkers();
}

void CurvesWidget::setCursorStep(std::optional<quint64> step)
{
    m_cursor = step;
    if (!m_cursorLoss) {
        QPen pen(QColor(0xb3, 0x59, 0x00), 2);
        pen.setCosmetic(true);
        auto line = [&](QChart* chart, QAbstractAxis* x, QAbstractAxis* y) {
            auto* s = new QLineSeries(chart);
            s->setPen(pen);
            s->setName(tr("step shown"));
            chart->addSeries(s);
            s->attachAxis(x);
            s->attachAxis(y);
            for (QLegendMarker* lm : chart->legend()->markers(s)) lm->setVisible(false);
            return s;
        };
        m_cursorLoss = line(m_lossChart, m_lossX, m_axisLog ? static_cast<QAbstractAxis*>(m_lossLogY) : m_lossY);
        m_cursorAcc = line(m_accChart, m_accX, m_accY);
    }
    placeMarkers();
}

void CurvesWidget::placeMarkers()
{
    if (m_cursorLoss) {
        if (m_cursor) {
            const double x = double(*m_cursor);
            const double lossLo = m_axisLog ? m_lossLogY->min() : m_lossY->min();
            const double lossHi = m_axisLog ? m_lossLogY->max() : m_lossY->max();
            m_cursorLoss->replace(QList<QPointF>{{x, lossLo}, {x, lossHi}});
            m_cursorAcc->replace(QList<QPointF>{{x, m_accY->min()}, {x, m_accY->max()}});
        } else {
            m_cursorLoss->clear();
            m_cursorAcc->clear();
        }
    }
    for (std::size_t i = 0; i < m_markers.size(); ++i) {
        const Marker& m = m_markers[i];
        const double x = double(m_events[i].step) + 0.5;
        const double lossLo = m_axisLog ? m_lossLogY->min() : m_lossY->min();
        const double lossHi = m_axisLog ? m_lossLogY->max() : m_lossY->max();
        m.lossLine->replace(QList<QPointF>{{x, lossLo}, {x, lossHi}});
        m.accLine->replace(QList<QPointF>{{x, m_accY->min()}, {x, m_accY->max()}});
        const QPointF top = m_lossChart->mapToPosition(QPointF(x, lossHi), m.lossLine);
        // Labels of close markers are stacked so that they do not overlap;
        // near the right edge a label goes to the left of its line.
        const double w = m.label->boundingRect().width();
        const double lx = top.x() + 3 + w > m_lossChart->plotArea().right() ? top.x() - 3 - w : top.x() + 3;
        m.label->setPos(lx, top.y() + 2 + double(i % 3) * 11);
        m.label->setVisible(m_lossChart->plotArea().contains(top + QPointF(0, 1)));
    }
}

void CurvesWidget::hovered(const QLineSeries* series, const QPointF& point, bool state)
{
    if (!state) {
        QToolTip::hideText();
        return;
    }
    const quint64 step = quint64(std::max(1.0, std::round(point.x())));
    const std::size_t i = m_loss.series().point_of_step(step - 1);
    QString text = tr("step %1").arg(step);
    if (i < m_loss.size()) {
        // A long run keeps means of several steps (StepCurve): say which.
        const std::uint64_t first = m_loss.series().first_step(i) + 1, count = m_loss.series().steps_in(i);
        if (count > 1) text = tr("steps %1-%2 (their mean)").arg(first).arg(first + count - 1);
        text += tr(" (epoch %1)\nloss %2, smoothed %3\naccuracy %4%, smoothed %5%")
                    .arg(epochOf(step) + 1)
                    .arg(double(m_loss[i]), 0, 'f', 4)
                    .arg(double(m_lossEma[i]), 0, 'f', 4)
                    .arg(double(m_acc[i]) * 100, 0, 'f', 1)
                    .arg(double(m_accEma[i]) * 100, 0, 'f', 1);
    }
    // On a test curve, the evaluation nearest the pointer (its markers are
    // sparse); elsewhere the one of this very step, if any.
    const bool testCurve = series == m_testLoss || series == m_testAcc;
    for (const cs::EpochRecord& r : m_evals)
        if (r.step == step || (testCurve && std::abs(double(r.step) - point.x()) < 0.5 + double(m_loss.steps()) / 200))
            text += tr("\ntest loss %1, test accuracy %2%").arg(r.test_loss, 0, 'f', 4).arg(r.test_accuracy * 100, 0, 'f', 1);
    QToolTip::showText(QCursor::pos(), text);
}

bool CurvesWidget::writeCsv(const QString& path, QString* error) const
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        *error = f.errorString();
        return false;
    }
    // A row per point: per step while the run is short, then the mean of
    // the steps a point holds, dated by its last step.
    std::string csv(cs::step_log_header);
    const cs::StepSeries& loss = m_loss.series();
    for (std::size_t i = 0; i < loss.size(); ++i) {
        const std::uint64_t last = loss.first_step(i) + loss.steps_in(i);
        csv += cs::step_log_line(last, epochOf(last), m_loss[i], m_acc[i]);
    }
    if (f.write(csv.data(), qint64(csv.size())) != qint64(csv.size()) || !f.flush()) {
        *error = f.errorString();
        return false;
    }
    return true;
}

quint32 CurvesWidget::epochOf(quint64 step) const
{
    const auto after = std::upper_bound(m_epochStarts.begin(), m_epochStarts.end(), step,
                                        [](quint64 s, const std::pair<quint64, quint32>& e) { return s < e.first; });
    return after == m_epochStarts.begin() ? 0 : std::prev(after)->second;
}
