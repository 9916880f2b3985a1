// GradientNormChart: the size of each layer's weight gradient, ||dW||, step
// after step (one line per layer with parameters, log scale). Vanishing or
// exploding gradients, and the first layers learning slower than the last,
// show up here. Points arrive with the snapshots (the last step before each);
// at maxPoints per line, each two neighbours become one: their geometric
// mean (the mean on the log axis), at their mean step. So a long run keeps
// few points, each the typical norm of a stretch of steps: late in a run
// the norms of single steps jump by decades, and a line through all of them
// filled the chart with strokes that took Qt Charts milliseconds to draw.
// The chart is redrawn a few times a second, and not at all while out of
// sight (isSeen).
#pragma once

#include <QList>
#include <QPointF>
#include <QString>
#include <QWidget>

#include <vector>

class QChart;
class QChartView;
class QLineSeries;
class QLogValueAxis;
class CatchUp;
class RateLimiter;
class QValueAxis;

struct LayerGradientNorm {
    QString layer; // "conv2d", "dense_1"...
    double norm = 0; // ||dW|| (Frobenius) of the kernel
};

class GradientNormChart : public QWidget {
    Q_OBJECT

public:
    static constexpr int maxPoints = 512;
    static constexpr int showMs = 250; // at most 4 redraws a second

    explicit GradientNormChart(QWidget* parent = nullptr);

    void append(quint64 step, const std::vector<LayerGradientNorm>& norms);
    void clear();

    int lineCount() const { return int(m_lines.size()); }
    int pointCount(int line) const;
    QList<QPointF> points(int line) const;
    QChartView* view() const { return m_view; }

protected:
    void showEvent(QShowEvent* event) override;

private:
    // One line per layer: its points, and the series that shows them (made
    // when the chart is first shown).
    struct Line {
        QString layer;
        QList<QPointF> points;
        QLineSeries* series = nullptr;
    };
    int lineFor(const QString& layer);
    // Halves a line's points (pairs into their geometric mean), and fits
    // the bounds to what is left.
    void halve(QList<QPointF>& points);
    void scheduleShow();
    // Hands the points to the chart and fits the axes to them.
    void showPoints();

    QChart* m_chart = nullptr;
    QChartView* m_view = nullptr;
    QValueAxis* m_x = nullptr;
    QLogValueAxis* m_y = nullptr;
    RateLimiter* m_shows = nullptr;
    CatchUp* m_catchUp = nullptr; // points came while it was out of sight
    std::vector<Line> m_lines;
    quint64 m_lastStep = 0;
    double m_low = 0, m_high = 0;
    bool m_any = false;
};
