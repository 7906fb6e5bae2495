#pragma once
// Decision path of the selected sample: its label, student and teacher predictions; per layer the
// chosen experts and weights; per tree and level the inputs the level selects, the value against the
// threshold (and the test in the dominant feature's units), the soft decision and the branch taken;
// the most probable leaves.
//
// What-if: the sample's features can be edited, numbers in original units and nominal features by
// category (with undo); each edit emits
// inputs_edited with the re-encoded inputs, and the window answers with show_path() of the live model.

#include <QWidget>
#include <memory>
#include <optional>

#include "ndtmoe/analysis/decision_path.h"
#include "ndtmoe_views/figure_export.h"
#include "ndtmoe_views/path_figure.h"
#include "ndtmoe_views/run_data.h"
#include "ndtmoe_views/selection.h"

class QLabel;
class QPainter;
class QTableWidget;
class QTreeWidget;
class QUndoStack;

namespace ndtmoe::views {

class DecisionPathView : public QWidget, public Figure {
  Q_OBJECT

 public:
  explicit DecisionPathView(SelectionModel& selection, QWidget* parent = nullptr);
  void set_run(std::shared_ptr<RunData> data);
  // Shows a path computed elsewhere (the what-if editor's live model).
  void show_path(const DecisionPath& path);
  // Sets feature `feature` (index into the run's features) to `value` — original units, or the index of
  // a category for a nominal feature — as an undoable edit. False for a value the feature cannot take.
  bool edit_feature(int64_t feature, double value);
  QUndoStack* undo_stack() const { return undo_; }
  bool what_if_active() const { return edited_ != original_; }
  QTreeWidget* tree() const { return tree_; }
  // The path drawn for print (the Figure tab and the export): per level its node's histogram.
  PathFigure& figure() { return figure_; }
  void paint_path(QPainter& painter, const QRectF& target);  // never throws: a failure is written instead
  const std::optional<DecisionPath>& path() const { return path_; }

  QString figure_name() const override;
  QSize figure_size() const override;
  void paint_figure(QPaintDevice& device, const QRect& target) override;
  void write_figure_data(QTextStream& csv) const override;

 Q_SIGNALS:
  void inputs_edited(const std::vector<float>& inputs);
  void what_if_reset();  // the stored sample is shown again

 private:
  friend class FeatureEdit;
  void show_selection(const Selection& selection);
  void fill_features();
  // Applies a value (original units) to the edited inputs and asks for the live path.
  void apply_feature(int64_t feature, double value);
  int64_t column_of(int64_t feature) const;
  double current_value(int64_t feature) const;  // of the edited inputs: original units or category index
  QString value_text(int64_t feature, double value) const;
  std::optional<double> parse_value(int64_t feature, const QString& text) const;

  SelectionModel& selection_;
  std::shared_ptr<RunData> data_;
  QLabel* header_;
  QTreeWidget* tree_;
  QTableWidget* features_;
  QUndoStack* undo_;
  std::optional<DecisionPath> path_;
  mutable PathFigure figure_;  // holds the node histograms read so far (also for the const CSV writer)
  QWidget* figure_tab_;
  std::optional<int64_t> shown_token_;  // the token of path_ (token-level runs)
  std::vector<float> original_, edited_;  // encoded inputs of the selected sample, as stored and as edited
};

}  // namespace ndtmoe::views
