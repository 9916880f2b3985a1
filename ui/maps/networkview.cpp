#include "networkview.h"

#include "classlabels.h"
#include "datasplit.h"
#include "livelabel.h"
#include "mapgridwidget.h"
#include "probabilitybars.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QMainWindow>
#include <QPainter>
#include <QScrollArea>
#include <QScreen>
#include <QScrollBar>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace {
constexpr int arrowWidth = 14;
// The row asks the window for no more than the screen's width less what the
// rest of the window takes beside it (docks) and this (a frame's edges): a
// deep or wide network's row scrolls sideways instead of widening the window
// past the screen.
constexpr int screenMargin = 16;
// Maps up to this size keep one pixel per value at least (a 28x28 digit's
// maps); larger ones (64x64) may be drawn smaller when room is short.
constexpr int wholePixelMaps = 32;
} // namespace

namespace {

// A thin arrow between two columns: data flows left to right. It names the
// operation above it when there is room (always in its tooltip).
class FlowArrow : public QWidget {
public:
    explicit FlowArrow(const QString& operation, const QString& tip, QWidget* parent)
        : QWidget(parent), m_operation(operation)
    {
        // Arrows take the width the columns leave, at least their words'
        // ("conv" above "5×5"): the operation is always named.
        setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
        setToolTip(tip);
        setObjectName(QStringLiteral("flowArrow"));
        setProperty("operation", operation);
        fitWords();
    }
    QString operation() const { return m_operation; }

protected:
    void changeEvent(QEvent* event) override
    {
        if (event->type() == QEvent::FontChange) fitWords();
        QWidget::changeEvent(event);
    }
    // The operation in a smaller type than the headers: six arrows share
    // the row with the maps.
    QFont wordsFont() const
    {
        QFont f = font();
        f.setPointSizeF(f.pointSizeF() * 0.85);
        return f;
    }
    void fitWords()
    {
        const QFontMetrics fm(wordsFont());
        int widest = 0;
        for (const QString& word : m_operation.split(QLatin1Char(' ')))
            widest = std::max(widest, fm.horizontalAdvance(word));
        setMinimumWidth(std::max(arrowWidth, widest + 2));
    }

    void paintEvent(QPaintEvent*) override
    {
        QPainter p(this);
        p.setRenderHint(QPainter::Antialiasing);
        const int y = height() / 2;
        p.setPen(QPen(palette().color(QPalette::Mid), 1.5));
        p.drawLine(width() > 3 * arrowWidth ? 8 : 2, y, width() - 3, y);
        p.drawLine(width() - 7, y - 4, width() - 3, y);
        p.drawLine(width() - 7, y + 4, width() - 3, y);
        if (m_operation.isEmpty()) return;
        // The operation, on up to two lines ("conv" / "5×5"), above the arrow.
        p.setFont(wordsFont());
        const QFontMetrics fm(wordsFont());
        const QStringList words = m_operation.split(QLatin1Char(' '));
        p.setPen(palette().color(QPalette::WindowText));
        const bool oneLine = fm.horizontalAdvance(m_operation) <= width() - 2;
        const QStringList lines = oneLine ? QStringList{m_operation} : words;
        int widest = 0;
        for (const QString& l : lines) widest = std::max(widest, fm.horizontalAdvance(l));
        if (widest > width()) return;
        int top = y - 3 - int(lines.size()) * fm.height();
        for (const QString& l : lines) {
            p.drawText(QRect(0, top, width(), fm.height()), Qt::AlignHCenter, l);
            top += fm.height();
        }
    }

private:
    QString m_operation;
};

bool isMapKind(const QString& kind)
{
    return kind != QLatin1String("flatten");
}

} // namespace

NetworkView::NetworkView(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("networkView"));
    // Both lines change with every snapshot: live labels (no relayout of
    // the window each time). Long captions (a change view, gradients) are
    // cut, not allowed to widen the window and push the panels around.
    auto* caption = new LiveLabel(this);
    caption->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_caption = caption->label();
    m_caption->setObjectName(QStringLiteral("networkCaption"));
    m_caption->setTextFormat(Qt::RichText);
    m_caption->setText(tr("Pick an image on the left to follow it through the network."));
    auto* stepCaption = new LiveLabel(this);
    stepCaption->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_stepCaption = stepCaption->label();
    m_stepCaption->setObjectName(QStringLiteral("stepCaption"));
    m_stepCaption->setTextFormat(Qt::RichText);
    m_stepCaption->setToolTip(tr("What the last step (or the steps since the last picture) changed: the batch "
                                 "loss, and the probability of the pinned sample's class."));
    m_content = new QWidget;
    m_content->setObjectName(QStringLiteral("networkRow"));
    m_row = new QHBoxLayout(m_content);
    m_row->setContentsMargins(0, 0, 0, 0);
    m_row->setSpacing(2);
    m_scroll = new QScrollArea(this);
    m_scroll->setObjectName(QStringLiteral("networkScroll"));
    m_scroll->setFrameShape(QFrame::NoFrame);
    m_scroll->setWidgetResizable(true);
    m_scroll->setWidget(m_content);
    // Fitted (zoom 1), the row scrolls only when its columns cannot fit at
    // their least (a deep network): the columns are sized to fit. Each
    // column scrolls its own maps up and down.
    m_scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    m_scroll->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 6, 8, 6);
    layout->setSpacing(2);
    layout->addWidget(caption);
    layout->addWidget(stepCaption);
    layout->addWidget(m_scroll, 1);
}

