// DrawingPad: a square sheet of paper to draw a digit on, with the mouse or a
// tablet pen, dark ink on white.
//
// Strokes are kept as points in sheet coordinates ([0, 1] x [0, 1]) with a
// width in "sheet units" (the sheet is 280 units wide, ten per MNIST pixel),
// so the drawing survives resizes and Undo simply redraws the strokes that
// remain. Drawing follows Qt's scribble example: each new piece of a stroke
// (a quadratic curve through the midpoints of the last mouse positions, so
// fast strokes stay round) is painted with round caps into a QImage, and only
// its dirty rectangle is repainted.
//
// After a change the pad waits for the next 16 ms tick (coalescing the many
// mouse moves of one frame), then converts the sheet to grey levels, runs it
// through cs::mnist_from_drawing and emits drawingChanged and digitChanged.
// A dashed frame shows the ink's box as the preprocessing found it (what is
// scaled to 20x20 MNIST pixels).
// Escape clears the sheet, Ctrl+Z takes back the last stroke.
#pragma once

#include "preprocess.hpp"

#include <QImage>
#include <QPointF>
#include <QTimer>
#include <QWidget>

#include <vector>

class DrawingPad : public QWidget {
    Q_OBJECT

public:
    static constexpr double sheetUnits = 280; // sheet width in stroke-width units

    explicit DrawingPad(QWidget* parent = nullptr);

    // Stroke width in sheet units (280 across): 24 draws strokes about as
    // thick as MNIST's (the same ink per digit) when the digit fills most of
    // the sheet.
    double strokeWidth() const { return m_strokeWidth; }
    void setStrokeWidth(double width);

    bool isEmpty() const { return m_strokes.empty(); }
    int strokeCount() const { return int(m_strokes.size()); }
    // The sheet as the user sees it (dark ink on white), and as grey levels
    // in [0, 1], row-major, side x side.
    QImage image() const { return m_image; }
    std::vector<float> grayLevels() const;
    // The last preprocessed digit (empty while nothing is drawn).
    const cs::DigitImage& digit() const { return m_digit; }

    // Programmatic strokes (tests, demos): points in sheet coordinates [0, 1].
    void addStroke(const std::vector<QPointF>& points, double width = -1);

    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override { return width; }
    QSize sizeHint() const override { return {280, 280}; }
    QSize minimumSizeHint() const override { return {140, 140}; }

public slots:
    void clear();
    void undo();
    // Converts and emits now instead of at the next tick.
    void flush();

signals:
    void drawingChanged(const QImage& image);
    void digitChanged(const cs::DigitImage& digit);

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void tabletEvent(QTabletEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;

private:
    struct Stroke {
        std::vector<QPointF> points;    // sheet coordinates
        std::vector<double> pressures;  // 0..1, one per point
        double width = 24;              // sheet units at full pressure
        bool finished = false;
    };

    QRect sheetRect() const;
    QPointF toSheet(const QPointF& widgetPos) const;
    void begin(const QPointF& widgetPos, double pressure);
    void extend(const QPointF& widgetPos, double pressure);
    void end();
    // Paints pieces [from, to) of a stroke into m_image; returns their
    // bounding rectangle in image pixels. Piece 0 is the first point (a dot),
    // piece k >= 1 ends at the midpoint of points k-1 and k, and the tail
    // piece (index points.size()) reaches the last point once it is finished.
    QRectF paintPieces(const Stroke& stroke, std::size_t from, std::size_t to);
    void redraw();
    void changed();
    void updateImageRect(const QRectF& imageRect);

    std::vector<Stroke> m_strokes;
    double m_strokeWidth = 24;
    bool m_drawing = false;
    bool m_tabletDown = false;
    QImage m_image;      // the sheet, widget-sized (times the device pixel ratio)
    QTimer m_tick;       // coalesces changes into one conversion per frame
    cs::DigitImage m_digit;
};

Q_DECLARE_METATYPE(cs::DigitImage)
