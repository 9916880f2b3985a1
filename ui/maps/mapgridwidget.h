// MapGridWidget: the maps of one tensor, side by side, on one colour scale.
//
// Give it a tensor (h, w, c) (c maps of h x w), or (n,) (a strip of n units),
// a colour scale kind and a title: it lays the maps out in the grid that
// makes them largest in its rectangle (nearest-neighbour, no smoothing),
// writes the title, a detail line (what the layer does) and the shape above
// them, and a labelled colour bar below, shared by all maps. Maps that are
// all zero say so (dead ReLUs): a flat colour alone looks like a picture. A
// click on a map emits mapClicked(index); with cell picking on (the network
// view's), a click emits cellClicked(map, row, column) instead and a
// double-click mapClicked. Marks outline cells and windows of cells on the
// maps (what an explanation reads). The network view uses one per layer
// (activations now, gradients later), the kernel view one per convolution.
//
// Any number of maps stays readable: no map is drawn smaller than
// legibleMapPixels; when they do not all fit at that size, they wrap into as
// many columns as the width holds and the grid scrolls (a scroll bar at its
// right, the mouse wheel), and the shape line says how many there are
// ("16x16x64 · 64 maps"). A strip of n units gives each unit at least
// minimumUnitPixels: a long one (a dense layer of 1000) wraps into a few
// narrow columns, read top to bottom then left to right, and scrolls beyond.
// An Rgb tensor (h, w, 3k) is k colour images: map i is channels 3i..3i+2.
#pragma once

#include "columnheading.h"

#include "colorscale.h"
#include "tensor.hpp"

#include <QImage>
#include <QStringList>
#include <QWidget>

#include <array>
#include <optional>
#include <vector>

class QPainter;
class QScrollBar;

class MapGridWidget : public QWidget {
    Q_OBJECT

public:
    // The least edge of a drawn map, and the least height of a unit of a strip.
    static constexpr int legibleMapPixels = 16;
    static constexpr int minimumUnitPixels = 3;
    // From this many maps on, the shape line counts them.
    static constexpr int countedMaps = 32;

    explicit MapGridWidget(QWidget* parent = nullptr);

    // values: (h, w, c) or (n,). The subtitle defaults to the shape ("28x28x6").
    // range: the colour scale's range; none fits it to these values.
    void setMaps(const QString& title, const cs::Tensor<float>& values, ColorScaleKind kind,
                 std::optional<ValueRange> range = std::nullopt);
    void setSubtitle(const QString& subtitle);
    // What the column is in words ("6 filters 5×5 · same · ReLU"), on two
    // lines when narrow; the header's tooltip says it in a sentence.
    void setDetail(const QString& detail);
    void setHeaderToolTip(const QString& tip);
    // The layer's Keras name, which matches it with gradients and weights
    // (the title is for people and may change).
    void setKey(const QString& key) { m_key = key; }
    QString key() const { return m_key; }
    QString detail() const { return m_detail; }
    // Maps whose every value is 0, and whether that holds for all of them.
    int zeroMaps() const { return m_zeroMaps; }
    bool allZero() const { return m_zeroMaps > 0 && m_zeroMaps == mapCount(); }
    // A fixed number of columns (kernels: one per filter); 0 fits the rectangle.
    void setColumns(int columns);
    // Pixels between maps (3 by default).
    void setSpacing(int pixels);
    // Map `index` drawn with an outline (the one being inspected); -1 for none.
    void setHighlighted(int index);
    // A click picks a cell (cellClicked) and a double-click the map
    // (mapClicked); off (the default), a click picks the map.
    void setPicksCells(bool on) { m_picksCells = on; }
    bool picksCells() const { return m_picksCells; }
    // An outline around cells of the maps: rows cells.top()..bottom(),
    // columns left()..right() of map `map` (-1: of every map); for a strip,
    // the units cells.top()..bottom(). A part outside the map (a padding)
    // is cut at its edge.
    struct Mark {
        int map = -1;
        QRect cells;
        QColor color;
        bool dashed = false;
    };
    void setMarks(std::vector<Mark> marks);
    const std::vector<Mark>& marks() const { return m_marks; }
    // The cell under `pos` (map, row, column; a strip's unit is the row of
    // map 0), or nothing.
    std::optional<std::array<int, 3>> cellAt(const QPoint& pos) const;
    // Where cell (row, column) of map `index` is drawn (a strip: unit `row`).
    QRect cellRect(int index, int row, int column) const;
    void clear();

