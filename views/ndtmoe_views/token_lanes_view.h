#pragma once
// Token lanes (token-level runs): the selected sample's tokens in a row — characters for text, feature
// names for tabular data — and under them one lane per MoE layer, each token's box coloured by its top-1
// expert with the gate weight as intensity; for images one copy of the image per layer with the patch
// grid drawn over it, each patch tinted by its expert. Hovering names the token's top-K
// experts and weights; clicking a box selects the token (the decision path and routing panel then show
// its routing) and the expert it took in that layer.

#include <QWidget>
#include <memory>
#include <optional>

#include "ndtmoe_views/figure_export.h"
#include "ndtmoe_views/run_data.h"
#include "ndtmoe_views/selection.h"

namespace ndtmoe::views {

class TokenLanesView : public QWidget, public Figure {
  Q_OBJECT

 public:
  explicit TokenLanesView(SelectionModel& selection, QWidget* parent = nullptr);
  void set_run(std::shared_ptr<RunData> data);
  // The sample shown (its tokens), when a token-level run and a sample are selected.
  const std::optional<SampleTrace>& shown() const { return sample_; }
  // The token label over `position` (index into shown()->tokens) as drawn.
  QString token_text(size_t index) const;
  // The box of token `index` in `layer` in widget coordinates, to hover or click in tests.
  QRect box(size_t index, int64_t layer) const;
  // The colour drawn for a box: the expert's colour, lighter for lower gate weights.
  static QColor box_color(int64_t expert, double weight);

  QString figure_name() const override;
  QSize figure_size() const override;
  void paint_figure(QPaintDevice& device, const QRect& target) override;
  void write_figure_data(QTextStream& csv) const override;

 protected:
  void paintEvent(QPaintEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  bool event(QEvent* event) override;
  QSize sizeHint() const override { return figure_size(); }

 private:
  void show_selection(const Selection& selection);
  void paint(QPainter& painter, const QRect& target) const;
  // (token index, layer) under `point`, or nothing.
  std::optional<std::pair<size_t, int64_t>> hit(const QPoint& point) const;
  // Box of token `index` in `layer` when the whole view is `target`: a square in the layer's lane, or
  // for images a patch of the layer's copy of the image (a square grid of patch_side() patches).
  QRect box_in(const QRect& target, size_t index, int64_t layer) const;
  int patch_side() const;  // 0 unless the tokens are patches of a square grid
  QImage sample_image() const;
  int layer_count() const;

  SelectionModel& selection_;
  std::shared_ptr<RunData> data_;
  std::optional<SampleTrace> sample_;
  std::optional<int64_t> token_;
};

}  // namespace ndtmoe::views
