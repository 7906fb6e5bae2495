#include "ndtmoe_views/neuron_dashboard_view.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <map>

#include "ndtmoe/analysis/neurons.h"
#include "ndtmoe_views/palette.h"
#include "ndtmoe_views/plot_helpers.h"
#include "ndtmoe_views/qcustomplot_keywords.h"

namespace ndtmoe::views {

namespace {

constexpr int kThumbnail = 56;
constexpr size_t kListedFirings = 24, kListedSampleNeurons = 8, kWeightBars = 16;
enum Column { kNeuron, kExpert, kUnit, kFires, kMean, kTopClass, kClassShare, kAblation, kColumns };

QTableWidgetItem* number_item(double value, int decimals) {
  auto* item = new QTableWidgetItem;
  item->setData(Qt::DisplayRole, std::isnan(value) ? QVariant() : QVariant(std::round(value * std::pow(10, decimals)) / std::pow(10, decimals)));
  item->setFlags(item->flags() & ~Qt::ItemIsEditable);
  return item;
}

// A grey thumbnail of an image sample's first channel, scaled over its own range.
QPixmap thumbnail(const std::vector<float>& inputs, const std::vector<int64_t>& shape) {
  const int64_t h = shape[1], w = shape[2];
  if (static_cast<int64_t>(inputs.size()) < h * w) return {};
  const auto [low, high] = std::minmax_element(inputs.begin(), inputs.begin() + h * w);
  const double span = std::max(1e-9, static_cast<double>(*high - *low));
  QImage image(static_cast<int>(w), static_cast<int>(h), QImage::Format_Grayscale8);
  for (int64_t y = 0; y < h; ++y) {
    uchar* line = image.scanLine(static_cast<int>(y));
    for (int64_t x = 0; x < w; ++x) line[x] = static_cast<uchar>(std::lround(255 * (inputs[static_cast<size_t>(y * w + x)] - *low) / span));
  }
  return QPixmap::fromImage(image.scaled(kThumbnail, kThumbnail, Qt::KeepAspectRatio, Qt::FastTransformation));
}

}  // namespace

NeuronDashboardView::NeuronDashboardView(SelectionModel& selection, QWidget* parent)
    : QWidget(parent), selection_(selection), table_(new QTableWidget(this)), plot_(new QCustomPlot(this)),
      firings_(new QListWidget(this)), summary_(new QLabel(this)) {
  follow_palette(*plot_);
  table_->setColumnCount(kColumns);
  table_->setHorizontalHeaderLabels({tr("neuron"), tr("expert"), tr("unit"), tr("fires %"), tr("mean act."), tr("top class"),
                                     tr("class share %"), tr("Δp silenced")});
  table_->horizontalHeaderItem(kFires)->setToolTip(tr("Share of the traced samples (or tokens) on which it fires"));
  table_->horizontalHeaderItem(kClassShare)->setToolTip(tr("Share of its 50 strongest firings that are of its top class"));
  table_->horizontalHeaderItem(kAblation)->setToolTip(
      tr("Mean drop of the predicted class's probability when it is silenced on the samples of its 50 strongest firings"));
  table_->verticalHeader()->hide();
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setSelectionMode(QAbstractItemView::SingleSelection);
  table_->setSortingEnabled(true);
  table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  firings_->setViewMode(QListView::IconMode);
  firings_->setIconSize(QSize(kThumbnail, kThumbnail));
  firings_->setResizeMode(QListView::Adjust);
  firings_->setMaximumHeight(2 * kThumbnail + 60);
  summary_->setWordWrap(true);
  summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);

  auto* details = new QWidget(this);
  auto* right = new QVBoxLayout(details);
  right->setContentsMargins(0, 0, 0, 0);
  right->addWidget(summary_);
  right->addWidget(plot_, 1);
  right->addWidget(new QLabel(tr("Strongest firings (click to select the sample):"), details));
  right->addWidget(firings_);
  auto* splitter = new QSplitter(this);
  splitter->addWidget(table_);
  splitter->addWidget(details);
  splitter->setStretchFactor(1, 2);
  splitter->setSizes({430, 900});  // the table wide enough for its columns
  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(splitter);

