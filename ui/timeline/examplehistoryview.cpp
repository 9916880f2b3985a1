#include "examplehistoryview.h"

#include "classlabels.h"
#include "examplehistorymodel.h"
#include "livelabel.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHelpEvent>
#include <QLabel>
#include <QLocale>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace {

// White-ish to dark along one hue: s = 0 unsure, 1 sure.
QRgb shade(double s, const double pale[3], const double dark[3])
{
    const auto mix = [s](double a, double b) { return int(std::lround(255 * (a + (b - a) * s))); };
    return qRgb(mix(pale[0], dark[0]), mix(pale[1], dark[1]), mix(pale[2], dark[2]));
}

constexpr double paleGreen[3] = {0.82, 0.94, 0.82}, darkGreen[3] = {0.08, 0.46, 0.18};
constexpr double paleRed[3] = {1.00, 0.84, 0.80}, darkRed[3] = {0.70, 0.07, 0.07};

// How a cell looks: green when right, darker as p(true) goes from a guess
// (0.2) to 1; red when wrong, darker as p(true) goes from 0.5 (nearly
// right) to 0 (sure of another class).
QRgb cellColor(bool right, float pTrue)
{
    if (right) return shade(std::clamp((double(pTrue) - 0.2) / 0.8, 0.0, 1.0), paleGreen, darkGreen);
    return shade(std::clamp(1.0 - double(pTrue) / 0.5, 0.0, 1.0), paleRed, darkRed);
}

// The pixel range [first, last) of cell i of n over `length` pixels: the
// pixels x with x * n / length == i (as cellAt reads them).
std::pair<int, int> span(int i, int n, int length)
{
    const auto edge = [n, length](int k) { return int((std::int64_t(k) * length + n - 1) / n); };
    return {edge(i), edge(i + 1)};
}

} // namespace

ExampleHistoryView::ExampleHistoryView(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("exampleHistoryView"));
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);

    m_topRow = new QWidget(this);
    auto* row = new QHBoxLayout(m_topRow);
    row->setContentsMargins(0, 0, 0, 0);
    auto* orderLabel = new QLabel(tr("Rows:"), m_topRow);
    m_orderBox = new QComboBox(m_topRow);
    m_orderBox->setObjectName(QStringLiteral("exampleOrder"));
    m_orderBox->addItem(tr("by image number"), int(cs::ExampleOrder::by_index));
    m_orderBox->addItem(tr("by when learned"), int(cs::ExampleOrder::by_learned));
    m_orderBox->addItem(tr("forgotten first"), int(cs::ExampleOrder::forgotten_first));
    m_orderBox->setToolTip(tr("When learned: from the step on which an image stays right to the end.\n"
                              "Forgotten: right at one step, wrong at a later one."));
    orderLabel->setBuddy(m_orderBox);
    m_summary = new LiveLabel(m_topRow); // new text at every column: no relayout of the window
    m_summary->label()->setObjectName(QStringLiteral("exampleHistorySummary"));
    // Wraps rather than widening the view (a dock at a projector's size).
    m_summary->label()->setWordWrap(true);
    m_summary->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    row->addWidget(orderLabel);
    row->addWidget(m_orderBox);
    row->addSpacing(8);
    row->addWidget(m_summary, 1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 4, 6, 4);
    layout->addWidget(m_topRow);
    layout->addStretch(1); // the grid, painted

    connect(m_orderBox, &QComboBox::currentIndexChanged, this,
            [this] { setOrder(cs::ExampleOrder(m_orderBox->currentData().toInt())); });
    historyChanged();
}

void ExampleHistoryView::setModel(ExampleHistoryModel* model)
{
    for (auto* c : {&m_modelChanged, &m_modelProgress, &m_modelGone}) disconnect(*c);
    m_model = model;
    m_progress.clear();
    if (!model) {
        setHistory(nullptr, nullptr);
        return;
    }
    m_modelChanged = connect(model, &ExampleHistoryModel::changed, this,
                             [this] { setHistory(m_model->history(), m_model->probe()); });
    m_modelProgress = connect(model, &ExampleHistoryModel::progress, this, [this](int done, int total) {
        m_progress = done < total ? tr("reading step %1 of %2").arg(done + 1).arg(total) : QString();
        updateSummary();
    });
    m_modelGone = connect(model, &QObject::destroyed, this, [this] {
        m_model = nullptr;
        m_progress.clear();
        updateSummary();
    });
    setHistory(model->history(), model->probe());
}

void ExampleHistoryView::setHistory(std::shared_ptr<const cs::ExampleHistory> history,
                                    std::shared_ptr<const ProbeSet> probe)
{
    m_history = std::move(history);
    m_probe = std::move(probe);
    historyChanged();
}

