#pragma once
// Decision path of the selected sample: its label, student and teacher predictions; per layer the
// chosen experts and weights; per tree and level the inputs the level selects, the value against the
// threshold (and the test in the dominant feature's units), the soft decision and the branch taken;
// the most probable leaves.

#include <QWidget>
#include <memory>

#include "ndtmoe/decision_path.h"
#include "ndtmoe_views/figure_export.h"
#include "ndtmoe_views/run_data.h"
#include "ndtmoe_views/selection.h"

class QLabel;
class QTreeWidget;

namespace ndtmoe::views {

class DecisionPathView : public QWidget, public Figure {
  Q_OBJECT

 public:
  explicit DecisionPathView(SelectionModel& selection, QWidget* parent = nullptr);
  void set_run(std::shared_ptr<RunData> data);
  // Shows a path computed elsewhere (the what-if editor's live model).
  void show_path(const DecisionPath& path);
  QTreeWidget* tree() const { return tree_; }
  const std::optional<DecisionPath>& path() const { return path_; }

  QString figure_name() const override;
  QSize figure_size() const override;
  void paint_figure(QPaintDevice& device, const QRect& target) override;
  void write_figure_data(QTextStream& csv) const override;

 private:
  void show_selection(const Selection& selection);

  SelectionModel& selection_;
  std::shared_ptr<RunData> data_;
  QLabel* header_;
  QTreeWidget* tree_;
  std::optional<DecisionPath> path_;
};

}  // namespace ndtmoe::views
