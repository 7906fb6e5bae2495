#pragma once
// Runs side by side — the workbench's research question is a comparison of routers at equal accuracy:
// a table of each run's family, metrics, load health, specialization and rule fidelity (core's
// comparison.h, the numbers of `ndtmoe compare`), and each run's expert × layer load as a heatmap of
// shares, on one colour scale so the runs read against each other. Exported as a figure and CSV.

#include <QWidget>
#include <memory>
#include <vector>

#include "ndtmoe/analysis/comparison.h"
#include "ndtmoe_views/figure_export.h"

class QCustomPlot;
class QTableWidget;

namespace ndtmoe::views {

class ComparisonView : public QWidget, public Figure {
  Q_OBJECT

 public:
  explicit ComparisonView(QWidget* parent = nullptr);
  // Compares the runs of `store`; a run that cannot be read is reported by the exception's message.
  void set_runs(TraceStore& store, const std::vector<int64_t>& runs);
  const std::vector<RunComparison>& comparisons() const { return runs_; }
  QTableWidget* table() const { return table_; }
  QCustomPlot* plot() const { return plot_; }
  // The rows of the table: (measure, one text per run).
  const std::vector<std::pair<QString, std::vector<QString>>>& rows() const { return rows_; }

  QString figure_name() const override;
  QSize figure_size() const override;
  void paint_figure(QPaintDevice& device, const QRect& target) override;
  void write_figure_data(QTextStream& csv) const override;

 private:
  void fill_table();
  void draw_heatmaps(TraceStore& store);
  int table_height(const QFontMetrics& metrics) const;

  std::vector<RunComparison> runs_;
  std::vector<std::pair<QString, std::vector<QString>>> rows_;
  QTableWidget* table_;
  QCustomPlot* plot_;
};

}  // namespace ndtmoe::views
