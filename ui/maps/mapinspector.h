// MapInspector: one map enlarged (nearest neighbour), the value under the
// cursor, and its colour scale. A strip of n units (a dense layer) is shown
// wrapped into a square of rows; a colour map or kernel reads (r, g, b). It follows its map: while training runs, the
// map it shows updates with every snapshot. Non-modal, one per window.
#pragma once

#include <QDialog>
#include <QPointer>

class MapGridWidget;
class QLabel;
class ZoomedMap;

class MapInspector : public QDialog {
    Q_OBJECT

public:
    explicit MapInspector(QWidget* parent = nullptr);

    // Shows map `index` of `grid` and follows it.
    void inspect(MapGridWidget* grid, int index);
    MapGridWidget* grid() const { return m_grid; }
    int index() const { return m_index; }
    // Units a row of a strip shown wrapped (0 when the map is not a strip).
    int stripRowLength() const { return m_stripRow; }
    // The enlarged map as an image (for export and tests).
    QImage renderedMap() const;
    // Writes the inspected layer's values for this sample to `path` (.npy,
    // a leading batch axis of 1); false, with the reason shown, on failure.
    bool saveValues(const QString& path);

private:
    void refresh();
    void showValueAt(int row, int column);
    void savePng();
    void saveNpy();

    QPointer<MapGridWidget> m_grid;
    int m_index = -1;
    int m_stripRow = 0; // units a row when a strip is shown wrapped (0: not a strip)
    ZoomedMap* m_view = nullptr;
    QLabel* m_heading = nullptr;
    QLabel* m_readout = nullptr;
    QLabel* m_scale = nullptr;
};
