// The pieces the image grid and the mistakes gallery share: class labels,
// the training/test split, confusion-matrix cells, the column heading, the
// rate limiter and catch-up of costly views, and the thumbnail grid itself (captions, tooltips, marks, clicks, Enter, and
// refusing lists that do not fit the set).
#include "classlabels.h"
#include "columnheading.h"
#include "confusioncell.h"
#include "datasplit.h"
#include "ratelimiter.h"
#include "thumbnailgrid.h"
#include "visibility.h"

#include <QElapsedTimer>
#include <QPainter>
#include <QSignalSpy>
#include <QTest>

#include <algorithm>
#include <memory>
#include <stdexcept>

class TestThumbnailGrid : public QObject {
    Q_OBJECT

private slots:
    void init();
    void classLabelFallsBackToTheNumber();
    void splitChoosesImagesLabelsAndWords();
    void confusionCellHoldsMistakesOffTheDiagonal();
    void confusionCellOfMismatchedListsIsEmpty();
    void headingIsOneLinePerText();
    void rateLimiterRunsAtOnceWhenDueElseOnceLater();
    void catchUpWorksWhenPaintedAgain();
    void captionsAndToolTipsSayWhatWasRead();
    void misreadImagesAreFramedRedOrGreyWhenStale();
    void clickAndEnterPinTheImage();
    void indicesOutsideTheSetAreRefused();
    void listsOfOtherLengthsAreRefused();

private:
    // The test image of `row` as drawn: the colour of its frame's left edge.
    QColor frameColour(int row);

    std::shared_ptr<cs::Dataset> m_data;
    std::unique_ptr<ThumbnailGrid> m_grid;
    // Test images 0..4 are labelled 0..4; 1 and 4 are misread.
    const std::vector<std::uint8_t> m_predictions{0, 2, 2, 3, 1};
    const std::vector<float> m_confidence{0.99f, 0.6f, 0.8f, 0.7f, 0.9f};
};

void TestThumbnailGrid::init()
{
    m_data = std::make_shared<cs::Dataset>();
    m_data->class_names = {"zero", "one", "two", "three", "four"};
    m_data->train_images = cs::Tensor<float>(cs::Shape{2, 28, 28, 1});
    m_data->train_labels = {0, 1};
    m_data->test_images = cs::Tensor<float>(cs::Shape{5, 28, 28, 1});
    std::fill(m_data->test_images.data() + 4 * 784, m_data->test_images.data() + 5 * 784, 1.0f); // image 4 white
    m_data->test_labels = {0, 1, 2, 3, 4};
    m_grid = std::make_unique<ThumbnailGrid>();
    m_grid->resize(400, 300);
    m_grid->setImages(m_data, DataSplit::Test, {4, 1, 0}, m_predictions, m_confidence);
    m_grid->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_grid.get()));
}

void TestThumbnailGrid::classLabelFallsBackToTheNumber()
{
    const QStringList names = classNames(*m_data);
    QCOMPARE(names.size(), 5);
    QCOMPARE(classLabel(names, 1), QStringLiteral("one"));
    // A model with more outputs than the dataset has names, or no class at all.
    QCOMPARE(classLabel(names, 7), QStringLiteral("7"));
    QCOMPARE(classLabel(names, -1), QStringLiteral("-1"));
    QCOMPARE(classLabel({}, 3), QStringLiteral("3"));
}

void TestThumbnailGrid::splitChoosesImagesLabelsAndWords()
{
    QCOMPARE(splitOf(true), DataSplit::Test);
    QCOMPARE(splitOf(false), DataSplit::Training);
    QVERIFY(isTest(DataSplit::Test) && !isTest(DataSplit::Training));
    QCOMPARE(&splitImages(*m_data, DataSplit::Test), &m_data->test_images);
    QCOMPARE(&splitImages(*m_data, DataSplit::Training), &m_data->train_images);
    QCOMPARE(&splitLabels(*m_data, DataSplit::Test), &m_data->test_labels);
    QCOMPARE(&splitLabels(*m_data, DataSplit::Training), &m_data->train_labels);
    QCOMPARE(splitTitle(DataSplit::Training), QStringLiteral("Training"));
    QCOMPARE(splitWord(DataSplit::Test), QStringLiteral("test"));
}

void TestThumbnailGrid::confusionCellHoldsMistakesOffTheDiagonal()
{
    const std::vector<std::uint8_t> labels{0, 1, 1, 2, 1, 0};
    const std::vector<std::uint8_t> predicted{0, 1, 2, 1, 2, 2};
    // Every mistake.
    QCOMPARE(imagesIn({}, labels, predicted), (std::vector<int>{2, 3, 4, 5}));
    // One cell off the diagonal; every misread 1; every image read as 2 by mistake.
    QCOMPARE(imagesIn({1, 2}, labels, predicted), (std::vector<int>{2, 4}));
    QCOMPARE(imagesIn({1, -1}, labels, predicted), (std::vector<int>{2, 4}));
    QCOMPARE(imagesIn({-1, 2}, labels, predicted), (std::vector<int>{2, 4, 5}));
    // The diagonal: that class's right answers.
    QVERIFY(ConfusionCell({1, 1}).diagonal());
    QCOMPARE(imagesIn({1, 1}, labels, predicted), (std::vector<int>{1}));
    QCOMPARE(ConfusionCell({1, 2}).describe(2, {"a", "b", "c"}), QStringLiteral("2 × a b read as c"));
    QCOMPARE(ConfusionCell({1, 1}).describe(1, {"a", "b", "c"}), QStringLiteral("1 × b read right"));
}

