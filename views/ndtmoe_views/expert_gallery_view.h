#pragma once
// The routing panel of the imoie family (the IMoIE paper's figures, live). A gallery of the run's
// experts, most used first: per expert its code, its share of the samples, and one weight image per
// class plus its router's (for tables, one bar per feature), on a blue–white–red scale centred on zero,
// one scale per expert. For the selected sample: the input beside its expert's weights, the
// contribution map weights × input per class with the class score it adds up to (the paper's local
// explanation), and its explicit-mode routing: the largest router scores and their softmax weights.
// Clicking an expert selects its samples.

#include <QWidget>
#include <memory>
#include <optional>
#include <vector>

#include "ndtmoe/analysis/generated_experts.h"
#include "ndtmoe_views/figure_export.h"
#include "ndtmoe_views/run_data.h"
#include "ndtmoe_views/selection.h"

namespace ndtmoe::views {

class ExpertGalleryView : public QWidget, public Figure {
  Q_OBJECT

 public:
  explicit ExpertGalleryView(SelectionModel& selection, QWidget* parent = nullptr);
  void set_run(std::shared_ptr<RunData> data);
  // Whether the run stores generated experts this view can draw.
  static bool can_show(const RunData& data);

  // What is drawn, for tests and the CSV: the gallery's experts top to bottom with their shares of the
  // samples, each row's colour scale (its largest |weight|), the selected sample's expert, its
  // contributions [class][input] and class scores, and its explicit-mode routes.
  const StoredExperts& experts() const { return experts_; }
  std::vector<int64_t> gallery_experts(const QRect& target) const;
  double share(int64_t expert) const;
  double row_scale(int64_t slot) const;
  std::optional<int64_t> sample_expert() const { return sample_expert_; }
  const std::vector<std::vector<double>>& contributions() const { return contributions_; }
  const std::vector<double>& class_scores() const { return class_scores_; }
  const std::vector<ExplicitRoute>& routes() const { return routes_; }
  // Where input `input` of output `output` of gallery row `row` is drawn when painting into `target`.
  QRectF weight_rect(const QRect& target, int row, int output, int input) const;

  QString figure_name() const override;
  QSize figure_size() const override;
  void paint_figure(QPaintDevice& device, const QRect& target) override;
  void write_figure_data(QTextStream& csv) const override;
  // Room for a few experts and the selected sample's explanation (the workbench scrolls the rest).
  QSize minimumSizeHint() const override;

 protected:
  void paintEvent(QPaintEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;

 private:
  struct Layout;
  Layout layout(const QRect& target) const;
  double sample_height(const Layout& l) const;
  void paint(QPainter& painter, const QRect& target) const;
  void paint_sample(QPainter& painter, const Layout& l, double top) const;
  void paint_weights(QPainter& painter, const QRectF& cell, const std::vector<double>& values, double scale) const;
  std::vector<double> weights_of(int64_t slot, int64_t output) const;
  QString code_text(int64_t expert) const;
  void show_selection(const Selection& selection);

  SelectionModel& selection_;
  std::shared_ptr<RunData> data_;
  StoredExperts experts_;
  std::vector<double> shares_;  // by slot
  int64_t code_length_ = 0, explicit_top_ = 8;
  std::optional<int64_t> sample_, sample_expert_, selected_expert_;
  std::vector<float> sample_inputs_;
  QString sample_title_;
  std::vector<std::vector<double>> contributions_;
  std::vector<double> class_scores_;
  std::vector<ExplicitRoute> routes_;
};

}  // namespace ndtmoe::views