  connect(table_, &QTableWidget::currentCellChanged, this, [this](int row, int, int, int) {
    if (const QTableWidgetItem* item = row >= 0 ? table_->item(row, kNeuron) : nullptr) show_neuron(item->data(Qt::UserRole).toLongLong());
  });
  connect(firings_, &QListWidget::itemClicked, this, &NeuronDashboardView::firing_clicked);
  connect(&selection_, &SelectionModel::changed, this, &NeuronDashboardView::show_selection);
}

void NeuronDashboardView::set_run(std::shared_ptr<RunData> data) {
  data_ = std::move(data);
  layers_.clear();
  neurons_.clear();
  neuron_.reset();
  layer_ = -1;
  try {
    if (data_) layers_ = data_->store().neuron_layers(data_->run());
  } catch (const std::exception& e) {
    summary_->setText(tr("The store could not be read: %1").arg(QString::fromUtf8(e.what())));
  }
  show_selection(selection_.current());
}

const NeuronLayer* NeuronDashboardView::current_layer() const {
  for (const NeuronLayer& layer : layers_)
    if (layer.layer == layer_) return &layer;
  return nullptr;
}

QString NeuronDashboardView::neuron_name(int64_t neuron) const {
  const NeuronLayer* layer = current_layer();
  return layer ? QString("e%1·u%2").arg(neuron / layer->units_per_expert).arg(neuron % layer->units_per_expert) : QString::number(neuron);
}

