#include "digitclassifierpanel.h"

#include "trainingtypes.h"

#include "classlabels.h"

#include "drawingpad.h"
#include "livelabel.h"
#include "probabilitybars.h"
#include "saliency.hpp"
#include "shippedmodel.h"

#include <QBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QSlider>
#include <QToolButton>

#include <algorithm>
#include <cmath>
#include <exception>

// ---- NetworkInputView -----------------------------------------------------

NetworkInputView::NetworkInputView(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("networkInputView"));
    QSizePolicy policy(QSizePolicy::Preferred, QSizePolicy::Preferred);
    policy.setHeightForWidth(true);
    setSizePolicy(policy);
    setToolTip(tr("The drawing as the network receives it: white ink on black, the ink's box scaled to fit "
                  "20x20 pixels and its centre of mass moved to the centre of 28x28, as in MNIST."));
}

void NetworkInputView::setImage(const cs::Tensor<float>& image)
{
    if (image.empty()) {
        m_image = QImage();
    } else {
        const bool batch = image.rank() == 4;
        const int h = int(image.dim(batch ? 1 : 0)), w = int(image.dim(batch ? 2 : 1));
        const int c = int(image.dim(batch ? 3 : 2));
        m_image = QImage(w, h, QImage::Format_Grayscale8);
        for (int r = 0; r < h; ++r) {
            uchar* line = m_image.scanLine(r);
            for (int col = 0; col < w; ++col) {
                const float v = image.data()[(std::size_t(r) * std::size_t(w) + std::size_t(col)) * std::size_t(c)];
                line[col] = uchar(std::lround(std::clamp(v, 0.0f, 1.0f) * 255));
            }
        }
    }
    update();
}

void NetworkInputView::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    const int side = std::min(width(), height());
    const QRect r((width() - side) / 2, (height() - side) / 2, side, side);
    p.fillRect(r, Qt::black);
    if (!m_image.isNull()) {
        p.setRenderHint(QPainter::SmoothPixmapTransform, false);
        p.drawImage(r, m_image);
        // A faint pixel grid when the pixels are large enough to need one.
        const double cell = double(side) / m_image.width();
        if (cell >= 5) {
            p.setPen(QColor(255, 255, 255, 22));
            for (int i = 1; i < m_image.width(); ++i) {
                const int x = r.x() + int(std::lround(i * cell)), y = r.y() + int(std::lround(i * cell));
                p.drawLine(x, r.top(), x, r.bottom());
                p.drawLine(r.left(), y, r.right(), y);
            }
        }
    }
    p.setPen(palette().color(QPalette::Mid));
    p.drawRect(r.adjusted(0, 0, -1, -1));
}

// ---- DigitClassifierPanel ---------------------------------------------------

