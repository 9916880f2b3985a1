#include "misclassifiedgallery.h"

#include "sampleimage.h"

#include <QLabel>
#include <QListWidget>
#include <QPixmap>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

MisclassifiedGallery::MisclassifiedGallery(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("misclassifiedGallery"));
    m_caption = new QLabel(this);
    m_caption->setObjectName(QStringLiteral("galleryCaption"));
    m_caption->setWordWrap(true);
    m_list = new QListWidget(this);
    m_list->setObjectName(QStringLiteral("galleryList"));
    m_list->setViewMode(QListView::IconMode);
    m_list->setResizeMode(QListView::Adjust);
    m_list->setMovement(QListView::Static);
    m_list->setUniformItemSizes(true);
    m_list->setIconSize(QSize(56, 56));
    m_list->setGridSize(QSize(76, 96));
    m_list->setWordWrap(true);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    connect(m_list, &QListWidget::itemClicked, this, [this](QListWidgetItem* item) {
        emit imageActivated(m_test, item->data(Qt::UserRole).toInt());
    });
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_caption);
    layout->addWidget(m_list, 1);
    rebuild();
}

void MisclassifiedGallery::setEvaluation(std::shared_ptr<const cs::Dataset> data, bool test,
                                         const std::vector<std::uint8_t>& predictions,
                                         const std::vector<float>& confidence)
{
    m_data = std::move(data);
    m_test = test;
    m_predictions = predictions;
    m_confidence = confidence;
    m_filterTrue = m_filterPred = -1;
    rebuild();
}

void MisclassifiedGallery::setFilter(int trueClass, int predicted)
{
    m_filterTrue = trueClass;
    m_filterPred = predicted;
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
    QPalette palette = m_list->palette(); // the normal text colour
    if (m_stale) palette.setColor(QPalette::WindowText, QColor(0xb0, 0x60, 0x00));
    m_caption->setPalette(palette);
    m_list->setEnabled(!m_stale || m_list->count() > 0);
}

void MisclassifiedGallery::rebuild()
{
    m_list->clear();
    m_shown.clear();
    m_mistakes = 0;
    const cs::Tensor<float>* images = m_data ? (m_test ? &m_data->test_images : &m_data->train_images) : nullptr;
    const std::vector<std::uint8_t>* labels = m_data ? (m_test ? &m_data->test_labels : &m_data->train_labels) : nullptr;
    if (!images || images->rank() != 4 || m_predictions.size() != labels->size()) {
        m_text = tr("Evaluate the model to see the images it gets wrong.");
        showCaption();
        return;
    }
    const bool cell = m_filterTrue >= 0 && m_filterPred >= 0 && m_filterTrue == m_filterPred;
    for (std::size_t i = 0; i < labels->size(); ++i) {
        const int t = (*labels)[i], q = m_predictions[i];
        if (t != q) ++m_mistakes;
        if (!cell && t == q) continue;
        if (m_filterTrue >= 0 && t != m_filterTrue) continue;
        if (m_filterPred >= 0 && q != m_filterPred) continue;
        m_shown.push_back(int(i));
    }
    const bool sure = m_confidence.size() == m_predictions.size();
    if (sure) // the most confident mistakes first
        std::stable_sort(m_shown.begin(), m_shown.end(),
                         [&](int a, int b) { return m_confidence[std::size_t(a)] > m_confidence[std::size_t(b)]; });

    const auto name = [&](int k) {
        return k < int(m_data->class_names.size()) ? QString::fromStdString(m_data->class_names[std::size_t(k)])
                                                   : QString::number(k);
    };
    const QString set = m_test ? tr("test") : tr("training");
    const std::size_t n = std::min<std::size_t>(m_shown.size(), maxShown);
    for (std::size_t j = 0; j < n; ++j) {
        const int i = m_shown[j];
        const int t = (*labels)[std::size_t(i)], q = m_predictions[std::size_t(i)];
        const QImage img = sampleImage(*images, std::size_t(i));
        const QPixmap pix = QPixmap::fromImage(img.scaled(56, 56, Qt::KeepAspectRatio, Qt::FastTransformation));
        QString text = tr("%1 → %2").arg(name(t), name(q));
        QString tip = tr("%1 image #%2: a %3 read as %4").arg(set).arg(i).arg(name(t), name(q));
        if (sure) {
            const double c = 100.0 * double(m_confidence[std::size_t(i)]);
            text += QStringLiteral("\n%1 %").arg(c, 0, 'f', 0);
            tip += tr(" (%1 % sure)").arg(c, 0, 'f', 1);
        }
        auto* item = new QListWidgetItem(QIcon(pix), text, m_list);
        item->setData(Qt::UserRole, i);
        item->setToolTip(tip);
        item->setTextAlignment(Qt::AlignHCenter | Qt::AlignTop);
    }

    QString caption;
    if (m_filterTrue >= 0 && m_filterPred >= 0)
        caption = m_filterTrue == m_filterPred
                      ? tr("%1 × %2 read right").arg(m_shown.size()).arg(name(m_filterTrue))
                      : tr("%1 × a %2 read as %3").arg(m_shown.size()).arg(name(m_filterTrue), name(m_filterPred));
    else
        caption = tr("%1 of %2 %3 images misread").arg(m_mistakes).arg(labels->size()).arg(set);
    if (m_shown.size() > n) caption += tr(" (the first %1 shown)").arg(n);
    if (sure && !m_shown.empty()) caption += tr("; the surest first");
    m_text = caption;
    showCaption();
}
