// The Architecture dock in the window (issue 13), driven as a person would:
// spin boxes changed, menu actions triggered, Apply clicked; the shapes
// compared with values worked out by hand for 28x28x1 digits (the shipped
// ones). One window serves every test, in order.
#include "architectureeditor.h"
#include "architecturemodel.h"
#include "layersettings.h"
#include "mainwindow.h"
#include "test_window.h"

#include "architecture_file.hpp"
#include "npy.hpp"
#include "presets.hpp"

#include <QAction>
#include <QDockWidget>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

namespace {

const cs::Shape digits{28, 28, 1};

QString text(ArchitectureModel* m, int row, int column)
{
    return m->data(m->index(row, column)).toString();
}

QString tip(ArchitectureModel* m, int row)
{
    return m->data(m->index(row, ArchitectureModel::OutputColumn), Qt::ToolTipRole).toString();
}

bool markedRed(ArchitectureModel* m, int row)
{
    return m->data(m->index(row, ArchitectureModel::LayerColumn), Qt::BackgroundRole).isValid();
}

} // namespace

class TestArchitectureDock : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void showsTheNetworkInForce();
    void kernelEditChangesTheShapes();
    void kernelLargerThanItsInputIsRefused();
    void denseBeforeFlattenIsRefused();
    void layersCanBeAddedMovedAndRemoved();
    void applyBuildsTheNetworkAndStepsIt();
    void resetRebuildsTheAppliedNetwork();
    void presetsMenuLoadsAPreset();
    void savedJsonOpensAgain();
    void corruptJsonLeavesTheNetwork();
    void otherInputIsReportedAndAdapted();
    void newDatasetKeepsOrSetsAsideTheNetwork();

private:
    QAction* action(const char* name) const { return m_window->findChild<QAction*>(QString::fromLatin1(name)); }
    template <typename T>
    T* find(const char* name) const { return m_window->findChild<T*>(QString::fromLatin1(name)); }
    ArchitectureModel* model() const { return m_editor->model(); }
    // Chooses the layer, then types into the spin box of that name.
    void setSpin(int row, const char* name, int value);

    std::unique_ptr<MainWindow> m_window;
    ArchitectureEditor* m_editor = nullptr;
    QTemporaryDir m_dir;
};

void TestArchitectureDock::initTestCase()
{
    m_window = makeTestWindow();
    QVERIFY(showAndWaitForFirstSnapshot(*m_window));
    m_editor = m_window->architectureEditor();
    QVERIFY(m_editor);
    action("designNetworkAction")->trigger();
    QVERIFY(m_window->architectureDock()->isVisible());
}

void TestArchitectureDock::cleanupTestCase()
{
    m_window.reset();
}

void TestArchitectureDock::setSpin(int row, const char* name, int value)
{
    m_editor->selectLayer(row);
    auto* spin = m_editor->settings()->findChild<QSpinBox*>(QString::fromLatin1(name));
    QVERIFY(spin);
    QVERIFY(spin->isVisibleTo(m_editor->settings()));
    spin->setValue(value); // as typing does: valueChanged at once
}

void TestArchitectureDock::showsTheNetworkInForce()
{
    // The worker told the dock what it trains: LeNet-5 for the digits.
    QTRY_VERIFY(!m_editor->running().layers.empty());
    const cs::Architecture lenet = cs::preset_architecture("lenet5", digits, 10);
    QCOMPARE(m_editor->edited(), lenet);
    QCOMPARE(model()->rowCount(), int(lenet.layers.size()));
    QVERIFY(!m_editor->applyButton()->isEnabled()); // nothing changed
    QVERIFY(m_editor->applyButton()->toolTip().contains("being trained"));
    QCOMPARE(model()->totalParameters(), std::size_t(61706));
    QVERIFY(find<QLabel>("architectureInput")->text().contains("28x28x1"));
}