void TestThumbnailGrid::confusionCellOfMismatchedListsIsEmpty()
{
    // Predictions of another set (or none yet): no image is in any cell.
    QVERIFY(imagesIn({}, {0, 1, 2}, {1, 0}).empty());
    QVERIFY(imagesIn({0, 0}, {0, 1, 2}, {}).empty());
}

void TestThumbnailGrid::headingIsOneLinePerText()
{
    QWidget widget;
    widget.resize(120, 100);
    const int line = widget.fontMetrics().height();
    // Painted by one heading, as a column repaints with every picture: the
    // text it keeps drawn is drawn again when the text changes.
    ColumnHeading heading;
    auto painted = [&](const QString& title, const QStringList& lines, int* bottom = nullptr) {
        QImage image(widget.size(), QImage::Format_RGB32);
        image.fill(Qt::white);
        QPainter p(&image);
        const int y = heading.paint(p, widget, title, lines, QStringLiteral("28x28x6"));
        if (bottom) *bottom = y;
        return image;
    };
    int bottom = 0;
    const QImage conv1 = painted(QStringLiteral("Conv 1"), {}, &bottom);
    QCOMPARE(bottom, 1 + 2 * line);
    QVERIFY(conv1 != QImage(conv1.size(), conv1.format())); // something was drawn
    QCOMPARE(painted(QStringLiteral("Conv 1"), {}), conv1);  // again, from what it keeps
    QVERIFY(painted(QStringLiteral("Conv 2"), {}) != conv1);
    const QImage twoLines = painted(QStringLiteral("Conv 1"), {QStringLiteral("6 filters"), QStringLiteral("ReLU")}, &bottom);
    QCOMPARE(bottom, 1 + 4 * line);
    QVERIFY(twoLines != conv1);
    QCOMPARE(painted(QStringLiteral("Conv 1"), {}), conv1);
    // A narrower widget: elided again, not the wider one's pixels.
    widget.resize(30, 100);
    QVERIFY(painted(QStringLiteral("Conv 1"), {}).copy(0, 0, 30, bottom) != conv1.copy(0, 0, 30, bottom));
}

void TestThumbnailGrid::rateLimiterRunsAtOnceWhenDueElseOnceLater()
{
    int runs = 0;
    RateLimiter* limiter = nullptr;
    QObject owner;
    limiter = new RateLimiter(100, &owner, [&] {
        ++runs;
        limiter->ran();
    });
    QElapsedTimer clock;
    clock.start();
    limiter->request(); // due: at once
    QCOMPARE(runs, 1);
    QVERIFY(!limiter->pending());
    // Asked again and again within the interval: once, later.
    for (int i = 0; i < 5; ++i) limiter->request();
    QCOMPARE(runs, 1);
    QVERIFY(limiter->pending());
    QTRY_COMPARE_WITH_TIMEOUT(runs, 2, 2000);
    QVERIFY(clock.elapsed() >= 100);
    QVERIFY(!limiter->pending());
    // Due again after the interval: at once.
    QTest::qWait(120);
    limiter->request();
    QCOMPARE(runs, 3);
    // Run another way in the meantime (ran()): the pending run is dropped.
    limiter->request();
    QVERIFY(limiter->pending());
    limiter->ran();
    QVERIFY(!limiter->pending());
    QTest::qWait(300);
    QCOMPARE(runs, 3);
}

void TestThumbnailGrid::catchUpWorksWhenPaintedAgain()
{
    QWidget window;
    window.resize(200, 100);
    auto* panel = new QWidget(&window);
    panel->setGeometry(0, 0, 100, 100);
    int caughtUp = 0;
    auto* catchUp = new CatchUp(panel, [&] { ++caughtUp; });
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    // Not armed: paints change nothing.
    panel->repaint();
    QTest::qWait(20);
    QCOMPARE(caughtUp, 0);
    // Armed: once, after the next paint, not in it.
    catchUp->arm();
    QVERIFY(catchUp->armed());
    QCOMPARE(caughtUp, 0);
    panel->repaint();
    QCOMPARE(caughtUp, 0);
    QVERIFY(!catchUp->armed());
    QTRY_COMPARE(caughtUp, 1);
    panel->repaint();
    QTest::qWait(20);
    QCOMPARE(caughtUp, 1);
    // Disarmed before the paint: nothing.
    catchUp->arm();
    catchUp->disarm();
    panel->repaint();
    QTest::qWait(20);
    QCOMPARE(caughtUp, 1);
}

