#include "imagebrowser.h"

#include "classlabels.h"
#include "thumbnailgrid.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QVBoxLayout>

#include <algorithm>
#include <numeric>

ImageBrowser::ImageBrowser(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("imageBrowser"));
    m_set = new QComboBox(this);
    m_set->setObjectName(QStringLiteral("imageSetCombo"));
    // In DataSplit's order.
    m_set->addItem(tr("Training images"));
    m_set->addItem(tr("Test images"));
    m_set->setToolTip(tr("Browse the training or the test images"));
    m_wrongOnly = new QCheckBox(tr("Errors only"), this);
    m_wrongOnly->setObjectName(QStringLiteral("errorsOnlyCheck"));
    m_wrongOnly->setToolTip(tr("Show only the images the model got wrong at its last evaluation"));
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("imageSummary"));
    m_summary->setForegroundRole(QPalette::PlaceholderText);
    // Wrapped: after an evaluation the line grows ("... 98.5% right at step
    // 2,500 · 30 wrong"), and unwrapped it would widen the dock and lay the
    // whole window out again (a 60 ms repaint).
    m_summary->setWordWrap(true);
    m_grid = new ThumbnailGrid(this);
    m_grid->setObjectName(QStringLiteral("imageList"));

    connect(m_set, &QComboBox::currentIndexChanged, this, [this](int i) { showSet(DataSplit(i)); });
    connect(m_wrongOnly, &QCheckBox::toggled, this, [this] { showSet(m_grid->split()); });
    connect(m_grid, &ThumbnailGrid::imageClicked, this, [this](int index) {
        pin(showsTest(), index);
        emit pinned(showsTest(), index);
    });

    auto* top = new QHBoxLayout;
    top->addWidget(m_set, 1);
    top->addWidget(m_wrongOnly);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(top);
    layout->addWidget(m_summary);
    layout->addWidget(m_grid, 1);
}

bool ImageBrowser::showsTest() const
{
    return isTest(m_grid->split());
}

const SetEvaluation& ImageBrowser::evaluation(DataSplit split) const
{
    return isTest(split) ? m_testEval : m_trainEval;
}

void ImageBrowser::setDataset(std::shared_ptr<const cs::Dataset> dataset)
{
    m_dataset = std::move(dataset);
    m_trainEval = {};
    m_testEval = {};
    m_pinnedTest = false;
    m_pinnedIndex = 0;
    showSet(m_grid->split());
}

void ImageBrowser::setEvaluation(const SetEvaluation& e)
{
    (e.test ? m_testEval : m_trainEval) = e;
    if (e.test == showsTest()) showSet(m_grid->split());
}

void ImageBrowser::clearEvaluations()
{
    m_trainEval = {};
    m_testEval = {};
    showSet(m_grid->split());
}

void ImageBrowser::setModelStep(quint64 step)
{
    m_modelStep = step;
    const SetEvaluation& e = evaluation(m_grid->split());
    const bool stale = !e.predictions.empty() && e.step != step;
    if (stale == m_grid->isStale()) return;
    m_grid->setStale(stale);
    updateSummary();
}

void ImageBrowser::showConfusionCell(bool test, const ConfusionCell& cell)
{
    showSet(splitOf(test), cell);
}

int ImageBrowser::shownCount() const
{
    return int(m_grid->shown().size());
}

void ImageBrowser::showSet(DataSplit split, std::optional<ConfusionCell> cell)
{
    {
        const QSignalBlocker block(m_set);
        m_set->setCurrentIndex(int(split));
    }
    // A cell belongs to one evaluation of one set: anything else leaves it.
    m_cell = cell;
    if (!m_dataset) {
        m_grid->clear();
        return;
    }
    const SetEvaluation& e = evaluation(split);
    const std::vector<std::uint8_t>& labels = splitLabels(*m_dataset, split);
    std::vector<int> shown;
    if (m_cell || m_wrongOnly->isChecked()) {
        shown = imagesIn(m_cell.value_or(ConfusionCell{}), labels, e.predictions);
    } else {
        shown.resize(labels.size());
        std::iota(shown.begin(), shown.end(), 0);
    }
    // Predictions that are not one per image (an evaluation of other data) mark nothing.
    m_grid->setImages(m_dataset, split, std::move(shown),
                      e.predictions.size() == labels.size() ? e.predictions : std::vector<std::uint8_t>{});
    m_grid->setPinned(m_pinnedTest == isTest(split) ? m_pinnedIndex : -1);
    m_grid->setStale(!e.predictions.empty() && e.step != m_modelStep);
    updateSummary();
}

void ImageBrowser::pin(bool test, int index)
{
    if (test != showsTest()) showSet(splitOf(test));
    m_pinnedTest = test;
    m_pinnedIndex = index;
    m_grid->setPinned(index);
    m_grid->scrollToPinned();
}

void ImageBrowser::updateSummary()
{
    if (!m_dataset) return;
    const DataSplit split = m_grid->split();
    const SetEvaluation& e = evaluation(split);
    const QStringList names = classNames(*m_dataset);
    if (m_cell) {
        // Leaving the cell: choose a set or toggle Errors only.
        m_summary->setText(tr("%L1 images of %2 read as %3 (confusion matrix)")
                               .arg(shownCount())
                               .arg(classLabel(names, m_cell->trueClass), classLabel(names, m_cell->predicted)));
        return;
    }
    const std::vector<std::uint8_t>& labels = splitLabels(*m_dataset, split);
    QString text = tr("%L1 images").arg(labels.size());
    if (!e.predictions.empty()) {
        const std::size_t wrong = imagesIn(ConfusionCell{}, labels, e.predictions).size();
        text += tr(" \u00b7 %1% right at step %L2 \u00b7 %L3 wrong").arg(e.accuracy * 100, 0, 'f', 1).arg(e.step).arg(wrong);
        if (m_grid->isStale()) text += tr(" (stale: the model is now at step %L1)").arg(m_modelStep);
    }
    m_summary->setText(text);
}

bool ImageBrowser::evaluationStale() const
{
    return m_grid->isStale();
}
