#include "explanationpanel.h"

#include "visibility.h"

#include "layernames.h"
#include "mapgridwidget.h"
#include "networkview.h"
#include "samplelens.h"

#include "errors.hpp"

#include <QHBoxLayout>
#include <QLabel>
#include <QTextBrowser>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>

namespace {

// The marks' colour: it stands out on the grey input, the sequential maps
// and the blue-red gradients alike.
const QColor markColor(0xff, 0x8c, 0x00);
// Rows of a long sum shown one by one; the rest are added up in one line.
constexpr int shownTerms = 10;
// Channels of a convolution's window shown as tables, the largest first.
constexpr int shownChannels = 6;

// Three significant digits: the cells of a window's table.
QString shortNum(double v)
{
    if (v == 0) return QStringLiteral("0");
    const double a = std::abs(v);
    QString s = a >= 1e-2 && a < 1e3 ? QString::number(v, 'g', 3) : QString::number(v, 'e', 0);
    return s.replace(QLatin1Char('-'), QChar(0x2212));
}

QString num(double v)
{
    if (v == 0) return QStringLiteral("0");
    const double a = std::abs(v);
    QString s = a >= 1e-3 && a < 1e4 ? QString::number(v, 'g', 4) : QString::number(v, 'e', 2);
    return s.replace(QLatin1Char('-'), QChar(0x2212));
}

template <typename Index>
QString cellText(const std::vector<Index>& cell)
{
    QStringList parts;
    for (const Index i : cell) parts << QString::number(qlonglong(i)).replace(QLatin1Char('-'), QChar(0x2212));
    return QLatin1Char('(') + parts.join(QStringLiteral(", ")) + (cell.size() == 1 ? QStringLiteral(",)") : QStringLiteral(")"));
}

QString shapeWords(const cs::Shape& s)
{
    QStringList parts;
    for (std::size_t a = 0; a < s.rank(); ++a) parts << QString::number(s[a]);
    return parts.join(QChar(0x00d7));
}

// A light background for a signed number: red positive, blue negative (the
// gradients' scale), paler the smaller |v| is against `scale`.
QString tint(double v, double scale)
{
    const double t = scale > 0 ? std::min(1.0, std::abs(v) / scale) * 0.55 : 0;
    const int fade = int(255 * (1 - t));
    const QColor c = v > 0 ? QColor(255, fade, fade) : v < 0 ? QColor(fade, fade, 255) : QColor(255, 255, 255);
    return c.name();
}

// The activation in words, "linear" included (the panel writes linear(z)).
QString activationWord(cs::Activation a)
{
    const QString name = activationName(a);
    return name.isEmpty() ? QStringLiteral("linear") : name;
}

double largestProduct(const std::vector<cs::ExplanationTerm>& terms)
{
    double m = 0;
    for (const cs::ExplanationTerm& t : terms) m = std::max(m, std::abs(t.product()));
    return m;
}

// Rows of terms (largest |product| first), the rest added up in one line.
// xName/wName head the columns.
QString termTable(const std::vector<cs::ExplanationTerm>& terms, const QString& fromName, const QString& xName,
                  const QString& wName, const std::function<QString(const cs::ExplanationTerm&)>& from)
{
    std::vector<const cs::ExplanationTerm*> order;
    for (const cs::ExplanationTerm& t : terms) order.push_back(&t);
    std::stable_sort(order.begin(), order.end(), [](const auto* a, const auto* b) {
        return std::abs(a->product()) > std::abs(b->product());
    });
    const double scale = largestProduct(terms);
    QString h = QStringLiteral("<table cellspacing='0' cellpadding='2' style='border-collapse:collapse'>"
                               "<tr><th align='left'>%1</th><th align='right'>%2</th><th align='right'>%3</th>"
                               "<th align='right'>product</th></tr>")
                    .arg(fromName, xName, wName);
    double rest = 0;
    int restCount = 0, restZero = 0;
    for (std::size_t i = 0; i < order.size(); ++i) {
        const cs::ExplanationTerm& t = *order[i];
        if (int(i) >= shownTerms) {
            rest += t.product();
            ++restCount;
            restZero += t.product() == 0;
            continue;
        }
        h += QStringLiteral("<tr><td>%1</td><td align='right'>%2</td><td align='right'>%3</td>"
                            "<td align='right' style='background:%4'>%5</td></tr>")
                 .arg(from(t), num(t.x), num(t.w), tint(t.product(), scale), num(t.product()));
    }
    if (restCount > 0) {
        const QString zeros = restZero > 0 ? QObject::tr(", %1 of them 0").arg(restZero) : QString();
        h += QStringLiteral("<tr><td colspan='3'><i>%1</i></td><td align='right'>%2</td></tr>")
                 .arg(QObject::tr("+ %n smaller term(s)%1", nullptr, restCount).arg(zeros), num(rest));
    }
    return h + QStringLiteral("</table>");
}

// "row = i·stride − pad_top = 3·1 − 0 = 3"
QString cornerFormula(const cs::Explanation& e)
{
    const QString minus = QStringLiteral(" \u2212 ");
    return QObject::tr("row = i\u00b7stride%1pad_top = %2\u00b7%3%1%4 = %5, column = j\u00b7stride%1pad_left = "
                       "%6\u00b7%7%1%8 = %9")
        .arg(minus)
        .arg(e.cell[0])
        .arg(e.stride.h)
        .arg(e.pad_top)
        .arg(num(double(e.corner_row)))
        .arg(e.cell[1])
        .arg(e.stride.w)
        .arg(e.pad_left)
        .arg(num(double(e.corner_col)));
}

QString convWindows(const cs::Explanation& e)
{
    // Terms are (di, dj, c) in C order; one table per channel, the channels
    // that add the most first.
    const std::size_t channels = e.source_shape[2], kh = e.kernel.h, kw = e.kernel.w;
    std::vector<double> subtotal(channels, 0.0);
    for (std::size_t k = 0; k < e.terms.size(); ++k) subtotal[k % channels] += e.terms[k].product();
    std::vector<std::size_t> order(channels);
    for (std::size_t c = 0; c < channels; ++c) order[c] = c;
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return std::abs(subtotal[a]) > std::abs(subtotal[b]); });
    const double scale = largestProduct(e.terms);
    QString h;
    double rest = 0;
    for (std::size_t n = 0; n < channels; ++n) {
        const std::size_t c = order[n];
        if (int(n) >= shownChannels) {
            rest += subtotal[c];
            continue;
        }
        h += QObject::tr("<p style='margin:6px 0 2px 0'><b>channel %1</b>: %2</p>").arg(c).arg(num(subtotal[c]));
        h += QStringLiteral("<table cellspacing='0' cellpadding='2' style='border-collapse:collapse'>");
        for (std::size_t di = 0; di < kh; ++di) {
            h += QStringLiteral("<tr>");
            for (std::size_t dj = 0; dj < kw; ++dj) {
                const cs::ExplanationTerm& t = e.terms[(di * kw + dj) * channels + c];
                const QString x = t.padding ? QObject::tr("pad 0") : shortNum(t.x);
                h += QStringLiteral("<td align='center' nowrap style='background:%1; border:1px solid #d0d0d0'>"
                                    "<small>%2<br>\u00d7%3</small></td>")
                         .arg(t.padding ? QStringLiteral("#eeeeee") : tint(t.product(), scale), x, shortNum(t.w));
            }
            h += QStringLiteral("</tr>");
        }
        h += QStringLiteral("</table>");
    }
    if (channels > std::size_t(shownChannels))
        h += QObject::tr("<p>The other %1 channels add up to %2.</p>").arg(channels - shownChannels).arg(num(rest));
    return h;
}

} // namespace