    QString title() const { return m_title; }
    QString subtitle() const { return m_subtitle; }
    int mapCount() const { return int(m_images.size()); }
    // Units of a strip ((n,) values), 0 for maps.
    int unitCount() const { return m_strip ? m_h : 0; }
    // Whether the maps (or units) are more than the rectangle shows at once.
    bool scrolls() const;
    // The scroll offset in pixels (0 at the top), and setting it.
    int scrollOffset() const;
    void scrollTo(int pixels);
    // The shape line as drawn: the subtitle and, for many maps, their count
    // (unless counting is off: kernels say their count in the subtitle).
    QString shapeLine() const;
    void setCountsMaps(bool on) { m_countsMaps = on; }
    // Colour images: (h, w, 3k) shown as k RGB maps.
    bool isRgb() const { return m_kind == ColorScaleKind::Rgb && m_c > 0 && m_c % 3 == 0; }
    int mapHeight() const { return m_h; }
    int mapWidth() const { return m_w; }
    const ColorScale& scale() const { return m_scale; }
    // Map `index` at its own resolution, coloured.
    QImage mapImage(int index) const;
    // The value at (row, column) of map `index` (channel `channel` for RGB
    // maps). For a strip, row is the unit.
    float value(int index, int row, int column, int channel = 0) const;
    int channels() const { return m_c; }
    // The values shown, as given to setMaps (for .npy export).
    const cs::Tensor<float>& values() const { return m_values; }
    bool isStrip() const { return m_strip; }
    // Where map `index` is drawn, scrolled (for tests and hit-testing); for
    // a strip, where its column `index` of units is.
    QRect mapRect(int index) const;
    // The rectangle the maps are drawn in (between the heading and the
    // colour bar); scrolled maps outside it are cut.
    QRect gridArea() const;
    // The unit of a strip under `pos`, or -1.
    int unitAt(const QPoint& pos) const;

    // Height taken by the title, the shape and the colour bar.
    int chromeHeight() const { return headerHeight() + footerHeight(); }
    // The same when the detail takes two lines (a narrow column).
    int tallestChromeHeight() const;
    // Width of the title, the detail (on two lines) and the shape: the least
    // width that shows them whole.
    int textWidth() const;
    // Width of the grid with maps shown `mapPixels` pixels high (whole
    // pixels per value) in a grid `gridHeight` high.
    int gridWidthFor(int mapPixels, int gridHeight) const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

signals:
    void mapClicked(int index);
    // With cell picking on: the cell clicked.
    void cellClicked(int index, int row, int column);
    // New values arrived (an open inspector redraws).
    void mapsChanged();

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void leaveEvent(QEvent* event) override;

private:
    void rebuildImages();
    void relayout();
    // Lays the maps (or the strip) out in `area`; returns the height they take.
    int place(const QRect& area);
    // Columns of a strip of n units in `height`, each of `unitPixels`.
    int stripColumnsFor(int height) const;
    int headerHeight() const;
    // The detail on one line if it fits `width` (0: never), else on two.
    QStringList detailLines(int width) const;
    QStringList breakDetail(int width) const; // detailLines, worked out
    int footerHeight() const;
    int mapAt(const QPoint& pos) const;
    void paintMarks(QPainter& p) const;
    // What a click does, for the tooltips.
    QString clickHint() const;

    QString m_title, m_subtitle, m_detail, m_key, m_headerTip;
    ColumnHeading m_heading;
    // detailLines' last answer: the layout asks several times a paint.
    mutable QStringList m_detailLines;
    mutable QString m_detailLinesOf;
    mutable int m_detailLinesWidth = -2;
    mutable QFont m_detailLinesFont;
    int m_zeroMaps = 0;
    bool m_customSubtitle = false;
    bool m_countsMaps = true;
    cs::Tensor<float> m_values;
    int m_h = 0, m_w = 0, m_c = 0;
    bool m_strip = false;
    ColorScaleKind m_kind = ColorScaleKind::Sequential;
    ColorScale m_scale;
    std::optional<ValueRange> m_fixedRange;
    std::vector<QImage> m_images;
    std::vector<QRect> m_rects;   // unscrolled
    int m_stripPerColumn = 0;     // units per column of a wrapped strip (0: one column, stretched)
    int m_unitPixels = 0;         // height of a unit of a wrapped strip
    QScrollBar* m_scrollBar = nullptr;
    int m_columns = 0;
    int m_gap = 3;
    int m_highlighted = -1;
    bool m_picksCells = false;
    std::vector<Mark> m_marks;
    int m_hovered = -1;
};
