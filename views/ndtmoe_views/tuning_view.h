#pragma once
// The search that chose a tuned run's settings (`ndtmoe train --tune`), read from the run's stored
// configuration: every trial's inner-CV score in trial order with the best so far (the optimization
// history Optuna's dashboard draws), trials stopped behind the best at their partial mean, the chosen
// one ringed; below, the trials as a table and why the chosen one was chosen.

#include <QWidget>
#include <memory>
#include <optional>

#include "ndtmoe/data/tuning_record.h"
#include "ndtmoe_views/figure_export.h"
#include "ndtmoe_views/run_data.h"

class QCustomPlot;
class QLabel;
class QTableWidget;

namespace ndtmoe::views {

class TuningView : public QWidget, public Figure {
  Q_OBJECT

 public:
  explicit TuningView(QWidget* parent = nullptr);
  // Reads the run's tuning record; a run trained without tuning shows a line saying so. A damaged
  // record is reported as store damage (StoreError).
  void set_run(std::shared_ptr<RunData> data);
  const std::optional<TuningRecord>& record() const { return record_; }
  QCustomPlot* plot() const { return plot_; }
  QTableWidget* table() const { return table_; }

  QString figure_name() const override { return "tuning-history"; }
  QSize figure_size() const override { return QSize(760, 420); }
  void paint_figure(QPaintDevice& device, const QRect& target) override;
  void write_figure_data(QTextStream& csv) const override;

 private:
  void draw();
  void fill_table();

  QLabel* summary_;
  QCustomPlot* plot_;
  QTableWidget* table_;
  std::optional<TuningRecord> record_;
};

}  // namespace ndtmoe::views
