#include "helpguide.h"

#include <QDialogButtonBox>
#include <QPixmap>
#include <QTextBrowser>
#include <QTextDocument>
#include <QUrl>
#include <QVBoxLayout>

#include <utility>

HelpGuide::HelpGuide(QWidget* parent) : QDialog(parent)
{
    setObjectName(QStringLiteral("helpGuide"));
    setWindowTitle(tr("What Am I Seeing?"));
    m_text = new QTextBrowser(this);
    m_text->setObjectName(QStringLiteral("helpGuideText"));
    m_text->setOpenExternalLinks(false);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_text, 1);
    layout->addWidget(buttons);
    resize(720, 640);
}

void HelpGuide::setIllustration(const QString& name, QWidget* panel)
{
    if (!panel || !panel->isVisible() || panel->width() < 20 || panel->height() < 20) return;
    QPixmap picture = panel->grab();
    if (picture.width() > 640) picture = picture.scaledToWidth(640, Qt::SmoothTransformation);
    m_text->document()->addResource(QTextDocument::ImageResource, QUrl(QStringLiteral("panel:") + name), picture);
    m_pictures << name;
}

QString HelpGuide::html() const
{
    return m_text->toHtml();
}

void HelpGuide::build()
{
    // Each section's text, then the picture of its panel when there is one.
    const std::pair<QString, QString> sections[] = {
        {tr("<h2>What am I seeing?</h2>"
            "<p>ConvScope trains a small convolutional network (LeNet-5 unless you design another) to recognise "
            "images, one mini-batch (32 images) per <b>step</b>. Every panel shows the same network at the same "
            "step.</p>"),
         {}},
        {tr("<h3>The network view (centre)</h3>"
            "<p>One image, the <i>pinned sample</i>, flowing through the network from left to right. Each column is "
            "the output of one layer: <b>Conv</b> layers slide small filters over the image and make one map per "
            "filter (yellow: strong response, dark: none); <b>Pool</b> layers halve each map by keeping the largest "
            "value of every 2\u00d72 window; <b>Dense</b> layers are columns of numbers, each a weighted sum of "
            "everything before it. <b>Output</b> shows the probability of each class: the longest bar is the "
            "network's answer; the framed one is the right answer. Hover a header for what the layer does and how "
            "its size is computed; the arrows name the operation.</p>"
            "<p><b>Click any value</b> to see how it was computed, in the <b>Explain</b> panel: the window it read "
            "on the layer before, the kernel, each product, + bias, then the activation; the network view marks "
            "the window and, on the image, everything the value depends on. With Gradients shown, a click explains "
            "the backward sum instead. Double-click a map to enlarge it.</p>"),
         QStringLiteral("network")},
        {tr("<h3>Showing learning</h3>"
            "<p><b>Maps and kernels show</b>: the values, their <i>change since Reset</i> (what learning has done "
            "so far), their <i>change in the last step</i>, or their change <i>over the last k steps</i>: red "
            "grew, blue shrank. <b>Colours</b>: fitted to each "
            "frame shows patterns; <i>range so far</i> or <i>fixed</i> keep one scale so that growth shows. "
            "<b>Gradients</b> (above) shows backpropagation instead: how the loss would change with each value. "
            "The line under the caption says what the last step changed: the batch loss and the probability of "
            "the pinned image's class.</p>"),
         QStringLiteral("controls")},
        {tr("<h3>The timeline (under the network view)</h3>"
            "<p>Training keeps the weights of past steps: every recent step, older ones every 10th, 100th... "
            "Drag the slider back and every view shows the network as it was then, marked <i>History</i>; "
            "<b>Play</b> replays training as a movie and <b>Live</b> (End) comes back. Watch the first kernels "
            "turn from noise into edge detectors. The <b>Learning History</b> panel shows 200 test images "
            "(rows) over the steps (columns), green when read right and red when wrong: sort them by when they "
            "were learned, find those learned and then forgotten, and click one to see it at that step.</p>"),
         QStringLiteral("timeline")},
        {tr("<h3>Kernels (bottom right)</h3>"
            "<p>The weights the convolutions learn: each small square is one filter (blue negative, white 0, red "
            "positive). The first convolution's filters look at the image (in colour for a colour image); a later "
            "one's have one square per map of the layer before it. Double-click one to enlarge it; with Gradients "
            "shown, a click on a weight explains its gradient for the pinned image.</p>"),
         QStringLiteral("kernels")},
        {tr("<h3>Curves (bottom)</h3>"
            "<p>The <b>loss</b> (how wrong the network is on each mini-batch; lower is better) and the "
            "<b>accuracy</b>, per step (faint) and smoothed. Orange: the same on test images the network never "
            "trains on. Dashed lines mark a change of learning rate or batch size.</p>"),
         QStringLiteral("curves")},
        {tr("<h3>Draw a Digit (right)</h3>"
            "<p>Draw with the mouse: your digit is scaled and centred the way MNIST digits are, then read by the "
            "network. It becomes the pinned sample, so you can watch its reading change while the network "
            "trains.</p>"),
         QStringLiteral("drawing")},
        {tr("<h3>Evaluation (right)</h3>"
            "<p><b>Evaluate</b> (Ctrl+T) reads every test image. The <b>confusion matrix</b> counts, for each true "
            "class (rows), what it was read as (columns): the diagonal is right. Click a cell to see those images "
            "in the gallery below and in the image grid; click an image to pin it. Results say the step they come "
            "from and turn grey when the weights have changed since.</p>"),
         QStringLiteral("evaluation")},
        {tr("<h3>Architecture and Runs</h3>"
            "<p><b>View \u25b8 Design the Network</b> (Ctrl+Shift+A) lists the layers: add, remove and move them, "
            "change a kernel, a stride, the padding or the pooling, and see each layer's output shape and "
            "parameter count as you type (hover a shape for the formula). A setting that cannot work turns its "
            "layer red and says why. <b>Apply</b> trains the new network from fresh weights as a new run. "
            "<b>Training \u25b8 Compare Runs</b> (Ctrl+Shift+U) lists the earlier runs: tick one to draw its "
            "curves over the current run's, to see what max against average pooling, or 'same' against 'valid', "
            "does to learning.</p>"),
         {}},
        {tr("<h3>Controls</h3>"
            "<p><b>Run</b> trains at the pace chosen beside it (steps per second); <b>Step</b> does one step; "
            "<b>Reset</b> starts again from random weights. The learning rate is the size of each update: 0 learns "
            "nothing, too large makes the loss explode. <b>View \u25b8 Presentation</b> (F11) hides the side "
            "panels and enlarges the text for a projector; Ctrl+ and Ctrl\u2212 zoom the maps and kernels.</p>"),
         {}},
    };
    QString h;
    for (const auto& [text, picture] : sections) {
        h += text;
        if (m_pictures.contains(picture)) h += QStringLiteral("<p><img src='panel:%1'></p>").arg(picture);
    }
    m_text->setHtml(h);
}
