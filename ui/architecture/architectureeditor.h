// ArchitectureEditor: the Architecture dock's contents, where a person
// designs the network and applies it.
//
//   Input 28x28x1 (digits), 10 classes          the data decides it
//   [Add v] [Remove] [Up] [Down]  [Presets v] [Open...] [Save...]
//   +-------------+--------------------------+----------+------------+
//   | Layer       | Settings                 | Output   | Parameters |  ArchitectureModel
//   +-------------+--------------------------+----------+------------+
//   Total 61,706 parameters; the first problem, in red
//   the chosen layer's settings (LayerSettings)
//   [Revert]                                                 [Apply]
//
// Apply says applyRequested(architecture): the window hands it to the
// training worker, which builds it with weights from the seed and starts a
// new run; the worker's answer (setRunning) is what Revert goes back to.
// Apply stays disabled, its tooltip saying why, while a layer cannot be
// built, the network does not fit the data (its input or its classes), or
// nothing has changed.
//
// An opened file keeps its own input shape: one that differs from the
// data's is reported, not applied, and "Use the data's input" adapts it
// (the layers' shapes then follow), so nothing changes behind the person's
// back.
#pragma once

#include "architecturemodel.h"
#include "trainingtypes.h"

#include <QWidget>

class LayerSettings;
class QAction;
class QLabel;
class QMenu;
class QPushButton;
class QTableView;
class QToolButton;

class ArchitectureEditor : public QWidget {
    Q_OBJECT

public:
    explicit ArchitectureEditor(QWidget* parent = nullptr);

    ArchitectureModel* model() const { return m_model; }
    QTableView* table() const { return m_table; }
    LayerSettings* settings() const { return m_settings; }
    QMenu* presetsMenu() const { return m_presetsMenu; }
    QMenu* addMenu() const { return m_addMenu; }
    QPushButton* applyButton() const { return m_apply; }

    // The data the network is for: its sample shape, classes and name.
    void setData(const cs::Shape& input, std::size_t classes, const QString& name);
    // What the worker trains now (a network applied, a model opened,
    // another dataset's network). The table shows it unless the person has
    // edits not applied (Revert then brings it); a network set aside (it
    // does not fit new data) is shown, marked, with the reason.
    void setRunning(const ArchitectureInForce& running);
    const cs::Architecture& running() const { return m_running; }
    cs::Architecture edited() const { return m_model->architecture(); }

    // What the buttons do, without their dialogs (tests, scripts). Each
    // returns false with the reason shown in the dock (message()), the
    // edited network left as it was.
    bool loadPreset(const QString& name);
    bool openFile(const QString& path);  // Keras JSON, or a model file (.npz)
    bool saveFile(const QString& path);  // Keras JSON
    void revert();
    void apply();
    // "" when Apply may be pressed, else why not (Apply's tooltip).
    QString whyNotApply() const;
    // Why the edited network does not fit the data ("" if it does).
    QString fitProblem() const;
    QString message() const;
    void selectLayer(int row);
    int selectedLayer() const;
    void addLayer(const std::string& kind); // after the selected layer
    void removeSelected();
    void moveSelected(int by);              // -1 up, +1 down

signals:
    void applyRequested(const cs::Architecture& architecture);
    // setRunning was told of the network in force (after Apply: the one built).
    void runningChanged(const cs::Architecture& architecture);

private:
    void refresh();
    void showSelected();
    void showMessage(const QString& text, bool error);
    void openDialog();
    void saveDialog();
    QString folder() const;
    void rememberFolder(const QString& path);

    ArchitectureModel* m_model = nullptr;
    cs::Architecture m_running;
    QString m_runningPreset;
    cs::Shape m_input;
    std::size_t m_classes = 0;
    QString m_dataName;

    QLabel* m_inputLabel = nullptr;
    QPushButton* m_adaptInput = nullptr;
    QTableView* m_table = nullptr;
    QLabel* m_total = nullptr;
    QLabel* m_problem = nullptr;
    QLabel* m_message = nullptr;
    LayerSettings* m_settings = nullptr;
    QMenu *m_addMenu = nullptr, *m_presetsMenu = nullptr;
    QAction *m_remove = nullptr, *m_up = nullptr, *m_down = nullptr;
    QPushButton *m_apply = nullptr, *m_revert = nullptr;
};