void NeuronDashboardView::show_selection(const Selection& selection) {
  if (layers_.empty()) {
    table_->setRowCount(0);
    firings_->clear();
    neuron_.reset();
    rebuild_plot();
    if (data_) summary_->setText(tr("This run was traced without neuron records (ndtmoe trace --neurons on records them)."));
    return;
  }
  const int64_t layer = std::clamp<int64_t>(selection.layer, layers_.front().layer, layers_.back().layer);
  const bool new_layer = layer != layer_;
  if (new_layer) load_layer(layer);
  if (new_layer || selection.expert != expert_filter_) {
    expert_filter_ = selection.expert;
    fill_table();
  }
  sample_neurons_.clear();
  sample_ = selection.sample;
  if (selection.sample) {
    try {
      const SampleTrace trace = data_->sample(*selection.sample, selection.token);
      if (static_cast<size_t>(layer_) < trace.layers.size()) {
        const LayerTrace& l = trace.layers[static_cast<size_t>(layer_)];
        for (size_t i = 0; i < l.neurons.size(); ++i) sample_neurons_.emplace_back(l.neurons[i], l.neuron_activations[i]);
        std::stable_sort(sample_neurons_.begin(), sample_neurons_.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
      }
    } catch (const std::exception& e) {
      summary_->setText(tr("The store could not be read: %1").arg(QString::fromUtf8(e.what())));
    }
  }
  const bool shown_fired = neuron_ && std::any_of(sample_neurons_.begin(), sample_neurons_.end(),
                                                  [&](const auto& n) { return n.first == neuron_->neuron; });
  if (!sample_neurons_.empty() && !shown_fired) {
    show_neuron(sample_neurons_.front().first);
  } else if (!neuron_ || new_layer) {
    // The most frequent listed neuron, so the dashboard is never empty.
    if (table_->rowCount() > 0) show_neuron(table_->item(0, kNeuron)->data(Qt::UserRole).toLongLong());
  } else {
    rebuild_plot();
  }
}

void NeuronDashboardView::load_layer(int64_t layer) {
  layer_ = layer;
  neuron_.reset();
  input_weights_.clear();
  try {
    neurons_ = data_->store().neurons(data_->run(), layer);
  } catch (const std::exception& e) {
    neurons_.clear();
    summary_->setText(tr("The store could not be read: %1").arg(QString::fromUtf8(e.what())));
  }
}

void NeuronDashboardView::fill_table() {
  const NeuronLayer* layer = current_layer();
  QSignalBlocker block(table_);
  table_->setSortingEnabled(false);
  table_->setRowCount(0);
  if (!layer) return;
  std::vector<NeuronSummary> listed;
  for (const NeuronSummary& n : neurons_)
    if (!expert_filter_ || n.neuron / layer->units_per_expert == *expert_filter_) listed.push_back(n);
  sort_neurons(listed, NeuronOrder::Frequency);
  table_->setRowCount(static_cast<int>(listed.size()));
  const double positions = std::max<double>(1, static_cast<double>(layer->positions));
  for (int row = 0; row < static_cast<int>(listed.size()); ++row) {
    const NeuronSummary& n = listed[static_cast<size_t>(row)];
    auto* name = new QTableWidgetItem(neuron_name(n.neuron));
    name->setData(Qt::UserRole, QVariant::fromValue<qlonglong>(n.neuron));
    name->setFlags(name->flags() & ~Qt::ItemIsEditable);
    table_->setItem(row, kNeuron, name);
    table_->setItem(row, kExpert, number_item(static_cast<double>(n.neuron / layer->units_per_expert), 0));
    table_->setItem(row, kUnit, number_item(static_cast<double>(n.neuron % layer->units_per_expert), 0));
    table_->setItem(row, kFires, number_item(100.0 * static_cast<double>(n.active) / positions, 2));
    table_->setItem(row, kMean, number_item(n.mean_activation(), 3));
    auto* top_class = new QTableWidgetItem(n.top_class >= 0 ? data_->class_name(n.top_class) : QString("–"));
    top_class->setFlags(top_class->flags() & ~Qt::ItemIsEditable);
    table_->setItem(row, kTopClass, top_class);
    table_->setItem(row, kClassShare, number_item(n.top_class >= 0 ? 100.0 * n.top_class_share : std::nan(""), 1));
    table_->setItem(row, kAblation, number_item(n.ablation_drop, 4));
  }
  table_->setSortingEnabled(true);
  table_->sortByColumn(kFires, Qt::DescendingOrder);
}

std::vector<int64_t> NeuronDashboardView::listed_neurons() const {
  std::vector<int64_t> ids;
  for (int row = 0; row < table_->rowCount(); ++row) ids.push_back(table_->item(row, kNeuron)->data(Qt::UserRole).toLongLong());
  return ids;
}

bool NeuronDashboardView::show_neuron(int64_t neuron) {
  const auto found = std::find_if(neurons_.begin(), neurons_.end(), [&](const NeuronSummary& n) { return n.neuron == neuron; });
  if (found == neurons_.end()) return false;
  neuron_ = *found;
  class_shares_.clear();
  std::map<int64_t, int64_t> classes;
  const size_t judged = std::min(neuron_->top.size(), kSelectivityTop);
  for (size_t i = 0; i < judged; ++i)
    if (neuron_->top[i].label >= 0) ++classes[neuron_->top[i].label];
  for (const auto& [label, count] : classes) class_shares_.emplace_back(label, static_cast<double>(count) / static_cast<double>(judged));
  input_weights_.clear();
  const auto& tensors = data_->description().router_tensors;
  if (layer_ == 0 && !tensors.empty())
    if (const auto weights = tensors.front().find(kNeuronInputWeights); weights != tensors.front().end() && weights->second.shape.size() == 2 &&
                                                                    neuron < weights->second.shape[0]) {
      const auto width = static_cast<size_t>(weights->second.shape[1]);
      const auto begin = weights->second.values.begin() + static_cast<std::ptrdiff_t>(static_cast<size_t>(neuron) * width);
      input_weights_.assign(begin, begin + static_cast<std::ptrdiff_t>(width));
    }
  {
    QSignalBlocker block(table_);
    for (int row = 0; row < table_->rowCount(); ++row)
      if (table_->item(row, kNeuron)->data(Qt::UserRole).toLongLong() == neuron) table_->selectRow(row);
  }
  fill_firings();
  rebuild_plot();
  return true;
}

void NeuronDashboardView::fill_firings() {
  firings_->clear();
  if (!neuron_) return;
  const std::vector<int64_t>& shape = data_->image_shape();
  const bool images = shape.size() == 3 && !data_->summary().token_level();
  firings_->setViewMode(images ? QListView::IconMode : QListView::ListMode);
  for (size_t i = 0; i < neuron_->top.size() && i < kListedFirings; ++i) {
    const NeuronHit& hit = neuron_->top[i];
    QString text = tr("%1 (%2)").arg(QString::number(static_cast<double>(hit.activation), 'f', 2))
                       .arg(hit.label >= 0 ? data_->class_name(hit.label) : tr("sample %1").arg(hit.sample));
    if (data_->summary().token_level()) text += " " + tr("token %1").arg(hit.token);
    auto* item = new QListWidgetItem(text, firings_);
    item->setData(Qt::UserRole, QVariant::fromValue<qlonglong>(hit.sample));
    item->setToolTip(tr("sample %1, activation %2").arg(hit.sample).arg(static_cast<double>(hit.activation)));
    if (images) {
      try {
        item->setIcon(QIcon(thumbnail(data_->sample(hit.sample).inputs, shape)));
      } catch (const std::exception&) {
        item->setToolTip(tr("sample %1 could not be read").arg(hit.sample));
      }
    }
  }
}

std::vector<int64_t> NeuronDashboardView::listed_firing_samples() const {
  std::vector<int64_t> samples;
  for (int i = 0; i < firings_->count(); ++i) samples.push_back(firings_->item(i)->data(Qt::UserRole).toLongLong());
  return samples;
}

void NeuronDashboardView::firing_clicked(QListWidgetItem* item) { selection_.select_sample(item->data(Qt::UserRole).toLongLong()); }

QString NeuronDashboardView::summary_text() const { return summary_->text(); }

void NeuronDashboardView::rebuild_plot() {
  plot_->clearItems();
  plot_->clearPlottables();
  plot_->plotLayout()->clear();
  const NeuronLayer* layer = current_layer();
  if (!neuron_ || !layer) {
    plot_->replot();
    return;
  }
  const NeuronSummary& n = *neuron_;
  const double positions = std::max<double>(1, static_cast<double>(layer->positions));
  QString text = tr("Layer %1, neuron %2 (expert %3, unit %4): fires on %5% of %6 positions, mean activation %7, max %8.")
                     .arg(layer_).arg(neuron_name(n.neuron)).arg(n.neuron / layer->units_per_expert).arg(n.neuron % layer->units_per_expert)
                     .arg(100.0 * static_cast<double>(n.active) / positions, 0, 'f', 2).arg(layer->positions)
                     .arg(n.mean_activation(), 0, 'f', 3).arg(n.max_activation, 0, 'f', 3);
  if (!std::isnan(n.ablation_drop))
    text += " " + (data_->classification()
                       ? tr("Silenced on its top-50 samples: %1% change class, the predicted class loses %2 probability on average.")
                             .arg(100.0 * n.ablation_changed, 0, 'f', 1).arg(n.ablation_drop, 0, 'f', 4)
                       : tr("Silenced on its top-50 samples: %1% move, by %2 (standardized) on average.")
                             .arg(100.0 * n.ablation_changed, 0, 'f', 1).arg(n.ablation_drop, 0, 'f', 4));
  if (sample_) {
    QStringList fired;
    for (size_t i = 0; i < sample_neurons_.size() && i < kListedSampleNeurons; ++i)
      fired << QString("%1 %2").arg(neuron_name(sample_neurons_[i].first)).arg(static_cast<double>(sample_neurons_[i].second), 0, 'f', 2);
    text += "\n" + (sample_neurons_.empty() ? tr("Sample %1 fires no neuron of this layer.").arg(*sample_)
                                            : tr("Sample %1 fires %2 neurons here; the strongest: %3").arg(*sample_).arg(sample_neurons_.size()).arg(fired.join(", ")));
  }
  summary_->setText(text);

  QFont bold(font().family(), 10, QFont::Bold);
  plot_->plotLayout()->addElement(0, 0, new QCPTextElement(plot_, tr("Activation histogram"), bold));
  plot_->plotLayout()->addElement(0, 1, new QCPTextElement(plot_, tr("Classes of its top-50 firings"), bold));
  auto* histogram_rect = new QCPAxisRect(plot_);
  auto* classes_rect = new QCPAxisRect(plot_);
  plot_->plotLayout()->addElement(1, 0, histogram_rect);
  plot_->plotLayout()->addElement(1, 1, classes_rect);

  auto* histogram = new QCPBars(histogram_rect->axis(QCPAxis::atBottom), histogram_rect->axis(QCPAxis::atLeft));
  const double bin = (n.max_activation - layer->threshold) / std::max<double>(1, static_cast<double>(n.histogram.size()));
  double tallest = 1;
  for (size_t i = 0; i < n.histogram.size(); ++i) {
    histogram->addData(layer->threshold + (static_cast<double>(i) + 0.5) * bin, static_cast<double>(n.histogram[i]));
    tallest = std::max(tallest, static_cast<double>(n.histogram[i]));
  }
  histogram->setWidth(bin * 0.9);
  histogram->setPen(Qt::NoPen);
  histogram->setBrush(expert_color(n.neuron / layer->units_per_expert));
  histogram_rect->axis(QCPAxis::atBottom)->setRange(layer->threshold, std::max(layer->threshold + 1e-6, n.max_activation));
  histogram_rect->axis(QCPAxis::atBottom)->setLabel(tr("gated activation"));
  histogram_rect->axis(QCPAxis::atLeft)->setRange(0, tallest * 1.05);
  histogram_rect->axis(QCPAxis::atLeft)->setLabel(tr("positions"));

  std::vector<QString> class_names;
  for (size_t i = 0; i < class_shares_.size(); ++i) {
    auto* bar = new QCPBars(classes_rect->axis(QCPAxis::atBottom), classes_rect->axis(QCPAxis::atLeft));
    bar->setPen(Qt::NoPen);
    bar->setBrush(class_color(class_shares_[i].first));
    bar->setWidth(0.7);
    bar->addData(static_cast<double>(i), 100.0 * class_shares_[i].second);
    class_names.push_back(data_->class_name(class_shares_[i].first));
  }
  classes_rect->axis(QCPAxis::atBottom)->setTicker(text_ticker(class_names));
  classes_rect->axis(QCPAxis::atBottom)->setRange(-0.6, std::max<double>(1, static_cast<double>(class_shares_.size())) - 0.4);
  if (class_shares_.size() > 4) classes_rect->axis(QCPAxis::atBottom)->setTickLabelRotation(45);
  classes_rect->axis(QCPAxis::atBottom)->grid()->setVisible(false);
  classes_rect->axis(QCPAxis::atLeft)->setRange(0, 105);
  classes_rect->axis(QCPAxis::atLeft)->setLabel(tr("% of top-50 firings"));

  if (!input_weights_.empty()) {
    plot_->plotLayout()->addElement(2, 0, new QCPTextElement(plot_, tr("Its weights over the inputs (blue −, red +)"), bold));
    auto* weights_rect = new QCPAxisRect(plot_);
    plot_->plotLayout()->addElement(3, 0, weights_rect);
    double scale = 1e-12;
    for (float w : input_weights_) scale = std::max(scale, std::abs(static_cast<double>(w)));
    const std::vector<int64_t>& shape = data_->image_shape();
    if (shape.size() == 3 && static_cast<int64_t>(input_weights_.size()) >= shape[1] * shape[2]) {
      const int h = static_cast<int>(shape[1]), w = static_cast<int>(shape[2]);
      auto* map = new QCPColorMap(weights_rect->axis(QCPAxis::atBottom), weights_rect->axis(QCPAxis::atLeft));
      map->data()->setSize(w, h);
      map->data()->setRange(QCPRange(0, w - 1), QCPRange(0, h - 1));
      for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) map->data()->setCell(x, y, input_weights_[static_cast<size_t>(y * w + x)]);
      map->setGradient(evenly_spaced_gradient(diverging_stops()));
      map->setInterpolate(false);
      map->setDataRange(QCPRange(-scale, scale));
      weights_rect->axis(QCPAxis::atLeft)->setRangeReversed(true);
      weights_rect->axis(QCPAxis::atBottom)->setRange(-0.5, w - 0.5);
      weights_rect->axis(QCPAxis::atLeft)->setRange(-0.5, h - 0.5);
      weights_rect->setMinimumSize(QSize(160, 160 * h / w));
      weights_rect->setMaximumSize(QSize(220, 220 * h / w));
      weights_rect->axis(QCPAxis::atBottom)->setLabel(tr("channel 0, ±%1").arg(scale, 0, 'g', 3));
    } else {
      // The largest weights by size, as bars.
      std::vector<size_t> order(input_weights_.size());
      for (size_t i = 0; i < order.size(); ++i) order[i] = i;
      std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return std::abs(input_weights_[a]) > std::abs(input_weights_[b]); });
      order.resize(std::min(order.size(), kWeightBars));
      std::vector<QString> names;
      for (size_t i = 0; i < order.size(); ++i) {
        auto* bar = new QCPBars(weights_rect->axis(QCPAxis::atBottom), weights_rect->axis(QCPAxis::atLeft));
        bar->setPen(Qt::NoPen);
        bar->setBrush(diverging_color(input_weights_[order[i]], scale));
        bar->setWidth(0.7);
        bar->addData(static_cast<double>(i), input_weights_[order[i]]);
        names.push_back(data_->encoded_input_name(static_cast<int64_t>(order[i])));
      }
      weights_rect->axis(QCPAxis::atBottom)->setTicker(text_ticker(names));
      weights_rect->axis(QCPAxis::atBottom)->setTickLabelRotation(45);
      weights_rect->axis(QCPAxis::atBottom)->setRange(-0.6, std::max<double>(1, static_cast<double>(order.size())) - 0.4);
      weights_rect->axis(QCPAxis::atLeft)->setRange(-scale * 1.05, scale * 1.05);
      weights_rect->axis(QCPAxis::atLeft)->setLabel(tr("weight"));
    }
  }
  plot_->replot();
}

