// The window the GUI tests drive: no user settings read or written (Qt's
// test-mode settings, cleared: nothing an earlier test run remembered), no
// saved layout, no modal question before discarding training, and (unless
// asked for the shipped model) fresh weights at step 0.
#pragma once

#include "mainwindow.h"

#include <QSettings>
#include <QStandardPaths>
#include <QTest>

#include <memory>

inline std::unique_ptr<MainWindow> makeTestWindow(bool shippedModel = false)
{
    QStandardPaths::setTestModeEnabled(true);
    QSettings().clear();
    MainWindow::Options options;
    options.restoreLayout = false;
    options.shippedModel = shippedModel;
    options.confirmDiscard = false;
    return std::make_unique<MainWindow>(options);
}

// Shows the window and waits for its first snapshot (the model's first
// view of its pinned sample); false if either never came.
inline bool showAndWaitForFirstSnapshot(MainWindow& window)
{
    window.show();
    return QTest::qWaitForWindowExposed(&window) &&
           QTest::qWaitFor([&window] { return !window.lastSnapshot().layers.empty(); }, 10000);
}