void TestArchitectureDock::kernelEditChangesTheShapes()
{
    // LeNet-5: conv2d 6@5x5 same (28x28x6), max (14x14x6), conv2d_1 16@5x5
    // valid (10x10x16), max (5x5x16), flatten (400), dense 120...
    QCOMPARE(model()->layer(2).spec.kind, std::string("conv2d"));
    QCOMPARE(text(model(), 2, ArchitectureModel::OutputColumn), QStringLiteral("10x10x16"));
    QVERIFY2(tip(model(), 2).contains("floor((14 - 5) / 1) + 1 = 10"), qPrintable(tip(model(), 2)));
    QVERIFY2(tip(model(), 0).contains("ceil(28 / 1) = 28"), qPrintable(tip(model(), 0)));

    // A 3x3 kernel: (14 - 3) + 1 = 12; pooled 6x6x16; flat 576; the
    // convolution has 3*3*6*16 + 16 = 880 parameters, dense 576*120 + 120.
    setSpin(2, "layerKernelH", 3);
    QCOMPARE(text(model(), 2, ArchitectureModel::OutputColumn), QStringLiteral("12x10x16")); // h first: w still 5
    setSpin(2, "layerKernelW", 3);
    QCOMPARE(text(model(), 2, ArchitectureModel::OutputColumn), QStringLiteral("12x12x16"));
    QVERIFY2(tip(model(), 2).contains("h_out = floor((14 - 3) / 1) + 1 = 12"), qPrintable(tip(model(), 2)));
    QCOMPARE(text(model(), 2, ArchitectureModel::ParametersColumn), QLocale().toString(880));
    QCOMPARE(text(model(), 3, ArchitectureModel::OutputColumn), QStringLiteral("6x6x16"));
    QCOMPARE(model()->layer(4).spec.kind, std::string("flatten"));
    QCOMPARE(text(model(), 4, ArchitectureModel::OutputColumn), QStringLiteral("576"));
    QCOMPARE(text(model(), 5, ArchitectureModel::ParametersColumn), QLocale().toString(576 * 120 + 120));
    QVERIFY(m_editor->applyButton()->isEnabled());
    QVERIFY(find<QLabel>("architectureTotal")->text().contains("not applied"));

    // Revert: back to the network being trained.
    find<QPushButton>("architectureRevert")->click();
    QCOMPARE(m_editor->edited(), m_editor->running());
    QCOMPARE(text(model(), 2, ArchitectureModel::OutputColumn), QStringLiteral("10x10x16"));
}

void TestArchitectureDock::kernelLargerThanItsInputIsRefused()
{
    setSpin(2, "layerKernelH", 15); // the input is 14 high, 'valid'
    QVERIFY(markedRed(model(), 2));
    QVERIFY(!markedRed(model(), 1));
    const QString why = model()->error(2);
    QVERIFY2(why.contains("14") && why.contains("15"), qPrintable(why));
    QVERIFY(text(model(), 2, ArchitectureModel::OutputColumn).contains(why));
    QVERIFY(model()->error(3).contains("follows an invalid layer"));
    QVERIFY(markedRed(model(), 3));
    QVERIFY(!m_editor->applyButton()->isEnabled());
    QVERIFY2(m_editor->applyButton()->toolTip().contains("conv2d_1"), qPrintable(m_editor->applyButton()->toolTip()));
    QVERIFY(find<QLabel>("architectureProblem")->isVisibleTo(m_editor));
    m_editor->apply(); // refused: nothing asked of the worker
    QSignalSpy applied(m_editor, &ArchitectureEditor::applyRequested);
    m_editor->applyButton()->click();
    QCOMPARE(applied.count(), 0);

    // Mended (and different from the running one): Apply may be pressed.
    setSpin(2, "layerKernelH", 3);
    QVERIFY(!markedRed(model(), 2) && !markedRed(model(), 3));
    QVERIFY(m_editor->applyButton()->isEnabled());
    QVERIFY(!find<QLabel>("architectureProblem")->isVisibleTo(m_editor));
    m_editor->revert();
}

void TestArchitectureDock::denseBeforeFlattenIsRefused()
{
    m_editor->selectLayer(1); // after the first pooling: 14x14x6
    action("addLayer_dense")->trigger();
    QCOMPARE(m_editor->selectedLayer(), 2);
    QCOMPARE(model()->layer(2).spec.kind, std::string("dense"));
    QVERIFY(markedRed(model(), 2));
    QVERIFY2(!model()->error(2).isEmpty(), "a dense layer on maps must be refused");
    QVERIFY(!m_editor->applyButton()->isEnabled());
    // Removed again (Delete on the table): valid, the same as the running one.
    m_editor->table()->setFocus();
    QTest::keyClick(m_editor->table(), Qt::Key_Delete);
    QCOMPARE(m_editor->edited(), m_editor->running());
    QVERIFY(!m_editor->applyButton()->isEnabled());
}

