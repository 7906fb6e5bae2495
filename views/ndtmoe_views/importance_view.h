#pragma once
// Feature importance: permutation importance and integrated gradients stored in the trace store, as bar
// charts with error bars (QCPErrorBars) for the output or one layer's routing decision, globally or for
// the selected sample. Computing an explanation needs the model, so the view only asks for it
// (compute_requested) and the window runs it.

#include <QWidget>
#include <memory>

#include "ndtmoe_views/figure_export.h"
#include "ndtmoe_views/run_data.h"
#include "ndtmoe_views/selection.h"

class QComboBox;
class QCustomPlot;
class QLabel;
class QPushButton;

namespace ndtmoe::views {

class ImportanceView : public QWidget, public Figure {
  Q_OBJECT

 public:
  explicit ImportanceView(SelectionModel& selection, QWidget* parent = nullptr);
  void set_run(std::shared_ptr<RunData> data);
  void reload();  // re-reads the stored explanations (after one was computed)
  int bar_count() const;
  void set_busy(bool busy);
  // Shows the newest stored explanation of `method` for `target` ("output", "layer 0 routing", ...);
  // false when there is none.
  bool show(const QString& method, const QString& target);
  QStringList targets() const;

  QString figure_name() const override;
  QSize figure_size() const override;
  void paint_figure(QPaintDevice& device, const QRect& target) override;
  void write_figure_data(QTextStream& csv) const override;

 Q_SIGNALS:
  // `sample` >= 0: integrated gradients of that sample alone (the scope "Selected sample"); -1: global.
  void compute_requested(const QString& method, qint64 sample);

 private:
  struct Bar {
    QString feature;
    double value = 0, spread = 0;
  };
  void fill_targets();
  void redraw();

  SelectionModel& selection_;
  std::shared_ptr<RunData> data_;
  std::vector<Explanation> explanations_;
  QComboBox *method_, *target_, *scope_;
  QPushButton* compute_;
  QLabel* note_;
  QCustomPlot* plot_;
  std::vector<Bar> bars_;
  QString title_;
};

}  // namespace ndtmoe::views
