#pragma once
// Do experts specialize? A layer's hidden states mapped to 2-D (PCA over every sample, t-SNE over the
// stored subset; computed when the run was traced), each sample a point coloured by its top-1 expert in
// that layer, its class, or whether the student got it right. Clicking a point selects its sample; a
// lasso (drag around points) selects them as a group, which the samples table lists. Above the plot: how
// well a sample's expert is predicted by its nearest neighbours in the layer's hidden states, against
// the commonest expert's share.

#include <QWidget>
#include <memory>
#include <optional>

#include "ndtmoe_views/figure_export.h"
#include "ndtmoe_views/run_data.h"
#include "ndtmoe_views/selection.h"

class QComboBox;
class QCustomPlot;
class QCPCurve;
class QCPGraph;
class QLabel;
class QMouseEvent;

namespace ndtmoe::views {

class EmbeddingView : public QWidget, public Figure {
  Q_OBJECT

 public:
  enum class Colouring { Expert, Class, Correct };
  explicit EmbeddingView(SelectionModel& selection, QWidget* parent = nullptr);
  void set_run(std::shared_ptr<RunData> data);
  // "pca" or "tsne"; false when the layer has no such embedding stored.
  bool show_method(const QString& method);
  void set_colouring(Colouring colouring);
  bool has_embedding() const { return !points_.samples.empty(); }
  QCustomPlot* plot() const { return plot_; }
  QString summary_text() const;
  // The drawn group a sample falls in (expert, class, or 1 for right and 0 for wrong), -1 when not drawn.
  int64_t drawn_group(int64_t sample) const;
  // The samples inside a polygon given in the plot's pixel coordinates (what a lasso selects).
  std::vector<int64_t> samples_inside(const QPolygonF& pixels) const;
  // The point of `sample` in plot pixels, when drawn.
  std::optional<QPointF> pixel_of(int64_t sample) const;

  QString figure_name() const override;
  QSize figure_size() const override;
  void paint_figure(QPaintDevice& device, const QRect& target) override;
  void write_figure_data(QTextStream& csv) const override;

 private:
  void show_selection(const Selection& selection);
  void load();
  void rebuild();
  void mark_selection();
  void equal_aspect();
  int64_t group_of(size_t point) const;
  QString group_name(int64_t group) const;
  void pressed(QMouseEvent* event);
  void moved(QMouseEvent* event);
  void released(QMouseEvent* event);

  SelectionModel& selection_;
  std::shared_ptr<RunData> data_;
  QComboBox* method_;
  QComboBox* colouring_;
  QLabel* summary_;
  QCustomPlot* plot_;
  QCPGraph* selected_ = nullptr;   // ring around the selected sample
  QCPGraph* group_ = nullptr;      // outlines of the hand-picked or expert's samples
  QCPCurve* lasso_ = nullptr;
  QPolygonF lasso_pixels_;
  QRectF extent_;         // the points and a margin, in map units
  bool zoomed_ = false;   // the wheel zoomed in: keep the user's ranges until a double click
  int64_t layer_ = -1;
  Colouring colour_by_ = Colouring::Expert;
  LayerEmbedding points_;
  std::vector<int32_t> experts_;    // by sample id, this layer
  std::vector<SampleRow> rows_;     // by sample id (truth, prediction)
  std::optional<ExpertNeighbours> neighbours_;
};

}  // namespace ndtmoe::views
