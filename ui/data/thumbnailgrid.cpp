#include "thumbnailgrid.h"

#include "classlabels.h"
#include "sampleimage.h"

#include <QAbstractListModel>
#include <QKeyEvent>
#include <QPainter>
#include <QStyledItemDelegate>

#include <algorithm>
#include <stdexcept>
#include <string>

namespace {

enum Role { ImageRole = Qt::UserRole + 1, WrongRole, PinnedRole, StaleRole };
constexpr int thumb = 56; // a thumbnail's square: 28x28 at 2x
const QColor mistakeRed(198, 40, 40);

} // namespace

// The shown images as rows; a row's image is made when it is painted.
class ThumbnailModel : public QAbstractListModel {
public:
    using QAbstractListModel::QAbstractListModel;

    void setImages(std::shared_ptr<const cs::Dataset> data, DataSplit split, std::vector<int> shown,
                   std::vector<std::uint8_t> predictions, std::vector<float> confidence)
    {
        beginResetModel();
        m_data = std::move(data);
        m_split = split;
        m_names = m_data ? classNames(*m_data) : QStringList();
        m_shown = m_data ? std::move(shown) : std::vector<int>{};
        m_predictions = std::move(predictions);
        m_confidence = std::move(confidence);
        m_pinnedRow = rowOf(m_pinned);
        endResetModel();
    }
    void setPinned(int image)
    {
        const int old = m_pinnedRow;
        m_pinned = image;
        m_pinnedRow = rowOf(image);
        if (old >= 0) emit dataChanged(index(old), index(old), {PinnedRole});
        if (m_pinnedRow >= 0) emit dataChanged(index(m_pinnedRow), index(m_pinnedRow), {PinnedRole});
    }
    void setStale(bool stale)
    {
        if (stale == m_stale) return;
        m_stale = stale;
        if (!m_predictions.empty() && rowCount() > 0)
            emit dataChanged(index(0), index(rowCount() - 1), {StaleRole, Qt::ToolTipRole});
    }
    void setMarksMistakes(bool on)
    {
        if (on == m_marks) return;
        m_marks = on;
        if (rowCount() > 0) emit dataChanged(index(0), index(rowCount() - 1), {WrongRole});
    }

    bool stale() const { return m_stale; }
    DataSplit split() const { return m_split; }
    const std::vector<int>& shown() const { return m_shown; }
    int pinnedRow() const { return m_pinnedRow; }
    // The split's index of the image in `row`.
    int imageAt(int row) const { return m_shown[std::size_t(row)]; }

    int rowCount(const QModelIndex& parent = {}) const override { return parent.isValid() ? 0 : int(m_shown.size()); }
    QVariant data(const QModelIndex& index, int role) const override
    {
        if (!index.isValid() || index.row() >= rowCount()) return {};
        const int row = index.row();
        const std::size_t i = std::size_t(imageAt(row));
        switch (role) {
        case ImageRole:
            return sampleImage(splitImages(*m_data, m_split), i);
        case Qt::DisplayRole:
            return caption(i);
        case Qt::ToolTipRole:
            return toolTip(i);
        case WrongRole:
            return m_marks && predicted(i) && m_predictions[i] != label(i);
        case PinnedRole:
            return row == m_pinnedRow;
        case StaleRole:
            return m_stale;
        default:
            return {};
        }
    }

private:
    int label(std::size_t i) const { return splitLabels(*m_data, m_split)[i]; }
    bool predicted(std::size_t i) const { return i < m_predictions.size(); }
    int rowOf(int image) const
    {
        const auto it = std::find(m_shown.begin(), m_shown.end(), image);
        return image >= 0 && it != m_shown.end() ? int(it - m_shown.begin()) : -1;
    }
    QString caption(std::size_t i) const
    {
        QString text = classLabel(m_names, label(i));
        if (predicted(i) && m_predictions[i] != label(i))
            text += QStringLiteral(" \u2192 ") + classLabel(m_names, m_predictions[i]);
        if (i < m_confidence.size()) text += QStringLiteral("\n%1 %").arg(100.0 * double(m_confidence[i]), 0, 'f', 0);
        return text;
    }
    QString toolTip(std::size_t i) const
    {
        QString tip = ThumbnailGrid::tr("%1 image #%2: %3").arg(splitTitle(m_split)).arg(i).arg(classLabel(m_names, label(i)));
        if (!predicted(i)) return tip;
        tip += ThumbnailGrid::tr(", read as %1").arg(classLabel(m_names, m_predictions[i]));
        if (i < m_confidence.size()) tip += ThumbnailGrid::tr(" (%1 % sure)").arg(100.0 * double(m_confidence[i]), 0, 'f', 1);
        if (m_stale) tip += ThumbnailGrid::tr(" by an earlier model (stale)");
        return tip;
    }

    std::shared_ptr<const cs::Dataset> m_data;
    DataSplit m_split = DataSplit::Training;
    QStringList m_names;
    std::vector<int> m_shown;
    std::vector<std::uint8_t> m_predictions;
    std::vector<float> m_confidence;
    int m_pinned = -1, m_pinnedRow = -1;
    bool m_stale = false;
    bool m_marks = true;
};

