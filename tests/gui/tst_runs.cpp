// Runs (issue #13) driven as a person would: Reset starts a run and lists
// the one before with its steps; runs are renamed, removed, drawn over the
// current curves with a legend, and kept by a saved session.
#include "curveswidget.h"
#include "mainwindow.h"
#include "test_window.h"
#include "runhistory.h"
#include "runspanel.h"

#include <QAction>
#include <QChart>
#include <QChartView>
#include <QDockWidget>
#include <QFont>
#include <QLabel>
#include <QLegend>
#include <QLegendMarker>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QXYSeries>

#include <cmath>
#include <memory>

class TestRuns : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void currentRunIsTheFirstRow();
    void resetTwiceListsTwoRunsWithTheirSteps();
    void renameInPlace();
    void checkedRunIsDrawnWithItsName();
    void finalAccuracyIsTheLastEvaluation();
    void removeWithTheButtonAndTheKey();
    void sessionKeepsTheRuns();

private:
    QAction* action(const char* name) const { return m_window->findChild<QAction*>(QString::fromLatin1(name)); }
    RunHistory* runs() const { return m_window->runs(); }
    QString text(int row, int column) const { return runs()->index(row, column).data().toString(); }
    void steps(int n);
    void reset(int rowsAfter);
    void select(int row);

    std::unique_ptr<MainWindow> m_window;
    QTemporaryDir m_dir;
};

void TestRuns::initTestCase()
{
    m_window = makeTestWindow();
    QVERIFY(showAndWaitForFirstSnapshot(*m_window));
}

void TestRuns::cleanupTestCase()
{
    m_window.reset();
}

void TestRuns::steps(int n)
{
    const quint64 target = m_window->step() + quint64(n);
    for (int i = 0; i < n; ++i) action("stepAction")->trigger();
    QTRY_COMPARE(m_window->step(), target);
}

void TestRuns::reset(int rowsAfter)
{
    action("resetAction")->trigger();
    QTRY_COMPARE(runs()->rowCount(), rowsAfter);
    QTRY_COMPARE(m_window->step(), quint64(0));
    QTRY_COMPARE(text(0, RunHistory::Steps), QStringLiteral("0"));
}

void TestRuns::select(int row)
{
    QTableView* table = m_window->runsPanel()->table();
    table->clearSelection();
    table->selectRow(row);
}

void TestRuns::currentRunIsTheFirstRow()
{
    QCOMPARE(runs()->rowCount(), 1);
    QCOMPARE(text(0, RunHistory::Curve), QStringLiteral("current"));
    QVERIFY(runs()->index(0, RunHistory::Name).data(Qt::FontRole).value<QFont>().bold());
    QCOMPARE(runs()->name(0), QStringLiteral("Run 1"));
    QVERIFY2(text(0, RunHistory::Architecture).startsWith(QStringLiteral("conv 6 5\u00d75 same \u00b7 max 2\u00d72")),
             qPrintable(text(0, RunHistory::Architecture)));
    QVERIFY(text(0, RunHistory::Settings).startsWith(QStringLiteral("Adam, lr 0.001, batch 32")));
    steps(2);
    QTRY_COMPARE(text(0, RunHistory::Steps), QStringLiteral("2"));
}

void TestRuns::resetTwiceListsTwoRunsWithTheirSteps()
{
    steps(1); // Run 1: 3 steps
    reset(2);
    steps(5); // Run 2: 5 steps
    reset(3);
    // Newest first under the current run.
    QCOMPARE(runs()->name(0), QStringLiteral("Run 3"));
    QCOMPARE(runs()->name(1), QStringLiteral("Run 2"));
    QCOMPARE(runs()->name(2), QStringLiteral("Run 1"));
    QCOMPARE(text(1, RunHistory::Steps), QStringLiteral("5"));
    QCOMPARE(text(2, RunHistory::Steps), QStringLiteral("3"));
    const cs::RunRecord run2 = runs()->record(1);
    QCOMPARE(run2.history.loss.size(), std::size_t(5));
    QVERIFY(run2.seconds > 0);
    QVERIFY(run2.architecture.find("\"Conv2D\"") != std::string::npos);
    // No test evaluation in 5 steps: no accuracy to show.
    QCOMPARE(text(1, RunHistory::TestAccuracy), QStringLiteral("\u2013"));
    // The current run's curves start again; the earlier ones are not drawn until asked for.
    QCOMPARE(m_window->curves()->stepCount(), quint64(0));
    QVERIFY(m_window->curves()->runLossSeries().isEmpty());
}