QString NeuronDashboardView::figure_name() const {
  return neuron_ ? QString("neuron-layer%1-expert%2-unit%3").arg(layer_).arg(neuron_->neuron / current_layer()->units_per_expert)
                       .arg(neuron_->neuron % current_layer()->units_per_expert)
                 : QString("neurons-layer%1").arg(layer_);
}

QSize NeuronDashboardView::figure_size() const { return {900, input_weights_.empty() ? 560 : 760}; }

void NeuronDashboardView::paint_figure(QPaintDevice& device, const QRect& target) {
  // The plot, then the strongest firings' thumbnails (images) in a strip beneath it, then the summary.
  QCPPainter painter(&device);
  painter.setRenderHint(QPainter::Antialiasing);
  const bool images = firings_->viewMode() == QListView::IconMode && firings_->count() > 0;
  const int text_height = 70, strip = images ? kThumbnail + 28 : 0;
  paint_plot(*plot_, painter, QRect(target.left(), target.top(), target.width(), target.height() - strip - text_height));
  int x = target.left() + 8;
  const int y = target.bottom() - strip - text_height + 4;
  if (images) {
    painter.setPen(palette().color(QPalette::WindowText));
    painter.drawText(QRect(x, y, target.width() - 16, 18), Qt::AlignLeft, tr("Strongest firings:"));
    for (int i = 0; i < firings_->count() && x + kThumbnail < target.right(); ++i, x += kThumbnail + 6)
      painter.drawPixmap(x, y + 20, firings_->item(i)->icon().pixmap(kThumbnail, kThumbnail));
  }
  painter.setPen(palette().color(QPalette::WindowText));
  painter.drawText(QRect(target.left() + 8, target.bottom() - text_height + 4, target.width() - 16, text_height - 4),
                   Qt::AlignLeft | Qt::TextWordWrap, summary_->text());
}

void NeuronDashboardView::write_figure_data(QTextStream& csv) const {
  const NeuronLayer* layer = current_layer();
  csv << "layer,neuron,expert,unit,active,positions,mean_activation,max_activation,top_class,top_class_share,ablation_changed,ablation_drop\n";
  if (!layer) return;
  const auto real = [](double value) { return std::isnan(value) ? QString() : QString::number(value, 'g', 8); };
  for (const NeuronSummary& n : neurons_)
    csv << layer_ << ',' << n.neuron << ',' << n.neuron / layer->units_per_expert << ',' << n.neuron % layer->units_per_expert << ','
        << n.active << ',' << layer->positions << ',' << real(n.mean_activation()) << ',' << real(n.max_activation) << ','
        << (n.top_class >= 0 ? csv_field(data_->class_name(n.top_class)) : QString()) << ','
        << (n.top_class >= 0 ? real(n.top_class_share) : QString()) << ',' << real(n.ablation_changed) << ',' << real(n.ablation_drop) << '\n';
}

}  // namespace ndtmoe::views