void NetworkView::setStepCaption(const QString& text)
{
    m_stepCaption->setText(text);
}

MapGridWidget* NetworkView::column(const QString& key) const
{
    for (MapGridWidget* c : m_columns)
        if (c->key() == key) return c;
    return nullptr;
}

int NetworkView::layerOf(const MapGridWidget* grid) const
{
    for (std::size_t c = 0; c < m_columns.size() && c < m_layerOfColumn.size(); ++c)
        if (m_columns[c] == grid) return m_layerOfColumn[c];
    return -2;
}

MapGridWidget* NetworkView::columnOfLayer(int layer) const
{
    for (std::size_t c = 0; c < m_columns.size() && c < m_layerOfColumn.size(); ++c)
        if (m_layerOfColumn[c] == layer) return m_columns[c];
    return nullptr;
}

void NetworkView::clearMarks()
{
    for (MapGridWidget* c : m_columns) c->setMarks({});
}

void NetworkView::showInColumn(MapGridWidget* column, const QString& title, const cs::Tensor<float>& values,
                               ColorScaleKind kind, const QString& what)
{
    const QString key = column->key() + QLatin1Char('/') + what;
    // Images keep their 0..1 range whatever the mode.
    const bool image = kind == ColorScaleKind::Grey || kind == ColorScaleKind::Rgb;
    column->setMaps(title, values, kind, image ? std::nullopt : m_ranges.range(key, kind, values.data(), values.size()));
}

void NetworkView::setZoom(double zoom)
{
    m_zoom = std::max(zoom, 1.0);
    m_scroll->setVerticalScrollBarPolicy(m_zoom > 1 ? Qt::ScrollBarAsNeeded : Qt::ScrollBarAlwaysOff);
    fitColumns();
}

void NetworkView::setClassNames(const QStringList& names)
{
    m_classNames = names;
    if (m_probs) {
        m_probs->setClassNames(names);
        fitColumns();
    }
}

MapGridWidget* NetworkView::addColumn(const QString& operation, const QString& tip)
{
    if (!m_columns.empty()) addArrow(operation, tip);
    auto* grid = new MapGridWidget(m_content);
    m_row->addWidget(grid);
    grid->setPicksCells(true);
    connect(grid, &MapGridWidget::mapClicked, this, [this, grid](int index) { emit mapClicked(grid, index); });
    connect(grid, &MapGridWidget::cellClicked, this,
            [this, grid](int index, int row, int column) { emit cellClicked(grid, index, row, column); });
    m_columns.push_back(grid);
    return grid;
}

void NetworkView::addArrow(const QString& operation, const QString& tip)
{
    auto* arrow = new FlowArrow(operation, tip, m_content);
    m_row->addWidget(arrow, 1);
    m_arrows.push_back(arrow);
}

void NetworkView::rebuild(const TrainingSnapshot& s)
{
    while (QLayoutItem* item = m_row->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    m_columns.clear();
    m_arrows.clear();
    m_layerOfColumn.clear();
    m_probs = nullptr;

    // The layers in words, the same in every view.
    std::vector<QString> keys, kinds;
    std::vector<cs::Shape> shapes;
    for (const LayerOutput& l : s.layers) {
        keys.push_back(l.name);
        kinds.push_back(l.kind);
        shapes.push_back(l.values.shape());
    }
    m_names = nameLayers(s.input.shape(), s.network ? s.network->architecture() : std::vector<cs::LayerSpec>{}, keys,
                         kinds, shapes);

    MapGridWidget* input = addColumn({}, {});
    input->setObjectName(QStringLiteral("inputGrid"));
    input->setKey(QStringLiteral("input"));
    input->setDetail(tr("the image"));
    input->setHeaderToolTip(tr("The image as the network gets it: %1 numbers, one per pixel and channel, 0 black "
                               "to 1 white.")
                                .arg(s.input.size()));
    m_layerOfColumn.push_back(-1);
    const int last = int(s.layers.size()) - 1;
    QString before; // what a layer without a column (flatten) did, for the next arrow's tooltip
    for (int i = 0; i < last; ++i) {
        const LayerName& name = m_names[std::size_t(i)];
        if (!isMapKind(s.layers[i].kind)) {
            before = tr("%1: %2\nThen ").arg(name.full(), name.tooltip);
            continue;
        }
        MapGridWidget* grid = addColumn(name.operation, before + name.tooltip);
        before.clear();
        grid->setObjectName(QStringLiteral("layerGrid_") + s.layers[i].name);
        grid->setKey(name.key);
        grid->setDetail(name.detail);
        grid->setHeaderToolTip(name.tooltip);
        m_layerOfColumn.push_back(i);
    }
    const LayerName output = last >= 0 ? m_names[std::size_t(last)] : LayerName{};
    addArrow(output.operation, before + output.tooltip);
    m_probs = new ProbabilityBars(m_content);
    m_probs->setTitle(output.full());
    m_probs->setToolTip(output.tooltip);
    m_probs->setObjectName(QStringLiteral("probabilityBars"));
    m_probs->setClassNames(m_classNames);
    m_row->addWidget(m_probs, 0);
}

void NetworkView::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    fitColumns();
}

