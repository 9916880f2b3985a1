// The event-loop meter behind `convscope --latency-report`: it must see a
// stall of the GUI thread. (Nothing here asserts how punctual an idle loop
// is: that depends on the machine's load, and a timed test would be flaky.)
#include "eventlooplatency.h"
#include "livelabel.h"

#include <QLabel>
#include <QTest>
#include <QThread>
#include <QVBoxLayout>

namespace {
// Counts the layout requests a widget receives.
class LayoutRequests : public QObject {
public:
    int count = 0;
    bool eventFilter(QObject*, QEvent* e) override
    {
        if (e->type() == QEvent::LayoutRequest) ++count;
        return false;
    }
};
} // namespace

class TestEventLoopLatency : public QObject {
    Q_OBJECT

private slots:
    void ticksAreCounted()
    {
        EventLoopLatency meter(5);
        meter.start();
        QTest::qWait(300);
        meter.stop();
        const auto s = meter.summary();
        QVERIFY2(s.ticks >= 5, qPrintable(meter.report())); // ~60 on a quiet machine
        QVERIFY(s.p50 >= 0 && s.p50 <= s.p99 && s.p99 <= s.max);
    }

    void liveLabelDoesNotLayOutTheWindowForEveryText()
    {
        // A step counter changes 15 times a second: a text that fits asks
        // nothing of the window's layout; one that does not fit does.
        QWidget window;
        auto* layout = new QVBoxLayout(&window);
        auto* live = new LiveLabel(&window);
        live->setMinimumWidth(200);
        live->label()->setObjectName(QStringLiteral("stepLabel"));
        layout->addWidget(live);
        live->setText(QStringLiteral("Step 1"));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QCOMPARE(window.findChild<QLabel*>(QStringLiteral("stepLabel")), live->label());
        LayoutRequests requests;
        window.installEventFilter(&requests);
        for (int i = 2; i < 50; ++i) {
            live->setText(QStringLiteral("Step %1").arg(i));
            QCoreApplication::processEvents();
        }
        QCOMPARE(requests.count, 0);
        QCOMPARE(live->text(), QStringLiteral("Step 49"));
        live->setText(QString(80, QLatin1Char('W'))); // wider than its room
        QTRY_VERIFY(requests.count > 0);
    }

    void captionAsksForRoomOnlyForAnotherLine()
    {
        // A caption in rich text whose width is the layout's: new numbers
        // ask nothing (and are not even measured); a second line asks for
        // the height it needs.
        QWidget window;
        auto* layout = new QVBoxLayout(&window);
        auto* live = new LiveLabel(&window);
        live->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
        live->label()->setTextFormat(Qt::RichText);
        layout->addWidget(live);
        live->setText(QStringLiteral("<b>Step 1</b>: loss <span style=\"color:#c62828\">2.3</span>"));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        LayoutRequests requests;
        window.installEventFilter(&requests);
        for (int i = 2; i < 50; ++i) {
            live->setText(QStringLiteral("<b>Step %1</b>: loss <span style=\"color:#c62828\">%2</span>")
                              .arg(i * 1000)
                              .arg(2.3 / i));
            QCoreApplication::processEvents();
        }
        QCOMPARE(requests.count, 0);
        const int oneLine = live->height();
        live->setText(QStringLiteral("<b>Step 50</b><br>a second line"));
        QTRY_VERIFY(requests.count > 0);
        QTRY_VERIFY(live->height() > oneLine);
    }

    void stallIsSeen()
    {
        // The GUI thread busy for 80 ms: the tick due meanwhile is at least
        // 75 ms late, and the report says so.
        EventLoopLatency meter(5);
        meter.start();
        QTest::qWait(50);
        QTimer::singleShot(0, this, [] { QThread::msleep(80); });
        QTest::qWait(150);
        meter.stop();
        const auto s = meter.summary();
        QVERIFY2(s.max >= 70, qPrintable(meter.report()));
        QVERIFY(meter.report().startsWith(QStringLiteral("event-loop lateness over ")));
        QVERIFY(meter.report().contains(QStringLiteral(" ticks: p50 ")));
    }

    void startForgetsEarlierTicks()
    {
        EventLoopLatency meter(5);
        meter.start();
        QTest::qWait(60);
        meter.stop();
        QVERIFY(meter.summary().ticks > 0);
        meter.start();
        meter.stop();
        QCOMPARE(meter.summary().ticks, qsizetype(0));
        QCOMPARE(meter.summary().max, 0.0);
    }
};

QTEST_MAIN(TestEventLoopLatency)
#include "tst_eventlooplatency.moc"
