#include "imagebrowser.h"

#include "sampleimage.h"

#include <QAbstractListModel>
#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QListView>
#include <QPainter>
#include <QSortFilterProxyModel>
#include <QStyledItemDelegate>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace {

enum Role { ImageRole = Qt::UserRole + 1, LabelRole, PredictionRole, PinnedRole, IndexRole, StaleRole };
constexpr int thumb = 56; // 28x28 at 2x

} // namespace

// The images of one set as rows; images are made when a row is painted.
class ImageListModel : public QAbstractListModel {
public:
    using QAbstractListModel::QAbstractListModel;

    void setSet(std::shared_ptr<const cs::Dataset> d, bool test, const std::vector<std::uint8_t>& predictions)
    {
        beginResetModel();
        m_data = std::move(d);
        m_test = test;
        m_predictions = predictions;
        endResetModel();
    }
    void setPinned(int row)
    {
        const int old = m_pinned;
        m_pinned = row;
        if (old >= 0 && old < rowCount()) emit dataChanged(index(old), index(old), {PinnedRole});
        if (row >= 0 && row < rowCount()) emit dataChanged(index(row), index(row), {PinnedRole});
    }
    // The predictions come from weights that have since changed: shown in
    // grey, and said so.
    void setStale(bool stale)
    {
        if (stale == m_stale) return;
        m_stale = stale;
        if (!m_predictions.empty() && rowCount() > 0)
            emit dataChanged(index(0), index(rowCount() - 1), {StaleRole, Qt::ToolTipRole});
    }
    bool stale() const { return m_stale; }
    const cs::Tensor<float>* images() const
    {
        return m_data ? (m_test ? &m_data->test_images : &m_data->train_images) : nullptr;
    }
    const std::vector<std::uint8_t>* labels() const
    {
        return m_data ? (m_test ? &m_data->test_labels : &m_data->train_labels) : nullptr;
    }
    bool wrong(int row) const
    {
        return row < int(m_predictions.size()) && m_predictions[row] != (*labels())[row];
    }
    QString className(int k) const
    {
        return m_data && k >= 0 && k < int(m_data->class_names.size()) ? QString::fromStdString(m_data->class_names[k])
                                                                         : QString::number(k);
    }

    int rowCount(const QModelIndex& parent = {}) const override
    {
        return parent.isValid() || !labels() ? 0 : int(labels()->size());
    }
    QVariant data(const QModelIndex& index, int role) const override
    {
        if (!index.isValid() || index.row() >= rowCount()) return {};
        const int row = index.row();
        switch (role) {
        case ImageRole:
            return image(row);
        case LabelRole:
            return int((*labels())[row]);
        case PredictionRole:
            return row < int(m_predictions.size()) ? int(m_predictions[row]) : -1;
        case PinnedRole:
            return row == m_pinned;
        case StaleRole:
            return m_stale;
        case IndexRole:
            return row;
        case Qt::ToolTipRole: {
            QString tip = tr("#%1: %2").arg(row).arg(className((*labels())[row]));
            if (row < int(m_predictions.size()))
                tip += (m_stale ? tr(", predicted %1 by an earlier model (stale)") : tr(", predicted %1"))
                           .arg(className(m_predictions[row]));
            return tip;
        }
        default:
            return {};
        }
    }

private:
    QImage image(int row) const { return sampleImage(*images(), std::size_t(row)); }

    std::shared_ptr<const cs::Dataset> m_data;
    bool m_test = false;
    std::vector<std::uint8_t> m_predictions;
    int m_pinned = -1;
    bool m_stale = false;
};

// Keeps only the misclassified images, or only one cell of the confusion
// matrix (true class t read as p), when asked to.
class MisclassifiedFilter : public QSortFilterProxyModel {
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;
    void setWrongOnly(bool on)
    {
        m_on = on;
        invalidateFilter();
    }
    void setCell(int trueClass, int predicted)
    {
        m_true = trueClass;
        m_predicted = predicted;
        invalidateFilter();
    }
    bool hasCell() const { return m_true >= 0; }
    int cellTrue() const { return m_true; }
    int cellPredicted() const { return m_predicted; }

protected:
    bool filterAcceptsRow(int row, const QModelIndex&) const override
    {
        const auto* model = static_cast<ImageListModel*>(sourceModel());
        if (m_true >= 0) {
            const QModelIndex i = model->index(row);
            return i.data(LabelRole).toInt() == m_true && i.data(PredictionRole).toInt() == m_predicted;
        }
        return !m_on || model->wrong(row);
    }

private:
    bool m_on = false;
    int m_true = -1, m_predicted = -1;
};