namespace {

// The least width the window needs beside `view` (its frame, its docks at
// their narrowest, the margins around the view), which is less than it
// has beside it when docks could give way.
int leastWidthBeside(const QWidget* view)
{
    const QWidget* window = view->window();
    const int frame = window->frameGeometry().width() - window->width();
    const auto* main = qobject_cast<const QMainWindow*>(window);
    const QWidget* central = main ? main->centralWidget() : nullptr;
    if (!central || !central->isAncestorOf(view)) return std::max(0, window->frameGeometry().width() - view->width());
    const int docks = std::max(0, main->minimumSizeHint().width() - central->minimumSizeHint().width());
    return frame + docks + std::max(0, central->width() - view->width());
}

} // namespace

void NetworkView::fitColumns()
{
    if (m_columns.empty() || m_columns[0]->mapCount() == 0) return;
    const int spacing = m_row->spacing();
    const int widgets = 2 * int(m_columns.size()) + 1; // columns, arrows, the output
    // The scroll area's room, times the zoom: zoomed in, the row is larger
    // than the view and scrolls.
    const QSize view = m_scroll->maximumViewportSize();
    const int rowWidth = int(view.width() * m_zoom), rowHeight = int(view.height() * m_zoom);
    if (m_zoom > 1) m_content->setFixedSize(rowWidth, rowHeight - (rowWidth > view.width() ? m_scroll->horizontalScrollBar()->sizeHint().height() : 0));
    else {
        m_content->setMinimumSize(0, 0);
        m_content->setMaximumSize(QWIDGETSIZE_MAX, QWIDGETSIZE_MAX);
    }
    int arrows = 0;
    for (const QWidget* arrow : m_arrows) arrows += arrow->minimumWidth();
    int chrome = 0;
    for (const MapGridWidget* c : m_columns) chrome = std::max(chrome, c->tallestChromeHeight());
    const int gridHeight = std::min(rowHeight, m_content->maximumHeight()) - chrome - 4;
    if (gridHeight <= 0) return;

    // The input is shown half as large again as the maps.
    // Maps of fewer values are drawn smaller (by the square root of their
    // resolution: a 5x5 map at 0.42 of a 28x28 one), so that the width goes
    // where there is detail to see; each map still gets whole pixels.
    int largest = 1;
    for (std::size_t i = 1; i < m_columns.size(); ++i)
        if (!m_columns[i]->isStrip()) largest = std::max(largest, m_columns[i]->mapHeight());
    // The headings' widths, measured once: shaping text is what a resize
    // costs, and the search below tries up to 150 map sizes.
    std::vector<int> textWidths;
    for (const MapGridWidget* c : m_columns) textWidths.push_back(c->textWidth());
    auto widths = [&](int mapPixels) {
        std::vector<int> w;
        for (std::size_t i = 0; i < m_columns.size(); ++i) {
            const double share = m_columns[i]->isStrip() ? 1.0 : std::sqrt(double(m_columns[i]->mapHeight()) / largest);
            const int px = i == 0 ? std::min(gridHeight, mapPixels * 3 / 2)
                                  : std::max(std::min(m_columns[i]->mapHeight(), wholePixelMaps), int(mapPixels * std::min(share, 1.0)));
            w.push_back(std::max(textWidths[i], m_columns[i]->gridWidthFor(px, gridHeight) + 4));
        }
        return w;
    };
    auto sum = [](const std::vector<int>& w) {
        int total = 0;
        for (int x : w) total += x;
        return total;
    };
    // The least the row needs: every map at its own resolution (one pixel
    // per value), the output column at its narrowest. Asked of the window
    // as this view's minimum, so that docks give way before the output
    // column is cut off.
    const int outputLeast = m_probs->minimumSizeHint().width();
    const int fixed = arrows + (widgets - 1) * spacing;
    // Never more than the screen holds beside the least the rest of the
    // window needs (its docks at their narrowest, not as wide as they are
    // now: on a screen the window fills, they give way): a deep network's
    // row scrolls sideways rather than pushing the window past the screen.
    const int beside = leastWidthBeside(m_scroll);
    const int screenWidth =
        screen() ? std::max(200, screen()->availableGeometry().width() - beside - screenMargin) : QWIDGETSIZE_MAX;
    const int least = std::min(screenWidth, sum(widths(std::min({gridHeight, largest, wholePixelMaps}))) + fixed + outputLeast);
    if (m_zoom == 1 && least != m_leastWidth) {
        // After this layout pass: a minimum changed inside one corrupts it.
        m_leastWidth = least;
        QMetaObject::invokeMethod(
            this, [this] { m_scroll->setMinimumWidth(m_leastWidth + m_scroll->width() - m_scroll->maximumViewportSize().width()); },
            Qt::QueuedConnection);
    }
    // The output column at its comfortable width when there is room for it.
    const int outputWidth = rowWidth - fixed - sum(widths(std::min({gridHeight, largest, wholePixelMaps}))) >= m_probs->sizeHint().width()
                                ? m_probs->sizeHint().width()
                                : outputLeast;
    m_probs->setMinimumWidth(outputWidth);
    const int available = std::max(1, rowWidth - fixed - outputWidth);
    std::vector<int> w;
    for (int px = std::min(gridHeight, int(160 * m_zoom)); px >= 4; --px) {
        w = widths(px);
        if (sum(w) <= available) break;
    }
    for (std::size_t i = 0; i < m_columns.size(); ++i)
        if (m_columns[i]->width() != w[i] || m_columns[i]->minimumWidth() != w[i]) m_columns[i]->setFixedWidth(w[i]);
}

