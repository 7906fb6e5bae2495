#include "ndtmoe_views/importance_view.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

#include "ndtmoe_views/plot_helpers.h"
#include "ndtmoe_views/qcustomplot_keywords.h"

namespace ndtmoe::views {

namespace {

const char* const kPermutation = "permutation";
const char* const kGradients = "integrated-gradients";

bool is_meta(const std::string& item) { return item.rfind("baseline", 0) == 0 || item.rfind("completeness", 0) == 0; }

}  // namespace

ImportanceView::ImportanceView(SelectionModel& selection, QWidget* parent)
    : QWidget(parent), selection_(selection), method_(new QComboBox(this)), target_(new QComboBox(this)), scope_(new QComboBox(this)),
      compute_(new QPushButton(tr("Compute"), this)), note_(new QLabel(this)), plot_(new QCustomPlot(this)) {
  follow_palette(*plot_);
  method_->addItem(tr("Permutation importance"), kPermutation);
  method_->addItem(tr("Integrated gradients"), kGradients);
  scope_->addItem(tr("All samples (global)"), "global");
  scope_->addItem(tr("Selected sample"), "sample");
  compute_->setToolTip(tr("Compute this explanation with the run's model and store it in the trace store"));
  auto* controls = new QHBoxLayout;
  for (QWidget* w : std::initializer_list<QWidget*>{method_, target_, scope_, compute_}) controls->addWidget(w);
  controls->addStretch();
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addLayout(controls);
  layout->addWidget(note_);
  layout->addWidget(plot_, 1);
  note_->setWordWrap(true);
  connect(method_, &QComboBox::currentIndexChanged, this, &ImportanceView::fill_targets);
  connect(target_, &QComboBox::currentIndexChanged, this, &ImportanceView::redraw);
  connect(scope_, &QComboBox::currentIndexChanged, this, &ImportanceView::redraw);
  connect(compute_, &QPushButton::clicked, this, [this] {
    const QString method = method_->currentData().toString();
    const std::optional<int64_t> sample = selection_.current().sample;
    Q_EMIT compute_requested(method, method == kGradients && scope_->currentData() == "sample" && sample ? *sample : -1);
  });
  connect(&selection_, &SelectionModel::changed, this, [this] {
    if (scope_->currentData() == "sample") redraw();
  });
}

void ImportanceView::set_run(std::shared_ptr<RunData> data) {
  data_ = std::move(data);
  reload();
}

void ImportanceView::set_busy(bool busy) {
  compute_->setEnabled(!busy);
  compute_->setText(busy ? tr("Computing…") : tr("Compute"));
}

void ImportanceView::reload() {
  explanations_ = data_ ? data_->store().explanations(data_->run()) : std::vector<Explanation>{};
  fill_targets();
}

void ImportanceView::fill_targets() {
  const QString previous = target_->currentText();
  const QSignalBlocker block(target_);
  target_->clear();
  const std::string method = method_->currentData().toString().toStdString();
  for (auto it = explanations_.rbegin(); it != explanations_.rend(); ++it) {
    if (it->method != method) continue;
    for (const ExplanationValue& v : it->values) {
      const QString target = QString::fromStdString(v.target);
      if (target_->findText(target) < 0) target_->addItem(target);
    }
    break;  // the newest explanation of this method
  }
  target_->setCurrentIndex(std::max(0, target_->findText(previous)));
  redraw();
}

void ImportanceView::redraw() {
  plot_->clearPlottables();
  bars_.clear();
  const std::string method = method_->currentData().toString().toStdString(), target = target_->currentText().toStdString();
  const bool per_sample = scope_->currentData() == "sample";
  std::optional<int64_t> sample;
  if (per_sample) sample = selection_.current().sample;
  // The newest explanation with values for this scope: a sample's own attributions may be stored alone,
  // and their "global" means over that one sample must not stand for all samples.
  const auto covers = [&](const Explanation& e) {
    const bool single = QJsonDocument::fromJson(QByteArray::fromStdString(e.parameters_json)).object().contains("sample");
    if (!per_sample) return !single;
    if (!sample) return false;
    const int64_t wanted = sample.value_or(-1);
    return std::any_of(e.values.begin(), e.values.end(), [wanted](const ExplanationValue& v) { return v.sample.value_or(-1) == wanted; });
  };
  const Explanation* newest = nullptr;
  for (const Explanation& e : explanations_)
    if (e.method == method && covers(e)) newest = &e;
  if (!newest) {
    note_->setText(per_sample && !sample ? tr("Select a sample.")
                   : per_sample          ? tr("No %1 stored for sample %2 yet: press Compute.").arg(method_->currentText().toLower()).arg(*sample)
                                         : tr("No %1 stored for this run yet: press Compute (or run ndtmoe explain).").arg(method_->currentText().toLower()));
    plot_->replot();
    return;
  }
  QString meta;
  for (const ExplanationValue& v : newest->values) {
    if (v.target != target) continue;
    if (is_meta(v.item)) {
      meta += QString(" %1 = %2;").arg(QString::fromStdString(v.item)).arg(v.value, 0, 'g', 4);
      continue;
    }
    if (per_sample ? !(v.sample && sample && *v.sample == *sample) : v.sample.has_value()) continue;
    bars_.push_back({QString::fromStdString(v.item), v.value, std::isnan(v.spread) ? 0.0 : v.spread});
  }
  note_->setText(tr("%1 · %2 · stored %3 ·%4").arg(method_->currentText(), QString::fromStdString(newest->parameters_json),
                                                     QString::fromStdString(newest->created_at), meta));
  std::stable_sort(bars_.begin(), bars_.end(), [](const Bar& a, const Bar& b) { return std::abs(a.value) > std::abs(b.value); });
  if (bars_.size() > 20) bars_.resize(20);  // the strongest twenty keep the labels readable
  std::reverse(bars_.begin(), bars_.end());  // strongest on top
  // A mean of magnitudes is never negative: its error bar stops at zero instead of suggesting it could be.
  const bool magnitudes = method == kGradients && !per_sample;
  QVector<double> positions, values, below, above;
  auto ticker = QSharedPointer<QCPAxisTickerText>::create();
  for (size_t i = 0; i < bars_.size(); ++i) {
    positions << static_cast<double>(i);
    values << bars_[i].value;
    below << (magnitudes ? std::min(bars_[i].spread, std::max(0.0, bars_[i].value)) : bars_[i].spread);
    above << bars_[i].spread;
    ticker->addTick(static_cast<double>(i), bars_[i].feature);
  }
  auto* bars = new QCPBars(plot_->yAxis, plot_->xAxis);  // horizontal bars: features on the vertical axis
  bars->setData(positions, values);
  bars->setBrush(QColor(0x4e79a7));
  bars->setPen(Qt::NoPen);
  bars->setWidth(0.7);
  auto* errors = new QCPErrorBars(plot_->yAxis, plot_->xAxis);
  errors->setDataPlottable(bars);
  errors->setData(below, above);
  errors->setErrorType(QCPErrorBars::etValueError);
  errors->setSymbolGap(0);  // the default gap is for scatter symbols; on a bar it reads as a break
  plot_->yAxis->setTicker(ticker);
  plot_->yAxis->setRange(-0.7, static_cast<double>(bars_.size()) - 0.3);
  plot_->xAxis->setLabel(method == kPermutation ? (target == "output" ? tr("drop in score when shuffled") : tr("share of samples whose top-1 expert changes"))
                                                : (per_sample ? tr("attribution") : tr("mean |attribution| (± sd over samples, cut at 0)")));
  plot_->xAxis->rescale();
  QCPRange range = plot_->xAxis->range();
  plot_->xAxis->setRange(std::min(0.0, range.lower * 1.1), std::max(0.0, range.upper * 1.15) + 1e-9);
  title_ = tr("%1 — %2").arg(method_->currentText(), target_->currentText()) + (per_sample && sample ? tr(", sample %1").arg(*sample) : QString());
  plot_->replot();
}

bool ImportanceView::show(const QString& method, const QString& target) {
  const int m = method_->findData(method);
  if (m < 0) return false;
  method_->setCurrentIndex(m);
  const int t = target_->findText(target);
  if (t < 0) return false;
  target_->setCurrentIndex(t);
  scope_->setCurrentIndex(0);
  redraw();
  return !bars_.empty();
}

QStringList ImportanceView::targets() const {
  QStringList all;
  for (int i = 0; i < target_->count(); ++i) all << target_->itemText(i);
  return all;
}

int ImportanceView::bar_count() const { return static_cast<int>(bars_.size()); }

QString ImportanceView::figure_name() const {
  QString name = "importance-" + method_->currentData().toString() + "-" + target_->currentText();
  return name.replace(' ', '-');
}

QSize ImportanceView::figure_size() const { return QSize(760, std::max(300, 60 + 22 * static_cast<int>(bars_.size()))); }

void ImportanceView::paint_figure(QPaintDevice& device, const QRect& target) {
  QCPPainter painter(&device);
  painter.setRenderHint(QPainter::Antialiasing);
  painter.fillRect(target, print_palette().color(QPalette::Base));
  painter.setPen(print_palette().color(QPalette::Text));
  painter.drawText(QRect(target.left(), target.top(), target.width(), 24), Qt::AlignCenter, title_);
  paint_plot(*plot_, painter, QRect(target.left(), target.top() + 24, target.width(), target.height() - 24));
}

void ImportanceView::write_figure_data(QTextStream& csv) const {
  csv << "method,target,feature,value,spread\n";
  for (auto it = bars_.rbegin(); it != bars_.rend(); ++it)
    csv << method_->currentData().toString() << ',' << csv_field(target_->currentText()) << ',' << csv_field(it->feature) << ',' << it->value << ','
        << it->spread << '\n';
}

}  // namespace ndtmoe::views
