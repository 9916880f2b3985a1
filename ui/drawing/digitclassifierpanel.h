// DigitClassifierPanel: draw a digit and watch the network read it.
//
//   the drawing pad | what the network sees: the 28x28 MNIST-style image
//                   |   (pixelated), the top class in large type and its
//                   |   probability, ten probability bars
//   pen width, Undo, Clear; a line saying which model is reading
//
// The panel reads with a network shared read-only with its owner (the one
// being trained, or the shipped model's) and a parameter snapshot, through a
// workspace of its own: a forward pass of one 28x28 image through LeNet-5
// takes a few hundredths of a millisecond, so it classifies on the GUI
// thread at every change of the drawing (the pad coalesces changes per 16 ms
// frame).
#pragma once

#include "preprocess.hpp"
#include "network.hpp"

#include <QImage>
#include <QStringList>
#include <QWidget>

#include <memory>
#include <vector>

class DrawingPad;
class ProbabilityBars;
class QBoxLayout;
class QLabel;
class QToolButton;
class QSlider;

// The image the network is given, 28x28 scaled up with square pixels.
class NetworkInputView : public QWidget {
    Q_OBJECT

public:
    explicit NetworkInputView(QWidget* parent = nullptr);
    // (28, 28, 1) or (1, 28, 28, 1) in [0, 1]; an empty tensor shows nothing.
    void setImage(const cs::Tensor<float>& image);
    QImage image() const { return m_image; }

    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override { return width; }
    QSize sizeHint() const override { return {140, 140}; }
    QSize minimumSizeHint() const override { return {84, 84}; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    QImage m_image; // Grayscale8, h x w
};

class DigitClassifierPanel : public QWidget {
    Q_OBJECT

public:
    explicit DigitClassifierPanel(QWidget* parent = nullptr);
    ~DigitClassifierPanel() override;

    // The model that reads the drawings: an architecture and parameters for
    // it, neither of which anyone changes (a null network: none). caption
    // says which one ("the shipped model", "step 1200").
    void setModel(std::shared_ptr<const cs::Network<float>> network,
                  std::shared_ptr<const arma::Col<float>> parameters, const QString& caption);
    // New parameters for the same network (a training snapshot); false, and
    // nothing changes, if their number differs from the network's.
    bool setParameters(std::shared_ptr<const arma::Col<float>> parameters, const QString& caption);
    // The shipped model (shippedmodel.h); false and a message if it is missing.
    bool loadShippedModel();
    void setClassNames(const QStringList& names);

    DrawingPad* pad() const { return m_pad; }
    ProbabilityBars* bars() const { return m_bars; }
    NetworkInputView* inputView() const { return m_inputView; }
    const cs::Network<float>* network() const { return m_network.get(); }
    QString modelCaption() const { return m_modelCaption; }

    bool hasDigit() const { return !m_digit.empty; }
    // The drawing as the network sees it, (28, 28, 1) (zeros if none).
    cs::Tensor<float> networkInput() const;
    const std::vector<float>& probabilities() const { return m_probs; }
    // The class read, -1 while nothing is drawn (or no model can read it).
    int predicted() const { return m_predicted; }
    QString predictionText() const;

public slots:
    // Runs the current drawing through the model again (after a model change).
    void classify();

signals:
    // After every classification: the drawing as the network sees it
    // (28, 28, 1), the probabilities and the class read (-1, and empty
    // probabilities, when the pad is empty).
    void classified(const cs::Tensor<float>& input, const std::vector<float>& probabilities, int predicted);

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void showDigit(const cs::DigitImage& digit);
    void updateCaption();

    DrawingPad* m_pad = nullptr;
    NetworkInputView* m_inputView = nullptr;
    ProbabilityBars* m_bars = nullptr;
    QLabel* m_bigClass = nullptr;
    QLabel* m_confidence = nullptr;
    QLabel* m_caption = nullptr;
    QSlider* m_width = nullptr;
    QToolButton* m_undo = nullptr;
    QToolButton* m_clear = nullptr;
    QBoxLayout* m_main = nullptr;

    std::shared_ptr<const cs::Network<float>> m_network;
    std::shared_ptr<const arma::Col<float>> m_parameters;
    cs::Workspace<float> m_workspace; // the drawing's passes, batch of one
    QString m_modelCaption;
    QString m_problem; // why the model cannot read drawings ("" if it can)
    QStringList m_classNames;
    cs::DigitImage m_digit;
    std::vector<float> m_probs;
    int m_predicted = -1;
};