void TestRuns::renameInPlace()
{
    select(1);
    action("renameRunAction")->trigger(); // F2
    QTableView* table = m_window->runsPanel()->table();
    QLineEdit* editor = nullptr;
    QTRY_VERIFY((editor = table->viewport()->findChild<QLineEdit*>()) != nullptr);
    QCOMPARE(editor->text(), QStringLiteral("Run 2"));
    editor->selectAll();
    QTest::keyClicks(editor, QStringLiteral("max pooling"));
    QTest::keyClick(editor, Qt::Key_Return);
    QTRY_COMPARE(runs()->name(1), QStringLiteral("max pooling"));
    // An empty name is refused, the old one kept.
    QVERIFY(!runs()->setData(runs()->index(1, RunHistory::Name), QStringLiteral("   ")));
    QCOMPARE(runs()->name(1), QStringLiteral("max pooling"));
}

void TestRuns::checkedRunIsDrawnWithItsName()
{
    CurvesWidget* curves = m_window->curves();
    QVERIFY(runs()->flags(runs()->index(1, RunHistory::Curve)) & Qt::ItemIsUserCheckable);
    QVERIFY(!(runs()->flags(runs()->index(0, RunHistory::Curve)) & Qt::ItemIsUserCheckable));
    QVERIFY(runs()->setData(runs()->index(1, RunHistory::Curve), Qt::Checked, Qt::CheckStateRole));
    QCOMPARE(curves->runLossSeries().size(), 1);
    QXYSeries* loss = curves->runLossSeries().front();
    QXYSeries* accuracy = curves->runAccuracySeries().front();
    QCOMPARE(loss->name(), QStringLiteral("max pooling"));
    QCOMPARE(accuracy->name(), QStringLiteral("max pooling"));
    QTRY_COMPARE(loss->count(), 5); // its 5 smoothed steps
    QCOMPARE(accuracy->count(), 5);
    // In its own colour, not the current run's; named in the legend.
    const QColor colour = runs()->index(1, RunHistory::Curve).data(Qt::DecorationRole).value<QColor>();
    QCOMPARE(loss->pen().color().rgb(), colour.rgb());
    QVERIFY(colour.rgb() != curves->smoothedLossSeries()->pen().color().rgb());
    const QList<QLegendMarker*> markers = curves->lossView()->chart()->legend()->markers(loss);
    QCOMPARE(markers.size(), 1);
    QCOMPARE(markers.front()->label(), QStringLiteral("max pooling"));
    // The line under the charts names it too (a short chart hides its legend).
    QVERIFY(curves->runsLegend()->isVisible());
    QVERIFY(curves->runsLegend()->text().contains(QStringLiteral("max pooling")));
    QVERIFY(curves->runsLegend()->text().contains(colour.name()));

    // A second run in another colour; renaming renames the legend too.
    runs()->setShown(2, true);
    QCOMPARE(curves->runLossSeries().size(), 2);
    QVERIFY(curves->runLossSeries()[0]->pen().color() != curves->runLossSeries()[1]->pen().color());
    QVERIFY(curves->runsLegend()->text().contains(QStringLiteral("Run 1")));
    runs()->rename(2, QStringLiteral("average pooling"));
    QCOMPARE(curves->runLossSeries()[0]->name(), QStringLiteral("average pooling")); // oldest first
    QCOMPARE(curves->runLossSeries()[1], loss); // the other kept its series

    // Hidden: its series are gone.
    runs()->setShown(2, false);
    QCOMPARE(curves->runLossSeries().size(), 1);
    QCOMPARE(curves->runLossSeries().front(), loss);
}