void ExampleHistoryView::setOrder(cs::ExampleOrder order)
{
    if (order == m_order) return;
    m_order = order;
    const int i = m_orderBox->findData(int(order));
    if (i != m_orderBox->currentIndex()) m_orderBox->setCurrentIndex(i);
    historyChanged();
}

void ExampleHistoryView::setCurrentStep(quint64 step)
{
    if (m_currentStep == step) return;
    m_currentStep = step;
    update();
}

void ExampleHistoryView::clearCurrentStep()
{
    m_currentStep.reset();
    update();
}

void ExampleHistoryView::setSelected(int example, quint64 step)
{
    m_selExample = example;
    m_selStep = step;
    update();
}

void ExampleHistoryView::historyChanged()
{
    m_rows.clear();
    m_boundary = -1;
    const std::size_t n = m_history ? m_history->examples : 0;
    if (n > 0) {
        for (std::size_t e : m_history->order(m_order)) m_rows.push_back(int(e));
        if (!m_history->empty()) {
            if (m_order == cs::ExampleOrder::by_learned) m_boundary = int(m_history->learned_count());
            if (m_order == cs::ExampleOrder::forgotten_first) m_boundary = int(m_history->forgotten_count());
        }
    }
    if (m_selExample >= int(n)) m_selExample = -1;
    m_cellsDirty = true;
    updateSummary();
    update();
}

QString ExampleHistoryView::summary() const
{
    if (!m_history || m_history->examples == 0) return {};
    const std::size_t n = m_history->examples;
    if (m_history->empty()) return tr("%1 images, no steps read yet").arg(n);
    return tr("%1 of %2 learned; %3 learned and then forgotten")
        .arg(m_history->learned_count())
        .arg(n)
        .arg(m_history->forgotten_count());
}

void ExampleHistoryView::updateSummary()
{
    QString s = summary();
    if (!m_progress.isEmpty()) s += (s.isEmpty() ? QString() : QStringLiteral("  \u00b7  ")) + m_progress;
    m_summary->setText(s);
}

QString ExampleHistoryView::stepText(std::uint64_t step) const
{
    return locale().toString(qulonglong(step));
}

QString ExampleHistoryView::imageName(int example) const
{
    const int index = m_probe && example < m_probe->size() ? m_probe->imageIndices[std::size_t(example)] : example;
    return tr("%1 image %2").arg(splitWord(m_probe ? m_probe->split : DataSplit::Test)).arg(index);
}

QString ExampleHistoryView::cellText(int row, int column) const
{
    if (row < 0 || row >= rowCount() || column < 0 || column >= columnCount()) return {};
    const QStringList names = m_probe ? m_probe->classNames : QStringList();
    const int e = m_rows[std::size_t(row)];
    const auto i = std::size_t(e);
    const cs::ProbeColumn& c = m_history->columns[std::size_t(column)];
    const QString label = classLabel(names, m_history->labels[i]);
    const QString read = c.right[i] ? tr("read right") : tr("read as %1").arg(classLabel(names, c.predicted[i]));
    QString text = tr("%1 (a %2) at step %3: %4, p(%2) = %5")
                       .arg(imageName(e), label, stepText(m_history->steps[std::size_t(column)]), read)
                       .arg(double(c.p_true[i]), 0, 'f', 2);
    const auto learned = m_history->learned_at(i);
    text += QLatin1Char('\n') + (learned ? tr("learned at step %1").arg(stepText(*learned))
                                         : tr("not learned by step %1").arg(stepText(m_history->steps.back())));
    const cs::Forgetting f = m_history->forgotten(i);
    if (f.count == 1) text += tr("; forgotten once, at step %1").arg(stepText(*f.last_step));
    if (f.count > 1) text += tr("; forgotten %1 times, last at step %2").arg(f.count).arg(stepText(*f.last_step));
    return text;
}

QRect ExampleHistoryView::gridRect() const
{
    const QFontMetrics fm = fontMetrics();
    const int left = fm.height() + 10;                         // the rows' title, turned
    const int top = m_topRow->geometry().bottom() + 4 + fm.height() + 6; // the current step's label
    const int bottom = height() - (fm.height() + 8) - (fm.height() + 8); // step numbers, legend
    return QRect(left, top, std::max(0, width() - left - 10), std::max(0, bottom - top));
}