void NetworkView::showSnapshot(const TrainingSnapshot& s)
{
    if (s.layers.empty()) return;
    QStringList structure{shapeText(s.input.shape())};
    for (const LayerOutput& l : s.layers) structure << l.name + QLatin1Char(' ') + shapeText(l.values.shape());
    const bool rebuilt = structure != m_structure;
    if (rebuilt) rebuild(s);

    const bool colour = s.input.rank() == 3 && s.input.dim(2) == 3;
    showInColumn(m_columns[0], tr("Input"), s.input, colour ? ColorScaleKind::Rgb : ColorScaleKind::Grey);
    for (std::size_t c = 1; c < m_columns.size(); ++c) {
        const std::size_t i = std::size_t(m_layerOfColumn[c]);
        showInColumn(m_columns[c], m_names[i].title, s.layers[i].values, ColorScaleKind::Sequential);
    }
    m_probs->setProbabilities(s.probabilities, s.pinnedLabel);
    if (rebuilt) {
        m_structure = structure;
        fitColumns();
    }

    const QString name = classLabel(m_classNames, s.pinnedLabel);
    const QString guess = classLabel(m_classNames, s.predicted);
    const bool right = s.predicted == s.pinnedLabel;
    const double conf = s.predicted >= 0 && s.predicted < int(s.probabilities.size()) ? s.probabilities[s.predicted] : 0.0;
    m_captionSample = tr("<b>%1 image #%2</b> &nbsp; label <b>%3</b> &nbsp;&rarr;&nbsp; predicted "
                         "<b><span style='color:%4'>%5</span></b> (%6%)")
                          .arg(splitTitle(splitOf(s.pinnedTest)))
                          .arg(s.pinnedIndex)
                          .arg(name.toHtmlEscaped())
                          .arg(right ? QStringLiteral("#2e7d32") : QStringLiteral("#c62828"))
                          .arg(guess.toHtmlEscaped())
                          .arg(conf * 100, 0, 'f', 1);
    m_captionNote.clear();
    showCaption();
}

void NetworkView::showDrawingCaption(const QString& readAs, double probability)
{
    m_captionSample = tr("<b>Your drawing</b> &nbsp;&rarr;&nbsp; read as <b>%1</b> (%2%)")
                          .arg(readAs.toHtmlEscaped())
                          .arg(probability * 100, 0, 'f', 1);
    showCaption();
}

void NetworkView::setCaptionNote(const QString& note)
{
    m_captionNote = note;
    showCaption();
}

void NetworkView::showCaption()
{
    m_caption->setText(m_captionNote.isEmpty() ? m_captionSample : m_captionSample + QStringLiteral(" &nbsp; ") + m_captionNote);
}