namespace {

// A thumbnail with its caption under it, framed when misread; the pinned
// one highlighted, the one under the mouse shaded.
class ThumbnailDelegate : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override
    {
        const int lines = int(index.data(Qt::DisplayRole).toString().count(QLatin1Char('\n'))) + 1;
        return {thumb + 10, thumb + lines * option.fontMetrics.height() + 10};
    }
    void paint(QPainter* p, const QStyleOptionViewItem& option, const QModelIndex& index) const override
    {
        const QRect r = option.rect.adjusted(2, 2, -2, -2);
        const QPalette& pal = option.palette;
        const bool pinned = index.data(PinnedRole).toBool();
        const bool wrong = index.data(WrongRole).toBool();
        // A stale evaluation's marks in grey: not what the model reads now.
        const QColor mark = index.data(StaleRole).toBool() ? pal.color(QPalette::PlaceholderText) : mistakeRed;
        p->save();
        if (pinned) p->fillRect(r, pal.color(QPalette::Highlight).lighter(170));
        else if (option.state & QStyle::State_MouseOver) p->fillRect(r, pal.color(QPalette::AlternateBase));
        // Any image size: fitted into the square, its aspect kept (a 28x28
        // digit fills it; a 32x64 image is a band across it).
        const QImage image = index.data(ImageRole).value<QImage>();
        QSize fitted(thumb, thumb);
        if (!image.isNull()) fitted = image.size().scaled(thumb, thumb, Qt::KeepAspectRatio);
        const QRect img(r.x() + (r.width() - fitted.width()) / 2, r.y() + 2 + (thumb - fitted.height()) / 2, fitted.width(),
                        fitted.height());
        p->drawImage(img, image);
        if (wrong) {
            p->setPen(QPen(mark, 2));
            p->drawRect(img.adjusted(0, 0, -1, -1));
        }
        if (pinned) {
            p->setPen(QPen(pal.color(QPalette::Highlight), 2));
            p->drawRect(r.adjusted(1, 1, -1, -1));
        } else if (option.state & QStyle::State_HasFocus && option.state & QStyle::State_Active) {
            // Where Enter would pin, when the grid has the keyboard.
            p->setPen(QPen(pal.color(QPalette::Highlight), 1, Qt::DotLine));
            p->drawRect(r.adjusted(0, 0, -1, -1));
        }
        p->setPen(wrong ? mark : pal.color(QPalette::Text));
        const int lineHeight = option.fontMetrics.height();
        int y = img.bottom() + 2;
        for (const QString& line : index.data(Qt::DisplayRole).toString().split(QLatin1Char('\n'))) {
            const QRect text(r.x(), y, r.width(), lineHeight);
            p->drawText(text, Qt::AlignHCenter | Qt::AlignTop, option.fontMetrics.elidedText(line, Qt::ElideRight, text.width()));
            y += lineHeight;
        }
        p->restore();
    }
};

} // namespace

ThumbnailGrid::ThumbnailGrid(QWidget* parent) : QListView(parent), m_model(new ThumbnailModel(this))
{
    setViewMode(QListView::IconMode);
    setResizeMode(QListView::Adjust);
    setMovement(QListView::Static);
    setUniformItemSizes(true);
    // The pinned image is the highlight: Qt's selection would be a second one.
    setSelectionMode(QAbstractItemView::NoSelection);
    setSpacing(0);
    setMouseTracking(true);
    // The full MNIST is 60,000 thumbnails: laid out a batch at a time.
    setLayoutMode(QListView::Batched);
    setBatchSize(200);
    setItemDelegate(new ThumbnailDelegate(this));
    setModel(m_model);
    connect(this, &QListView::clicked, this, &ThumbnailGrid::activate);
}

ThumbnailGrid::~ThumbnailGrid() = default;

void ThumbnailGrid::setImages(std::shared_ptr<const cs::Dataset> data, DataSplit split, std::vector<int> shown,
                              std::vector<std::uint8_t> predictions, std::vector<float> confidence)
{
    if (data) {
        const std::size_t n = splitLabels(*data, split).size();
        const cs::Tensor<float>& images = splitImages(*data, split);
        if (n > 0 && (images.rank() != 4 || images.dim(0) != n))
            throw std::invalid_argument("ThumbnailGrid: the images and labels of the set differ in number");
        for (int i : shown)
            if (i < 0 || std::size_t(i) >= n)
                throw std::out_of_range("ThumbnailGrid: image " + std::to_string(i) + " of a set of " +
                                        std::to_string(n));
        if (!predictions.empty() && predictions.size() != n)
            throw std::invalid_argument("ThumbnailGrid: " + std::to_string(predictions.size()) +
                                        " predictions for a set of " + std::to_string(n));
    }
    if (!confidence.empty() && confidence.size() != predictions.size())
        throw std::invalid_argument("ThumbnailGrid: " + std::to_string(confidence.size()) + " confidences for " +
                                    std::to_string(predictions.size()) + " predictions");
    m_model->setImages(std::move(data), split, std::move(shown), std::move(predictions), std::move(confidence));
}

void ThumbnailGrid::clear()
{
    m_model->setImages(nullptr, m_model->split(), {}, {}, {});
}

void ThumbnailGrid::setStale(bool stale)
{
    m_model->setStale(stale);
}

bool ThumbnailGrid::isStale() const
{
    return m_model->stale();
}

void ThumbnailGrid::setMarksMistakes(bool on)
{
    m_model->setMarksMistakes(on);
}

void ThumbnailGrid::setPinned(int index)
{
    m_model->setPinned(index);
}

void ThumbnailGrid::scrollToPinned()
{
    if (m_model->pinnedRow() >= 0) scrollTo(m_model->index(m_model->pinnedRow()));
}

DataSplit ThumbnailGrid::split() const
{
    return m_model->split();
}

const std::vector<int>& ThumbnailGrid::shown() const
{
    return m_model->shown();
}

void ThumbnailGrid::activate(const QModelIndex& index)
{
    if (!index.isValid()) return;
    const int image = m_model->imageAt(index.row());
    setPinned(image);
    emit imageClicked(image);
}

void ThumbnailGrid::keyPressEvent(QKeyEvent* event)
{
    if ((event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter) && currentIndex().isValid()) {
        activate(currentIndex());
        return;
    }
    QListView::keyPressEvent(event);
}
