#pragma once
// The expert dashboard of a token-level run, for the selected layer: heatmaps expert x token value and
// expert x token position (tokens whose top-1 expert it is; one heatmap for features and patches, whose
// value is their position), and for the selected expert the tokens it receives most, each bar the
// token's share of all the expert's tokens, example samples whose tokens went to it (the token in
// brackets) and, for images, the average patch routed to it. Clicking a heatmap row selects that expert.

#include <QStringList>
#include <QWidget>
#include <memory>
#include <optional>
#include <vector>

#include "ndtmoe/analysis/token_usage.h"
#include "ndtmoe_views/figure_export.h"
#include "ndtmoe_views/run_data.h"
#include "ndtmoe_views/selection.h"

class QCustomPlot;
class QCPAxisRect;
class QCPColorMap;
class QLabel;
class QMouseEvent;

namespace ndtmoe::views {

class ExpertTokensView : public QWidget, public Figure {
  Q_OBJECT

 public:
  explicit ExpertTokensView(SelectionModel& selection, QWidget* parent = nullptr);
  void set_run(std::shared_ptr<RunData> data);
  QCustomPlot* plot() const { return plot_; }
  // What is drawn: the heatmaps' keys (token values / positions, one column each) and cells, and the
  // selected expert's bars with their shares.
  const std::vector<int64_t>& value_keys() const { return value_keys_; }
  double value_cell(int64_t expert, int64_t key) const;
  const std::vector<TokenShare>& top() const { return top_; }
  std::optional<int64_t> expert() const { return expert_; }
  QString examples_text() const;

  QString figure_name() const override;
  QSize figure_size() const override;
  void paint_figure(QPaintDevice& device, const QRect& target) override;
  void write_figure_data(QTextStream& csv) const override;

 private:
  void show_selection(const Selection& selection);
  void rebuild();
  void clicked(QMouseEvent* event);
  QString label(int64_t key, TokenAxis axis) const;
  // Samples whose token `key` went to the selected expert, the token in brackets.
  QStringList example_texts(int64_t key) const;
  void add_average_patch(QCPAxisRect* rect);

  SelectionModel& selection_;
  std::shared_ptr<RunData> data_;
  QCustomPlot* plot_;
  QLabel* examples_;
  int64_t layer_ = -1;
  std::optional<int64_t> expert_;
  std::vector<CountCell> values_, positions_;
  std::vector<int64_t> value_keys_;
  std::vector<TokenShare> top_;
  QCPColorMap *value_map_ = nullptr, *position_map_ = nullptr, *average_patch_ = nullptr;
};

}  // namespace ndtmoe::views
