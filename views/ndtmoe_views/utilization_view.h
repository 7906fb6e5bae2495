#pragma once
// Expert utilization: heatmaps of samples per expert and class (one layer) and per expert and layer,
// and the flow of samples from each layer's top-1 expert to the next layer's, as QCPColorMaps with
// colour scales and tooltips. Clicking a cell selects its samples (expert, or expert x class).

#include <QWidget>
#include <memory>

#include "ndtmoe_views/figure_export.h"
#include "ndtmoe_views/run_data.h"
#include "ndtmoe_views/selection.h"

class QCustomPlot;
class QCPColorMap;
class QCPAxisRect;
class QCPMarginGroup;
class QCPItemRect;
class QMouseEvent;

namespace ndtmoe::views {

class UtilizationView : public QWidget, public Figure {
  Q_OBJECT

 public:
  explicit UtilizationView(SelectionModel& selection, QWidget* parent = nullptr);
  void set_run(std::shared_ptr<RunData> data);
  QCustomPlot* plot() const { return plot_; }
  int plottable_count() const;
  // Which heatmaps are drawn: all three (on screen); the layer's own (expert × class and the flow out of
  // it); or expert × layer alone, which is the same for every layer, so a run's figures hold it once.
  enum class Panels { All, Layer, ExpertByLayer };
  void set_panels(Panels panels);

  QString figure_name() const override;
  QSize figure_size() const override;
  int figure_height(int width) const override;  // stacked panels below kStackBelow pixels
  void paint_figure(QPaintDevice& device, const QRect& target) override;
  void write_figure_data(QTextStream& csv) const override;

 private:
  struct Map {
    QCPColorMap* map = nullptr;
    QString row_title, column_title;
    std::vector<QString> rows, columns;
    std::vector<std::vector<double>> values;  // [column][row]
  };
  void rebuild();
  void show_selection(const Selection& selection);
  Map* map_at(const QPoint& position, int64_t* column, int64_t* row);
  void clicked(QMouseEvent* event);
  void hovered(QMouseEvent* event);
  Map make_map(QCPAxisRect* rect, const QString& title, Map spec);
  void mark_selected(const Selection& selection);

  SelectionModel& selection_;
  std::shared_ptr<RunData> data_;
  QCustomPlot* plot_;
  int64_t layer_ = -1;
  Panels panels_ = Panels::All;
  bool stacked_ = false;  // panels one above the other (a figure for a narrow column)
  QCPMarginGroup* stacked_margins_ = nullptr;  // aligns stacked heatmaps' left and right edges
  Map classes_, layers_, flow_;
  std::vector<QCPItemRect*> marks_;
};

}  // namespace ndtmoe::views
