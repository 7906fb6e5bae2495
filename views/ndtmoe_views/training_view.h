#pragma once
// Training: a progress bar with ETA, pause and cancel buttons and live curves of every loss term and validation
// metric of teacher and student (QCustomPlot), fed point by point from the training job. Plain data in,
// no training math here.

#include <QElapsedTimer>
#include <QWidget>
#include <array>
#include <map>

#include "ndtmoe_views/figure_export.h"
#include "ndtmoe_views/run_data.h"

class QCustomPlot;
class QCheckBox;
class QDoubleSpinBox;
class QLabel;
class QProgressBar;
class QPushButton;

namespace ndtmoe::views {

struct CurvePoint {
  QString model;      // teacher, student, mlp, moe
  double progress = 0;  // fraction of the whole job done, for the bar and the ETA
  int64_t step = 0, epoch = 0;
  bool epoch_end = false;
  std::map<QString, double> losses, metrics;
  QString stage;      // what runs now, for the label
};

// Loss terms or metrics as core names them, keyed by Qt strings for a CurvePoint.
std::map<QString, double> with_qt_names(const std::map<std::string, double>& values);

class TrainingView : public QWidget, public Figure {
  Q_OBJECT

 public:
  explicit TrainingView(QWidget* parent = nullptr);
  void start(const QString& what);
  void add_point(const CurvePoint& point);
  void finish(const QString& message);
  // The curves a stored run was trained with (its logged steps), when no training runs.
  void show_history(const RunData& run);
  int graph_count() const;
  bool running() const { return running_; }
  bool paused() const { return paused_; }
  void set_paused(bool paused);  // as the pause button does; emits pause_requested
  // TensorBoard's smoothing: an exponential moving average with this weight in [0, 0.99] (0: the raw
  // values), debiased over its first points. The CSV holds both the raw and the drawn values.
  void set_smoothing(double weight);
  void set_log_loss(bool log);  // the loss panel on a logarithmic axis

  QString figure_name() const override { return "training-curves"; }
  QSize figure_size() const override;
  void paint_figure(QPaintDevice& device, const QRect& target) override;
  void write_figure_data(QTextStream& csv) const override;

 Q_SIGNALS:
  void cancel_requested();
  void pause_requested(bool paused);

 private:
  void add_value(const QString& model, const QString& name, bool metric, double step, double value);
  void clear();
  void add_curves(const CurvePoint& p);
  void plot_point(const CurvePoint& p);
  // The value drawn for the next raw value of a curve (advances that curve's moving average).
  double smoothed(const QString& key, double value);
  void replot();
  double active_seconds() const;  // since start, without the time spent paused
  void show_status(const CurvePoint& p);

  QProgressBar* bar_;
  QLabel* status_;
  QPushButton* pause_;
  QPushButton* cancel_;
  QCustomPlot* losses_;
  QCustomPlot* metrics_;
  QElapsedTimer clock_, pause_clock_;
  qint64 paused_ms_ = 0;  // finished pauses
  bool running_ = false, paused_ = false;
  std::map<QString, int> graph_of_;  // "model/term" -> graph index (losses and metrics plots)
  QDoubleSpinBox* smoothing_;
  QCheckBox* log_loss_;
  struct Average {
    double sum = 0;
    int64_t count = 0;
  };
  std::map<QString, Average> averages_;  // per curve key, while plotting
  std::array<std::map<QString, int64_t>, 2> term_colors_;  // per panel (losses, metrics): term -> colour index
  std::vector<CurvePoint> points_;
};

}  // namespace ndtmoe::views

Q_DECLARE_METATYPE(ndtmoe::views::CurvePoint)
