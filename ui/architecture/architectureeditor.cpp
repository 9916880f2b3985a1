#include "architectureeditor.h"

#include "layersettings.h"

#include "architecture_file.hpp"
#include "architecture_json.hpp"
#include "presets.hpp"

#include <QAction>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QPushButton>
#include <QSettings>
#include <QTableView>
#include <QToolBar>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <stdexcept>

namespace {

// A new layer of `kind` with settings that fit a small network: what a
// person would likely type first.
cs::LayerSpec defaultSpec(const std::string& kind)
{
    namespace L = cs::layers;
    if (kind == "conv2d") return L::conv2d(8, {3, 3}, {1, 1}, cs::Padding::same, cs::Activation::relu);
    if (kind == "max_pooling2d") return L::max_pooling2d();
    if (kind == "average_pooling2d") return L::average_pooling2d();
    if (kind == "flatten") return L::flatten();
    if (kind == "dense") return L::dense(64, cs::Activation::relu);
    if (kind == "dropout") return L::dropout(0.25);
    if (kind == "activation") return L::activation(cs::Activation::relu);
    if (kind == "relu") return L::relu();
    if (kind == "rescaling") return L::rescaling(1);
    if (kind == "zero_padding2d") return L::zero_padding2d({1, 1, 1, 1});
    cs::LayerSpec spec;
    spec.kind = kind;
    return spec;
}

// A model file has its architecture, as a JSON file has; both are read
// without checking that the layers fit, so that a broken one can be mended here.
cs::Architecture readArchitecture(const QString& path, const cs::Shape& input, std::size_t classes)
{
    if (path.endsWith(QLatin1String(".npz"), Qt::CaseInsensitive))
        return cs::load_architecture(path.toStdString(), input, classes);
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        throw std::runtime_error(path.toStdString() + ": " + file.errorString().toStdString());
    if (std::size_t(file.size()) > cs::architecture_file_max_bytes)
        throw std::runtime_error(path.toStdString() + ": larger than " +
                                 std::to_string(cs::architecture_file_max_bytes / 1024) + " kB: not an architecture");
    const QByteArray text = file.readAll();
    return cs::architecture_from_json(std::string_view(text.constData(), std::size_t(text.size())),
                                      QFileInfo(path).fileName().toStdString(), 1000);
}

} // namespace

