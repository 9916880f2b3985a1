#include "timelinegif.h"

#include "errors.hpp"
#include "frame_palette.hpp"
#include "gif_file.hpp"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

std::vector<std::uint64_t> timelineGifSteps(const std::vector<std::uint64_t>& kept, quint64 first, quint64 last,
                                            int maxFrames)
{
    std::vector<std::uint64_t> inside;
    for (const std::uint64_t s : kept)
        if (s >= first && s <= last) inside.push_back(s);
    const std::size_t most = std::size_t(std::max(maxFrames, 2));
    if (inside.size() <= most) return inside;
    std::vector<std::uint64_t> out;
    out.reserve(most);
    for (std::size_t i = 0; i < most; ++i)
        out.push_back(inside[(i * (inside.size() - 1) + (most - 1) / 2) / (most - 1)]);
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

QSize writeTimelineGif(const QString& path, const cs::Network<float>& network, const cs::ParameterTimeline& timeline,
                       const std::vector<std::uint64_t>& steps, const cs::FrameView& view,
                       const cs::Tensor<float>& sample, const QStringList& classNames, int label, int framesPerSecond,
                       const std::function<bool(int, int)>& progress)
{
    std::vector<std::pair<std::uint64_t, cs::ParameterTimeline::Parameters>> kept;
    for (const std::uint64_t s : steps)
        if (auto p = timeline.at(s)) kept.emplace_back(s, std::move(p));
    if (kept.empty()) throw cs::ShapeError("none of the chosen steps is kept in the timeline any more");
    std::vector<std::string> names;
    for (const QString& n : classNames) names.push_back(n.toStdString());
    cs::FrameRenderer renderer(network, view, sample, names, label);
    // Every frame measured first: one colour scale per layer for the whole animation.
    for (const auto& [step, params] : kept) renderer.measure(*params);
    std::vector<cs::IndexedImage> frames;
    frames.reserve(kept.size());
    const int total = int(kept.size());
    for (const auto& [step, params] : kept) {
        frames.push_back(renderer.render(*params, step));
        if (progress && !progress(int(frames.size()), total)) return {};
    }
    const unsigned delay = unsigned(std::lround(100.0 / std::clamp(framesPerSecond, 1, 50)));
    cs::write_gif(path.toStdString(), cs::frame_palette(), frames, delay);
    return QSize(int(renderer.width()), int(renderer.height()));
}

TimelineGifDialog::TimelineGifDialog(const cs::Network<float>& network, const std::vector<std::uint64_t>& kept,
                                     QWidget* parent)
    : QDialog(parent), m_kept(kept)
{
    setWindowTitle(tr("Export Timeline as GIF"));
    setObjectName(QStringLiteral("timelineGifDialog"));
    m_view = new QComboBox(this);
    m_view->setObjectName(QStringLiteral("gifView"));
    m_view->addItem(tr("The network (the pinned image through every layer)"), int(cs::FrameViewKind::network));
    m_view->addItem(tr("The kernels"), int(cs::FrameViewKind::kernels));
    for (std::size_t i = 0; i < network.layer_count(); ++i) {
        if (network.output_shape(i).rank() != 3) continue; // maps, not a flat layer
        const cs::Layer<float>& layer = network.layer(i);
        m_view->addItem(tr("The maps of %1 (%2)").arg(QString::fromStdString(layer.name()),
                                                      QString::fromStdString(layer.kind())),
                        int(cs::FrameViewKind::maps));
        m_layers.push_back(i);
    }
    m_first = new QComboBox(this);
    m_first->setObjectName(QStringLiteral("gifFirst"));
    m_last = new QComboBox(this);
    m_last->setObjectName(QStringLiteral("gifLast"));
    for (const std::uint64_t s : m_kept) {
        m_first->addItem(QLocale().toString(qulonglong(s)), qulonglong(s));
        m_last->addItem(QLocale().toString(qulonglong(s)), qulonglong(s));
    }
    m_last->setCurrentIndex(m_last->count() - 1);
    m_fps = new QSpinBox(this);
    m_fps->setObjectName(QStringLiteral("gifFps"));
    m_fps->setRange(1, 50);
    m_fps->setValue(10);
    m_fps->setSuffix(tr(" frames/s"));
    m_maxFrames = new QSpinBox(this);
    m_maxFrames->setObjectName(QStringLiteral("gifMaxFrames"));
    m_maxFrames->setRange(2, 2000);
    m_maxFrames->setValue(300);
    m_maxFrames->setToolTip(tr("More kept steps than this are sampled evenly (the first and last always)"));
    m_count = new QLabel(this);

    auto* form = new QFormLayout;
    form->addRow(tr("&Show"), m_view);
    form->addRow(tr("&From step"), m_first);
    form->addRow(tr("&To step"), m_last);
    form->addRow(tr("&Speed"), m_fps);
    form->addRow(tr("At &most"), m_maxFrames);
    form->addRow(QString(), m_count);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Export..."));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(buttons);
    for (QComboBox* c : {m_first, m_last}) connect(c, &QComboBox::currentIndexChanged, this, &TimelineGifDialog::updateCount);
    connect(m_maxFrames, &QSpinBox::valueChanged, this, &TimelineGifDialog::updateCount);
    connect(m_fps, &QSpinBox::valueChanged, this, &TimelineGifDialog::updateCount);
    updateCount();
}

TimelineGifChoice TimelineGifDialog::choice() const
{
    TimelineGifChoice c;
    c.view.kind = cs::FrameViewKind(m_view->currentData().toInt());
    const int mapsEntry = m_view->currentIndex() - 2;
    if (c.view.kind == cs::FrameViewKind::maps && mapsEntry >= 0) c.view.layer = m_layers[std::size_t(mapsEntry)];
    c.first = m_first->currentData().toULongLong();
    c.last = m_last->currentData().toULongLong();
    if (c.first > c.last) std::swap(c.first, c.last);
    c.framesPerSecond = m_fps->value();
    c.maxFrames = m_maxFrames->value();
    return c;
}

void TimelineGifDialog::updateCount()
{
    const TimelineGifChoice c = choice();
    const std::size_t frames = timelineGifSteps(m_kept, c.first, c.last, c.maxFrames).size();
    m_count->setText(tr("%n frame(s), %1 s", nullptr, int(frames)).arg(double(frames) / c.framesPerSecond, 0, 'f', 1));
}