ExplanationPanel::ExplanationPanel(SampleLens* lens, NetworkView* view, QWidget* parent)
    : QWidget(parent), m_lens(lens), m_view(view), m_workspace(std::make_unique<cs::Workspace<float>>())
{
    setObjectName(QStringLiteral("explanationPanel"));
    m_catchUp = new CatchUp(this, [this] { refresh(); });
    m_heading = new QLabel(this);
    m_heading->setObjectName(QStringLiteral("explanationHeading"));
    m_heading->setTextFormat(Qt::RichText);
    m_heading->setWordWrap(true);
    m_clear = new QToolButton(this);
    m_clear->setText(tr("Clear"));
    m_clear->setToolTip(tr("Forget the cell and remove its marks from the network view"));
    m_clear->setObjectName(QStringLiteral("clearExplanation"));
    m_text = new QTextBrowser(this);
    m_text->setObjectName(QStringLiteral("explanationText"));
    m_text->setOpenLinks(false);
    // The panel shares its dock area's tabs with narrower ones (the drawing
    // pad): it asks for no width of its own, and its text wraps to any.
    m_text->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Expanding);
    m_text->setMinimumWidth(120);
    m_heading->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    auto* top = new QHBoxLayout;
    top->addWidget(m_heading, 1);
    top->addWidget(m_clear, 0, Qt::AlignTop);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addLayout(top);
    layout->addWidget(m_text, 1);
    connect(m_clear, &QToolButton::clicked, this, &ExplanationPanel::clearCell);
    connect(m_lens, &SampleLens::shownChanged, this, &ExplanationPanel::refresh);
    clearCell();
}