void TestArchitectureDock::layersCanBeAddedMovedAndRemoved()
{
    const int rows = model()->rowCount();
    m_editor->selectLayer(3); // max_pooling2d_1: 5x5x16
    action("addLayer_dropout")->trigger();
    QCOMPARE(model()->rowCount(), rows + 1);
    QCOMPARE(model()->layer(4).spec.kind, std::string("dropout"));
    QCOMPARE(text(model(), 4, ArchitectureModel::OutputColumn), QStringLiteral("5x5x16"));
    // Ctrl+Up moves it before the pooling: it then keeps 10x10x16.
    QTest::keySequence(m_editor->table(), QKeySequence(Qt::CTRL | Qt::Key_Up));
    QCOMPARE(model()->layer(3).spec.kind, std::string("dropout"));
    QCOMPARE(m_editor->selectedLayer(), 3);
    QCOMPARE(text(model(), 3, ArchitectureModel::OutputColumn), QStringLiteral("10x10x16"));
    QCOMPARE(text(model(), 4, ArchitectureModel::OutputColumn), QStringLiteral("5x5x16"));
    // A name already taken is refused.
    auto* name = m_editor->settings()->findChild<QLineEdit*>(QStringLiteral("layerName"));
    QVERIFY(name);
    name->selectAll();
    QTest::keyClicks(name, "conv2d");
    QVERIFY(markedRed(model(), 3));
    QVERIFY(model()->error(3).contains("already named"));
    find<QAction>("architectureRemove")->trigger();
    QCOMPARE(model()->rowCount(), rows);
    QCOMPARE(m_editor->edited(), m_editor->running());
}

void TestArchitectureDock::applyBuildsTheNetworkAndStepsIt()
{
    // Some steps on LeNet-5 first: Apply starts a new run from step 0.
    action("stepAction")->trigger();
    QTRY_COMPARE(m_window->step(), quint64(1));

    setSpin(2, "layerKernelH", 3);
    setSpin(2, "layerKernelW", 3);
    setSpin(5, "layerUnits", 32); // dense: 576*32 + 32
    const cs::Architecture designed = m_editor->edited();
    QSignalSpy built(m_editor, &ArchitectureEditor::runningChanged);
    QVERIFY(m_editor->applyButton()->isEnabled());
    m_editor->applyButton()->click();
    QTRY_COMPARE(built.count(), 1);
    const cs::Architecture running = built.at(0).at(0).value<cs::Architecture>();
    QCOMPARE(running, designed);
    QCOMPARE(m_editor->running(), designed);
    QVERIFY(!m_editor->applyButton()->isEnabled()); // it is the one being trained now
    QTRY_COMPARE(m_window->step(), quint64(0));
    QTRY_COMPARE(m_window->lastSnapshot().parameterCount,
                 quint64(cs::infer_shapes(designed)[5].parameters + 156 + 880 + 32 * 84 + 84 + 84 * 10 + 10));

    action("stepAction")->trigger();
    QTRY_COMPARE(m_window->step(), quint64(1));
    const TrainingSnapshot& s = m_window->lastSnapshot();
    QCOMPARE(s.layers.size(), designed.layers.size());
    const std::vector<cs::LayerShapes> shapes = cs::infer_shapes(designed);
    for (std::size_t i = 0; i < designed.layers.size(); ++i) {
        QCOMPARE(s.layers[i].name.toStdString(), designed.layers[i].name);
        QCOMPARE(s.layers[i].kind.toStdString(), designed.layers[i].spec.kind);
        QCOMPARE(s.layers[i].values.shape(), shapes[i].output);
    }
    QCOMPARE(s.layers[2].values.shape(), (cs::Shape{12, 12, 16}));
    QCOMPARE(s.layers[5].values.shape(), (cs::Shape{32}));
}

void TestArchitectureDock::resetRebuildsTheAppliedNetwork()
{
    const cs::Architecture applied = m_editor->running();
    action("resetAction")->trigger();
    QTRY_COMPARE(m_window->step(), quint64(0));
    action("stepAction")->trigger();
    QTRY_COMPARE(m_window->step(), quint64(1));
    QCOMPARE(m_window->lastSnapshot().layers[5].values.shape(), (cs::Shape{32})); // not LeNet-5's 120
    QCOMPARE(m_editor->running(), applied);
}

void TestArchitectureDock::presetsMenuLoadsAPreset()
{
    QAction* tiny = m_editor->presetsMenu()->findChild<QAction*>(QStringLiteral("preset_tiny"));
    QVERIFY(tiny);
    QVERIFY(!tiny->toolTip().isEmpty());
    tiny->trigger();
    QCOMPARE(m_editor->edited(), cs::preset_architecture("tiny", digits, 10));
    QVERIFY(m_editor->applyButton()->isEnabled());
    m_editor->revert();
}

void TestArchitectureDock::savedJsonOpensAgain()
{
    QVERIFY(m_editor->loadPreset(QStringLiteral("all-conv")));
    setSpin(0, "layerUnits", 12);
    const cs::Architecture saved = m_editor->edited();
    const QString path = m_dir.filePath(QStringLiteral("all-conv-12.json"));
    QVERIFY2(m_editor->saveFile(path), qPrintable(m_editor->message()));
    QCOMPARE(cs::read_architecture_file(path.toStdString()), cs::with_default_names(saved));
    m_editor->revert();
    QVERIFY(m_editor->edited() != saved);
    QVERIFY2(m_editor->openFile(path), qPrintable(m_editor->message()));
    QCOMPARE(m_editor->edited(), cs::with_default_names(saved));
    QVERIFY(m_editor->applyButton()->isEnabled());
}

