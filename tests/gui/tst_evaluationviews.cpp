// After an evaluation: the confusion matrix adds up to the set, a click on a
// cell names (true, predicted) and the gallery then lists exactly that
// cell's images; the gradient snapshot of one sample (max-pool routing,
// p - onehot at the logits).
#include "confusionmatrixview.h"
#include "gradientcompute.h"
#include "misclassifiedgallery.h"
#include "shippedmodel.h"
#include "thumbnailgrid.h"

#include "dataset.hpp"
#include "pool2d_layer.hpp"
#include "trainer.hpp"

#include <QSignalSpy>
#include <QTest>

#include <memory>
#include <set>

class TestEvaluationViews : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void confusionMatrixSumsToTheTestSet();
    void confusionMatrixFromPredictions();
    void clickingACellFiltersTheGallery();
    void galleryListsEveryMistake();
    void galleryClickActivatesTheImage();
    void gradientsAreZeroOutsideMaxPoolWinners();
    void gradientSnapshotShapes();

private:
    std::shared_ptr<cs::Dataset> m_data;
    std::unique_ptr<cs::Sequential<float>> m_model;
    cs::Evaluation m_eval;
    std::unique_ptr<ConfusionMatrixView> m_matrix;
    std::unique_ptr<MisclassifiedGallery> m_gallery;
};

void TestEvaluationViews::initTestCase()
{
    m_data = std::make_shared<cs::Dataset>(cs::load_digits());
    m_model = loadShippedModel().model;
    m_eval = cs::evaluate(*m_model, m_data->test_images, m_data->test_labels);
    QVERIFY(m_eval.accuracy > 0.9);
    m_matrix = std::make_unique<ConfusionMatrixView>();
    m_matrix->resize(420, 420);
    m_matrix->setConfusion(m_eval.confusion, int(m_eval.classes));
    m_matrix->show();
    m_gallery = std::make_unique<MisclassifiedGallery>();
    m_gallery->resize(500, 400);
    m_gallery->setEvaluation(m_data, true, m_eval.predictions, m_eval.confidence);
    m_gallery->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_matrix.get()));
}

void TestEvaluationViews::confusionMatrixSumsToTheTestSet()
{
    QCOMPARE(m_matrix->classes(), 10);
    QCOMPARE(m_matrix->total(), m_data->test_labels.size());
    const auto right = std::size_t(std::lround(m_eval.accuracy * double(m_data->test_labels.size())));
    QCOMPARE(m_matrix->correct(), right);
    // Each row adds up to the number of images of that class.
    for (int t = 0; t < 10; ++t) {
        std::size_t row = 0, expected = 0;
        for (int q = 0; q < 10; ++q) row += m_matrix->count(t, q);
        for (auto y : m_data->test_labels) expected += y == t;
        QCOMPARE(row, expected);
    }
}

void TestEvaluationViews::confusionMatrixFromPredictions()
{
    ConfusionMatrixView view;
    view.setPredictions(m_data->test_labels, m_eval.predictions, 10);
    QCOMPARE(view.total(), m_data->test_labels.size());
    for (int t = 0; t < 10; ++t)
        for (int q = 0; q < 10; ++q) QCOMPARE(view.count(t, q), m_matrix->count(t, q));
    view.setConfusion({1, 2, 3}, 2); // not 2x2: refused, shown empty
    QCOMPARE(view.classes(), 0);
    QCOMPARE(view.total(), std::size_t(0));
}

void TestEvaluationViews::clickingACellFiltersTheGallery()
{
    // The most frequent confusion.
    int bt = 0, bq = 1;
    for (int t = 0; t < 10; ++t)
        for (int q = 0; q < 10; ++q)
            if (t != q && m_matrix->count(t, q) > m_matrix->count(bt, bq)) bt = t, bq = q;
    QVERIFY(m_matrix->count(bt, bq) > 0);
    connect(m_matrix.get(), &ConfusionMatrixView::cellClicked, m_gallery.get(),
            [this](int trueClass, int predicted) { m_gallery->setFilter({trueClass, predicted}); });
    QSignalSpy clicked(m_matrix.get(), &ConfusionMatrixView::cellClicked);
    QTest::mouseClick(m_matrix.get(), Qt::LeftButton, Qt::NoModifier, m_matrix->cellRect(bt, bq).center());
    QCOMPARE(clicked.count(), 1);
    QCOMPARE(clicked.last().at(0).toInt(), bt);
    QCOMPARE(clicked.last().at(1).toInt(), bq);
    QCOMPARE(m_matrix->selectedTrue(), bt);
    QCOMPARE(m_gallery->shown().size(), m_matrix->count(bt, bq));
    QCOMPARE(m_gallery->grid()->model()->rowCount(), int(m_matrix->count(bt, bq)));
    for (int i : m_gallery->shown()) {
        QCOMPARE(int(m_data->test_labels[std::size_t(i)]), bt);
        QCOMPARE(int(m_eval.predictions[std::size_t(i)]), bq);
    }
    // A diagonal cell: that class's right answers.
    QTest::mouseClick(m_matrix.get(), Qt::LeftButton, Qt::NoModifier, m_matrix->cellRect(3, 3).center());
    QCOMPARE(m_gallery->shown().size(), m_matrix->count(3, 3));
    m_gallery->setFilter({});
}