ExplanationPanel::~ExplanationPanel() = default;

QString ExplanationPanel::html() const
{
    return m_text->toHtml();
}

void ExplanationPanel::showMessage(const QString& text)
{
    m_message = text;
    m_answer.reset();
    m_heading->setText(tr("<b>Explain a number</b>"));
    m_text->setHtml(QStringLiteral("<p>%1</p>").arg(text.toHtmlEscaped()));
    m_clear->setEnabled(m_question.has_value());
}

void ExplanationPanel::clearCell()
{
    m_question.reset();
    m_network = nullptr;
    if (m_view) m_view->clearMarks();
    showMessage(tr("Click any value in the network view to see the sum that made it: the window it read, the "
                   "kernel, each product, the bias and the activation. With gradients shown, a click explains "
                   "the backward sum instead. Double-click a map to enlarge it."));
}

void ExplanationPanel::explainCell(MapGridWidget* grid, int index, int row, int column)
{
    const int layer = m_view->layerOf(grid);
    if (layer < -1 || !m_lens->network()) return;
    CellQuestion q;
    q.layer = layer;
    if (grid->isStrip()) {
        q.cell = {std::size_t(row)};
    } else {
        // A colour input shows its 3 channels as one map: the red channel is asked.
        const std::size_t channel = grid->isRgb() ? std::size_t(3 * index) : std::size_t(index);
        q.cell = {std::size_t(row), std::size_t(column), channel};
    }
    m_question = q;
    m_network = m_lens->network();
    emit cellPicked();
    refresh();
}

void ExplanationPanel::explainWeight(const QString& key, int di, int dj, int channel, int filter)
{
    if (!m_lens->network() || di < 0 || dj < 0 || channel < 0 || filter < 0) return;
    CellQuestion q;
    try {
        q.layer = int(cs::layer_index(*m_lens->network(), key.toStdString()));
    } catch (const cs::ShapeError&) {
        return; // kernels of another model than the view's
    }
    q.weight = true;
    q.cell = {std::size_t(di), std::size_t(dj), std::size_t(channel), std::size_t(filter)};
    m_question = q;
    m_network = m_lens->network();
    emit cellPicked();
    refresh();
}

void ExplanationPanel::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    if (m_catchUp->armed()) refresh();
}

double ExplanationPanel::weightValue(const CellQuestion& q) const
{
    const std::shared_ptr<const arma::Col<float>> params = m_lens->parameters();
    const std::vector<cs::ParameterShape> shapes = m_network->layer_parameter_shapes(std::size_t(q.layer));
    if (!params || shapes.empty() || q.cell.size() != shapes.front().shape.rank()) return 0;
    std::size_t k = 0;
    for (std::size_t a = 0; a < q.cell.size(); ++a) {
        if (q.cell[a] >= shapes.front().shape[a]) return 0;
        k = k * shapes.front().shape[a] + q.cell[a];
    }
    return double((*params)[shapes.front().offset + k]);
}