DigitClassifierPanel::DigitClassifierPanel(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("digitClassifierPanel"));
    for (int k = 0; k < 10; ++k) m_classNames << QString::number(k);

    m_pad = new DrawingPad(this);

    m_width = new QSlider(Qt::Horizontal, this);
    m_width->setObjectName(QStringLiteral("strokeWidthSlider"));
    m_width->setRange(6, 48);
    m_width->setValue(int(m_pad->strokeWidth()));
    m_width->setToolTip(tr("Pen width"));
    m_width->setMinimumWidth(60);
    connect(m_width, &QSlider::valueChanged, m_pad, [this](int v) { m_pad->setStrokeWidth(v); });
    m_undo = new QToolButton(this);
    m_undo->setText(tr("Undo"));
    m_undo->setObjectName(QStringLiteral("undoButton"));
    m_undo->setToolTip(tr("Take back the last stroke (Ctrl+Z)"));
    m_clear = new QToolButton(this);
    m_clear->setText(tr("Clear"));
    m_clear->setObjectName(QStringLiteral("clearButton"));
    m_clear->setToolTip(tr("Start again (Esc)"));
    connect(m_undo, &QToolButton::clicked, m_pad, [this] {
        m_pad->undo();
        m_pad->flush();
    });
    connect(m_clear, &QToolButton::clicked, m_pad, [this] {
        m_pad->clear();
        m_pad->flush();
    });

    auto* controls = new QHBoxLayout;
    auto* penLabel = new QLabel(tr("Pen"), this);
    controls->addWidget(penLabel);
    controls->addWidget(m_width, 1);
    controls->addWidget(m_undo);
    controls->addWidget(m_clear);

    auto* left = new QVBoxLayout;
    left->addWidget(m_pad, 1);
    left->addLayout(controls);

    auto* seesLabel = new QLabel(tr("<b>The network sees</b>"), this);
    m_inputView = new NetworkInputView(this);
    m_bigClass = new QLabel(QStringLiteral("–"), this);
    m_bigClass->setObjectName(QStringLiteral("predictionLabel"));
    QFont big = font();
    big.setPointSizeF(big.pointSizeF() * 3.2);
    big.setBold(true);
    m_bigClass->setFont(big);
    m_bigClass->setAlignment(Qt::AlignCenter);
    m_bigClass->setMinimumWidth(QFontMetrics(big).horizontalAdvance(QStringLiteral("00")));
    m_confidence = new QLabel(this);
    m_confidence->setObjectName(QStringLiteral("confidenceLabel"));
    m_confidence->setWordWrap(true);
    m_confidence->setAlignment(Qt::AlignHCenter | Qt::AlignTop);
    // The 28x28 image and, beside it, what the network makes of it.
    auto* verdict = new QVBoxLayout;
    verdict->addStretch(1);
    verdict->addWidget(m_bigClass);
    verdict->addWidget(m_confidence);
    verdict->addStretch(1);
    auto* readRow = new QHBoxLayout;
    readRow->addWidget(m_inputView, 3);
    readRow->addLayout(verdict, 2);

    m_bars = new ProbabilityBars(this);
    m_bars->setObjectName(QStringLiteral("drawingProbabilities"));
    m_bars->setClassNames(m_classNames);
    // It names the step, so it changes while training: a live label.
    auto* caption = new LiveLabel(this);
    m_caption = caption->label();
    m_caption->setObjectName(QStringLiteral("modelCaption"));
    m_caption->setWordWrap(true);
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.9);
    m_caption->setFont(small);

    auto* right = new QVBoxLayout;
    right->addWidget(seesLabel);
    right->addLayout(readRow);
    right->addWidget(m_bars, 1);
    right->addWidget(caption);

    m_main = new QBoxLayout(QBoxLayout::LeftToRight, this);
    m_main->setContentsMargins(8, 8, 8, 8);
    m_main->addLayout(left, 3);
    m_main->addLayout(right, 2);

    connect(m_pad, &DrawingPad::digitChanged, this, &DigitClassifierPanel::showDigit);
    m_digit.image = cs::Tensor<float>(cs::Shape{1, cs::mnist_side, cs::mnist_side, 1});
    m_inputView->setImage(m_digit.image);
    updateCaption();
    classify();
}

DigitClassifierPanel::~DigitClassifierPanel() = default;

void DigitClassifierPanel::setModel(std::shared_ptr<const cs::Network<float>> network,
                                    std::shared_ptr<const arma::Col<float>> parameters, const QString& caption)
{
    m_network = std::move(network);
    m_parameters = std::move(parameters);
    m_modelCaption = caption;
    m_problem.clear();
    if (!m_network) {
        m_problem = tr("No model to read the drawing.");
    } else if (!m_parameters || m_parameters->n_elem != m_network->parameter_count()) {
        m_problem = tr("No weights for this model.");
    } else {
        // A drawing is made an MNIST digit, 28x28x1, by MNIST's own steps.
        // Other inputs are refused, not faked: a grey digit copied into
        // three channels is nothing a colour model (CIFAR's 32x32x3) saw,
        // and padded to 32x32 it is placed unlike the model's own images.
        // Either would read the drawing confidently and wrongly, which
        // teaches the opposite of what the panel is for.
        const cs::Shape& in = m_network->input_shape();
        if (!(in == cs::Shape{cs::mnist_side, cs::mnist_side, 1}))
            m_problem = tr("Drawing needs a model that reads 28x28x1 images (grey digits); this one reads %1.")
                            .arg(shapeText(in));
        else if (m_network->classes() != std::size_t(m_classNames.size()))
            m_bars->setClassNames({});
    }
    updateCaption();
    classify();
}

