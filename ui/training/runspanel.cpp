#include "runspanel.h"

#include "runhistory.h"

#include <QAction>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QMenu>
#include <QPushButton>
#include <QStyle>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

RunsPanel::RunsPanel(RunHistory* runs, QWidget* parent) : QWidget(parent), m_runs(runs)
{
    setObjectName(QStringLiteral("runsPanel"));
    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("runsTable"));
    m_table->setModel(runs);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->setTextElideMode(Qt::ElideRight);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    QHeaderView* header = m_table->horizontalHeader();
    header->setHighlightSections(false);
    header->setStretchLastSection(true);
    // Each column as wide as its title or its widest usual value, whichever
    // is wider (sizing to the contents at every update would cost a layout).
    const QFontMetrics metrics = m_table->fontMetrics();
    const QFontMetrics bold = [&] {
        QFont f = m_table->font();
        f.setBold(true);
        return QFontMetrics(f);
    }();
    const int pad = 2 * m_table->style()->pixelMetric(QStyle::PM_HeaderMargin) + 12;
    const int check = m_table->style()->pixelMetric(QStyle::PM_IndicatorWidth) + metrics.height() + 8;
    const std::pair<int, int> widths[] = {
        {RunHistory::Curve, std::max(metrics.horizontalAdvance(tr("current")), check)},
        {RunHistory::Name, bold.horizontalAdvance(QStringLiteral("Shipped model"))},
        {RunHistory::Steps, metrics.horizontalAdvance(QStringLiteral("99,999"))},
        {RunHistory::TrainAccuracy, metrics.horizontalAdvance(QStringLiteral("100.0%"))},
        {RunHistory::TestAccuracy, metrics.horizontalAdvance(QStringLiteral("100.0%"))},
        {RunHistory::Time, metrics.horizontalAdvance(QStringLiteral("0:00:00"))},
        {RunHistory::Architecture, metrics.horizontalAdvance(QLatin1Char('M')) * 22},
        {RunHistory::Settings, metrics.horizontalAdvance(QStringLiteral("Adam, lr 0.001, batch 32, seed 0"))}};
    for (auto [column, width] : widths) {
        const int title = header->fontMetrics().horizontalAdvance(runs->headerData(column, Qt::Horizontal).toString());
        header->resizeSection(column, std::max(width, title) + pad);
    }
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_table, &QWidget::customContextMenuRequested, this, &RunsPanel::showContextMenu);

    // Shortcuts while the table has the focus (Delete elsewhere is not ours).
    m_removeAction = new QAction(tr("&Remove Run"), this);
    m_removeAction->setObjectName(QStringLiteral("removeRunAction"));
    m_removeAction->setShortcut(QKeySequence::Delete);
    m_removeAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_removeAction->setStatusTip(tr("Remove the selected earlier runs from the list (and from the next saved session)"));
    connect(m_removeAction, &QAction::triggered, this, &RunsPanel::removeSelected);
    m_renameAction = new QAction(tr("Re&name Run"), this);
    m_renameAction->setObjectName(QStringLiteral("renameRunAction"));
    m_renameAction->setShortcut(QKeySequence(Qt::Key_F2));
    m_renameAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_renameAction->setStatusTip(tr("Give the selected run a name that says what it tried"));
    connect(m_renameAction, &QAction::triggered, this, &RunsPanel::renameSelected);
    m_hideAllAction = new QAction(tr("&Hide All Earlier Curves"), this);
    m_hideAllAction->setObjectName(QStringLiteral("hideAllRunCurvesAction"));
    m_hideAllAction->setStatusTip(tr("Draw only the current run's curves"));
    connect(m_hideAllAction, &QAction::triggered, this, &RunsPanel::hideAllCurves);
    m_table->addActions({m_removeAction, m_renameAction});

    // Short words on the buttons: the dock is often narrow.
    auto button = [this](QAction* action, const QString& text, const QString& name, const QString& tip) {
        auto* b = new QPushButton(text, this);
        b->setObjectName(name);
        b->setToolTip(tip);
        connect(b, &QPushButton::clicked, action, &QAction::trigger);
        return b;
    };
    m_renameButton = button(m_renameAction, tr("Rename"), QStringLiteral("renameRunButton"),
                            tr("Rename the selected run (F2)"));
    m_removeButton = button(m_removeAction, tr("Remove"), QStringLiteral("removeRunButton"),
                            tr("Remove the selected earlier runs (Delete)"));
    m_hideAllButton = button(m_hideAllAction, tr("Hide Curves"), QStringLiteral("hideAllRunCurvesButton"),
                             tr("Draw only the current run's curves"));
    // Until there is an earlier run, what will come here.
    m_hint = new QLabel(tr("No earlier runs yet. Every Reset starts a new run and lists the one before here: check "
                           "it to draw its curves over the current run's."),
                        this);
    m_hint->setObjectName(QStringLiteral("runsHint"));
    m_hint->setForegroundRole(QPalette::PlaceholderText);
    m_hint->setWordWrap(true);
    m_hint->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred); // never widens the dock
    m_table->setToolTip(tr("Check an earlier run to draw its smoothed loss and accuracy over the current run's curves, "
                           "in its colour. Double-click or F2 renames, Delete removes."));

    auto* buttons = new QHBoxLayout;
    buttons->addStretch(1);
    buttons->addWidget(m_renameButton);
    buttons->addWidget(m_removeButton);
    buttons->addWidget(m_hideAllButton);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->setSpacing(4);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_hint);
    layout->addLayout(buttons);

    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &RunsPanel::updateActions);
    connect(runs, &QAbstractItemModel::rowsInserted, this, &RunsPanel::updateActions);
    connect(runs, &QAbstractItemModel::rowsRemoved, this, &RunsPanel::updateActions);
    connect(runs, &QAbstractItemModel::modelReset, this, &RunsPanel::updateActions);
    connect(runs, &RunHistory::shownCurvesChanged, this, &RunsPanel::updateActions);
    updateActions();
}

