// The event-loop meter behind `convscope --latency-report`: it must see a
// stall of the GUI thread. (Nothing here asserts how punctual an idle loop
// is: that depends on the machine's load, and a timed test would be flaky.)
#include "eventlooplatency.h"

#include <QTest>
#include <QThread>

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
