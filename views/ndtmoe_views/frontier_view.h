#pragma once
// The sparsity–accuracy frontier of traced decompositions (the Mixture of Decoders paper's figure): for
// each stand-in — the family's and the transcoders at equal parameters — the normalised MSE of the
// layer's outputs against K, and the spliced model's task metric against K beside the original model's
// and the zero-ablated one's. Drawn from the runs a comparison selects (core's decomposition_frontier).

#include <QWidget>

#include "ndtmoe/analysis/decomposition_frontier.h"
#include "ndtmoe_views/figure_export.h"

class QCustomPlot;
class QLabel;

namespace ndtmoe::views {

class FrontierView : public QWidget, public Figure {
  Q_OBJECT

 public:
  explicit FrontierView(QWidget* parent = nullptr);
  // Shows the frontier of the decompositions among `runs` (empty when there is none).
  // Throws StoreError when a decomposition's stored record or measurements are damaged.
  void set_runs(TraceStore& store, const std::vector<int64_t>& runs);
  void clear();  // no frontier
  const DecompositionFrontier& frontier() const { return frontier_; }
  QCustomPlot* errors() const { return errors_; }   // one graph per stand-in, in frontier().models order
  QCustomPlot* metrics() const { return metrics_; } // the same, then the original and the zero-ablated model

  QString figure_name() const override { return "decomposition-frontier"; }
  QSize figure_size() const override { return QSize(1000, 380); }
  void paint_figure(QPaintDevice& device, const QRect& target) override;
  void write_figure_data(QTextStream& csv) const override;

 private:
  void draw();

  DecompositionFrontier frontier_;
  QLabel* note_;
  QCustomPlot* errors_;
  QCustomPlot* metrics_;
};

}  // namespace ndtmoe::views
