#include "ndtmoe_views/expert_gallery_view.h"

#include <QImage>
#include <QMouseEvent>
#include <QPainter>
#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "ndtmoe_views/palette.h"

namespace ndtmoe::views {

namespace {

constexpr double kMargin = 8, kTitle = 22, kHeader = 16, kLabel = 150, kGap = 6, kCaption = 16, kRouteLine = 16;
constexpr int kMostRows = 16, kFigureRows = 8, kScrollRows = 6, kFigureWidth = 720;

}  // namespace

struct ExpertGalleryView::Layout {
  QRectF target;
  bool image = false;
  double cell_w = 0, cell_h = 0;
  int rows = 0;
  double gallery_top = 0, sample_top = 0;
  double column_x(int output) const { return target.left() + kMargin + kLabel + output * (cell_w + kGap); }
  double row_y(int row) const { return gallery_top + row * (cell_h + kGap); }
};

ExpertGalleryView::ExpertGalleryView(SelectionModel& selection, QWidget* parent) : QWidget(parent), selection_(selection) {
  setBackgroundRole(QPalette::Base);
  setAutoFillBackground(true);
  connect(&selection_, &SelectionModel::changed, this, &ExpertGalleryView::show_selection);
}

bool ExpertGalleryView::can_show(const RunData& data) {
  try {
    return !stored_experts(data.description()).empty();
  } catch (const StoreError&) {
    return false;
  }
}

void ExpertGalleryView::set_run(std::shared_ptr<RunData> data) {
  data_ = std::move(data);
  experts_ = {};
  shares_.clear();
  sample_.reset();
  sample_expert_.reset();
  try {
    experts_ = stored_experts(data_->description());
    const nlohmann::json options = nlohmann::json::parse(data_->summary().family_options_json, nullptr, false);
    code_length_ = options.is_object() ? options.value("code-length", int64_t{0}) : 0;
    explicit_top_ = options.is_object() ? options.value("explicit-top", int64_t{8}) : 8;
    std::vector<double> samples(experts_.ids.size(), 0.0);
    double total = 0;
    for (const CountCell& cell : data_->store().expert_layers(data_->run())) {
      if (cell.column != 0) continue;
      total += static_cast<double>(cell.samples);
      const int64_t slot = experts_.slot_of(cell.row);
      if (slot >= 0) samples[static_cast<size_t>(slot)] = static_cast<double>(cell.samples);
    }
    for (double s : samples) shares_.push_back(total > 0 ? s / total : 0.0);
  } catch (const StoreError& e) {
    experts_ = {};
    sample_title_ = QString::fromStdString(e.what());
  }
  updateGeometry();
  show_selection(selection_.current());
}

double ExpertGalleryView::share(int64_t expert) const {
  const int64_t slot = experts_.slot_of(expert);
  return slot < 0 ? 0.0 : shares_[static_cast<size_t>(slot)];
}

std::vector<double> ExpertGalleryView::weights_of(int64_t slot, int64_t output) const {
  std::vector<double> values(static_cast<size_t>(experts_.inputs));
  for (int64_t i = 0; i < experts_.inputs; ++i) values[static_cast<size_t>(i)] = experts_.weight(slot, output, i);
  return values;
}

double ExpertGalleryView::row_scale(int64_t slot) const {
  double largest = 0;
  for (int64_t output = 0; output <= experts_.classes; ++output) largest = std::max(largest, largest_magnitude(weights_of(slot, output)));
  return std::max(largest, 1e-12);
}

QString ExpertGalleryView::code_text(int64_t expert) const {
  QString code;
  for (int64_t l = 0; l < code_length_; ++l) code += (expert >> l) & 1 ? '+' : '-';
  return code;
}

ExpertGalleryView::Layout ExpertGalleryView::layout(const QRect& target) const {
  Layout l;
  l.target = target;
  if (!data_ || experts_.empty()) return l;
  const std::vector<int64_t>& shape = data_->image_shape();
  l.image = shape.size() == 3 && shape[0] * shape[1] * shape[2] == experts_.inputs;
  const int outputs = static_cast<int>(experts_.classes) + 1;
  // Images keep their pixels visible at up to 80 px; a table's bars get up to 8 px each.
  const double widest = l.image ? 80.0 : std::max(80.0, 8.0 * static_cast<double>(experts_.inputs));
  l.cell_w = std::clamp((target.width() - 2 * kMargin - kLabel) / outputs - kGap, 16.0, widest);
  l.cell_h = l.image ? l.cell_w * static_cast<double>(shape[1]) / static_cast<double>(shape[2]) : 36.0;
  l.gallery_top = target.top() + kMargin + kTitle + kHeader;
  const double room = target.bottom() - l.gallery_top - sample_height(l) - kMargin;
  const int fit = static_cast<int>(std::floor(room / (l.cell_h + kGap)));
  l.rows = std::clamp(fit, 1, std::min<int>(kMostRows, static_cast<int>(experts_.ids.size())));
  l.sample_top = l.row_y(l.rows) + kGap;
  return l;
}

QSize ExpertGalleryView::minimumSizeHint() const {
  if (!data_ || experts_.empty()) return {400, 200};
  // Room for a few experts and the sample's explanation; the workbench scrolls the rest.
  const Layout l = layout(QRect(0, 0, std::max(width(), 400), 100000));
  const int rows = std::min<int>(kScrollRows, static_cast<int>(experts_.ids.size()));
  return {400, static_cast<int>(std::ceil(l.gallery_top + rows * (l.cell_h + kGap) + kGap + sample_height(l) + kMargin))};
}

double ExpertGalleryView::sample_height(const Layout& l) const {
  return sample_ ? kTitle + 2 * (l.cell_h + kCaption + kGap) + kTitle + static_cast<double>(routes_.size()) * kRouteLine + kMargin : 0.0;
}

std::vector<int64_t> ExpertGalleryView::gallery_experts(const QRect& target) const {
  const Layout l = layout(target);
  return {experts_.ids.begin(), experts_.ids.begin() + l.rows};
}

QRectF ExpertGalleryView::weight_rect(const QRect& target, int row, int output, int input) const {
  const Layout l = layout(target);
  const QRectF cell(l.column_x(output), l.row_y(row), l.cell_w, l.cell_h);
  if (!l.image) {
    const double bar = cell.width() / static_cast<double>(experts_.inputs);
    return QRectF(cell.left() + input * bar, cell.top(), bar, cell.height());
  }
  const std::vector<int64_t>& shape = data_->image_shape();
  const int64_t pixel = input % (shape[1] * shape[2]);
  const double w = cell.width() / static_cast<double>(shape[2]), h = cell.height() / static_cast<double>(shape[1]);
  return QRectF(cell.left() + static_cast<double>(pixel % shape[2]) * w, cell.top() + static_cast<double>(pixel / shape[2]) * h, w, h);
}

void ExpertGalleryView::paint_weights(QPainter& painter, const QRectF& cell, const std::vector<double>& values, double scale) const {
  painter.save();
  const std::vector<int64_t>& shape = data_->image_shape();
  if (shape.size() == 3 && shape[0] * shape[1] * shape[2] == static_cast<int64_t>(values.size())) {
    // One pixel per input; channels averaged (the experts of a colour image weigh each channel).
    const int64_t pixels = shape[1] * shape[2];
    QImage image(static_cast<int>(shape[2]), static_cast<int>(shape[1]), QImage::Format_RGB32);
    for (int64_t p = 0; p < pixels; ++p) {
      double sum = 0;
      for (int64_t c = 0; c < shape[0]; ++c) sum += values[static_cast<size_t>(c * pixels + p)];
      image.setPixelColor(static_cast<int>(p % shape[2]), static_cast<int>(p / shape[2]), diverging_color(sum / static_cast<double>(shape[0]), scale));
    }
    painter.setRenderHint(QPainter::SmoothPixmapTransform, false);
    painter.drawImage(cell, image);
  } else {
    // One bar per feature from the middle line: up for positive weights, down for negative.
    const double bar = cell.width() / static_cast<double>(std::max<size_t>(1, values.size())), middle = cell.center().y();
    for (size_t i = 0; i < values.size(); ++i) {
      const double height = std::min(1.0, std::abs(values[i]) / scale) * cell.height() / 2;
      const QRectF r(cell.left() + static_cast<double>(i) * bar, values[i] >= 0 ? middle - height : middle, bar, height);
      painter.fillRect(r, diverging_color(values[i] >= 0 ? scale : -scale, scale));
    }
    painter.setPen(QColor(0x999999));
    painter.drawLine(QPointF(cell.left(), middle), QPointF(cell.right(), middle));
  }
  painter.setPen(QColor(0xcccccc));
  painter.drawRect(cell);
  painter.restore();
}

void ExpertGalleryView::paint(QPainter& painter, const QRect& target) const {
  painter.fillRect(target, Qt::white);
  painter.setPen(Qt::black);
  QFont font = painter.font();
  font.setPointSizeF(9);
  painter.setFont(font);
  if (!data_ || experts_.empty()) {
    painter.drawText(target, Qt::AlignCenter, sample_title_.isEmpty() ? tr("This run stores no generated experts (family imoie)") : sample_title_);
    return;
  }
  const Layout l = layout(target);
  const qint64 all = int64_t{1} << code_length_;
  QFont bold = font;
  bold.setBold(true);
  painter.setFont(bold);
  const QRectF title(target.left() + kMargin, target.top() + kMargin, target.width() - 2 * kMargin, kTitle);
  painter.drawText(title, Qt::AlignLeft | Qt::AlignVCenter,
                   painter.fontMetrics().elidedText(tr("Experts by use (%1 of %2 stored): weights per class and router; blue < 0 < red, one scale per expert")
                                                        .arg(experts_.ids.size())
                                                        .arg(all),
                                                    Qt::ElideRight, static_cast<int>(title.width())));
  painter.setFont(font);
  for (int output = 0; output <= experts_.classes; ++output) {
    const QString name = output < experts_.classes ? data_->class_name(output) : tr("router");
    const QRectF header(l.column_x(output) - kGap / 2, l.gallery_top - kHeader, l.cell_w + kGap, kHeader);
    painter.drawText(header, Qt::AlignCenter, painter.fontMetrics().elidedText(name, Qt::ElideRight, static_cast<int>(header.width())));
  }
  for (int row = 0; row < l.rows; ++row) {
    const int64_t expert = experts_.ids[static_cast<size_t>(row)];
    const double scale = row_scale(row), y = l.row_y(row);
    const QRectF label(target.left() + kMargin, y, kLabel - kGap, l.cell_h);
    if (selected_expert_ == expert) painter.fillRect(QRectF(label.left() - 2, y - 2, l.column_x(static_cast<int>(experts_.classes) + 1) - label.left(), l.cell_h + 4),
                                                     QColor(255, 235, 235));
    painter.setPen(selected_expert_ == expert ? highlight_color() : Qt::black);
    painter.drawText(label, Qt::AlignLeft | Qt::AlignVCenter,
                     tr("E%1  %2\n%3% of samples").arg(expert).arg(code_text(expert)).arg(100 * shares_[static_cast<size_t>(row)], 0, 'f', 1));
    for (int output = 0; output <= experts_.classes; ++output)
      paint_weights(painter, QRectF(l.column_x(output), y, l.cell_w, l.cell_h), weights_of(row, output), scale);
  }
  painter.setPen(Qt::black);
  paint_sample(painter, l, l.sample_top);
}

void ExpertGalleryView::paint_sample(QPainter& painter, const Layout& l, double top) const {
  if (!sample_) return;
  const double left = l.target.left() + kMargin;
  painter.drawText(QRectF(left, top, l.target.width() - 2 * kMargin, kTitle), Qt::AlignLeft | Qt::AlignVCenter, sample_title_);
  const int64_t slot = sample_expert_ ? experts_.slot_of(*sample_expert_) : -1;
  if (slot < 0) return;
  double y = top + kTitle;
  // The input, drawn with the same cell as the weights: grey from its smallest to its largest value.
  const double input_w = std::min(l.cell_w, 0.5 * kLabel);
  const QRectF input_cell(left + kLabel - kGap - input_w, y, input_w, l.cell_h);
  std::vector<double> input(sample_inputs_.begin(), sample_inputs_.end());
  const double input_scale = std::max(largest_magnitude(input), 1e-12);
  if (l.image) {
    const std::vector<int64_t>& shape = data_->image_shape();
    const auto [low, high] = std::minmax_element(input.begin(), input.end());
    QImage image(static_cast<int>(shape[2]), static_cast<int>(shape[1]), QImage::Format_RGB32);
    for (int64_t p = 0; p < shape[1] * shape[2]; ++p) {
      const double t = *high > *low ? (input[static_cast<size_t>(p)] - *low) / (*high - *low) : 0.5;
      image.setPixelColor(static_cast<int>(p % shape[2]), static_cast<int>(p / shape[2]), QColor::fromRgbF(static_cast<float>(t), static_cast<float>(t), static_cast<float>(t)));
    }
    painter.drawImage(input_cell, image);
  } else {
    paint_weights(painter, input_cell, input, input_scale);
  }
  painter.drawText(QRectF(left, y, kLabel - 2 * kGap - input_w, l.cell_h), Qt::AlignLeft | Qt::AlignVCenter, tr("input\nits expert"));
  for (int output = 0; output <= experts_.classes; ++output)
    paint_weights(painter, QRectF(l.column_x(output), y, l.cell_w, l.cell_h), weights_of(slot, output), row_scale(slot));
  y += l.cell_h + kCaption + kGap;
  // weights × input per class, one scale for all classes, and the score each adds up to (with the bias).
  double contribution_scale = 1e-12;
  for (const auto& row : contributions_) contribution_scale = std::max(contribution_scale, largest_magnitude(row));
  painter.drawText(QRectF(left, y, kLabel - kGap, l.cell_h), Qt::AlignLeft | Qt::AlignVCenter, tr("weights × input\n(class score)"));
  for (size_t c = 0; c < contributions_.size(); ++c) {
    const QRectF cell(l.column_x(static_cast<int>(c)), y, l.cell_w, l.cell_h);
    paint_weights(painter, cell, contributions_[c], contribution_scale);
    painter.drawText(QRectF(cell.left() - kGap / 2, cell.bottom(), cell.width() + kGap, kCaption), Qt::AlignCenter,
                     QString::number(class_scores_[c], 'f', 2));
  }
  y += l.cell_h + kCaption + kGap;
  const bool exact = static_cast<int64_t>(experts_.ids.size()) == (int64_t{1} << code_length_);
  painter.drawText(QRectF(left, y, l.target.width() - 2 * kMargin, kTitle), Qt::AlignLeft | Qt::AlignVCenter,
                   exact ? tr("Explicit mode: the %1 largest router scores, softmax-weighted").arg(routes_.size())
                         : tr("Explicit mode over the %1 stored experts (of %2): the %3 largest router scores").arg(experts_.ids.size()).arg(int64_t{1} << code_length_).arg(routes_.size()));
  y += kTitle;
  for (const ExplicitRoute& route : routes_) {
    painter.setPen(route.expert == *sample_expert_ ? highlight_color() : Qt::black);
    painter.drawText(QRectF(left, y, kLabel + 120, kRouteLine), Qt::AlignLeft | Qt::AlignVCenter,
                     tr("E%1 %2  score %3").arg(route.expert).arg(code_text(route.expert)).arg(route.score, 0, 'f', 2));
    const double longest = std::clamp(l.target.right() - kMargin - 40 - (left + kLabel + 124), 20.0, 200.0);  // room for the value after it
    const QRectF bar(left + kLabel + 124, y + 3, route.weight * longest, kRouteLine - 6);
    painter.fillRect(bar, route.expert == *sample_expert_ ? highlight_color() : QColor(0x888888));
    painter.drawText(QRectF(bar.right() + 4, y, 80, kRouteLine), Qt::AlignLeft | Qt::AlignVCenter, QString::number(route.weight, 'f', 2));
    y += kRouteLine;
  }
  painter.setPen(Qt::black);
}

void ExpertGalleryView::show_selection(const Selection& selection) {
  if (!data_) return;
  selected_expert_ = selection.layer == 0 ? selection.expert : std::nullopt;
  if (selection.sample != sample_) {
    sample_ = selection.sample;
    sample_expert_.reset();
    sample_inputs_.clear();
    contributions_.clear();
    class_scores_.clear();
    routes_.clear();
    if (sample_) {
      try {
        const SampleTrace trace = data_->sample(*sample_);
        sample_inputs_ = trace.inputs;
        if (!trace.layers.empty() && !trace.layers[0].experts.empty()) sample_expert_ = trace.layers[0].experts[0];
        const int64_t slot = sample_expert_ ? experts_.slot_of(*sample_expert_) : -1;
        sample_title_ = tr("Sample %1 (%2, predicted %3): code %4 → expert E%5")
                            .arg(*sample_)
                            .arg(trace.label ? data_->class_name(*trace.label) : data_->value_text(trace.target))
                            .arg(data_->value_text(trace.prediction))
                            .arg(sample_expert_ ? code_text(*sample_expert_) : QString("?"))
                            .arg(sample_expert_.value_or(-1));
        if (slot < 0 && sample_expert_) sample_title_ += tr(" — not among the %1 stored experts").arg(experts_.ids.size());
        if (slot >= 0)
          for (int64_t c = 0; c < experts_.classes; ++c) {
            std::vector<double> row(static_cast<size_t>(experts_.inputs));
            for (int64_t i = 0; i < experts_.inputs && i < static_cast<int64_t>(sample_inputs_.size()); ++i)
              row[static_cast<size_t>(i)] = experts_.weight(slot, c, i) * sample_inputs_[static_cast<size_t>(i)];
            contributions_.push_back(std::move(row));
            class_scores_.push_back(experts_.score(slot, c, sample_inputs_));
          }
        routes_ = explicit_routes(experts_, sample_inputs_, explicit_top_);
        updateGeometry();  // the explanation's height
      } catch (const StoreError& e) {
        sample_title_ = tr("Sample %1 could not be read: %2").arg(*sample_).arg(QString::fromStdString(e.what()));
      }
    }
  }
  update();
}

void ExpertGalleryView::paintEvent(QPaintEvent*) {
  QPainter painter(this);
  paint(painter, rect());
}

void ExpertGalleryView::mousePressEvent(QMouseEvent* event) {
  const Layout l = layout(rect());
  const double y = event->position().y();
  if (l.rows == 0 || y < l.gallery_top) return;
  const int row = static_cast<int>((y - l.gallery_top) / (l.cell_h + kGap));
  if (row < l.rows) selection_.select_expert(0, experts_.ids[static_cast<size_t>(row)]);
}

QString ExpertGalleryView::figure_name() const { return sample_ ? QString("imoie-experts-sample%1").arg(*sample_) : QString("imoie-experts"); }

QSize ExpertGalleryView::figure_size() const {
  if (!data_ || experts_.empty()) return {600, 200};
  const QRect wide(0, 0, std::max(kFigureWidth, static_cast<int>(2 * kMargin + kLabel + (experts_.classes + 1) * (56 + kGap))), 100000);
  const Layout l = layout(wide);
  const int rows = std::min<int>(kFigureRows, static_cast<int>(experts_.ids.size()));
  return {wide.width(), static_cast<int>(std::ceil(l.gallery_top + rows * (l.cell_h + kGap) + kGap + sample_height(l) + kMargin))};
}

void ExpertGalleryView::paint_figure(QPaintDevice& device, const QRect& target) {
  QPainter painter(&device);
  paint(painter, target);
}

void ExpertGalleryView::write_figure_data(QTextStream& csv) const {
  csv << "table,expert,output,input,value\n";
  const QSize size = figure_size();
  const auto output_name = [&](int64_t output) { return output < experts_.classes ? data_->class_name(output) : QString("router"); };
  for (int64_t expert : gallery_experts(QRect(QPoint(0, 0), size))) {
    const int64_t slot = experts_.slot_of(expert);
    csv << "share," << expert << ",,," << shares_[static_cast<size_t>(slot)] << '\n';
    for (int64_t output = 0; output <= experts_.classes; ++output)
      for (int64_t i = 0; i <= experts_.inputs; ++i)
        csv << "weight," << expert << ',' << csv_field(output_name(output)) << ',' << (i < experts_.inputs ? csv_field(data_->input_name(i)) : QString("bias"))
            << ',' << experts_.weight(slot, output, i) << '\n';
  }
  for (size_t c = 0; c < contributions_.size(); ++c) {
    for (size_t i = 0; i < contributions_[c].size(); ++i)
      csv << "sample_" << *sample_ << "_contribution," << *sample_expert_ << ',' << csv_field(output_name(static_cast<int64_t>(c))) << ','
          << csv_field(data_->input_name(static_cast<int64_t>(i))) << ',' << contributions_[c][i] << '\n';
    csv << "sample_" << *sample_ << "_class_score," << *sample_expert_ << ',' << csv_field(output_name(static_cast<int64_t>(c))) << ",,"
        << class_scores_[c] << '\n';
  }
  for (const ExplicitRoute& route : routes_)
    csv << "sample_" << sample_.value_or(-1) << "_explicit_weight," << route.expert << ",router,score " << route.score << ',' << route.weight << '\n';
}

}  // namespace ndtmoe::views
