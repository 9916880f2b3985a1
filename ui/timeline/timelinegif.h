// A training run's timeline as an animated GIF, from the window (File >
// Export > Timeline as GIF): the same frames as `convscope-cli timeline`
// (cs::FrameRenderer: the kernels, one layer's maps or the network, each
// layer on one colour scale for the whole animation), for the pinned image.
//
// TimelineGifDialog asks what to animate; writeTimelineGif does the work in
// any thread (the window runs it in the thread pool with a progress dialog).
#pragma once

#include "network_frames.hpp"
#include "parameter_timeline.hpp"

#include <QDialog>
#include <QStringList>

#include <functional>
#include <memory>
#include <vector>

class QComboBox;
class QLabel;
class QSpinBox;

struct TimelineGifChoice {
    cs::FrameView view;
    quint64 first = 0, last = 0; // kept steps from first to last
    int framesPerSecond = 10;
    int maxFrames = 300;
};

// The kept steps in [first, last], at most maxFrames of them spread evenly
// over the list (its first and last always).
std::vector<std::uint64_t> timelineGifSteps(const std::vector<std::uint64_t>& kept, quint64 first, quint64 last,
                                            int maxFrames);

// Draws the frames of `steps` and writes the GIF (atomically). sample: the
// image (h, w, c) the maps are drawn for; label -1 if none. progress(done,
// total) is called after each frame and returns false to stop (nothing is
// then written). Throws cs::ShapeError / cs::WriteError with the reason.
// Returns the frame size.
QSize writeTimelineGif(const QString& path, const cs::Network<float>& network, const cs::ParameterTimeline& timeline,
                       const std::vector<std::uint64_t>& steps, const cs::FrameView& view,
                       const cs::Tensor<float>& sample, const QStringList& classNames, int label, int framesPerSecond,
                       const std::function<bool(int, int)>& progress = {});

class TimelineGifDialog : public QDialog {
    Q_OBJECT

public:
    // kept: the timeline's steps (ascending, not empty).
    TimelineGifDialog(const cs::Network<float>& network, const std::vector<std::uint64_t>& kept,
                      QWidget* parent = nullptr);

    TimelineGifChoice choice() const;

private:
    void updateCount();

    std::vector<std::uint64_t> m_kept;
    std::vector<std::size_t> m_layers; // the layer of each "maps" entry of the view combo
    QComboBox* m_view = nullptr;
    QComboBox* m_first = nullptr;
    QComboBox* m_last = nullptr;
    QSpinBox* m_fps = nullptr;
    QSpinBox* m_maxFrames = nullptr;
    QLabel* m_count = nullptr;
};