QRect ExampleHistoryView::cellRect(int row, int column) const
{
    const QRect g = gridRect();
    const int n = std::max(rowCount(), 1), t = std::max(columnCount(), 1);
    const auto [x0, x1] = span(column, t, g.width());
    const auto [y0, y1] = span(row, n, g.height());
    return QRect(g.x() + x0, g.y() + y0, x1 - x0, y1 - y0);
}

bool ExampleHistoryView::cellAt(const QPoint& pos, int& row, int& column) const
{
    const QRect g = gridRect();
    if (rowCount() == 0 || columnCount() == 0 || !g.contains(pos)) return false;
    column = int(std::int64_t(pos.x() - g.x()) * columnCount() / g.width());
    row = int(std::int64_t(pos.y() - g.y()) * rowCount() / g.height());
    return true;
}

int ExampleHistoryView::currentColumn() const
{
    if (!m_currentStep || !m_history || m_history->empty()) return -1;
    const auto& steps = m_history->steps;
    const auto after = std::upper_bound(steps.begin(), steps.end(), std::uint64_t(*m_currentStep));
    return after == steps.begin() ? 0 : int(after - steps.begin()) - 1;
}

void ExampleHistoryView::renderCells(const QSize& grid)
{
    // A pixel at a time, each reading its cell as cellAt does: the image
    // and the hit-testing agree to the pixel whatever the size.
    m_cells = QImage(grid, QImage::Format_RGB32);
    const int n = rowCount(), t = columnCount(), w = grid.width();
    std::vector<QRgb> line(static_cast<std::size_t>(w));
    int lineRow = -1;
    for (int y = 0; y < grid.height(); ++y) {
        const int r = int(std::int64_t(y) * n / grid.height());
        if (r != lineRow) {
            const auto e = std::size_t(m_rows[std::size_t(r)]);
            for (int x = 0; x < w; ++x) {
                const cs::ProbeColumn& c = m_history->columns[std::size_t(std::int64_t(x) * t / w)];
                line[std::size_t(x)] = cellColor(c.right[e] != 0, c.p_true[e]);
            }
            lineRow = r;
        }
        std::copy(line.begin(), line.end(), reinterpret_cast<QRgb*>(m_cells.scanLine(y)));
    }
    m_cellsDirty = false;
}