void TestRuns::finalAccuracyIsTheLastEvaluation()
{
    // A test evaluation every 200 steps: one by the end of this run.
    action("step100Action")->trigger();
    action("step100Action")->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(m_window->step(), quint64(200), 30000);
    QTRY_VERIFY(text(0, RunHistory::TestAccuracy).endsWith(QLatin1Char('%')));
    const int before = runs()->rowCount();
    reset(before + 1);
    const cs::RunRecord run = runs()->record(1);
    QCOMPARE(run.steps, std::uint64_t(200));
    QCOMPARE(run.history.evaluations.size(), std::size_t(1));
    QCOMPARE(run.test_accuracy, run.history.evaluations.back().test_accuracy);
    QCOMPARE(run.train_accuracy, run.history.evaluations.back().train_accuracy);
    QCOMPARE(text(1, RunHistory::TestAccuracy), QStringLiteral("%1%").arg(run.test_accuracy * 100, 0, 'f', 1));
    // A longer earlier run widens the step axis of the current run's chart when shown.
    runs()->setShown(1, true);
    QTRY_COMPARE(m_window->curves()->runLossSeries().size(), 2);
    QTRY_VERIFY(m_window->curves()->runLossSeries().back()->count() >= 200);
    runs()->setShown(1, false);
}

void TestRuns::removeWithTheButtonAndTheKey()
{
    // Rows: current, Run 3 (200 steps), max pooling (shown), average pooling.
    QCOMPARE(runs()->rowCount(), 4);
    select(0);
    QVERIFY(!action("removeRunAction")->isEnabled()); // the current run stays
    select(3);
    QVERIFY(action("removeRunAction")->isEnabled());
    m_window->runsPanel()->findChild<QPushButton*>(QStringLiteral("removeRunButton"))->click();
    QCOMPARE(runs()->rowCount(), 3);
    QCOMPARE(runs()->name(2), QStringLiteral("max pooling"));

    // The Delete key, in the table.
    m_window->runsDock()->show();
    m_window->runsDock()->raise();
    QTableView* table = m_window->runsPanel()->table();
    m_window->activateWindow();
    table->setFocus();
    QTRY_VERIFY(table->hasFocus());
    select(1);
    QTest::keyClick(table, Qt::Key_Delete);
    QCOMPARE(runs()->rowCount(), 2);
    QCOMPARE(runs()->name(1), QStringLiteral("max pooling"));
    QCOMPARE(m_window->curves()->runLossSeries().size(), 1); // still drawn
}

void TestRuns::sessionKeepsTheRuns()
{
    steps(2);
    runs()->rename(0, QStringLiteral("valid padding"));
    const QString path = m_dir.filePath(QStringLiteral("runs-session.npz"));
    QSignalSpy saved(m_window.get(), &MainWindow::modelSaved);
    m_window->saveModel(path, true);
    QTRY_COMPARE(saved.count(), 1);

    // Change everything, then open the session again.
    reset(3);
    select(1);
    m_window->runsPanel()->removeSelected();
    QCOMPARE(runs()->rowCount(), 2);
    QSignalSpy loaded(m_window.get(), &MainWindow::modelLoaded);
    m_window->openModel(path, true);
    QTRY_COMPARE(loaded.count(), 1);
    QTRY_COMPARE(runs()->rowCount(), 2);
    QCOMPARE(runs()->name(0), QStringLiteral("valid padding"));
    QCOMPARE(text(0, RunHistory::Steps), QStringLiteral("2"));
    QCOMPARE(runs()->name(1), QStringLiteral("max pooling"));
    QCOMPARE(text(1, RunHistory::Steps), QStringLiteral("5"));
    QCOMPARE(runs()->record(1).history.loss.size(), std::size_t(5));
    QVERIFY(runs()->record(0).started_at.size() > 0);
    // The restored list starts with nothing drawn.
    QTRY_VERIFY(m_window->curves()->runLossSeries().isEmpty());
    QVERIFY(!m_window->curves()->runsLegend()->isVisible());

    // Training on after the load numbers the next run after the last.
    reset(3);
    QCOMPARE(runs()->name(1), QStringLiteral("valid padding"));
    QVERIFY(runs()->name(0).startsWith(QStringLiteral("Run ")));
}

QTEST_MAIN(TestRuns)
#include "tst_runs.moc"