ArchitectureEditor::ArchitectureEditor(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("architectureEditor"));
    m_model = new ArchitectureModel(this);

    m_inputLabel = new QLabel(this);
    m_inputLabel->setObjectName(QStringLiteral("architectureInput"));
    m_inputLabel->setWordWrap(true);
    m_inputLabel->setToolTip(tr("The data decides the input: open another dataset to change it"));
    m_adaptInput = new QPushButton(tr("Use the data's input"), this);
    m_adaptInput->setObjectName(QStringLiteral("architectureAdaptInput"));
    m_adaptInput->setToolTip(tr("Give this network the data's input shape; the layers' shapes follow"));
    m_adaptInput->hide();
    connect(m_adaptInput, &QPushButton::clicked, this, [this] { m_model->setInput(m_input); });

    auto* bar = new QToolBar(this);
    bar->setObjectName(QStringLiteral("architectureToolBar"));
    bar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_addMenu = new QMenu(tr("Add"), this);
    m_addMenu->setObjectName(QStringLiteral("architectureAddMenu"));
    m_addMenu->setToolTipsVisible(true);
    for (const std::string& kind : cs::layer_kinds()) {
        QAction* a = m_addMenu->addAction(QString::fromStdString(cs::keras_class_name(kind)));
        a->setObjectName(QStringLiteral("addLayer_") + QString::fromStdString(kind));
        a->setToolTip(tr("Insert a %1 after the chosen layer").arg(a->text()));
        connect(a, &QAction::triggered, this, [this, kind] { addLayer(kind); });
    }
    QAction* add = bar->addAction(tr("Add"));
    add->setMenu(m_addMenu);
    add->setToolTip(tr("Insert a layer after the chosen one"));
    if (auto* b = qobject_cast<QToolButton*>(bar->widgetForAction(add))) b->setPopupMode(QToolButton::InstantPopup);
    m_remove = bar->addAction(tr("Remove"), this, &ArchitectureEditor::removeSelected);
    m_remove->setObjectName(QStringLiteral("architectureRemove"));
    m_remove->setToolTip(tr("Remove the chosen layer (Delete)"));
    m_up = bar->addAction(tr("Up"), this, [this] { moveSelected(-1); });
    m_up->setObjectName(QStringLiteral("architectureUp"));
    m_up->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Up));
    m_up->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_up->setToolTip(tr("Move the chosen layer up (Ctrl+Up)"));
    m_down = bar->addAction(tr("Down"), this, [this] { moveSelected(+1); });
    m_down->setObjectName(QStringLiteral("architectureDown"));
    m_down->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Down));
    m_down->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_down->setToolTip(tr("Move the chosen layer down (Ctrl+Down)"));
    addAction(m_up);
    addAction(m_down);
    bar->addSeparator();
    m_presetsMenu = new QMenu(tr("Presets"), this);
    m_presetsMenu->setObjectName(QStringLiteral("architecturePresetsMenu"));
    m_presetsMenu->setToolTipsVisible(true);
    for (const cs::Preset& p : cs::presets()) {
        const QString name = QString::fromStdString(p.name);
        QAction* a = m_presetsMenu->addAction(name);
        a->setObjectName(QStringLiteral("preset_") + name);
        a->setToolTip(QString::fromStdString(p.description));
        connect(a, &QAction::triggered, this, [this, name] { loadPreset(name); });
    }
    QAction* presets = bar->addAction(tr("Presets"));
    presets->setMenu(m_presetsMenu);
    presets->setToolTip(tr("A network by name, made for the data"));
    if (auto* b = qobject_cast<QToolButton*>(bar->widgetForAction(presets))) b->setPopupMode(QToolButton::InstantPopup);
    QAction* open = bar->addAction(tr("Open\u2026"), this, &ArchitectureEditor::openDialog);
    open->setToolTip(tr("Open a Keras model.to_json() file, or a model file's architecture"));
    QAction* save = bar->addAction(tr("Save\u2026"), this, &ArchitectureEditor::saveDialog);
    save->setToolTip(tr("Save this network as Keras JSON (model_from_json reads it)"));

    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("architectureTable"));
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setWordWrap(false);
    m_table->setTextElideMode(Qt::ElideRight);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    // The settings stretch; the rest are wide enough for "max_pooling2d_1",
    // "28x28x6" and "48,120" (longer text is elided, whole in the tooltip).
    m_table->horizontalHeader()->setSectionResizeMode(ArchitectureModel::LayerColumn, QHeaderView::Interactive);
    m_table->setColumnWidth(ArchitectureModel::LayerColumn, m_table->fontMetrics().horizontalAdvance(QStringLiteral("max_pooling2d_1")) + 12);
    m_table->horizontalHeader()->setSectionResizeMode(ArchitectureModel::SettingsColumn, QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionResizeMode(ArchitectureModel::OutputColumn, QHeaderView::Interactive);
    m_table->horizontalHeader()->setSectionResizeMode(ArchitectureModel::ParametersColumn,
                                                       QHeaderView::ResizeToContents);
    m_table->setColumnWidth(ArchitectureModel::OutputColumn, m_table->fontMetrics().horizontalAdvance(QStringLiteral("28x28x128")) + 12);
    auto* remove = new QAction(m_table);
    remove->setShortcut(QKeySequence::Delete);
    remove->setShortcutContext(Qt::WidgetShortcut);
    connect(remove, &QAction::triggered, this, &ArchitectureEditor::removeSelected);
    m_table->addAction(remove);

    m_total = new QLabel(this);
    m_total->setObjectName(QStringLiteral("architectureTotal"));
    m_total->setWordWrap(true); // the dock shares a narrow column with Draw a Digit
    m_problem = new QLabel(this);
    m_problem->setObjectName(QStringLiteral("architectureProblem"));
    m_problem->setWordWrap(true);
    m_problem->setStyleSheet(QStringLiteral("color: #a00000;"));
    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("architectureMessage"));
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->hide();

    m_settings = new LayerSettings(this);
    m_settings->setObjectName(QStringLiteral("layerSettings"));

    m_revert = new QPushButton(tr("Revert"), this);
    m_revert->setObjectName(QStringLiteral("architectureRevert"));
    m_revert->setToolTip(tr("Back to the network being trained"));
    m_apply = new QPushButton(tr("Apply"), this);
    m_apply->setObjectName(QStringLiteral("architectureApply"));
    m_apply->setDefault(true);
    connect(m_revert, &QPushButton::clicked, this, &ArchitectureEditor::revert);
    connect(m_apply, &QPushButton::clicked, this, &ArchitectureEditor::apply);

    auto* top = new QHBoxLayout;
    top->addWidget(m_inputLabel, 1);
    top->addWidget(m_adaptInput);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_revert);
    buttons->addStretch(1);
    buttons->addWidget(m_apply);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(top);
    layout->addWidget(bar);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_total);
    layout->addWidget(m_problem);
    layout->addWidget(m_message);
    layout->addWidget(m_settings);
    layout->addLayout(buttons);

    connect(m_model, &ArchitectureModel::edited, this, &ArchitectureEditor::refresh);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &ArchitectureEditor::showSelected);
    connect(m_settings, &LayerSettings::specEdited, this, [this](const cs::LayerSpec& spec) {
        m_model->setSpec(selectedLayer(), spec);
    });
    connect(m_settings, &LayerSettings::nameEdited, this, [this](const QString& name) {
        m_model->setName(selectedLayer(), name);
    });
    refresh();
}