bool DigitClassifierPanel::setParameters(std::shared_ptr<const arma::Col<float>> parameters, const QString& caption)
{
    if (!m_network || !parameters || parameters->n_elem != m_network->parameter_count()) return false;
    m_parameters = std::move(parameters);
    m_modelCaption = caption;
    updateCaption();
    classify();
    return true;
}

bool DigitClassifierPanel::loadShippedModel()
{
    try {
        const cs::ModelFile file = ::loadShippedModel();
        setModel(file.model->shared_network(), file.model->snapshot(), tr("the shipped model"));
        return true;
    } catch (const std::exception& e) {
        setModel(nullptr, nullptr, QString());
        m_problem = tr("No model to read the drawing: %1").arg(QString::fromUtf8(e.what()));
        updateCaption();
        return false;
    }
}

void DigitClassifierPanel::setClassNames(const QStringList& names)
{
    m_classNames = names;
    m_bars->setClassNames(names);
    classify();
}

cs::Tensor<float> DigitClassifierPanel::networkInput() const
{
    cs::Tensor<float> x = m_digit.image;
    x.reshape(cs::Shape{cs::mnist_side, cs::mnist_side, 1});
    return x;
}

QString DigitClassifierPanel::predictionText() const
{
    if (m_predicted < 0) return QString();
    return classLabel(m_classNames, m_predicted);
}

void DigitClassifierPanel::showDigit(const cs::DigitImage& digit)
{
    m_digit = digit;
    m_inputView->setImage(m_digit.image);
    classify();
}

void DigitClassifierPanel::classify()
{
    m_probs.clear();
    m_predicted = -1;
    if (!m_digit.empty && m_network && m_parameters && m_problem.isEmpty()) {
        try {
            m_probs = cs::classify(*m_network, *m_parameters, networkInput(), m_workspace);
            m_predicted = int(std::max_element(m_probs.begin(), m_probs.end()) - m_probs.begin());
        } catch (const std::exception& e) {
            m_problem = QString::fromUtf8(e.what());
            m_probs.clear();
            updateCaption();
        }
    }
    m_bars->setProbabilities(m_probs, -1);
    if (m_predicted >= 0) {
        m_bigClass->setText(predictionText());
        const float p = m_probs[std::size_t(m_predicted)];
        m_confidence->setText(tr("%1 %").arg(double(p) * 100, 0, 'f', 1) + QLatin1Char('\n') +
                              (p > 0.9f ? tr("sure") : p > 0.6f ? tr("fairly sure") : tr("unsure")));
    } else {
        m_bigClass->setText(QStringLiteral("–"));
        m_confidence->setText(m_digit.empty ? tr("Draw a digit") : QString());
    }
    m_undo->setEnabled(!m_pad->isEmpty());
    m_clear->setEnabled(!m_pad->isEmpty());
    emit classified(networkInput(), m_probs, m_predicted);
}

void DigitClassifierPanel::updateCaption()
{
    if (!m_problem.isEmpty()) {
        m_caption->setText(QStringLiteral("<span style='color:#b03030'>%1</span>").arg(m_problem.toHtmlEscaped()));
    } else {
        m_caption->setText(tr("Read by %1.").arg(m_modelCaption.toHtmlEscaped()));
        m_caption->setToolTip(tr("The drawing is read by a copy of the model, refreshed as it trains. "
                                 "Training › Restore the Shipped Model brings back the model ConvScope came with."));
    }
}

void DigitClassifierPanel::resizeEvent(QResizeEvent* event)
{
    // Side by side when there is room, stacked in a tall, narrow dock.
    const auto direction = width() >= height() ? QBoxLayout::LeftToRight : QBoxLayout::TopToBottom;
    if (m_main->direction() != direction) m_main->setDirection(direction);
    // Stacked, the ten bars need height the pad would otherwise lose; without
    // them the verdict (class and probability) still shows.
    m_bars->setVisible(direction == QBoxLayout::LeftToRight || height() >= width() + 360);
    QWidget::resizeEvent(event);
}
