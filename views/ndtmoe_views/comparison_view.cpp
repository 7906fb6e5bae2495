#include "ndtmoe_views/comparison_view.h"

#include <QHeaderView>
#include <QPainter>
#include <QTableWidget>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

#include "ndtmoe_views/palette.h"
#include "ndtmoe_views/plot_helpers.h"
#include "ndtmoe_views/qcustomplot_keywords.h"

namespace ndtmoe::views {

namespace {

QString number(double value, int decimals = 3) { return std::isnan(value) ? QString("–") : QString::number(value, 'f', decimals); }

QString score_text(const RunComparison& c, const char* model) { return number(c.run.test_score(model), 4); }

}  // namespace

ComparisonView::ComparisonView(QWidget* parent) : QWidget(parent), table_(new QTableWidget(this)), plot_(new QCustomPlot(this)) {
  follow_palette(*plot_);
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  table_->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(table_, 1);
  layout->addWidget(plot_, 1);
}

void ComparisonView::set_runs(TraceStore& store, const std::vector<int64_t>& runs) {
  runs_ = compare_runs(store, runs);
  fill_table();
  draw_heatmaps(store);
}

void ComparisonView::fill_table() {
  const bool classification = !runs_.empty() && runs_.front().run.task == "classification";
  const QString score = classification ? tr("accuracy") : tr("RMSE");
  rows_.clear();
  const auto row = [&](const QString& measure, auto text_of) {
    std::vector<QString> cells;
    for (const RunComparison& c : runs_) cells.push_back(text_of(c));
    rows_.emplace_back(measure, std::move(cells));
  };
  row(tr("family"), [](const RunComparison& c) { return QString::fromStdString(c.run.family); });
  row(tr("layers × experts (top-K)"), [](const RunComparison& c) { return QString("%1 × %2 (%3)").arg(c.run.layers).arg(c.run.experts).arg(c.run.top_k); });
  row(tr("student %1").arg(score), [](const RunComparison& c) { return score_text(c, "student"); });
  row(tr("teacher %1").arg(score), [](const RunComparison& c) { return score_text(c, "teacher"); });
  row(tr("MLP %1").arg(score), [](const RunComparison& c) { return score_text(c, "mlp"); });
  row(tr("linear-gate MoE %1").arg(score), [](const RunComparison& c) { return score_text(c, "moe"); });
  row(tr("load CV (std/mean)"), [](const RunComparison& c) { return number(c.load_cv); });
  row(tr("dead experts"), [](const RunComparison& c) { return QString("%1%").arg(number(100 * c.dead_fraction, 1)); });
  row(tr("experts in use exp(H)/N"), [](const RunComparison& c) { return number(c.effective_experts); });
  row(tr("NMI expert–class"), [](const RunComparison& c) { return number(c.nmi); });
  row(tr("purity"), [](const RunComparison& c) { return number(c.purity); });
  row(tr("rule fidelity"), [](const RunComparison& c) { return c.rule_fidelity ? number(*c.rule_fidelity) : QString("–"); });
  row(tr("expert predicted by neighbours"), [](const RunComparison& c) {
    return c.neighbour_agreement ? tr("%1% (commonest %2%)").arg(number(100 * *c.neighbour_agreement, 1), number(100 * *c.neighbour_majority, 1))
                                 : QString("–");
  });
  if (std::any_of(runs_.begin(), runs_.end(), [](const RunComparison& c) { return c.neurons.has_value(); })) {
    row(tr("firing neurons per sample (L0)"), [](const RunComparison& c) { return c.neurons ? number(c.neurons->l0, 1) : QString("–"); });
    row(tr("dead neurons"), [](const RunComparison& c) { return c.neurons ? QString("%1%").arg(number(100 * c.neurons->dead_share, 1)) : QString("–"); });
    row(tr("class-selective neurons"), [](const RunComparison& c) {
      return c.neurons && c.neurons->class_selectivity ? QString("%1%").arg(number(100 * *c.neurons->class_selectivity, 1)) : QString("–");
    });
  }
  table_->clear();
  table_->setRowCount(static_cast<int>(rows_.size()));
  table_->setColumnCount(static_cast<int>(runs_.size()));
  QStringList headers, measures;
  for (const RunComparison& c : runs_) headers << tr("run %1: %2").arg(c.run.id).arg(QString::fromStdString(c.run.name));
  for (size_t r = 0; r < rows_.size(); ++r) {
    measures << rows_[r].first;
    for (size_t c = 0; c < runs_.size(); ++c) {
      auto* item = new QTableWidgetItem(rows_[r].second[c]);
      item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
      table_->setItem(static_cast<int>(r), static_cast<int>(c), item);
    }
  }
  table_->setHorizontalHeaderLabels(headers);
  table_->setVerticalHeaderLabels(measures);
  table_->setToolTip(tr("Means over layers. Load CV: std/mean of the top-1 load over experts; dead: experts never selected; "
                        "exp(H)/N: effective share of experts in use; NMI: between top-1 expert and class; purity: "
                        "share-weighted dominant-class share of each expert; rule fidelity: crisp rules vs the soft tree; "
                        "expert predicted by neighbours: share of samples whose top-1 expert is the majority expert of their "
                        "10 nearest neighbours in the layer's hidden states, against the share of the commonest expert; "
                        "neurons (runs traced with neuron records): L0 summed over layers, dead = never firing, class-selective = "
                        "50+ firings whose strongest 50 are at least 90% one class"));
}

void ComparisonView::draw_heatmaps(TraceStore& store) {
  plot_->clearPlottables();
  plot_->plotLayout()->clear();
  const QCPColorGradient gradient = viridis();
  auto* scale = new QCPColorScale(plot_);
  scale->setType(QCPAxis::atRight);
  scale->setLabel(tr("share of the layer's samples (top-1)"));
  scale->setGradient(gradient);
  scale->setDataRange(QCPRange(0, 1));
  auto* group = new QCPMarginGroup(plot_);
  for (size_t i = 0; i < runs_.size(); ++i) {
    const RunSummary& s = runs_[i].run;
    auto* rect = new QCPAxisRect(plot_);
    auto* map = new QCPColorMap(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
    const int layers = static_cast<int>(s.layers), experts = static_cast<int>(s.experts);
    map->data()->setSize(layers, experts);
    map->data()->setRange(QCPRange(0, std::max(0, layers - 1)), QCPRange(0, std::max(0, experts - 1)));
    for (const CountCell& cell : store.expert_layers(s.id))
      map->data()->setCell(static_cast<int>(cell.column), static_cast<int>(cell.row),
                           s.traced_samples > 0 ? static_cast<double>(cell.samples) / static_cast<double>(s.traced_samples) : 0.0);
    map->setGradient(gradient);
    map->setInterpolate(false);
    map->setDataRange(QCPRange(0, 1));
    map->setColorScale(scale);
    std::vector<QString> layer_names, expert_names;
    for (int l = 0; l < layers; ++l) layer_names.push_back(QString::number(l));
    for (int e = 0; e < experts; ++e) expert_names.push_back(tr("E%1").arg(e));
    rect->axis(QCPAxis::atBottom)->setTicker(text_ticker(layer_names));
    rect->axis(QCPAxis::atLeft)->setTicker(text_ticker(expert_names));
    rect->axis(QCPAxis::atBottom)->setLabel(tr("layer"));
    rect->axis(QCPAxis::atLeft)->setLabel(tr("expert"));
    rect->axis(QCPAxis::atBottom)->setRange(-0.5, layers - 0.5);
    rect->axis(QCPAxis::atLeft)->setRange(-0.5, experts - 0.5);
    rect->axis(QCPAxis::atLeft)->setRangeReversed(true);  // expert 0 on top
    rect->setMarginGroup(QCP::msTop | QCP::msBottom, group);
    const QString title = tr("run %1 (%2)").arg(s.id).arg(QString::fromStdString(s.family));
    plot_->plotLayout()->addElement(0, static_cast<int>(i), new QCPTextElement(plot_, title, QFont(font().family(), 10, QFont::Bold)));
    plot_->plotLayout()->addElement(1, static_cast<int>(i), rect);
  }
  if (!runs_.empty()) {
    scale->setMarginGroup(QCP::msTop | QCP::msBottom, group);
    plot_->plotLayout()->addElement(1, static_cast<int>(runs_.size()), scale);
  } else {
    delete scale;
  }
  plot_->replot();
}

QString ComparisonView::figure_name() const {
  QString name = "comparison-runs";
  for (const RunComparison& c : runs_) name += QString("-%1").arg(c.run.id);
  return name;
}

int ComparisonView::table_height(const QFontMetrics& metrics) const { return static_cast<int>(rows_.size() + 1) * (metrics.height() + 6) + 12; }

QSize ComparisonView::figure_size() const {
  const int width = std::max(720, 260 + 200 * static_cast<int>(runs_.size()));
  return QSize(width, table_height(QFontMetrics(font())) + 380);
}

// The table is drawn as text (vector in SVG and PDF), the heatmaps below it.
void ComparisonView::paint_figure(QPaintDevice& device, const QRect& target) {
  const int table = table_height(QFontMetrics(font()));
  QCPPainter painter(&device);
  painter.setRenderHint(QPainter::Antialiasing);
  {
    painter.fillRect(target, Qt::white);
    painter.setFont(font());
    const QFontMetrics metrics(font());
    const int line = metrics.height() + 6, first = 250;
    const int column = runs_.empty() ? 0 : (target.width() - first) / static_cast<int>(runs_.size());
    int y = target.top() + 6;
    painter.setPen(Qt::black);
    QFont bold = font();
    bold.setBold(true);
    painter.setFont(bold);
    for (size_t c = 0; c < runs_.size(); ++c)
      painter.drawText(QRect(target.left() + first + static_cast<int>(c) * column, y, column - 8, line), Qt::AlignRight | Qt::AlignVCenter,
                       tr("run %1: %2").arg(runs_[c].run.id).arg(QString::fromStdString(runs_[c].run.name)));
    painter.setFont(font());
    y += line;
    painter.drawLine(QLineF(target.left(), y, target.right(), y));
    for (const auto& [measure, cells] : rows_) {
      painter.drawText(QRect(target.left() + 4, y, first - 8, line), Qt::AlignLeft | Qt::AlignVCenter, measure);
      for (size_t c = 0; c < cells.size(); ++c)
        painter.drawText(QRect(target.left() + first + static_cast<int>(c) * column, y, column - 8, line), Qt::AlignRight | Qt::AlignVCenter, cells[c]);
      y += line;
    }
  }
  paint_plot(*plot_, painter, QRect(target.left(), target.top() + table, target.width(), target.height() - table));
}

void ComparisonView::write_figure_data(QTextStream& csv) const {
  csv << "measure";
  for (const RunComparison& c : runs_) csv << ',' << csv_field(tr("run %1: %2").arg(c.run.id).arg(QString::fromStdString(c.run.name)));
  csv << '\n';
  for (const auto& [measure, cells] : rows_) {
    csv << csv_field(measure);
    for (const QString& cell : cells) csv << ',' << csv_field(cell);
    csv << '\n';
  }
}

}  // namespace ndtmoe::views