namespace {

// A thumbnail, its label under it, and the prediction when it is wrong.
class ThumbnailDelegate : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    const ImageListModel* model = nullptr;

    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex&) const override
    {
        return {thumb + 10, thumb + option.fontMetrics.height() + 10};
    }
    void paint(QPainter* p, const QStyleOptionViewItem& option, const QModelIndex& index) const override
    {
        const QRect r = option.rect.adjusted(2, 2, -2, -2);
        const QPalette& pal = option.palette;
        const bool pinned = index.data(PinnedRole).toBool();
        const int label = index.data(LabelRole).toInt();
        const int pred = index.data(PredictionRole).toInt();
        const bool wrong = pred >= 0 && pred != label;
        // A stale evaluation's marks in grey: not what the model reads now.
        const QColor mark = index.data(StaleRole).toBool() ? pal.color(QPalette::PlaceholderText) : QColor(198, 40, 40);
        p->save();
        if (pinned) p->fillRect(r, pal.color(QPalette::Highlight).lighter(170));
        else if (option.state & QStyle::State_MouseOver) p->fillRect(r, pal.color(QPalette::AlternateBase));
        const QRect img(r.x() + (r.width() - thumb) / 2, r.y() + 2, thumb, thumb);
        p->drawImage(img, index.data(ImageRole).value<QImage>());
        if (wrong) {
            p->setPen(QPen(mark, 2));
            p->drawRect(img.adjusted(0, 0, -1, -1));
        }
        if (pinned) {
            p->setPen(QPen(pal.color(QPalette::Highlight), 2));
            p->drawRect(r.adjusted(1, 1, -1, -1));
        }
        const QRect text(r.x(), img.bottom() + 2, r.width(), option.fontMetrics.height());
        QString caption = model->className(label);
        if (wrong) caption += QStringLiteral(" \u2192 ") + model->className(pred);
        p->setPen(wrong ? mark : pal.color(QPalette::Text));
        p->drawText(text, Qt::AlignHCenter | Qt::AlignTop, option.fontMetrics.elidedText(caption, Qt::ElideRight, text.width()));
        p->restore();
    }
};

} // namespace

ImageBrowser::ImageBrowser(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("imageBrowser"));
    m_set = new QComboBox(this);
    m_set->setObjectName(QStringLiteral("imageSetCombo"));
    m_set->addItem(tr("Training images"));
    m_set->addItem(tr("Test images"));
    m_set->setToolTip(tr("Browse the training or the test images"));
    m_wrongOnly = new QCheckBox(tr("Errors only"), this);
    m_wrongOnly->setObjectName(QStringLiteral("errorsOnlyCheck"));
    m_wrongOnly->setToolTip(tr("Show only the images the model got wrong at its last evaluation"));
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("imageSummary"));
    m_summary->setForegroundRole(QPalette::PlaceholderText);

    m_model = new ImageListModel(this);
    m_filter = new MisclassifiedFilter(this);
    m_filter->setSourceModel(m_model);
    m_view = new QListView(this);
    m_view->setObjectName(QStringLiteral("imageList"));
    m_view->setViewMode(QListView::IconMode);
    m_view->setResizeMode(QListView::Adjust);
    m_view->setMovement(QListView::Static);
    m_view->setUniformItemSizes(true);
    m_view->setSelectionMode(QAbstractItemView::NoSelection);
    m_view->setSpacing(0);
    m_view->setMouseTracking(true);
    m_view->setLayoutMode(QListView::Batched);
    m_view->setBatchSize(200);
    auto* delegate = new ThumbnailDelegate(m_view);
    delegate->model = m_model;
    m_view->setItemDelegate(delegate);
    m_view->setModel(m_filter);

    connect(m_set, &QComboBox::currentIndexChanged, this, [this](int i) { showSet(i == 1); });
    connect(m_wrongOnly, &QCheckBox::toggled, this, [this](bool on) {
        m_filter->setCell(-1, -1);
        m_filter->setWrongOnly(on);
        updateSummary();
    });
    connect(m_view, &QListView::clicked, this, [this](const QModelIndex& index) {
        const int row = index.data(IndexRole).toInt();
        pin(showsTest(), row);
        emit pinned(showsTest(), row);
    });

    auto* top = new QHBoxLayout;
    top->addWidget(m_set, 1);
    top->addWidget(m_wrongOnly);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(top);
    layout->addWidget(m_summary);
    layout->addWidget(m_view, 1);
}

