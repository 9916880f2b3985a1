// ConfusionMatrixView: which classes the model mixes up, as a k x k grid.
//
// Row = the true class, column = the class predicted; each cell shows its
// count. The diagonal (right answers) is shaded green by the row's share,
// the other cells red by their share of the row, so a class that is often
// taken for another stands out whatever the class sizes. Hovering names the
// cell; a click emits cellClicked(true, predicted) (the window then shows
// those images).
#pragma once

#include <QStringList>
#include <QPixmap>
#include <QWidget>

#include <cstddef>
#include <cstdint>
#include <vector>

class ConfusionMatrixView : public QWidget {
    Q_OBJECT

public:
    explicit ConfusionMatrixView(QWidget* parent = nullptr);

    // confusion[true * classes + predicted] (cs::Evaluation's layout).
    void setConfusion(const std::vector<std::size_t>& confusion, int classes);
    // Counts them from labels and predictions (same length).
    void setPredictions(const std::vector<std::uint8_t>& labels, const std::vector<std::uint8_t>& predictions,
                        int classes);
    void setClassNames(const QStringList& names);
    void setCaption(const QString& caption);
    // Greyed: the weights or the data changed since this evaluation.
    void setStale(bool stale);
    bool isStale() const { return m_stale; }
    // What an empty matrix says.
    void setEmptyText(const QString& text);
    QString caption() const { return m_caption; }
    void clear();

    int classes() const { return m_classes; }
    std::size_t count(int trueClass, int predicted) const;
    std::size_t total() const;
    std::size_t correct() const;
    // The selected cell (after a click), {-1, -1} if none.
    int selectedTrue() const { return m_selTrue; }
    int selectedPredicted() const { return m_selPred; }
    void setSelected(int trueClass, int predicted);
    // Where cell (true, predicted) is drawn (tests, hit-testing).
    QRect cellRect(int trueClass, int predicted) const;

    QSize sizeHint() const override { return {360, 360}; }
    QSize minimumSizeHint() const override { return {220, 220}; }

    static std::vector<std::size_t> count(const std::vector<std::uint8_t>& labels,
                                          const std::vector<std::uint8_t>& predictions, int classes);

signals:
    void cellClicked(int trueClass, int predicted);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void leaveEvent(QEvent* event) override;

private:
    QRect gridRect() const;
    QString name(int k) const;
    bool cellAt(const QPoint& pos, int& trueClass, int& predicted) const;

    std::vector<std::size_t> m_counts;
    int m_classes = 0;
    QStringList m_names;
    QString m_caption;
    QString m_emptyText = tr("Evaluate the model to see which classes it confuses.");
    bool m_stale = false;
    int m_selTrue = -1, m_selPred = -1;
    int m_hoverTrue = -1, m_hoverPred = -1;
    // The cells as last drawn (paintEvent), until the counts change.
    QPixmap m_cells;
    QFont m_cellsFont; // the font they were drawn in (presentation mode enlarges it)
    bool m_cellsDirty = true;
};
