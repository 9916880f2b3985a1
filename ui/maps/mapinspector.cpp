#include "mapinspector.h"

#include "colorscale.h"
#include "mapgridwidget.h"
#include "npy.hpp"

#include <QDialogButtonBox>
#include <QFileDialog>
#include <QLabel>
#include <QMouseEvent>
#include <QPainter>
#include <QPushButton>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <functional>

// The map itself: the image scaled by whole pixels, a grid line between
// pixels when they are large, the cell under the cursor outlined.
class ZoomedMap : public QWidget {
public:
    std::function<void(int, int)> hovered; // row, column (-1 when outside)
    QImage image;

    explicit ZoomedMap(QWidget* parent) : QWidget(parent)
    {
        setMouseTracking(true);
        setMinimumSize(280, 280);
        setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    }

    QRect target() const
    {
        if (image.isNull()) return {};
        const int s = std::max(1, std::min(width() / image.width(), height() / image.height()));
        const QSize size(image.width() * s, image.height() * s);
        return QRect(QPoint((width() - size.width()) / 2, (height() - size.height()) / 2), size);
    }

protected:
    void paintEvent(QPaintEvent*) override
    {
        QPainter p(this);
        p.fillRect(rect(), palette().color(QPalette::Base));
        if (image.isNull()) return;
        const QRect t = target();
        p.setRenderHint(QPainter::SmoothPixmapTransform, false);
        p.drawImage(t, image);
        const int s = t.width() / image.width();
        if (s >= 12) {
            p.setPen(QColor(0, 0, 0, 40));
            for (int x = 1; x < image.width(); ++x) p.drawLine(t.left() + x * s, t.top(), t.left() + x * s, t.bottom());
            for (int y = 1; y < image.height(); ++y) p.drawLine(t.left(), t.top() + y * s, t.right(), t.top() + y * s);
        }
        if (m_row >= 0) {
            p.setPen(QPen(Qt::white, 2));
            p.drawRect(t.left() + m_col * s, t.top() + m_row * s, s, s);
        }
    }
    void mouseMoveEvent(QMouseEvent* e) override
    {
        const QRect t = target();
        const QPoint pos = e->position().toPoint();
        if (image.isNull() || !t.contains(pos)) {
            m_row = m_col = -1;
        } else {
            const int s = t.width() / image.width();
            m_col = (pos.x() - t.left()) / s;
            m_row = (pos.y() - t.top()) / s;
        }
        if (hovered) hovered(m_row, m_col);
        update();
    }
    void leaveEvent(QEvent*) override
    {
        m_row = m_col = -1;
        if (hovered) hovered(-1, -1);
        update();
    }

private:
    int m_row = -1, m_col = -1;
};

MapInspector::MapInspector(QWidget* parent) : QDialog(parent)
{
    setObjectName(QStringLiteral("mapInspector"));
    setWindowTitle(tr("Map"));
    setModal(false);
    m_heading = new QLabel(this);
    m_heading->setObjectName(QStringLiteral("inspectorHeading"));
    QFont f = m_heading->font();
    f.setBold(true);
    f.setPointSizeF(f.pointSizeF() * 1.15);
    m_heading->setFont(f);
    m_view = new ZoomedMap(this);
    m_view->setObjectName(QStringLiteral("inspectorMap"));
    m_view->hovered = [this](int row, int column) { showValueAt(row, column); };
    m_readout = new QLabel(this);
    m_readout->setObjectName(QStringLiteral("inspectorReadout"));
    m_readout->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_scale = new QLabel(this);
    m_scale->setAlignment(Qt::AlignCenter);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    QPushButton* save = buttons->addButton(tr("Save PNG..."), QDialogButtonBox::ActionRole);
    save->setToolTip(tr("Save this map, enlarged, as a PNG image"));
    connect(save, &QPushButton::clicked, this, &MapInspector::savePng);
    QPushButton* npy = buttons->addButton(tr("Save .npy..."), QDialogButtonBox::ActionRole);
    npy->setObjectName(QStringLiteral("inspectorSaveNpy"));
    npy->setToolTip(tr("Save the values of the whole layer for this sample as a NumPy array, "
                       "shaped as Keras gives it: (1, h, w, c) for a map, (1, n) for a dense layer"));
    connect(npy, &QPushButton::clicked, this, &MapInspector::saveNpy);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_heading);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_scale);
    layout->addWidget(m_readout);
    layout->addWidget(buttons);
    resize(440, 540);
}

void MapInspector::inspect(MapGridWidget* grid, int index)
{
    if (m_grid) {
        disconnect(m_grid, nullptr, this, nullptr);
        m_grid->setHighlighted(-1);
    }
    m_grid = grid;
    m_index = index;
    m_readout->clear(); // the previous map's value means nothing here
    if (m_grid) {
        connect(m_grid, &MapGridWidget::mapsChanged, this, &MapInspector::refresh);
        m_grid->setHighlighted(index);
    }
    refresh();
    show();
    raise();
}

