#pragma once
// The expert panel of the mxd family (Mixture of Decoders): every expert is the shared decoder scaled
// by its unit modulation vector ĉ_n, so an expert is drawn as that vector — a strip of the layer's
// outputs on a blue–white–red scale centred on zero, one scale for all experts. Beside each strip, the
// classes of the rows that chose it. On top, the selected sample's (or token's) experts with their gate
// values a_k and what they make together, Σ a_k ĉ_k; below, the experts by use. Clicking an expert
// selects its samples.

#include <QWidget>
#include <memory>
#include <optional>
#include <vector>

#include "ndtmoe/analysis/decoder_experts.h"
#include "ndtmoe_views/figure_export.h"
#include "ndtmoe_views/run_data.h"
#include "ndtmoe_views/selection.h"

namespace ndtmoe::views {

class DecoderExpertsView : public QWidget, public Figure {
  Q_OBJECT

 public:
  explicit DecoderExpertsView(SelectionModel& selection, QWidget* parent = nullptr);
  void set_run(std::shared_ptr<RunData> data);
  bool has_experts() const { return !experts_.empty(); }

  // What is drawn, for tests and the CSV: the layer's experts, the experts listed by use when painting
  // into `target`, the selected row's experts and gate values, their mixture, the strips' common scale.
  const DecoderExperts& experts() const { return experts_; }
  std::vector<int64_t> listed_experts(const QRect& target) const;
  const std::vector<int32_t>& sample_experts() const { return sample_experts_; }
  const std::vector<float>& sample_gates() const { return sample_gates_; }
  const std::vector<double>& sample_mixture() const { return mixture_; }
  double strip_scale() const { return scale_; }
  // Where output `output` of the expert listed in row `row` (by use) is drawn when painting into `target`.
  QRectF strip_cell(const QRect& target, int row, int output) const;

  QString figure_name() const override;
  QSize figure_size() const override;
  int figure_height(int width) const override;  // the same experts whatever the width
  void paint_figure(QPaintDevice& device, const QRect& target) override;
  void write_figure_data(QTextStream& csv) const override;
  QSize minimumSizeHint() const override;

 protected:
  void paintEvent(QPaintEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;

 private:
  struct Layout;
  Layout layout(const QRect& target) const;
  void paint(QPainter& painter, const QRect& target) const;
  void paint_row(QPainter& painter, const Layout& l, double y, const QString& label, const std::vector<double>& values, double scale,
                 const DecoderExpert* use, bool selected) const;
  QFont label_font() const;
  QString list_label(const DecoderExpert& expert) const;
  QString sample_label(size_t k) const;
  QString mixture_label() const;
  QString explanation() const;
  QString legend() const;
  int height_for(int width, int rows) const;  // the height that lists `rows` experts at `width`
  void show_selection(const Selection& selection);
  void load_layer(int64_t layer);

  SelectionModel& selection_;
  std::shared_ptr<RunData> data_;
  DecoderExperts experts_;
  QString message_;  // why nothing is drawn, or why the sample could not be read
  double scale_ = 1;
  std::optional<int64_t> sample_, token_, selected_expert_;
  QString sample_title_;
  std::vector<int32_t> sample_experts_;
  std::vector<float> sample_gates_;
  std::vector<double> mixture_;
};

}  // namespace ndtmoe::views