void TestArchitectureDock::corruptJsonLeavesTheNetwork()
{
    const cs::Architecture before = m_editor->edited();
    const QString path = m_dir.filePath(QStringLiteral("broken.json"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("{\"class_name\": \"Sequential\", \"config\": {\"layers\": [");
    file.close();
    QVERIFY(!m_editor->openFile(path));
    QVERIFY2(m_editor->message().contains("broken.json") && m_editor->message().contains("unchanged"),
             qPrintable(m_editor->message()));
    QVERIFY(find<QLabel>("architectureMessage")->isVisibleTo(m_editor));
    QCOMPARE(m_editor->edited(), before);
    QVERIFY(!m_editor->openFile(m_dir.filePath(QStringLiteral("missing.json"))));
    QCOMPARE(m_editor->edited(), before);
}

void TestArchitectureDock::otherInputIsReportedAndAdapted()
{
    // A network for 32x32x3 images, in a file: shown, reported, not appliable.
    cs::Architecture colour = cs::preset_architecture("tiny", {32, 32, 3}, 10);
    const QString path = m_dir.filePath(QStringLiteral("colour.json"));
    cs::write_architecture_file(path.toStdString(), colour);
    QVERIFY(m_editor->openFile(path));
    QCOMPARE(m_editor->edited(), colour);
    QVERIFY2(m_editor->fitProblem().contains("32x32x3"), qPrintable(m_editor->fitProblem()));
    QVERIFY(!m_editor->applyButton()->isEnabled());
    QVERIFY(m_editor->applyButton()->toolTip().contains("32x32x3"));
    auto* adapt = find<QPushButton>("architectureAdaptInput");
    QVERIFY(adapt->isVisibleTo(m_editor));
    adapt->click();
    QCOMPARE(m_editor->edited().input, digits);
    QVERIFY(m_editor->fitProblem().isEmpty());
    QVERIFY(m_editor->applyButton()->isEnabled());
    QVERIFY(!adapt->isVisibleTo(m_editor));
}

void TestArchitectureDock::newDatasetKeepsOrSetsAsideTheNetwork()
{
    m_editor->revert();
    const cs::Architecture custom = m_editor->running(); // applied above: not a preset
    QCOMPARE(custom.layers.back().spec.units, std::size_t(10));

    // 16x16 RGB in 2 classes: the custom network ends in 10 units, so it is
    // set aside (shown, marked) and LeNet-5 for these images trains.
    cs::Tensor<float> x({40, 16, 16, 3});
    for (std::size_t i = 0; i < 40; ++i) x(i, 8, 8, i % 2 ? 2 : 0) = 1;
    std::vector<std::uint8_t> labels(40);
    for (std::size_t i = 0; i < labels.size(); ++i) labels[i] = std::uint8_t(i % 2);
    const QString path = m_dir.filePath(QStringLiteral("colour.npz"));
    cs::write_npz(path.toStdString(), {{"X_train", cs::to_npy(x)},
                                       {"Y_train", cs::to_npy(cs::Shape{40}, labels)},
                                       {"X_test", cs::to_npy(x)},
                                       {"Y_test", cs::to_npy(cs::Shape{40}, labels)}});
    QSignalSpy running(m_editor, &ArchitectureEditor::runningChanged);
    QVERIFY(m_window->openDataset(path));
    QTRY_COMPARE(running.count(), 1);
    QCOMPARE(m_editor->running(), cs::preset_architecture("lenet5", {16, 16, 3}, 2));
    QCOMPARE(m_editor->edited(), custom);
    QVERIFY2(m_editor->message().contains("does not fit"), qPrintable(m_editor->message()));
    QVERIFY(!m_editor->fitProblem().isEmpty());
    QVERIFY(!m_editor->applyButton()->isEnabled());
    QTRY_COMPARE(m_window->lastSnapshot().input.shape(), (cs::Shape{16, 16, 3}));

    // A preset applied here is made again for the next data.
    QVERIFY(m_editor->loadPreset(QStringLiteral("tiny")));
    m_editor->applyButton()->click();
    QTRY_COMPARE(running.count(), 2);
    QCOMPARE(m_editor->running(), cs::preset_architecture("tiny", {16, 16, 3}, 2));
    QVERIFY(m_window->openDataset(QStringLiteral("digits")));
    QTRY_COMPARE(running.count(), 3);
    QCOMPARE(m_editor->running(), cs::preset_architecture("tiny", digits, 10));
    QCOMPARE(m_editor->edited(), m_editor->running());
    QTRY_COMPARE(m_window->lastSnapshot().layers.size(), m_editor->running().layers.size());
}

QTEST_MAIN(TestArchitectureDock)
#include "tst_architecturedock.moc"
