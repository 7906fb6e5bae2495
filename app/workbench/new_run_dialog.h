#pragma once
// "New run": choose data (file or built-in generator) with a live preview, the target and task, and the
// model and training settings (sensible defaults, tooltips). Loading data runs off the GUI thread.

#include <QDialog>
#include <memory>

#include "background_tasks.h"

#include "ndtmoe/train/run_directory.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QSpinBox;
class QTableView;

namespace ndtmoe::workbench {
class FamilyOptionsForm;
}

namespace ndtmoe::views {
class DataTableModel;
}

namespace ndtmoe::workbench {

struct NewRun {
  QString name;
  DataDescription data;
  ExperimentConfig config;
  TuningBudget tuning;  // empty: train with `config` as it is
};

class NewRunDialog : public QDialog {
  Q_OBJECT

 public:
  explicit NewRunDialog(QWidget* parent = nullptr, const QString& source = {});
  ~NewRunDialog() override;
  NewRun chosen() const;
  void load(const QString& source);
  bool loaded() const;

 private:
  void browse();
  void table_loaded(const QString& source, std::shared_ptr<const Table> table, const QString& error);
  // Why the "pixels as image" entry cannot be used with the loaded data; empty when it can (or is empty).
  QString image_problem() const;
  // What is wrong with the family's options and the expert count (the engine's own check); empty when nothing.
  QString family_problem() const;
  // Why the tuning budget cannot be read; empty when it can (or is empty).
  QString tuning_problem() const;

  QComboBox* source_;
  QString requested_, requested_labels_;  // the source (and labels) last asked for: leaving a field reloads only a change
  QLabel* status_;
  QTableView* preview_;
  views::DataTableModel* model_;
  QComboBox *target_, *task_, *teacher_, *device_, *router_input_, *student_, *text_;
  FamilyOptionsForm* family_;
  QLineEdit *name_, *image_, *tune_;
  QComboBox* scaling_;
  QLineEdit* labels_ = nullptr;  // IDX images: their labels file when not beside them
  QSpinBox *layers_, *experts_, *top_k_, *width_, *epochs_, *batch_, *teacher_epochs_, *patch_, *conv_stem_, *seed_;
  QDoubleSpinBox *lr_, *alpha_, *temperature_, *dropout_, *lambda_lb_;
  QSpinBox *patience_, *augment_shift_, *piecewise_bins_;
  QCheckBox *augment_flip_, *test_time_mirror_;
  BackgroundTasks tasks_;  // data loads; last, so they end before the widgets they report to
};

}  // namespace ndtmoe::workbench
