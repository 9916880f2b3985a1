#include "networkview.h"

#include "mapgridwidget.h"
#include "probabilitybars.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace {
constexpr int arrowWidth = 14;
} // namespace

namespace {

// A thin arrow between two columns: data flows left to right.
class FlowArrow : public QWidget {
public:
    explicit FlowArrow(QWidget* parent) : QWidget(parent)
    {
        // Arrows take the width the columns leave: the maps keep one size.
        setMinimumWidth(arrowWidth);
        setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    }

protected:
    void paintEvent(QPaintEvent*) override
    {
        QPainter p(this);
        p.setRenderHint(QPainter::Antialiasing);
        const int y = height() / 2;
        p.setPen(QPen(palette().color(QPalette::Mid), 1.5));
        p.drawLine(width() > 3 * arrowWidth ? 8 : 2, y, width() - 3, y);
        p.drawLine(width() - 7, y - 4, width() - 3, y);
        p.drawLine(width() - 7, y + 4, width() - 3, y);
    }
};

bool isMapKind(const QString& kind)
{
    return kind != QLatin1String("flatten");
}

} // namespace

NetworkView::NetworkView(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("networkView"));
    m_caption = new QLabel(this);
    m_caption->setObjectName(QStringLiteral("networkCaption"));
    m_caption->setTextFormat(Qt::RichText);
    m_caption->setText(tr("Pick an image on the left to follow it through the network."));
    m_row = new QHBoxLayout;
    m_row->setSpacing(2);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 6, 8, 6);
    layout->addWidget(m_caption);
    layout->addLayout(m_row, 1);
}

void NetworkView::setClassNames(const QStringList& names)
{
    m_classNames = names;
    if (m_probs) {
        m_probs->setClassNames(names);
        fitColumns();
    }
}

MapGridWidget* NetworkView::addColumn()
{
    if (!m_columns.empty()) m_row->addWidget(new FlowArrow(this), 1);
    auto* grid = new MapGridWidget(this);
    m_row->addWidget(grid);
    connect(grid, &MapGridWidget::mapClicked, this, [this, grid](int index) { emit mapClicked(grid, index); });
    m_columns.push_back(grid);
    return grid;
}

void NetworkView::rebuild(const TrainingSnapshot& s)
{
    while (QLayoutItem* item = m_row->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    m_columns.clear();
    m_layerOfColumn.clear();
    m_probs = nullptr;

    MapGridWidget* input = addColumn();
    input->setObjectName(QStringLiteral("inputGrid"));
    m_layerOfColumn.push_back(-1);
    const int last = int(s.layers.size()) - 1;
    for (int i = 0; i < last; ++i) {
        if (!isMapKind(s.layers[i].kind)) continue;
        MapGridWidget* grid = addColumn();
        grid->setObjectName(QStringLiteral("layerGrid_") + s.layers[i].name);
        m_layerOfColumn.push_back(i);
    }
    m_row->addWidget(new FlowArrow(this), 1);
    m_probs = new ProbabilityBars(this);
    m_probs->setObjectName(QStringLiteral("probabilityBars"));
    m_probs->setClassNames(m_classNames);
    m_row->addWidget(m_probs, 0);
}

void NetworkView::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    fitColumns();
}

void NetworkView::fitColumns()
{
    if (m_columns.empty() || m_columns[0]->mapCount() == 0) return;
    const QMargins margins = layout()->contentsMargins();
    const int spacing = m_row->spacing();
    const int widgets = 2 * int(m_columns.size()) + 1; // columns, arrows, the output
    const int outputWidth = m_probs->sizeHint().width();
    m_probs->setMinimumWidth(outputWidth);
    const int available = width() - margins.left() - margins.right() - int(m_columns.size()) * arrowWidth -
                          outputWidth - (widgets - 1) * spacing;
    const int rowHeight = height() - margins.top() - margins.bottom() - m_caption->sizeHint().height() -
                          layout()->spacing();
    const int gridHeight = rowHeight - m_columns[0]->chromeHeight() - 4;
    if (available <= 0 || gridHeight <= 0) return;

    // The input is shown half as large again as the maps.
    auto widths = [&](int mapPixels) {
        std::vector<int> w;
        for (std::size_t i = 0; i < m_columns.size(); ++i) {
            const int px = i == 0 ? std::min(gridHeight, mapPixels * 3 / 2) : mapPixels;
            w.push_back(std::max(m_columns[i]->textWidth(), m_columns[i]->gridWidthFor(px, gridHeight) + 4));
        }
        return w;
    };
    std::vector<int> w;
    for (int px = std::min(gridHeight, 160); px >= 4; --px) {
        w = widths(px);
        int total = 0;
        for (int x : w) total += x;
        if (total <= available) break;
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
    m_columns[0]->setMaps(tr("input"), s.input, colour ? ColorScaleKind::Rgb : ColorScaleKind::Grey);
    for (std::size_t c = 1; c < m_columns.size(); ++c) {
        const LayerOutput& l = s.layers[m_layerOfColumn[c]];
        m_columns[c]->setMaps(l.name, l.values, ColorScaleKind::Sequential);
    }
    m_probs->setProbabilities(s.probabilities, s.pinnedLabel);
    if (rebuilt) {
        m_structure = structure;
        fitColumns();
    }

    const QString name = s.pinnedLabel >= 0 && s.pinnedLabel < m_classNames.size() ? m_classNames[s.pinnedLabel]
                                                                                  : QString::number(s.pinnedLabel);
    const QString guess = s.predicted >= 0 && s.predicted < m_classNames.size() ? m_classNames[s.predicted]
                                                                               : QString::number(s.predicted);
    const bool right = s.predicted == s.pinnedLabel;
    const double conf = s.predicted >= 0 && s.predicted < int(s.probabilities.size()) ? s.probabilities[s.predicted] : 0.0;
    m_caption->setText(tr("<b>%1 image #%2</b> &nbsp; label <b>%3</b> &nbsp;&rarr;&nbsp; predicted "
                          "<b><span style='color:%4'>%5</span></b> (%6%)")
                           .arg(s.pinnedTest ? tr("Test") : tr("Training"))
                           .arg(s.pinnedIndex)
                           .arg(name.toHtmlEscaped())
                           .arg(right ? QStringLiteral("#2e7d32") : QStringLiteral("#c62828"))
                           .arg(guess.toHtmlEscaped())
                           .arg(conf * 100, 0, 'f', 1));
}
