#include "networkview.h"

#include "mapgridwidget.h"
#include "probabilitybars.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QVBoxLayout>

#include <cmath>

namespace {

// A thin arrow between two columns: data flows left to right.
class FlowArrow : public QWidget {
public:
    explicit FlowArrow(QWidget* parent) : QWidget(parent)
    {
        setFixedWidth(14);
        setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Expanding);
    }

protected:
    void paintEvent(QPaintEvent*) override
    {
        QPainter p(this);
        p.setRenderHint(QPainter::Antialiasing);
        const int y = height() / 2;
        p.setPen(QPen(palette().color(QPalette::Mid), 1.5));
        p.drawLine(2, y, width() - 3, y);
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
    if (m_probs) m_probs->setClassNames(names);
}

MapGridWidget* NetworkView::addColumn(int stretch)
{
    if (!m_columns.empty()) m_row->addWidget(new FlowArrow(this));
    auto* grid = new MapGridWidget(this);
    m_row->addWidget(grid, stretch);
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

    // Width shares: maps need room in proportion to their width and to the
    // square root of their number (they are laid out in a grid).
    auto stretchFor = [](const cs::Shape& shape) {
        if (shape.rank() == 1) return 7;
        return std::max(26, int(std::lround(shape[1] * std::sqrt(double(shape[2])) * 0.9)));
    };
    MapGridWidget* input = addColumn(stretchFor(s.input.shape()));
    input->setObjectName(QStringLiteral("inputGrid"));
    m_layerOfColumn.push_back(-1);
    const int last = int(s.layers.size()) - 1;
    for (int i = 0; i < last; ++i) {
        if (!isMapKind(s.layers[i].kind)) continue;
        MapGridWidget* grid = addColumn(stretchFor(s.layers[i].values.shape()));
        grid->setObjectName(QStringLiteral("layerGrid_") + s.layers[i].name);
        m_layerOfColumn.push_back(i);
    }
    m_row->addWidget(new FlowArrow(this));
    m_probs = new ProbabilityBars(this);
    m_probs->setObjectName(QStringLiteral("probabilityBars"));
    m_probs->setClassNames(m_classNames);
    m_row->addWidget(m_probs, 30);
}

void NetworkView::showSnapshot(const TrainingSnapshot& s)
{
    if (s.layers.empty()) return;
    QStringList structure{shapeText(s.input.shape())};
    for (const LayerOutput& l : s.layers) structure << l.name + QLatin1Char(' ') + shapeText(l.values.shape());
    if (structure != m_structure) {
        m_structure = structure;
        rebuild(s);
    }

    const bool colour = s.input.rank() == 3 && s.input.dim(2) == 3;
    m_columns[0]->setMaps(tr("input"), s.input, colour ? ColorScaleKind::Rgb : ColorScaleKind::Grey);
    for (std::size_t c = 1; c < m_columns.size(); ++c) {
        const LayerOutput& l = s.layers[m_layerOfColumn[c]];
        m_columns[c]->setMaps(l.name, l.values, ColorScaleKind::Sequential);
    }
    m_probs->setProbabilities(s.probabilities, s.pinnedLabel);

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