void TestEvaluationViews::galleryListsEveryMistake()
{
    const std::size_t mistakes = m_matrix->total() - m_matrix->correct();
    QCOMPARE(std::size_t(m_gallery->mistakes()), mistakes);
    QCOMPARE(m_gallery->shown().size(), mistakes);
    // Surest mistakes first.
    for (std::size_t j = 1; j < m_gallery->shown().size(); ++j)
        QVERIFY(m_eval.confidence[std::size_t(m_gallery->shown()[j - 1])] >=
                m_eval.confidence[std::size_t(m_gallery->shown()[j])]);
    QVERIFY(m_gallery->grid()->model()->index(0, 0).data().toString().contains(QStringLiteral("→")));
}

void TestEvaluationViews::galleryClickActivatesTheImage()
{
    QSignalSpy activated(m_gallery.get(), &MisclassifiedGallery::imageActivated);
    ThumbnailGrid* grid = m_gallery->grid();
    const QRect r = grid->visualRect(grid->model()->index(2, 0));
    QTest::mouseClick(grid->viewport(), Qt::LeftButton, Qt::NoModifier, r.center());
    QCOMPARE(activated.count(), 1);
    QCOMPARE(activated.last().at(0).toBool(), true);
    QCOMPARE(activated.last().at(1).toInt(), m_gallery->shown()[2]);
}

void TestEvaluationViews::gradientsAreZeroOutsideMaxPoolWinners()
{
    cs::Tensor<float> x(cs::Shape{28, 28, 1});
    std::copy(m_data->test_images.data(), m_data->test_images.data() + 784, x.data());
    cs::Workspace<float> ws;
    const GradientSnapshot g =
        computeGradients(m_model->network(), m_model->parameters(), x, m_data->test_labels[0], ws);
    for (std::size_t pool : {std::size_t(1), std::size_t(3)}) {
        QVERIFY(dynamic_cast<const cs::Pool2D<float>*>(&m_model->layer(pool)));
        QCOMPARE(g.gradients[pool].kind, QStringLiteral("max_pooling2d"));
        const std::vector<std::uint32_t>& kept = ws.scratch(pool).winners;
        const std::set<std::uint32_t> winners(kept.begin(), kept.end());
        const cs::Tensor<float>& dA = g.gradients[pool - 1].values; // the convolution before
        QCOMPARE(g.gradients[pool - 1].kind, QStringLiteral("conv2d"));
        std::size_t outside = 0, inside = 0;
        for (std::size_t i = 0; i < dA.size(); ++i) {
            if (!winners.count(std::uint32_t(i))) outside += dA.data()[i] != 0;
            else inside += dA.data()[i] != 0;
        }
        QCOMPARE(outside, std::size_t(0));
        QVERIFY(inside > 0);
        QVERIFY(winners.size() * 4 == dA.size()); // one winner per 2x2 window
    }
}

void TestEvaluationViews::gradientSnapshotShapes()
{
    cs::Tensor<float> x(cs::Shape{28, 28, 1});
    std::copy(m_data->test_images.data(), m_data->test_images.data() + 784, x.data());
    cs::Workspace<float> ws;
    const GradientSnapshot g = computeGradients(m_model->network(), m_model->parameters(), x, 3, ws);
    QCOMPARE(g.target, 3);
    QCOMPARE(g.gradients.size(), m_model->layer_count());
    QCOMPARE(g.activations.size(), m_model->layer_count());
    QCOMPARE(g.saliency.shape(), (cs::Shape{28, 28, 1}));
    QCOMPARE(g.gradients[0].values.shape(), (cs::Shape{28, 28, 6}));
    QCOMPARE(g.gradients[2].values.shape(), (cs::Shape{10, 10, 16}));
    // The logits' gradient: p - onehot(3).
    const cs::Tensor<float>& dz = g.gradients.back().values;
    for (std::size_t j = 0; j < 10; ++j)
        QVERIFY(std::abs(dz.data()[j] - (g.probabilities[j] - (j == 3 ? 1.0f : 0.0f))) < 1e-6f);
    QVERIFY(arma::abs(g.saliency.flat()).max() > 0);
    QVERIFY_THROWS_EXCEPTION(cs::ShapeError, computeGradients(m_model->network(), m_model->parameters(), x, 10, ws));
}

QTEST_MAIN(TestEvaluationViews)
#include "tst_evaluationviews.moc"
