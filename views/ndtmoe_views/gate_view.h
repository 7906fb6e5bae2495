#pragma once
// The routing panel of a linear-gate family: the gate's weights as a router input × expert heatmap
// (diverging colours centred on zero, one layer), and beside it the selected sample's gate logits per
// expert, the experts it was routed to marked with their routing weights — the softmax gate's
// counterpart of the routing tree. Clicking an expert's column selects its samples.

#include <QWidget>
#include <optional>
#include <memory>
#include <vector>

#include "ndtmoe_views/figure_export.h"
#include "ndtmoe_views/run_data.h"
#include "ndtmoe_views/selection.h"

class QCustomPlot;
class QCPAxisRect;
class QCPBars;
class QCPColorMap;
class QCPTextElement;
class QMouseEvent;

namespace ndtmoe::views {

class GateView : public QWidget, public Figure {
  Q_OBJECT

 public:
  explicit GateView(SelectionModel& selection, QWidget* parent = nullptr);
  void set_run(std::shared_ptr<RunData> data);
  // Whether the run has a stored linear gate this view can show.
  static bool can_show(const RunData& data);
  QCustomPlot* plot() const { return plot_; }
  // The logits drawn for the selected sample (empty when none is shown), by expert.
  const std::vector<double>& shown_logits() const { return logits_; }

  QString figure_name() const override;
  QSize figure_size() const override;
  void paint_figure(QPaintDevice& device, const QRect& target) override;
  void write_figure_data(QTextStream& csv) const override;

 private:
  void rebuild();
  void show_selection(const Selection& selection);
  void show_sample(const Selection& selection);
  void clicked(QMouseEvent* event);
  void hovered(QMouseEvent* event);

  SelectionModel& selection_;
  std::shared_ptr<RunData> data_;
  QCustomPlot* plot_;
  int64_t layer_ = -1;
  std::optional<int64_t> sample_, token_;
  QCPColorMap* weights_ = nullptr;
  QCPAxisRect* logit_rect_ = nullptr;
  QCPTextElement* logit_title_ = nullptr;
  QCPBars *logit_bars_ = nullptr, *chosen_bars_ = nullptr;
  std::vector<double> logits_;
  std::vector<int32_t> chosen_;
  std::vector<float> chosen_weights_;
};

}  // namespace ndtmoe::views
