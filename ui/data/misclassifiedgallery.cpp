#include "misclassifiedgallery.h"

#include "classlabels.h"
#include "thumbnailgrid.h"

#include <QLabel>
#include <QVBoxLayout>

#include <algorithm>

MisclassifiedGallery::MisclassifiedGallery(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("misclassifiedGallery"));
    m_caption = new QLabel(this);
    m_caption->setObjectName(QStringLiteral("galleryCaption"));
    m_caption->setWordWrap(true);
    m_grid = new ThumbnailGrid(this);
    m_grid->setObjectName(QStringLiteral("galleryList"));
    // Every image here is a mistake (or, in a diagonal cell, a right answer):
    // red marks would say nothing; the caption names both classes.
    m_grid->setMarksMistakes(false);
    m_grid->setGridSize(QSize(76, 96));
    connect(m_grid, &ThumbnailGrid::imageClicked, this,
            [this](int index) { emit imageActivated(isTest(m_split), index); });
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_caption);
    layout->addWidget(m_grid, 1);
    rebuild();
}

void MisclassifiedGallery::setEvaluation(std::shared_ptr<const cs::Dataset> data, bool test,
                                         const std::vector<std::uint8_t>& predictions,
                                         const std::vector<float>& confidence)
{
    m_data = std::move(data);
    m_split = splitOf(test);
    m_predictions = predictions;
    m_confidence = confidence;
    m_filter = {};
    rebuild();
}

void MisclassifiedGallery::setFilter(const ConfusionCell& cell)
{
    m_filter = cell;
    rebuild();
}

void MisclassifiedGallery::clear()
{
    m_data.reset();
    m_predictions.clear();
    m_confidence.clear();
    rebuild();
}

void MisclassifiedGallery::setNote(const QString& note, bool stale)
{
    m_note = note;
    m_stale = stale;
    showCaption();
}

void MisclassifiedGallery::showCaption()
{
    m_caption->setText(m_note.isEmpty() ? m_text : m_note + QStringLiteral(": ") + m_text);
    QPalette palette = m_grid->palette(); // the normal text colour
    if (m_stale) palette.setColor(QPalette::WindowText, QColor(0xb0, 0x60, 0x00));
    m_caption->setPalette(palette);
    m_grid->setEnabled(!m_stale || !m_grid->shown().empty());
}

void MisclassifiedGallery::rebuild()
{
    m_shown.clear();
    m_mistakes = 0;
    const bool evaluated = m_data && splitImages(*m_data, m_split).rank() == 4 &&
                           m_predictions.size() == splitLabels(*m_data, m_split).size();
    if (!evaluated) {
        m_grid->clear();
        m_text = tr("Evaluate the model to see the images it gets wrong.");
        showCaption();
        return;
    }
    const std::vector<std::uint8_t>& labels = splitLabels(*m_data, m_split);
    m_mistakes = int(imagesIn(ConfusionCell{}, labels, m_predictions).size());
    m_shown = imagesIn(m_filter, labels, m_predictions);
    const bool sure = m_confidence.size() == m_predictions.size();
    if (sure) // the most confident mistakes first
        std::stable_sort(m_shown.begin(), m_shown.end(),
                         [&](int a, int b) { return m_confidence[std::size_t(a)] > m_confidence[std::size_t(b)]; });
    const std::size_t n = std::min<std::size_t>(m_shown.size(), maxShown);
    m_grid->setImages(m_data, m_split, std::vector<int>(m_shown.begin(), m_shown.begin() + std::ptrdiff_t(n)),
                      m_predictions, sure ? m_confidence : std::vector<float>{});

    const QStringList names = classNames(*m_data);
    QString caption;
    if (m_filter.trueClass >= 0 && m_filter.predicted >= 0)
        caption = m_filter.describe(m_shown.size(), names);
    else
        caption = tr("%1 of %2 %3 images misread").arg(m_mistakes).arg(labels.size()).arg(splitWord(m_split));
    if (m_shown.size() > n) caption += tr(" (the first %1 shown)").arg(n);
    if (sure && !m_shown.empty()) caption += tr("; the surest first");
    m_text = caption;
    showCaption();
}