void ArchitectureEditor::setData(const cs::Shape& input, std::size_t classes, const QString& name)
{
    m_input = input;
    m_classes = classes;
    m_dataName = name;
    refresh();
}

void ArchitectureEditor::setRunning(const ArchitectureInForce& running)
{
    // The person's edits are never dropped behind their back: the table
    // follows the network in force only while it showed the one before.
    const bool unedited = m_model->architecture().layers.empty() || m_model->architecture() == m_running;
    m_running = running.architecture;
    m_runningPreset = running.preset;
    if (!running.setAside.layers.empty()) {
        m_model->setArchitecture(running.setAside);
        selectLayer(-1);
        showMessage(tr("Your network does not fit %1: %2. %3 trains meanwhile; change the network, or Revert to %3.")
                        .arg(m_dataName, running.setAsideReason, running.preset),
                    true);
    } else if (unedited && !(m_model->architecture() == m_running)) {
        const int row = selectedLayer();
        m_model->setArchitecture(m_running);
        selectLayer(std::min(row, m_model->rowCount() - 1));
    }
    // "Apply to train it" said of this network is done now.
    if (running.setAside.layers.empty() && m_model->architecture() == m_running) m_message->hide();
    refresh();
    emit runningChanged(m_running);
}

QString ArchitectureEditor::fitProblem() const
{
    if (m_classes == 0) return {};
    try {
        cs::check_fits_data(m_model->architecture(), m_input, m_classes, m_dataName.toStdString());
    } catch (const std::exception& e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

QString ArchitectureEditor::whyNotApply() const
{
    if (m_classes == 0) return tr("No data is open.");
    if (!m_model->isValid()) return tr("Not yet: %1.").arg(m_model->firstProblem());
    if (const QString fit = fitProblem(); !fit.isEmpty()) return tr("Not yet: %1.").arg(fit);
    if (m_model->architecture() == m_running) return tr("This is the network being trained: change something first.");
    return {};
}

void ArchitectureEditor::refresh()
{
    const cs::Architecture& a = m_model->architecture();
    const bool inputDiffers = m_classes > 0 && !(a.input == m_input);
    m_inputLabel->setText(
        inputDiffers ? tr("Input %1 (this network's), but %2 has %3 samples").arg(shapeText(a.input), m_dataName, shapeText(m_input))
                     : tr("Input %1 (%2), %3 classes").arg(shapeText(m_input), m_dataName).arg(m_classes));
    m_adaptInput->setVisible(inputDiffers);

    QString total = m_model->isValid()
                        ? tr("Total: %L1 parameters").arg(qulonglong(m_model->totalParameters()))
                        : tr("%L1 parameters before the first invalid layer").arg(qulonglong(m_model->totalParameters()));
    if (a == m_running)
        total += m_runningPreset.isEmpty() ? tr(" \u2014 being trained") : tr(" \u2014 %1, being trained").arg(m_runningPreset);
    else
        total += tr(" \u2014 edited, not applied");
    m_total->setText(total);

    QString problem = m_model->isValid() ? fitProblem() : m_model->firstProblem();
    m_problem->setText(problem.isEmpty() ? QString() : tr("\u2717 %1").arg(problem));
    m_problem->setVisible(!problem.isEmpty());

    const QString why = whyNotApply();
    m_apply->setEnabled(why.isEmpty());
    m_apply->setToolTip(why.isEmpty() ? tr("Build this network with weights from the seed and start a new run") : why);
    m_revert->setEnabled(!(a == m_running) && !m_running.layers.empty());
    const int row = selectedLayer();
    m_remove->setEnabled(row >= 0);
    m_up->setEnabled(row > 0);
    m_down->setEnabled(row >= 0 && row + 1 < m_model->rowCount());
}

void ArchitectureEditor::showSelected()
{
    const int row = selectedLayer();
    if (row < 0) m_settings->clear();
    else m_settings->setLayer(QString::fromStdString(m_model->layer(row).name), m_model->layer(row).spec);
    refresh();
}

int ArchitectureEditor::selectedLayer() const
{
    const QModelIndex current = m_table->selectionModel()->currentIndex();
    return current.isValid() && current.row() < m_model->rowCount() ? current.row() : -1;
}

void ArchitectureEditor::selectLayer(int row)
{
    if (row < 0 || row >= m_model->rowCount()) {
        m_table->selectionModel()->clearCurrentIndex();
        m_table->clearSelection();
        showSelected();
        return;
    }
    m_table->selectionModel()->setCurrentIndex(m_model->index(row, 0),
                                               QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    showSelected();
}

void ArchitectureEditor::addLayer(const std::string& kind)
{
    const int row = selectedLayer() < 0 ? m_model->rowCount() : selectedLayer() + 1;
    m_model->insertLayer(row, {{}, defaultSpec(kind)});
    selectLayer(row);
}

void ArchitectureEditor::removeSelected()
{
    const int row = selectedLayer();
    if (row < 0) return;
    m_model->removeLayer(row);
    selectLayer(std::min(row, m_model->rowCount() - 1));
}

void ArchitectureEditor::moveSelected(int by)
{
    const int row = selectedLayer();
    const int to = row + by;
    if (row < 0 || to < 0 || to >= m_model->rowCount()) return;
    m_model->moveLayer(row, to);
    selectLayer(to);
}

bool ArchitectureEditor::loadPreset(const QString& name)
{
    try {
        m_model->setArchitecture(cs::preset_architecture(name.toStdString(), m_input, m_classes));
    } catch (const std::exception& e) {
        showMessage(tr("The preset %1 cannot be made for %2: %3").arg(name, m_dataName, QString::fromStdString(e.what())),
                    true);
        return false;
    }
    showMessage(tr("The preset %1, made for %2. Apply to train it.").arg(name, m_dataName), false);
    selectLayer(-1);
    return true;
}

bool ArchitectureEditor::openFile(const QString& path)
{
    cs::Architecture a;
    try {
        a = readArchitecture(path, m_input, m_classes);
    } catch (const std::exception& e) {
        showMessage(tr("Could not open %1: %2. The network here is unchanged.")
                        .arg(QFileInfo(path).fileName(), QString::fromStdString(e.what())),
                    true);
        return false;
    }
    m_model->setArchitecture(a);
    selectLayer(-1);
    showMessage(whyNotApply().isEmpty()
                    ? tr("Opened %1. Apply to train it.").arg(QFileInfo(path).fileName())
                    : tr("Opened %1. Apply waits until what is marked above is mended.").arg(QFileInfo(path).fileName()),
                false);
    return true;
}

bool ArchitectureEditor::saveFile(const QString& path)
{
    try {
        cs::write_architecture_file(path.toStdString(), cs::with_default_names(m_model->architecture()));
    } catch (const std::exception& e) {
        showMessage(tr("Could not save %1: %2").arg(QFileInfo(path).fileName(), QString::fromStdString(e.what())), true);
        return false;
    }
    showMessage(tr("Saved %1.").arg(QDir::toNativeSeparators(path)), false);
    return true;
}

void ArchitectureEditor::revert()
{
    if (m_running.layers.empty()) return;
    const int row = selectedLayer();
    m_model->setArchitecture(m_running);
    m_message->hide();
    selectLayer(std::min(row, m_model->rowCount() - 1));
}

void ArchitectureEditor::apply()
{
    if (!whyNotApply().isEmpty()) return;
    m_message->hide();
    // Layers left unnamed get Keras' names now, as the model will have them
    // (so that the table then shows the network in force, unedited).
    const cs::Architecture named = cs::with_default_names(m_model->architecture());
    if (!(named == m_model->architecture())) {
        const int row = selectedLayer();
        m_model->setArchitecture(named);
        selectLayer(row);
    }
    emit applyRequested(named);
}

QString ArchitectureEditor::message() const
{
    return m_message->isHidden() ? QString() : m_message->text();
}

void ArchitectureEditor::showMessage(const QString& text, bool error)
{
    m_message->setText(text);
    m_message->setStyleSheet(error ? QStringLiteral("color: #a00000;") : QString());
    m_message->setVisible(!text.isEmpty());
}

QString ArchitectureEditor::folder() const
{
    return QSettings().value(QStringLiteral("architecture/folder")).toString();
}

void ArchitectureEditor::rememberFolder(const QString& path)
{
    QSettings().setValue(QStringLiteral("architecture/folder"), QFileInfo(path).absolutePath());
}

void ArchitectureEditor::openDialog()
{
    const QString path =
        QFileDialog::getOpenFileName(this, tr("Open an architecture"), folder(),
                                     tr("Keras JSON (*.json);;ConvScope models (*.npz);;All files (*)"));
    if (path.isEmpty()) return;
    rememberFolder(path);
    openFile(path);
}

void ArchitectureEditor::saveDialog()
{
    const QString start = folder().isEmpty() ? QStringLiteral("network.json") : folder() + QStringLiteral("/network.json");
    QString path = QFileDialog::getSaveFileName(this, tr("Save the architecture"), start, tr("Keras JSON (*.json)"));
    if (path.isEmpty()) return;
    if (!path.endsWith(QLatin1String(".json"), Qt::CaseInsensitive)) path += QStringLiteral(".json");
    rememberFolder(path);
    saveFile(path);
}