void ExplanationPanel::refresh()
{
    if (!m_question) return;
    if (m_lens->network() != m_network) { // another model: its cells are others
        clearCell();
        return;
    }
    // Out of sight (another tab of its dock), nothing is computed until it
    // is shown or painted again.
    if (!isSeen(this)) {
        m_catchUp->arm();
        return;
    }
    m_catchUp->disarm();
    CellQuestion q = *m_question;
    q.gradient = m_lens->mode() == SampleLens::Mode::Gradients && m_lens->hasGradients();
    q.target = m_lens->gradientTarget();
    const std::shared_ptr<const arma::Col<float>> params = m_lens->parameters();
    if (!params || m_lens->shown().input.size() == 0) {
        showMessage(tr("No sample is shown yet."));
        return;
    }
    try {
        m_answer = ::explainCell(*m_network, *params, m_lens->shown().input, q, *m_workspace);
        m_message.clear();
        render();
    } catch (const std::exception& e) {
        const MapGridWidget* input = m_view->columnOfLayer(-1);
        if (q.weight && !q.gradient)
            showMessage(tr("%1 of %2 = %3: a weight is learned by training, not computed from the sample. Show "
                           "Gradients (backward) to see its dL/dW for this sample, as a sum.")
                            .arg(QStringLiteral("W") + cellText(q.cell),
                                 QString::fromStdString(m_network->layer(std::size_t(q.layer)).name()),
                                 num(weightValue(q))));
        else if (!q.gradient && q.layer < 0 && input)
            showMessage(tr("This is the input: pixel (%1, %2) is %3. No layer computed it; click a map to the right.")
                            .arg(q.cell[0])
                            .arg(q.cell[1])
                            .arg(num(input->value(0, int(q.cell[0]), int(q.cell[1]), 0))));
        else
            showMessage(QString::fromUtf8(e.what()));
    }
    markView();
    m_clear->setEnabled(true);
}

