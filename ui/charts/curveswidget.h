// CurvesWidget: the training curves (Qt Charts).
//
//   loss:     per step, raw (faint) and smoothed (EMA; once a pixel column
//             holds more steps than 600 points can show, the mean of its
//             steps), test loss at each evaluation; linear or log scale
//   accuracy: per step, raw and smoothed, test accuracy at each evaluation
// Hyperparameter changes are vertical markers with a label. Earlier runs
// can be drawn over the current one (their smoothed loss and accuracy, each
// in its run's colour, named in the legend); only those asked for cost
// anything, and their points are decimated once, when they are given. The
// history is kept in StepCurves (every step, then means of 2, 4, ... steps
// past 2^18: memory stops growing); what is drawn is decimated (the raw
// curves, once they have more steps than two per pixel column, a band
// between each column's lowest and highest; the smoothed ones a mean per
// bucket, at most 600 points; read from blocks of steps once the run is
// long) and redrawn at most ~7 times a second, each series replaced in
// one call, so millions of steps stay smooth.
#pragma once

#include "runhistory.h"
#include "stepcurve.h"
#include "trainingtypes.h"

#include <QWidget>

#include <memory>
#include <optional>
#include <vector>

class PlotBand;
class QCheckBox;
class QLabel;
class QChart;
class QChartView;
class QGraphicsSimpleTextItem;
class QLineSeries;
class QLogValueAxis;
class RateLimiter;
class QValueAxis;
class QXYSeries;

class CurvesWidget : public QWidget {
    Q_OBJECT

public:
    explicit CurvesWidget(QWidget* parent = nullptr);
    ~CurvesWidget() override;

    void clear();
    void setHistory(const cs::TrainingHistory& history);
    // Steps firstStep, firstStep + 1, ... (1-based).
    void appendSteps(quint64 firstStep, const std::vector<float>& losses, const std::vector<float>& accuracies,
                     const std::vector<quint32>& epochs);
    void appendEvaluations(const std::vector<cs::EpochRecord>& evaluations);
    void addEvent(const TrainingEvent& event);
    // A line across both charts at the step the timeline shows (history),
    // or none (live).
    void setCursorStep(std::optional<quint64> step);
    std::optional<quint64> cursorStep() const { return m_cursor; }
    // The earlier runs to draw, replacing those drawn so far (a run given
    // again keeps its series: only its name and colour are updated).
    void setRunCurves(const std::vector<RunCurve>& runs);
    // Their series, in the order given: smoothed loss, smoothed accuracy.
    QList<QXYSeries*> runLossSeries() const;
    QList<QXYSeries*> runAccuracySeries() const;
    void setLogScale(bool on);
    // The user's choice. The axis also turns logarithmic by itself while a
    // linear one would flatten the curve (a loss that exploded to 200 over
    // one that was 0.1): logAxisShown() says what is drawn.
    bool logScale() const { return m_log; }
    bool logAxisShown() const { return m_axisLog; }
    // Chart text larger (Presentation) or back to 1.
    void setTextScale(double scale);

    quint64 stepCount() const { return m_loss.steps(); }
    // Points kept per curve (steps, or means of steps in a long run: StepCurve).
    std::size_t pointCount() const { return m_loss.size(); }
    const std::vector<TrainingEvent>& events() const { return m_events; }
    QXYSeries* lossSeries() const;
    // The per-step loss of a long run: the lowest and highest of each pixel
    // column's steps (lossSeries() is then empty).
    const PlotBand& lossBand() const { return *m_rawLossBand; }
    QXYSeries* smoothedLossSeries() const;
    QXYSeries* testLossSeries() const;
    QLabel* runsLegend() const { return m_runsLegend; }
    QChartView* lossView() const { return m_lossView; }
    QChartView* accuracyView() const { return m_accView; }

    // The per-step log as CSV, as `convscope-cli train --log` writes it
    // (cs::step_log_line; epochs counted from 1). Past 2^18 steps a row is
    // the mean of the steps a point holds, dated by its last step.
    bool writeCsv(const QString& path, QString* error) const;
    // Draws now instead of at the next tick.
    void redraw();

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void scheduleRedraw();
    void showAxis(bool log);
    // Legends, axis titles, margins and ticks for the charts' height.
    void fitToHeight();
    bool lossRangeFlattens() const;
    // Whether an axis showing [axisLo, axisHi] must move to show [lo, hi].
    static bool outgrown(double axisLo, double axisHi, double lo, double hi);
    void placeMarkers();
    // The read-out for a point of `series` under the mouse.
    void hovered(const QLineSeries* series, const QPointF& point, bool state);
    void updateHint();
    void updateRunsLegend();

    // An earlier run's curves, smoothed and decimated once.
    struct RunOverlay {
        std::shared_ptr<const cs::TrainingHistory> history;
        QString name;
        StepCurve lossEma, accEma;
        QList<QPointF> lossPoints, accPoints;
        double lossLo = 0, lossHi = 0, accLo = 1;
        QLineSeries* loss = nullptr;
        QLineSeries* acc = nullptr;
    };
    void hoveredRun(const RunOverlay& run, const QPointF& point, bool state);
    std::vector<RunOverlay> m_runs;
    bool m_runsDirty = false; // their series need their points again
    bool m_roomy = true;      // legends shown
    StepCurve m_loss, m_acc, m_lossEma, m_accEma;
    // The epoch of each step, as (first step, epoch) where it changes.
    std::vector<std::pair<quint64, quint32>> m_epochStarts;
    quint32 epochOf(quint64 step) const;
    std::vector<cs::EpochRecord> m_evals;
    std::vector<TrainingEvent> m_events;
    double m_lossAvg = 0, m_accAvg = 0; // the EMAs before debiasing
    bool m_log = false;
    bool m_axisLog = false;
    double m_textScale = 1;
    QLabel* m_axisNote = nullptr;
    QLabel* m_hint = nullptr;
    QLabel* m_runsLegend = nullptr; // the colours of the runs drawn

    QChart* m_lossChart = nullptr;
    QChart* m_accChart = nullptr;
    QChartView* m_lossView = nullptr;
    QChartView* m_accView = nullptr;
    QLineSeries *m_rawLoss = nullptr, *m_emaLoss = nullptr, *m_testLoss = nullptr;
    QLineSeries *m_rawAcc = nullptr, *m_emaAcc = nullptr, *m_testAcc = nullptr;
    // A long run's per-step values (StepCurve::band); empty while the lines
    // above show every step.
    std::unique_ptr<PlotBand> m_rawLossBand, m_rawAccBand;
    QValueAxis *m_lossX = nullptr, *m_lossY = nullptr, *m_accX = nullptr, *m_accY = nullptr;
    QLogValueAxis* m_lossLogY = nullptr;
    struct Marker {
        QLineSeries* lossLine = nullptr;
        QLineSeries* accLine = nullptr;
        QGraphicsSimpleTextItem* label = nullptr;
    };
    std::vector<Marker> m_markers;
    std::optional<quint64> m_cursor;
    QLineSeries* m_cursorLoss = nullptr;
    QLineSeries* m_cursorAcc = nullptr;
    QCheckBox* m_logCheck = nullptr;
    RateLimiter* m_redraws = nullptr;
};