void MapInspector::refresh()
{
    if (!m_grid || m_index < 0 || m_index >= m_grid->mapCount()) {
        m_view->image = QImage();
        m_view->update();
        return;
    }
    m_view->image = m_grid->mapImage(m_index);
    const bool single = m_grid->mapCount() == 1;
    // A strip (n units) is n x 1: shown enlarged as it is, it would be a
    // thread. Wrapped into rows of stripRowLength() units, it is a square.
    m_stripRow = 0;
    if (m_grid->isStrip()) {
        const int n = m_grid->unitCount();
        m_stripRow = std::max(1, int(std::ceil(std::sqrt(double(n)))));
        const int rows = (n + m_stripRow - 1) / m_stripRow;
        const QImage strip = m_view->image;
        QImage wrapped(m_stripRow, rows, QImage::Format_RGB32);
        wrapped.fill(palette().color(QPalette::Window));
        for (int u = 0; u < n; ++u) wrapped.setPixel(u % m_stripRow, u / m_stripRow, strip.pixel(0, u));
        m_view->image = wrapped;
    }
    // Kernels are laid out a row per input map, a column per filter.
    const int filters = m_grid->property("filters").toInt();
    if (m_grid->isStrip())
        m_heading->setText(tr("%1 (%2 units), %3 a row: unit = row \u00d7 %3 + column")
                               .arg(m_grid->title())
                               .arg(m_grid->unitCount())
                               .arg(m_stripRow));
    else if (m_grid->property("rgbKernels").toBool())
        m_heading->setText(tr("%1: filter %2 of %3, its weights on the red, green and blue input as one colour image")
                               .arg(m_grid->title())
                               .arg(m_index + 1)
                               .arg(m_grid->mapCount()));
    else if (filters > 0)
        m_heading->setText(tr("%1: filter %2 of %3, its weights on input map %4 of %5")
                               .arg(m_grid->title())
                               .arg(m_index % filters + 1)
                               .arg(filters)
                               .arg(m_index / filters + 1)
                               .arg(m_grid->mapCount() / filters));
    else
        m_heading->setText(single ? tr("%1 (%2)").arg(m_grid->title(), m_grid->subtitle())
                                  : tr("%1 (%2), map %3 of %4")
                                        .arg(m_grid->title(), m_grid->subtitle())
                                        .arg(m_index + 1)
                                        .arg(m_grid->mapCount()));
    setWindowTitle(m_heading->text());
    const ValueRange r = m_grid->scale().range();
    const QImage legend = m_grid->scale().legendImage(200, 12);
    QPixmap pm(280, 14);
    pm.fill(Qt::transparent);
    {
        QPainter p(&pm);
        p.drawImage(QRect(40, 1, 200, 12), legend);
        p.setPen(palette().color(QPalette::WindowText));
        p.drawText(QRect(0, 0, 38, 14), Qt::AlignRight | Qt::AlignVCenter, formatValue(r.low));
        p.drawText(QRect(242, 0, 38, 14), Qt::AlignLeft | Qt::AlignVCenter, formatValue(r.high));
    }
    m_scale->setPixmap(pm);
    m_view->update();
    if (m_readout->text().isEmpty()) showValueAt(-1, -1);
}

void MapInspector::showValueAt(int row, int column)
{
    if (!m_grid || row < 0) {
        m_readout->setText(tr("Point at a pixel to read its value."));
        return;
    }
    if (m_grid->isStrip()) {
        const int unit = row * m_stripRow + column;
        if (unit >= m_grid->unitCount()) m_readout->setText(tr("Point at a unit to read its value."));
        else m_readout->setText(tr("unit %1: %2").arg(unit).arg(formatValue(m_grid->value(0, unit, 0))));
    } else if (m_grid->isRgb())
        m_readout->setText(tr("row %1, column %2: (%3, %4, %5)")
                               .arg(row)
                               .arg(column)
                               .arg(formatValue(m_grid->value(m_index, row, column, 0)),
                                    formatValue(m_grid->value(m_index, row, column, 1)),
                                    formatValue(m_grid->value(m_index, row, column, 2))));
    else
        m_readout->setText(tr("row %1, column %2: %3").arg(row).arg(column).arg(formatValue(m_grid->value(m_index, row, column))));
}

QImage MapInspector::renderedMap() const
{
    const QImage img = m_view->image;
    if (img.isNull()) return {};
    const int s = std::max(1, 448 / std::max(img.width(), img.height()));
    return img.scaled(img.width() * s, img.height() * s, Qt::IgnoreAspectRatio, Qt::FastTransformation);
}

void MapInspector::saveNpy()
{
    if (!m_grid || m_grid->values().empty()) return;
    const QString path = QFileDialog::getSaveFileName(this, tr("Save values"), m_grid->title() + QStringLiteral(".npy"),
                                                      tr("NumPy arrays (*.npy)"));
    if (!path.isEmpty()) saveValues(path);
}

bool MapInspector::saveValues(const QString& path)
{
    if (!m_grid || m_grid->values().empty()) return false;
    // One sample of a batch: a leading axis of 1, as model.predict would return it.
    cs::Tensor<float> batch = m_grid->values();
    const cs::Shape s = batch.shape();
    batch.reshape(s.rank() == 3 ? cs::Shape{1, s[0], s[1], s[2]} : cs::Shape{1, s.elements()});
    try {
        cs::write_npy(path.toStdString(), batch);
        return true;
    } catch (const std::exception& e) {
        m_readout->setText(tr("Could not save: %1").arg(QString::fromStdString(e.what())));
        return false;
    }
}

void MapInspector::savePng()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Save map"), QStringLiteral("map.png"), tr("PNG images (*.png)"));
    if (!path.isEmpty()) renderedMap().save(path, "PNG");
}