ImageBrowser::~ImageBrowser() = default;

bool ImageBrowser::showsTest() const
{
    return m_set->currentIndex() == 1;
}

void ImageBrowser::setDataset(std::shared_ptr<const cs::Dataset> dataset)
{
    m_dataset = std::move(dataset);
    m_trainEval = {};
    m_testEval = {};
    m_pinnedTest = false;
    m_pinnedIndex = 0;
    showSet(showsTest());
}

void ImageBrowser::setEvaluation(const SetEvaluation& e)
{
    (e.test ? m_testEval : m_trainEval) = e;
    if (e.test == showsTest()) showSet(showsTest());
}

void ImageBrowser::clearEvaluations()
{
    m_trainEval = {};
    m_testEval = {};
    showSet(showsTest());
}

void ImageBrowser::setModelStep(quint64 step)
{
    m_modelStep = step;
    const SetEvaluation& e = showsTest() ? m_testEval : m_trainEval;
    const bool stale = !e.predictions.empty() && e.step != step;
    if (stale == m_model->stale()) return;
    m_model->setStale(stale);
    updateSummary();
}

void ImageBrowser::showConfusionCell(bool test, int trueClass, int predicted)
{
    showSet(test);
    m_filter->setCell(trueClass, predicted);
    updateSummary();
}

int ImageBrowser::shownCount() const
{
    return m_filter->rowCount();
}

void ImageBrowser::showSet(bool test)
{
    m_filter->setCell(-1, -1); // a cell belongs to one evaluation of one set
    const QSignalBlocker block(m_set);
    m_set->setCurrentIndex(test ? 1 : 0);
    m_model->setSet(m_dataset, test, test ? m_testEval.predictions : m_trainEval.predictions);
    m_model->setPinned(m_pinnedTest == test ? m_pinnedIndex : -1);
    const SetEvaluation& e = test ? m_testEval : m_trainEval;
    m_model->setStale(!e.predictions.empty() && e.step != m_modelStep);
    updateSummary();
}

void ImageBrowser::pin(bool test, int index)
{
    if (test != showsTest()) showSet(test);
    m_pinnedTest = test;
    m_pinnedIndex = index;
    m_model->setPinned(index);
    const QModelIndex proxy = m_filter->mapFromSource(m_model->index(index));
    if (proxy.isValid()) m_view->scrollTo(proxy);
}

void ImageBrowser::updateSummary()
{
    if (!m_dataset) return;
    const SetEvaluation& e = showsTest() ? m_testEval : m_trainEval;
    if (m_filter->hasCell()) {
        // Leaving the cell: choose a set or toggle Errors only.
        m_summary->setText(tr("%L1 images of %2 read as %3 (confusion matrix)")
                               .arg(m_filter->rowCount())
                               .arg(m_model->className(m_filter->cellTrue()), m_model->className(m_filter->cellPredicted())));
        return;
    }
    QString text = tr("%L1 images").arg(m_model->rowCount());
    if (!e.predictions.empty()) {
        const int wrong = int(std::count_if(e.predictions.begin(), e.predictions.end(),
                                            [&, i = 0](std::uint8_t p) mutable { return p != (*m_model->labels())[i++]; }));
        text += tr(" \u00b7 %1% right at step %L2 \u00b7 %L3 wrong").arg(e.accuracy * 100, 0, 'f', 1).arg(e.step).arg(wrong);
        if (m_model->stale()) text += tr(" (stale: the model is now at step %L1)").arg(m_modelStep);
    }
    m_summary->setText(text);
}

bool ImageBrowser::evaluationStale() const
{
    return m_model->stale();
}