void ExplanationPanel::render()
{
    const cs::Explanation& e = m_answer->explanation;
    const QString layer = QString::fromStdString(e.layer).toHtmlEscaped();
    const QString source = QString::fromStdString(e.source).toHtmlEscaped();
    const QString sourceShape = shapeWords(e.source_shape);
    const bool forward = e.quantity == "A";
    // What the layer does (intro), the sum and its result (sums), then every
    // term (body): the result stays in view above the long tables.
    QString intro, sums, body;
    const auto sumLine = [&](const QString& label, double v) {
        return QStringLiteral("<tr><td>%1</td><td align='right'><b>%2</b></td></tr>").arg(label, num(v));
    };
    const auto fromCell = [](const cs::ExplanationTerm& t) { return cellText(t.from); };

    if (forward) {
        m_heading->setText(tr("<b>%1</b> at %2 = <b>%3</b>").arg(layer, cellText(e.cell), num(e.value)));
        if (e.kind == "conv") {
            intro = tr("<p>Filter %1 of %2 (%3\u00d7%4, stride %5, '%6' padding) at output (%7, %8) reads a "
                       "window of %9 (%10) over all its channels. The window's corner: %11. A tap outside the "
                       "map is padding: x = 0.</p>")
                        .arg(e.cell[2])
                        .arg(layer)
                        .arg(e.kernel.h)
                        .arg(e.kernel.w)
                        .arg(e.stride.h == e.stride.w ? QString::number(e.stride.h)
                                                      : QStringLiteral("%1\u00d7%2").arg(e.stride.h).arg(e.stride.w))
                        .arg(QString::fromStdString(cs::to_string(e.padding)))
                        .arg(e.cell[0])
                        .arg(e.cell[1])
                        .arg(source, sourceShape, cornerFormula(e));
            body = tr("<p>Each cell: the input x over the kernel's weight \u00d7w, coloured by the product; "
                      "the channels that add the most first.</p>") +
                   convWindows(e);
        } else if (e.kind == "pool") {
            const bool max = e.pool_mode == cs::PoolMode::max;
            const QString what = max ? tr("<p>Max pooling %1\u00d7%2 (stride %3) keeps the largest value of its "
                                          "window on %4; a tie goes to the first in row-major order.</p>")
                                     : tr("<p>Average pooling %1\u00d7%2 (stride %3) takes the mean of its window "
                                          "on %4.</p>");
            intro = what.arg(e.kernel.h).arg(e.kernel.w).arg(e.stride.h).arg(source);
            intro += QStringLiteral("<table cellspacing='0' cellpadding='4' style='border-collapse:collapse'>");
            for (std::size_t di = 0; di < e.kernel.h; ++di) {
                intro += QStringLiteral("<tr>");
                for (std::size_t dj = 0; dj < e.kernel.w; ++dj) {
                    const cs::ExplanationTerm& t = e.terms[di * e.kernel.w + dj];
                    const bool won = max && t.w == 1;
                    intro += QStringLiteral("<td align='center' style='border:%1; background:%2'>%3</td>")
                                 .arg(won ? QStringLiteral("2px solid #ff8c00") : QStringLiteral("1px solid #d0d0d0"),
                                      won ? QStringLiteral("#ffe0b0") : QStringLiteral("#ffffff"),
                                      won ? QStringLiteral("<b>%1</b>").arg(num(t.x)) : num(t.x));
                }
                intro += QStringLiteral("</tr>");
            }
            intro += QStringLiteral("</table>");
            if (max && e.winner)
                sums = tr("<p>max = <b>%1</b>, at %2 of %3.</p>").arg(num(e.sum), cellText(*e.winner), source);
            else
                sums = tr("<p>mean = sum / %1 = <b>%2</b></p>").arg(e.terms.size()).arg(num(e.sum));
        } else if (e.kind == "dense") {
            intro = tr("<p>Unit %1 of %2 adds up all %3 values of %4, each times its weight.</p>")
                        .arg(e.cell[0])
                        .arg(layer)
                        .arg(e.terms.size())
                        .arg(source);
            // Through a flatten, a unit is a cell of the maps before it: say which.
            const std::size_t i = e.layer_index;
            const bool flat = i >= 1 && m_network->layer(i - 1).kind() == "flatten";
            const cs::Shape maps = !flat ? cs::Shape{} : i >= 2 ? m_network->output_shape(i - 2) : m_network->input_shape();
            const QString mapsName = flat && i >= 2 ? QString::fromStdString(m_network->layer(i - 2).name()).toHtmlEscaped()
                                                    : tr("the input");
            const auto fromUnit = [&](const cs::ExplanationTerm& t) {
                if (maps.rank() != 3) return cellText(t.from);
                const std::size_t k = std::size_t(t.from[0]);
                const std::vector<std::size_t> cell{k / (maps[1] * maps[2]), (k / maps[2]) % maps[1], k % maps[2]};
                return cellText(t.from) + QStringLiteral(" = ") + cellText(cell);
            };
            body = (flat ? tr("<p>The largest contributions first (unit = cell of %1):</p>").arg(mapsName)
                         : tr("<p>The largest contributions first:</p>")) +
                   termTable(e.terms, tr("from"), QStringLiteral("x"), QStringLiteral("w"), fromUnit);
        } else {
            const cs::ExplanationTerm& t = e.terms.front();
            QString what;
            if (e.kind == "activation")
                what = tr("%1(x), x = %2 at %3 of %4").arg(activationWord(e.activation), num(t.x), cellText(t.from), source);
            else if (e.kind == "rescaling")
                what = tr("x \u00d7 %1 + %2, x = %3 at %4 of %5")
                           .arg(num(t.w), num(e.bias.value_or(0)), num(t.x), cellText(t.from), source);
            else if (t.padding)
                what = tr("0: a cell of the padding around %1").arg(source);
            else
                what = tr("a copy of %1 at %2 of %3").arg(num(t.x), cellText(t.from), source);
            intro = tr("<p>%1 (%2): %3.</p>").arg(layer, QString::fromStdString(e.kind), what);
        }
        if (e.kind == "conv" || e.kind == "dense") {
            sums = QStringLiteral("<table cellspacing='0' cellpadding='2'>");
            sums += sumLine(tr("sum of the %1 products").arg(e.terms.size()), e.sum - e.bias.value_or(0));
            if (e.bias) sums += sumLine(tr("+ bias"), *e.bias);
            sums += sumLine(tr("= z"), e.sum);
            if (e.activation == cs::Activation::softmax)
                sums += QStringLiteral("<tr><td colspan='2'>%1</td></tr>")
                            .arg(tr("softmax comes with the loss: the layer passes z on"));
            else
                sums += sumLine(tr("%1(z)").arg(activationWord(e.activation)), e.activated);
            sums += QStringLiteral("</table>");
        }
    } else if (e.quantity == "dW") {
        const std::size_t f = e.cell[3], c = e.cell[2];
        m_heading->setText(tr("<b>dL/dW</b> of %1 at %2 = <b>%3</b>").arg(layer, cellText(e.cell), num(e.value)));
        intro = tr("<p>Weight (%1, %2) of filter %3 on channel %4 met one input cell at each of the %5 positions "
                   "of the filter's output: its gradient for this sample is the sum of input x \u00d7 dZ over them "
                   "(conv_backward's dW), dZ = dA \u00d7 %6\u2032(z). A position whose tap fell in the padding "
                   "adds 0. (The Weight Gradients dock shows the mean over the last training batch.)</p>")
                    .arg(e.cell[0])
                    .arg(e.cell[1])
                    .arg(f)
                    .arg(c)
                    .arg(e.terms.size())
                    .arg(activationWord(e.activation));
        if (e.kind == "dense")
            intro = tr("<p>Weight (%1, %2) joins input %1 to unit %2: its gradient for this sample is the input "
                       "x \u00d7 the unit's dZ.</p>")
                        .arg(e.cell[0])
                        .arg(e.cell[1]);
        body = termTable(e.terms, tr("input"), QStringLiteral("x"), QStringLiteral("dZ"), fromCell);
        sums = QStringLiteral("<table cellspacing='0' cellpadding='2'>") +
               sumLine(tr("sum of the %1 terms").arg(e.terms.size()), e.sum) + QStringLiteral("</table>");
    } else {
        const QString shownLayer =
            m_question->layer < 0
                ? tr("the input")
                : QString::fromStdString(m_network->layer(std::size_t(m_question->layer)).name()).toHtmlEscaped();
        m_heading->setText(
            tr("<b>dL/dA</b> of %1 at %2 = <b>%3</b>").arg(shownLayer, cellText(m_question->cell), num(e.value)));
        if (m_answer->flatten >= 0)
            intro = tr("<p>Flatten makes this cell unit %1 of a vector; the layer after it sends its gradient "
                       "back.</p>")
                        .arg(m_answer->unit);
        if (e.kind == "conv") {
            intro += tr("<p>%1's backward (conv_backward's dA_prev): every output of %1 whose window covers this "
                        "cell sends back dZ \u00d7 w, for each of its filters; dZ = dA \u00d7 %2\u2032(z), zero "
                        "where the activation was off.</p>")
                         .arg(layer, activationWord(e.activation));
            body = termTable(e.terms, tr("output"), QStringLiteral("dZ"), QStringLiteral("w"), fromCell);
        } else if (e.kind == "pool") {
            const QString what = e.pool_mode == cs::PoolMode::max
                                     ? tr("<p>%1's backward: each window sends its dA to its winner only (share "
                                          "1); the other cells of the window get nothing (share 0).</p>")
                                     : tr("<p>%1's backward: each window shares its dA equally among its %2 "
                                          "cells.</p>");
            intro += e.pool_mode == cs::PoolMode::max ? what.arg(layer) : what.arg(layer).arg(e.kernel.h * e.kernel.w);
            body = termTable(e.terms, tr("window"), QStringLiteral("dA"), tr("share"), fromCell);
        } else if (e.kind == "dense") {
            intro += tr("<p>%1's backward: each of its %2 units sends back dZ \u00d7 w, its weight from this "
                        "input; dZ = dA \u00d7 %3\u2032(z).</p>")
                         .arg(layer)
                         .arg(e.terms.size())
                         .arg(activationWord(e.activation));
            body = termTable(e.terms, tr("unit"), QStringLiteral("dZ"), QStringLiteral("w"), fromCell);
        } else {
            const cs::ExplanationTerm& t = e.terms.front();
            intro += tr("<p>%1 (%2) passes the gradient back: dA = %3 at %4, times %5.</p>")
                         .arg(layer, QString::fromStdString(e.kind), num(t.x), cellText(t.from), num(t.w));
        }
        sums = QStringLiteral("<table cellspacing='0' cellpadding='2'>") +
               sumLine(tr("sum of the %1 terms").arg(e.terms.size()), e.sum) + QStringLiteral("</table>");
        if (const std::optional<cs::Explanation>& pool = m_answer->onward) {
            // Where this gradient goes: the pooling's own backward.
            const QString before = QString::fromStdString(pool->source).toHtmlEscaped();
            if (pool->pool_mode == cs::PoolMode::max && pool->winner)
                sums += tr("<p><b>Where it goes:</b> %1's backward sends all of it to its window's winner, %2 of "
                           "%3; the other %4 cells of the window get 0.</p>")
                            .arg(QString::fromStdString(pool->layer).toHtmlEscaped(), cellText(*pool->winner), before)
                            .arg(pool->terms.size() - 1);
            else
                sums += tr("<p><b>Where it goes:</b> %1's backward shares it equally among the %2 cells of its "
                           "window on %3: %4 each.</p>")
                            .arg(QString::fromStdString(pool->layer).toHtmlEscaped())
                            .arg(pool->terms.size())
                            .arg(before, num(e.value / double(pool->terms.size())));
        }
    }
    const bool activated = forward && (e.kind == "conv" || e.kind == "dense" || e.kind == "activation" ||
                                       e.kind == "rescaling");
    const double result = activated ? e.activated : e.sum;
    const double gap = std::abs(result - e.value);
    const bool same = gap <= 1e-4 * std::abs(e.value) || gap < 1e-9;
    if (forward && m_lens->change() != SampleLens::Change::None)
        // The maps show A - A_ref: the number explained is A itself.
        sums += tr("<p>The core computed <b>%1</b>%2 The map shows how it changed, not the value.</p>")
                    .arg(num(e.value), same ? tr(", the same number.") : tr("; the sum gives %1.").arg(num(result)));
    else
        sums += tr("<p>The %1 shows <b>%2</b>%3</p>")
                    .arg(e.quantity == "dW" ? tr("backward pass") : tr("map"))
                    .arg(num(e.value), same ? tr(": the same number (the sum is taken in double, the core in float).")
                                            : tr(", the sum gives %1.").arg(num(result)));
    m_text->setHtml(intro + sums + body);
}