RunsPanel::~RunsPanel() = default;

QList<int> RunsPanel::selectedRows() const
{
    QList<int> rows;
    for (const QModelIndex& i : m_table->selectionModel()->selectedRows()) rows << i.row();
    std::sort(rows.begin(), rows.end());
    return rows;
}

void RunsPanel::updateActions()
{
    const QList<int> rows = selectedRows();
    const bool earlier = std::any_of(rows.begin(), rows.end(), [](int r) { return !RunHistory::isCurrent(r); });
    m_removeAction->setEnabled(earlier);
    m_removeButton->setEnabled(earlier);
    m_renameAction->setEnabled(rows.size() == 1);
    m_renameButton->setEnabled(rows.size() == 1);
    bool anyShown = false;
    for (int row = 1; row < m_runs->rowCount(); ++row) anyShown = anyShown || m_runs->isShown(row);
    m_hideAllAction->setEnabled(anyShown);
    m_hideAllButton->setEnabled(anyShown);
    m_hint->setVisible(m_runs->earlierCount() == 0);
}

void RunsPanel::removeSelected()
{
    // From the bottom up, so that the rows still to remove keep their numbers.
    const QList<int> rows = selectedRows();
    for (auto row = rows.rbegin(); row != rows.rend(); ++row)
        if (!RunHistory::isCurrent(*row)) m_runs->removeRows(*row, 1);
}

void RunsPanel::renameSelected()
{
    const QList<int> rows = selectedRows();
    if (rows.size() != 1) return;
    const QModelIndex name = m_runs->index(rows.front(), RunHistory::Name);
    m_table->setCurrentIndex(name);
    m_table->edit(name);
}

void RunsPanel::hideAllCurves()
{
    for (int row = 1; row < m_runs->rowCount(); ++row) m_runs->setShown(row, false);
}

void RunsPanel::showContextMenu(const QPoint& position)
{
    const QModelIndex at = m_table->indexAt(position);
    if (!at.isValid()) return;
    if (!m_table->selectionModel()->isRowSelected(at.row(), {})) m_table->selectRow(at.row());
    QMenu menu(this);
    if (!RunHistory::isCurrent(at.row())) {
        QAction* show = menu.addAction(tr("&Show Curves"));
        show->setCheckable(true);
        show->setChecked(m_runs->isShown(at.row()));
        const int row = at.row();
        connect(show, &QAction::toggled, this, [this, row](bool on) { m_runs->setShown(row, on); });
        menu.addSeparator();
    }
    menu.addAction(m_renameAction);
    menu.addAction(m_removeAction);
    menu.addSeparator();
    menu.addAction(m_hideAllAction);
    menu.exec(m_table->viewport()->mapToGlobal(position));
}
