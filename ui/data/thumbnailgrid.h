// ThumbnailGrid: images of one set of a dataset as a scrolling grid of
// thumbnails, each with its label under it and, once the model has been
// evaluated, what the model read it as. The image grid (ImageBrowser) and
// the mistakes gallery (MisclassifiedGallery) are both one.
//
//   caption   the label, "7 → 1" when misread, and "83 %" on a second line
//             when the confidence of the predictions is given
//   marks     a misread image is framed and captioned in red (optional: in
//             the gallery every image is a mistake); grey when the
//             predictions are stale (the weights have changed since)
//   pinned    the image the network view follows, highlighted
//   tooltip   "Test image #12: 7, read as 1 (83.0 % sure)"
// A click, or Enter on the current image, pins that image and emits
// imageClicked with its index in the dataset.
#pragma once

#include "datasplit.h"

#include <QListView>

#include <cstdint>
#include <memory>
#include <vector>

class ThumbnailModel;

class ThumbnailGrid : public QListView {
    Q_OBJECT

public:
    explicit ThumbnailGrid(QWidget* parent = nullptr);
    ~ThumbnailGrid() override;

    // Shows the images `shown` (indices into the split, in that order).
    // predictions: one per image of the split (empty: not evaluated);
    // confidence: the probability of each prediction (empty: not shown).
    // An index outside the split, or lists of other lengths, throw
    // std::out_of_range / std::invalid_argument (the grid stays as it was).
    void setImages(std::shared_ptr<const cs::Dataset> data, DataSplit split, std::vector<int> shown,
                   std::vector<std::uint8_t> predictions = {}, std::vector<float> confidence = {});
    void clear();
    // The predictions come from weights that have since changed.
    void setStale(bool stale);
    bool isStale() const;
    void setMarksMistakes(bool on);
    // Highlights image `index` of the split (-1: none).
    void setPinned(int index);
    // Scrolls the pinned image into view, if it is shown.
    void scrollToPinned();

    DataSplit split() const;
    // What is listed: indices into the split, in display order.
    const std::vector<int>& shown() const;

signals:
    void imageClicked(int index);

protected:
    void keyPressEvent(QKeyEvent* event) override;

private:
    void activate(const QModelIndex& index);

    ThumbnailModel* m_model = nullptr;
};
