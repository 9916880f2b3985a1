#include "learninghistorypanel.h"

#include "visibility.h"

#include "examplehistorymodel.h"
#include "examplehistoryview.h"
#include "livelabel.h"
#include "probeset.h"

#include "dataset.hpp"

#include <QLabel>
#include <QTimer>
#include <QVBoxLayout>

namespace {

// How often a visible panel asks for the columns training has added.
constexpr int refreshMs = 2000;

} // namespace

LearningHistoryPanel::LearningHistoryPanel(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("learningHistoryPanel"));
    m_model = new ExampleHistoryModel(this);
    m_view = new ExampleHistoryView(this);
    m_view->setModel(m_model);
    // Its text changes with every column that arrives: a LiveLabel, which
    // lays the window out again only when the text needs another line.
    m_status = new LiveLabel(this);
    m_status->label()->setObjectName(QStringLiteral("learningHistoryStatus"));
    m_status->label()->setWordWrap(true);
    m_status->setText(tr("Each row is a test image, each column a kept step of the timeline: green read right, red "
                         "wrong, darker the surer. Click a cell to see that image at that step."));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_status);

    m_refresh = new QTimer(this);
    m_refresh->setInterval(refreshMs);
    connect(m_refresh, &QTimer::timeout, this, &LearningHistoryPanel::update);
    // Painted again after it was out of sight (its tab chosen): catch up.
    m_catchUp = new CatchUp(this, [this] {
        m_refresh->start();
        update();
    });
    connect(m_view, &ExampleHistoryView::exampleChosen, this, &LearningHistoryPanel::exampleChosen);
    connect(m_model, &ExampleHistoryModel::progress, this, [this](int done, int total) {
        m_status->setText(done < total ? tr("Reading the %1 test images at %2 kept steps: %3 done\u2026")
                                             .arg(m_model->probe() ? m_model->probe()->size() : 0)
                                             .arg(total)
                                             .arg(done)
                                       : tr("Up to date: %1 kept steps.").arg(m_model->history()->size()));
    });
    connect(m_model, &ExampleHistoryModel::failed, this,
            [this](const QString& why) { m_status->setText(tr("No learning history: %1").arg(why)); });
}

void LearningHistoryPanel::setDataset(const std::shared_ptr<const cs::Dataset>& dataset)
{
    if (!dataset) return;
    m_model->setProbe(ProbeSet::first(*dataset));
    update();
}

void LearningHistoryPanel::setModel(std::shared_ptr<const cs::Network<float>> network,
                                    std::shared_ptr<const cs::ParameterTimeline> timeline)
{
    if (network != m_network) {
        m_network = network;
        m_model->setNetwork(std::move(network));
    }
    if (timeline != m_timeline) {
        m_timeline = timeline;
        m_model->setTimeline(std::move(timeline));
        update();
    }
}

void LearningHistoryPanel::setCurrentStep(quint64 step) { m_view->setCurrentStep(step); }

void LearningHistoryPanel::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    m_refresh->start();
    update();
}

void LearningHistoryPanel::update()
{
    // Out of sight (a tab behind another, a closed dock): nothing to compute
    // for, until it is painted again.
    if (!isSeen(this)) {
        m_refresh->stop();
        m_catchUp->arm();
        return;
    }
    if (m_network && m_timeline) m_model->update();
}