void TestThumbnailGrid::captionsAndToolTipsSayWhatWasRead()
{
    QAbstractItemModel* model = m_grid->model();
    QCOMPARE(model->rowCount(), 3);
    QCOMPARE(m_grid->shown(), (std::vector<int>{4, 1, 0}));
    QCOMPARE(m_grid->split(), DataSplit::Test);
    // Misread: both classes; the confidence on a second line.
    QCOMPARE(model->index(0, 0).data().toString(), QStringLiteral("four \u2192 one\n90 %"));
    QCOMPARE(model->index(2, 0).data().toString(), QStringLiteral("zero\n99 %"));
    QCOMPARE(model->index(0, 0).data(Qt::ToolTipRole).toString(),
             QStringLiteral("Test image #4: four, read as one (90.0 % sure)"));
    m_grid->setStale(true);
    QVERIFY(m_grid->isStale());
    QCOMPARE(model->index(1, 0).data(Qt::ToolTipRole).toString(),
             QStringLiteral("Test image #1: one, read as two (60.0 % sure) by an earlier model (stale)"));
    // Not evaluated: the label alone.
    m_grid->setImages(m_data, DataSplit::Training, {1});
    QCOMPARE(model->index(0, 0).data().toString(), QStringLiteral("one"));
    QCOMPARE(model->index(0, 0).data(Qt::ToolTipRole).toString(), QStringLiteral("Training image #1: one"));
    m_grid->clear();
    QCOMPARE(model->rowCount(), 0);
}

QColor TestThumbnailGrid::frameColour(int row)
{
    QTest::qWait(20); // the view lays its items out in batches
    const QRect item = m_grid->visualRect(m_grid->model()->index(row, 0));
    const QImage shot = m_grid->viewport()->grab().toImage();
    // The thumbnail is centred at the top of the item, 2 + 2 pixels down.
    const QRect r = item.adjusted(2, 2, -2, -2);
    return shot.pixelColor(r.x() + (r.width() - 56) / 2, r.y() + 2 + 28);
}

void TestThumbnailGrid::misreadImagesAreFramedRedOrGreyWhenStale()
{
    const QColor red(198, 40, 40);
    QCOMPARE(frameColour(0), red);  // image 4, misread
    QVERIFY(frameColour(2) != red); // image 0, read right: the black image shows
    // Stale: grey (the placeholder text's colour) over the white image.
    m_grid->setStale(true);
    const QColor stale = frameColour(0);
    QVERIFY2(stale.red() == stale.green() && stale.green() == stale.blue() && stale.red() > 0 && stale.red() < 255,
             qPrintable(stale.name()));
    m_grid->setStale(false);
    m_grid->setMarksMistakes(false);
    QVERIFY(frameColour(0) != red);
}

void TestThumbnailGrid::clickAndEnterPinTheImage()
{
    QSignalSpy clicked(m_grid.get(), &ThumbnailGrid::imageClicked);
    QTest::qWait(20);
    const QRect second = m_grid->visualRect(m_grid->model()->index(1, 0));
    QTest::mouseClick(m_grid->viewport(), Qt::LeftButton, Qt::NoModifier, second.center());
    QCOMPARE(clicked.count(), 1);
    QCOMPARE(clicked.last().at(0).toInt(), 1); // the dataset's index, not the row
    // From the keyboard: move to the first image, Enter.
    m_grid->setFocus();
    m_grid->setCurrentIndex(m_grid->model()->index(0, 0));
    QTest::keyClick(m_grid.get(), Qt::Key_Return);
    QCOMPARE(clicked.count(), 2);
    QCOMPARE(clicked.last().at(0).toInt(), 4);
}

void TestThumbnailGrid::indicesOutsideTheSetAreRefused()
{
    QVERIFY_THROWS_EXCEPTION(std::out_of_range, m_grid->setImages(m_data, DataSplit::Test, {0, 5}));
    QVERIFY_THROWS_EXCEPTION(std::out_of_range, m_grid->setImages(m_data, DataSplit::Training, {-1}));
    // The grid keeps what it showed.
    QCOMPARE(m_grid->shown(), (std::vector<int>{4, 1, 0}));
}

void TestThumbnailGrid::listsOfOtherLengthsAreRefused()
{
    // Predictions of the test set for the training set.
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, m_grid->setImages(m_data, DataSplit::Training, {0}, m_predictions));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             m_grid->setImages(m_data, DataSplit::Test, {0}, m_predictions, {0.5f}));
    // Images and labels that differ in number.
    auto broken = std::make_shared<cs::Dataset>(*m_data);
    broken->test_labels.push_back(0);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, m_grid->setImages(broken, DataSplit::Test, {0}));
    QCOMPARE(m_grid->shown(), (std::vector<int>{4, 1, 0}));
}

QTEST_MAIN(TestThumbnailGrid)
#include "tst_thumbnailgrid.moc"
