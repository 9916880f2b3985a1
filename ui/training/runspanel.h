// RunsPanel: the table of training runs (RunHistory) with what a person does
// to them: check a run to draw its curves over the current run's, rename it
// (F2, a double-click), remove it (Delete, the button, the context menu).
// The current run, first and in bold, is always drawn and cannot be removed.
#pragma once

#include <QWidget>

class QAction;
class QLabel;
class QModelIndex;
class QPoint;
class QPushButton;
class QTableView;
class RunHistory;

class RunsPanel : public QWidget {
    Q_OBJECT

public:
    explicit RunsPanel(RunHistory* runs, QWidget* parent = nullptr);
    ~RunsPanel() override;

    QTableView* table() const { return m_table; }
    RunHistory* runs() const { return m_runs; }
    // What the buttons do, on the selected rows.
    void removeSelected();
    void renameSelected();
    void hideAllCurves();

private:
    QList<int> selectedRows() const;
    void updateActions();
    void showContextMenu(const QPoint& position);

    RunHistory* m_runs = nullptr;
    QTableView* m_table = nullptr;
    QLabel* m_hint = nullptr;
    QAction *m_removeAction = nullptr, *m_renameAction = nullptr, *m_hideAllAction = nullptr;
    QPushButton *m_removeButton = nullptr, *m_renameButton = nullptr, *m_hideAllButton = nullptr;
};