void ExplanationPanel::markView()
{
    m_view->clearMarks();
    if (!m_question) return;
    const CellQuestion& q = *m_question;
    const auto region = [](std::size_t top, std::size_t left, std::size_t bottom, std::size_t right) {
        return QRect(QPoint(int(left), int(top)), QPoint(int(right), int(bottom)));
    };
    const auto mark = [&](int layer, MapGridWidget::Mark m) {
        if (MapGridWidget* grid = m_view->columnOfLayer(layer)) {
            std::vector<MapGridWidget::Mark> marks = grid->marks();
            marks.push_back(m);
            grid->setMarks(std::move(marks));
        }
    };
    if (q.weight) {
        // Every position of the filter's output map, each read from the input channel's map.
        const QRect whole(0, 0, 1 << 20, 1 << 20);
        mark(q.layer, {int(q.cell[3]), whole, markColor});
        mark(q.layer - 1, {int(q.cell[2]), whole, markColor, true});
        return;
    }
    // The cell clicked.
    MapGridWidget* clicked = m_view->columnOfLayer(q.layer);
    if (!clicked) return;
    if (q.cell.size() == 1)
        mark(q.layer, {0, region(q.cell[0], 0, q.cell[0], 0), markColor});
    else
        mark(q.layer, {clicked->isRgb() ? int(q.cell[2] / 3) : int(q.cell[2]), region(q.cell[0], q.cell[1], q.cell[0], q.cell[1]), markColor});
    if (!m_answer) return;
    const cs::Explanation& e = m_answer->explanation;
    const int at = int(e.layer_index);
    if (e.quantity == "A") {
        if (e.kind == "conv" || e.kind == "pool") {
            const QRect window(int(e.corner_col), int(e.corner_row), int(e.kernel.w), int(e.kernel.h));
            mark(at - 1, {e.kind == "pool" ? int(e.cell[2]) : -1, window, markColor, true});
            if (at - 1 >= 0 && !m_answer->field.empty()) {
                const cs::Region& r = m_answer->field.front();
                mark(-1, {-1, region(r.top, r.left, r.bottom, r.right), markColor, true});
            }
        } else if (e.kind == "dense") {
            // The largest contributions, on the column before (through a flatten, on its maps).
            const int before = at - 1;
            const bool flat = before >= 0 && m_network->layer(std::size_t(before)).kind() == "flatten";
            const int shownLayer = flat ? before - 1 : before;
            const cs::Shape maps = shownLayer < 0 ? m_network->input_shape() : m_network->output_shape(std::size_t(shownLayer));
            for (std::size_t n = 0; n < e.terms.size() && n < 5; ++n) {
                std::size_t k = std::size_t(e.terms[n].from[0]);
                if (flat && maps.rank() == 3) {
                    const std::size_t c = k % maps[2], x = (k / maps[2]) % maps[1], y = k / (maps[2] * maps[1]);
                    mark(shownLayer, {int(c), region(y, x, y, x), markColor, true});
                } else {
                    mark(shownLayer, {0, region(k, 0, k, 0), markColor, true});
                }
            }
        }
        return;
    }
    if (const std::optional<cs::Explanation>& pool = m_answer->onward) {
        // Where a pooling's gradient goes, on the column before it.
        if (pool->winner)
            mark(q.layer - 1, {int((*pool->winner)[2]), region((*pool->winner)[0], (*pool->winner)[1], (*pool->winner)[0], (*pool->winner)[1]), markColor});
        else
            mark(q.layer - 1, {int(q.cell[2]), QRect(int(pool->corner_col), int(pool->corner_row), int(pool->kernel.w), int(pool->kernel.h)), markColor});
    }
    // Backward: the outputs whose gradients were summed, on the next column.
    if (e.kind == "conv" || e.kind == "pool") {
        std::ptrdiff_t top = PTRDIFF_MAX, left = PTRDIFF_MAX, bottom = -1, right = -1;
        for (const cs::ExplanationTerm& t : e.terms) {
            top = std::min(top, t.from[0]);
            bottom = std::max(bottom, t.from[0]);
            left = std::min(left, t.from[1]);
            right = std::max(right, t.from[1]);
        }
        if (bottom >= 0)
            mark(at, {e.kind == "pool" ? int(e.cell[2]) : -1,
                      region(std::size_t(top), std::size_t(left), std::size_t(bottom), std::size_t(right)), markColor, true});
    } else if (e.kind == "dense") {
        for (std::size_t n = 0; n < e.terms.size() && n < 5; ++n) {
            const std::size_t u = std::size_t(e.terms[n].from[0]);
            mark(at, {0, region(u, 0, u, 0), markColor, true});
        }
    }
}
