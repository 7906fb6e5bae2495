#include "ndtmoe_views/expert_tokens_view.h"

#include <QLabel>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <set>

#include "ndtmoe_views/palette.h"
#include "ndtmoe_views/plot_helpers.h"
#include "ndtmoe_views/qcustomplot_keywords.h"

namespace ndtmoe::views {

namespace {

constexpr size_t kTopTokens = 15, kExamples = 6;
constexpr int64_t kAveragedPatches = 256;

// A heatmap of `cells` (row expert, column key) with columns at `keys` positions, in `rect`.
QCPColorMap* heatmap(QCustomPlot* plot, QCPAxisRect* rect, const std::vector<CountCell>& cells, const std::vector<int64_t>& keys,
                     int64_t experts) {
  auto* map = new QCPColorMap(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
  const int columns = std::max<int>(1, static_cast<int>(keys.size()));
  map->data()->setSize(columns, static_cast<int>(experts));
  map->data()->setRange(QCPRange(0, std::max(0, columns - 1)), QCPRange(0, std::max<int64_t>(0, experts - 1)));
  double largest = 1;
  for (const CountCell& cell : cells) {
    const auto column = std::lower_bound(keys.begin(), keys.end(), cell.column) - keys.begin();
    map->data()->setCell(static_cast<int>(column), static_cast<int>(cell.row), static_cast<double>(cell.samples));
    largest = std::max(largest, static_cast<double>(cell.samples));
  }
  map->setGradient(viridis());
  map->setInterpolate(false);
  map->setDataRange(QCPRange(0, largest));
  rect->axis(QCPAxis::atBottom)->setRange(-0.5, columns - 0.5);
  rect->axis(QCPAxis::atLeft)->setRange(-0.5, static_cast<double>(experts) - 0.5);
  rect->axis(QCPAxis::atLeft)->setRangeReversed(true);  // expert 0 on top, as in the utilization heatmaps
  rect->axis(QCPAxis::atLeft)->setLabel(QObject::tr("expert"));
  auto* scale = new QCPColorScale(plot);
  scale->setType(QCPAxis::atRight);
  scale->setLabel(QObject::tr("tokens (top-1)"));
  scale->setGradient(viridis());
  scale->setDataRange(QCPRange(0, largest));
  map->setColorScale(scale);
  return map;
}

std::vector<int64_t> keys_of(const std::vector<CountCell>& cells) {
  std::set<int64_t> keys;
  for (const CountCell& cell : cells) keys.insert(cell.column);
  return {keys.begin(), keys.end()};
}

}  // namespace

ExpertTokensView::ExpertTokensView(SelectionModel& selection, QWidget* parent)
    : QWidget(parent), selection_(selection), plot_(new QCustomPlot(this)), examples_(new QLabel(this)) {
  follow_palette(*plot_);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(plot_, 1);
  examples_->setWordWrap(true);
  examples_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  layout->addWidget(examples_);
  connect(plot_, &QCustomPlot::mousePress, this, &ExpertTokensView::clicked);
  connect(&selection_, &SelectionModel::changed, this, &ExpertTokensView::show_selection);
}

void ExpertTokensView::set_run(std::shared_ptr<RunData> data) {
  data_ = std::move(data);
  layer_ = -1;
  expert_.reset();
  show_selection(selection_.current());
}

void ExpertTokensView::show_selection(const Selection& selection) {
  if (!data_ || !data_->summary().token_level()) {
    layer_ = -1;
    values_.clear();
    positions_.clear();
    rebuild();
    return;
  }
  const int64_t layer = std::clamp<int64_t>(selection.layer, 0, data_->summary().layers - 1);
  if (layer == layer_ && selection.expert == expert_) return;
  if (layer != layer_) {
    try {
      values_ = data_->store().expert_tokens(data_->run(), layer, TokenAxis::Value);
      positions_ = data_->store().expert_tokens(data_->run(), layer, TokenAxis::Position);
    } catch (const std::exception& e) {
      values_.clear();
      positions_.clear();
      examples_->setText(tr("The store could not be read: %1").arg(QString::fromUtf8(e.what())));
    }
  }
  layer_ = layer;
  expert_ = selection.expert;
  rebuild();
}

QString ExpertTokensView::label(int64_t key, TokenAxis axis) const {
  return axis == TokenAxis::Value ? data_->token_name(key) : QString::number(key);
}

double ExpertTokensView::value_cell(int64_t expert, int64_t key) const {
  for (const CountCell& cell : values_)
    if (cell.row == expert && cell.column == key) return static_cast<double>(cell.samples);
  return 0;
}

void ExpertTokensView::rebuild() {
  plot_->clearItems();
  plot_->clearPlottables();
  plot_->plotLayout()->clear();
  value_map_ = position_map_ = average_patch_ = nullptr;
  value_keys_ = keys_of(values_);
  top_.clear();
  if (layer_ < 0 || values_.empty()) {
    examples_->setText(data_ && !data_->summary().token_level() ? tr("This run routes whole samples, not tokens.") : QString());
    plot_->replot();
    return;
  }
  const int64_t experts = data_->summary().experts;
  const std::vector<int64_t> position_keys = keys_of(positions_);
  const auto names = [&](const std::vector<int64_t>& keys, TokenAxis axis) {
    std::vector<QString> out;
    for (int64_t key : keys) out.push_back(label(key, axis));
    return out;
  };
  QFont bold(font().family(), 10, QFont::Bold);
  auto* group = new QCPMarginGroup(plot_);
  int row = 0;
  const auto add_rect = [&](const QString& title, double stretch) {
    plot_->plotLayout()->addElement(row++, 0, new QCPTextElement(plot_, title, bold));
    auto* rect = new QCPAxisRect(plot_);
    rect->setMarginGroup(QCP::msLeft | QCP::msRight, group);
    plot_->plotLayout()->addElement(row, 0, rect);
    plot_->plotLayout()->setRowStretchFactor(row++, stretch);
    return rect;
  };
  // A byte's value is not its position: both heatmaps. For features and patches the value is the
  // position, so one heatmap, labelled with the tokens' names.
  const bool bytes = data_->summary().token_kind == "byte";
  const auto add_heatmap = [&](const QString& title, const std::vector<CountCell>& cells, const std::vector<int64_t>& keys, TokenAxis axis,
                               const QString& axis_label) {
    QCPAxisRect* rect = add_rect(title, 1.3);
    QCPColorMap* map = heatmap(plot_, rect, cells, keys, experts);
    plot_->plotLayout()->addElement(row - 1, 1, map->colorScale());
    rect->axis(QCPAxis::atBottom)->setTicker(text_ticker(names(keys, axis)));
    rect->axis(QCPAxis::atBottom)->setLabel(axis_label);
    if (keys.size() > 30 || (!bytes && keys.size() > 12)) rect->axis(QCPAxis::atBottom)->setTickLabelRotation(90);  // long or many labels
    return map;
  };
  if (bytes) value_map_ = add_heatmap(tr("Layer %1: expert x token").arg(layer_), values_, value_keys_, TokenAxis::Value, tr("token"));
  position_map_ = add_heatmap(bytes ? tr("Layer %1: expert x position").arg(layer_) : tr("Layer %1: expert x token").arg(layer_), positions_,
                              position_keys, bytes ? TokenAxis::Position : TokenAxis::Value, bytes ? tr("position") : tr("token"));

  QStringList examples;
  if (expert_ && *expert_ < experts) {
    top_ = top_tokens(values_, *expert_, kTopTokens);
    QCPAxisRect* bars_rect = add_rect(tr("Expert %1 (layer %2): the tokens it receives most").arg(*expert_).arg(layer_), 1.2);
    auto* bars = new QCPBars(bars_rect->axis(QCPAxis::atBottom), bars_rect->axis(QCPAxis::atLeft));
    bars->setPen(Qt::NoPen);
    bars->setBrush(expert_color(*expert_));
    bars->setWidth(0.7);
    std::vector<QString> top_names;
    for (size_t i = 0; i < top_.size(); ++i) {
      bars->addData(static_cast<double>(i), 100.0 * top_[i].share);
      top_names.push_back(label(top_[i].key, TokenAxis::Value));
    }
    bars_rect->axis(QCPAxis::atBottom)->setTicker(text_ticker(top_names));
    if (!bytes) bars_rect->axis(QCPAxis::atBottom)->setTickLabelRotation(45);
    bars_rect->axis(QCPAxis::atBottom)->setRange(-0.6, std::max<double>(1, static_cast<double>(top_.size())) - 0.4);
    bars_rect->axis(QCPAxis::atLeft)->setLabel(tr("% of its tokens"));
    bars_rect->axis(QCPAxis::atLeft)->setRange(0, top_.empty() ? 1 : 105 * top_.front().share);
    try {
      if (!top_.empty()) examples = example_texts(top_.front().key);
      if (data_->summary().token_kind == "patch") add_average_patch(add_rect(tr("Expert %1: its average patch").arg(*expert_), 1.2));
    } catch (const std::exception& e) {
      examples << tr("The store could not be read: %1").arg(QString::fromUtf8(e.what()));
    }
  }
  examples_->setText(examples.isEmpty() ? tr("Select an expert (a heatmap row, or a token in the lanes) to see the tokens it receives.")
                                        : tr("Examples of its most frequent token:") + "\n" + examples.join("\n"));
  plot_->replot();
}

QStringList ExpertTokensView::example_texts(int64_t key) const {
  QStringList examples;
  for (const TokenHit& hit : data_->store().expert_token_hits(data_->run(), layer_, *expert_, TokenAxis::Value, key, kExamples)) {
    const SampleTrace sample = data_->sample(hit.sample);
    QString text;
    for (const TokenTrace& token : sample.tokens) {
      const QString name = data_->token_name(token.value);
      text += token.position == hit.position ? "[" + name + "]" : name;
    }
    examples << tr("sample %1: %2").arg(hit.sample).arg(text);
  }
  return examples;
}

void ExpertTokensView::add_average_patch(QCPAxisRect* rect) {
  // The mean of the first patches (in sample order) whose top-1 expert it is, in the inputs' units.
  const std::vector<int64_t>& shape = data_->image_shape();
  const int64_t side = static_cast<int64_t>(std::lround(std::sqrt(static_cast<double>(data_->summary().tokens))));
  if (shape.size() != 3 || side < 1 || shape[1] % side != 0 || shape[2] % side != 0) return;
  const int64_t height = shape[1], width = shape[2], ph = height / side, pw = width / side;
  std::vector<double> sum(static_cast<size_t>(ph * pw), 0.0);
  int64_t patches = 0;
  for (const TokenHit& hit : data_->store().expert_token_hits(data_->run(), layer_, *expert_, TokenAxis::Position, std::nullopt, kAveragedPatches)) {
    const SampleTrace sample = data_->sample(hit.sample);
    if (static_cast<int64_t>(sample.inputs.size()) < height * width) continue;
    const int64_t top = (hit.position / side) * ph, left = (hit.position % side) * pw;
    for (int64_t y = 0; y < ph; ++y)
      for (int64_t x = 0; x < pw; ++x) sum[static_cast<size_t>(y * pw + x)] += sample.inputs[static_cast<size_t>((top + y) * width + left + x)];
    ++patches;
  }
  if (patches == 0) return;
  average_patch_ = new QCPColorMap(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
  average_patch_->data()->setSize(static_cast<int>(pw), static_cast<int>(ph));
  average_patch_->data()->setRange(QCPRange(0, static_cast<double>(pw - 1)), QCPRange(0, static_cast<double>(ph - 1)));
  for (int64_t y = 0; y < ph; ++y)
    for (int64_t x = 0; x < pw; ++x)
      average_patch_->data()->setCell(static_cast<int>(x), static_cast<int>(y), sum[static_cast<size_t>(y * pw + x)] / static_cast<double>(patches));
  average_patch_->setGradient(QCPColorGradient(QCPColorGradient::gpGrayscale));
  average_patch_->setInterpolate(false);
  average_patch_->rescaleDataRange();
  rect->axis(QCPAxis::atLeft)->setRangeReversed(true);  // image rows top down
  rect->axis(QCPAxis::atBottom)->setRange(-0.5, static_cast<double>(pw) - 0.5);
  rect->axis(QCPAxis::atLeft)->setRange(-0.5, static_cast<double>(ph) - 0.5);
  // Square pixels: a patch as wide as it is high, at most a fifth of the plot's height.
  rect->setMinimumSize(QSize(140, 140 * static_cast<int>(ph) / static_cast<int>(pw)));
  rect->setMaximumSize(QSize(180, 180 * static_cast<int>(ph) / static_cast<int>(pw)));
  rect->axis(QCPAxis::atBottom)->setLabel(tr("mean of %1 patches (pixel x)").arg(patches));
}

QString ExpertTokensView::examples_text() const { return examples_->text(); }

void ExpertTokensView::clicked(QMouseEvent* event) {
  for (QCPColorMap* map : {value_map_, position_map_}) {
    if (!map || !map->keyAxis()->axisRect()->rect().contains(event->pos())) continue;
    const auto expert = static_cast<int64_t>(std::lround(map->valueAxis()->pixelToCoord(event->pos().y())));
    if (expert >= 0 && expert < data_->summary().experts) selection_.select_expert(layer_, expert);
    return;
  }
}

QString ExpertTokensView::figure_name() const {
  return expert_ ? QString("expert-tokens-layer%1-expert%2").arg(layer_).arg(*expert_) : QString("expert-tokens-layer%1").arg(layer_);
}

QSize ExpertTokensView::figure_size() const { return {900, expert_ ? 820 : 560}; }

void ExpertTokensView::paint_figure(QPaintDevice& device, const QRect& target) { paint_plot_figure(*plot_, device, target); }

void ExpertTokensView::write_figure_data(QTextStream& csv) const {
  csv << "layer,axis,expert,key,token,tokens,assignments,weight\n";
  for (const auto& [cells, axis] : {std::pair{&values_, TokenAxis::Value}, std::pair{&positions_, TokenAxis::Position}})
    for (const CountCell& cell : *cells)
      csv << layer_ << ',' << to_string(axis) << ',' << cell.row << ',' << cell.column << ',' << csv_field(label(cell.column, axis)) << ','
          << cell.samples << ',' << cell.assignments << ',' << cell.weight << '\n';
}

}  // namespace ndtmoe::views