void ExampleHistoryView::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    const QPalette pal = palette();
    const QFontMetrics fm = fontMetrics();
    p.fillRect(rect(), pal.base());
    const QRect g = gridRect();
    if (rowCount() == 0 || columnCount() == 0 || g.width() < 2 || g.height() < 2) {
        p.setPen(pal.color(QPalette::PlaceholderText));
        const QString empty = !m_history || m_history->examples == 0
                                  ? tr("No images to follow.")
                                  : (m_model && m_model->isComputing()
                                         ? tr("Reading the images at the first steps...")
                                         : tr("Each image's history appears here once training has recorded steps."));
        p.drawText(g.isEmpty() ? rect() : g, Qt::AlignCenter | Qt::TextWordWrap, empty);
        return;
    }
    if (m_cellsDirty || m_cells.size() != g.size()) renderCells(g.size());
    p.drawImage(g.topLeft(), m_cells);

    // The rows' title, turned along the grid.
    const QString rows = m_order == cs::ExampleOrder::by_index     ? tr("images, by number")
                         : m_order == cs::ExampleOrder::by_learned ? tr("images, by when learned")
                                                                   : tr("images, forgotten first");
    p.setPen(pal.color(QPalette::WindowText));
    p.save();
    p.translate(4, g.y() + g.height() / 2);
    p.rotate(-90);
    p.drawText(QRect(-g.height() / 2, 0, g.height(), fm.height()), Qt::AlignHCenter,
               fm.elidedText(rows, Qt::ElideRight, g.height()));
    p.restore();

    // Learned (or forgotten) above the dashed line, the rest below.
    if (m_boundary > 0 && m_boundary < rowCount()) {
        const int y = cellRect(m_boundary, 0).top();
        p.setPen(QPen(Qt::black, 1.5, Qt::DashLine));
        p.drawLine(g.left(), y, g.right(), y);
    }

    // Step numbers under the grid: the first, the last, and as many
    // between as fit.
    const int t = columnCount();
    const auto& steps = m_history->steps;
    const int labelWidth = fm.horizontalAdvance(stepText(steps.back())) + 24;
    const int ticks = std::clamp(g.width() / std::max(labelWidth, 1), 1, t);
    p.setPen(pal.color(QPalette::WindowText));
    int lastRight = -1;
    for (int j = 0; j < ticks; ++j) {
        const int c = ticks == 1 ? 0 : int(std::lround(double(j) * (t - 1) / (ticks - 1)));
        const QRect cell = cellRect(0, c);
        const QString s = stepText(steps[std::size_t(c)]);
        const int w = fm.horizontalAdvance(s);
        const int x = std::clamp(cell.center().x() - w / 2, 0, width() - w);
        if (x <= lastRight) continue;
        p.drawLine(cell.center().x(), g.bottom() + 1, cell.center().x(), g.bottom() + 4);
        p.drawText(QRect(x, g.bottom() + 4, w, fm.height()), Qt::AlignCenter, s);
        lastRight = x + w + 6;
    }

    // The selected cell, with its row pointed at from the margin (cells
    // can be a few pixels high).
    if (m_selExample >= 0) {
        const auto row = std::find(m_rows.begin(), m_rows.end(), m_selExample);
        const std::ptrdiff_t column = m_history->column_of(m_selStep);
        if (row != m_rows.end() && column >= 0) {
            const QRect cell = cellRect(int(row - m_rows.begin()), int(column));
            // At least 11 pixels square, ringed in white, so it shows on
            // any colour and however small the cell.
            QRect ring(0, 0, std::max(cell.width() + 4, 11), std::max(cell.height() + 4, 11));
            ring.moveCenter(cell.center());
            p.setBrush(Qt::NoBrush);
            p.setPen(QPen(Qt::white, 4));
            p.drawRect(ring);
            p.setPen(QPen(pal.color(QPalette::Highlight), 2));
            p.drawRect(ring);
            const int y = cell.center().y();
            p.setPen(Qt::NoPen);
            p.setBrush(pal.color(QPalette::Highlight));
            p.drawPolygon(QPolygon({QPoint(g.left() - 1, y), QPoint(g.left() - 7, y - 5), QPoint(g.left() - 7, y + 5)}));
        }
    }

    // Where the timeline is: a line down the grid, its step above.
    const int current = currentColumn();
    if (current >= 0) {
        const int x = cellRect(0, current).center().x();
        const QColor marker(20, 60, 160);
        p.setPen(QPen(marker, 2));
        p.drawLine(x, g.top() - 3, x, g.bottom());
        const QString s = tr("step %1").arg(stepText(*m_currentStep));
        const int w = fm.horizontalAdvance(s);
        p.drawText(QRect(std::clamp(x - w / 2, 0, width() - w), g.top() - fm.height() - 4, w, fm.height()),
                   Qt::AlignCenter, s);
    }

    // The legend: what the colours mean.
    const int y = height() - fm.height() - 6;
    const int swatchH = std::max(fm.height() - 4, 6), swatchW = 3 * swatchH;
    int x = g.left();
    const auto swatch = [&](bool right, const QString& text) {
        for (int i = 0; i < swatchW; ++i) {
            const double s = double(i) / (swatchW - 1);
            p.setPen(QColor(right ? shade(s, paleGreen, darkGreen) : shade(s, paleRed, darkRed)));
            p.drawLine(x + i, y + 2, x + i, y + 2 + swatchH);
        }
        x += swatchW + 4;
        p.setPen(pal.color(QPalette::WindowText));
        p.drawText(QRect(x, y, fm.horizontalAdvance(text), fm.height()), Qt::AlignVCenter, text);
        x += fm.horizontalAdvance(text) + 14;
    };
    swatch(true, tr("right"));
    swatch(false, tr("wrong"));
    QString rest = tr("darker: surer");
    if (m_boundary > 0 && m_boundary < rowCount())
        rest += m_order == cs::ExampleOrder::by_learned ? tr(";  above the dashed line: learned")
                                                       : tr(";  above the dashed line: forgotten at least once");
    p.drawText(QRect(x, y, std::max(0, width() - x - 6), fm.height()), Qt::AlignVCenter,
               fm.elidedText(rest, Qt::ElideRight, std::max(0, width() - x - 6)));
}

bool ExampleHistoryView::event(QEvent* event)
{
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        int row = -1, column = -1;
        if (cellAt(help->pos(), row, column))
            QToolTip::showText(help->globalPos(), cellText(row, column), this, cellRect(row, column));
        else
            QToolTip::hideText();
        return true;
    }
    return QWidget::event(event);
}

void ExampleHistoryView::mousePressEvent(QMouseEvent* event)
{
    int row = -1, column = -1;
    if (event->button() == Qt::LeftButton && cellAt(event->position().toPoint(), row, column)) {
        const int e = exampleAt(row);
        const quint64 step = m_history->steps[std::size_t(column)];
        setSelected(e, step);
        emit exampleChosen(m_probe && e < m_probe->size() ? m_probe->imageIndices[std::size_t(e)] : e, step);
        return;
    }
    QWidget::mousePressEvent(event);
}
