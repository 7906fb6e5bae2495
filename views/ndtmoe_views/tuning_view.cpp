#include "ndtmoe_views/tuning_view.h"

#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>
#include <cmath>
#include <nlohmann/json.hpp>

#include "ndtmoe_views/palette.h"
#include "ndtmoe_views/plot_helpers.h"
#include "ndtmoe_views/qcustomplot_keywords.h"

namespace ndtmoe::views {

TuningView::TuningView(QWidget* parent)
    : QWidget(parent), summary_(new QLabel(this)), plot_(new QCustomPlot(this)), table_(new QTableWidget(this)) {
  follow_palette(*plot_);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  summary_->setWordWrap(true);
  summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  layout->addWidget(summary_);
  auto* split = new QSplitter(Qt::Vertical, this);
  split->addWidget(plot_);
  split->addWidget(table_);
  split->setStretchFactor(0, 3);
  split->setStretchFactor(1, 2);
  layout->addWidget(split, 1);
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->verticalHeader()->hide();
  plot_->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
  plot_->plotLayout()->insertRow(0);
  plot_->plotLayout()->addElement(0, 0, new QCPTextElement(plot_, tr("Trials of the search"), QFont(plot_->font().family(), 9, QFont::Bold)));
  legend_beside(*plot_);  // over the axes it would hide the last trials, where the best usually is
  // Trials are numbered: ticks at whole trials only, further apart (a whole number of trials) as the range grows.
  auto whole_trials = QSharedPointer<QCPAxisTickerFixed>::create();
  whole_trials->setTickStep(1);
  whole_trials->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
  plot_->xAxis->setTicker(whole_trials);
  plot_->yAxis->ticker()->setTickCount(4);
  // The plot keeps room for its scores in the short bottom dock; the table below scrolls instead.
  plot_->setMinimumHeight(190);
}

void TuningView::set_run(std::shared_ptr<RunData> data) {
  record_.reset();
  if (data) {
    const nlohmann::json config = nlohmann::json::parse(data->description().config_json, nullptr, /*allow_exceptions=*/false);
    if (config.is_object() && config.contains("tuning")) {
      try {
        record_ = TuningRecord::from_json(config.at("tuning"));
      } catch (const std::exception& e) {
        throw StoreError(data->store().path() + ": run " + std::to_string(data->run()) + ": its tuning record is damaged: " + e.what());
      }
    }
  }
  if (!record_) {
    summary_->setText(data ? tr("This run was trained without tuning (ndtmoe train --tune, or Tune first in New run).") : QString());
  } else {
    const TuningRecord& r = *record_;
    summary_->setText(tr("%n trial(s), %1 sampler, %2 inner folds, budget %3. Chosen: %4.", nullptr, static_cast<int>(r.trials.size()))
                          .arg(QString::fromStdString(r.sampler)).arg(r.inner_folds).arg(QString::fromStdString(r.budget))
                          .arg(r.selection.empty() ? tr("the highest score") : QString::fromStdString(r.selection)));
  }
  draw();
  fill_table();
}

void TuningView::draw() {
  plot_->clearGraphs();
  plot_->legend->setVisible(false);
  if (!record_) return plot_->replot();
  const TuningRecord& r = *record_;
  const auto add = [&](const QString& name, QCPScatterStyle style, QCPGraph::LineStyle line = QCPGraph::lsNone) {
    QCPGraph* g = plot_->addGraph();
    g->setName(name);
    g->setLineStyle(line);
    g->setScatterStyle(style);
    return g;
  };
  const QColor ink(0x303030);
  QCPGraph* best = add(tr("best so far"), QCPScatterStyle(QCPScatterStyle::ssNone), QCPGraph::lsStepLeft);
  best->setPen(QPen(expert_color(0), 1.5));
  QCPGraph* complete = add(tr("trial (mean over inner folds)"), QCPScatterStyle(QCPScatterStyle::ssDisc, ink, ink, 6));
  QCPGraph* pruned = add(tr("stopped behind the best on its folds (their mean)"), QCPScatterStyle(QCPScatterStyle::ssCircle, QColor(0x9e9e9e), 6));
  QCPGraph* fresh = add(tr("again on a fresh split (mean)"), QCPScatterStyle(QCPScatterStyle::ssDiamond, expert_color(1), expert_color(1), 8));
  QCPGraph* chosen = add(tr("chosen"), QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(highlight_color(), 2.5), Qt::NoBrush, 14));
  double running = -INFINITY, low = INFINITY, high = -INFINITY;
  for (size_t i = 0; i < r.trials.size(); ++i) {
    const TuningTrial& t = r.trials[i];
    if (t.failed()) continue;  // no score to draw; the table lists it
    const auto number = static_cast<double>(t.number);
    (t.complete() ? complete : pruned)->addData(number, t.score);
    low = std::min(low, t.score);
    high = std::max(high, t.score);
    if (t.complete()) {
      running = std::max(running, t.score);
      best->addData(number, running);
    }
    if (static_cast<int64_t>(i) == r.chosen) chosen->addData(number, t.score);
    if (!t.confirmation_scores.empty()) {
      const double mean = confirmation_mean(t);
      fresh->addData(number, mean);
      low = std::min(low, mean);
      high = std::max(high, mean);
    }
  }
  plot_->xAxis->setLabel(tr("trial"));
  plot_->yAxis->setLabel(tr("score (inner CV)"));
  plot_->xAxis->setRange(-0.5, std::max<double>(1.0, static_cast<double>(r.trials.size())) - 0.5);
  if (std::isfinite(low)) {
    const double margin = std::max(0.005, 0.15 * (high - low));  // room for the chosen trial's ring
    plot_->yAxis->setRange(low - margin, high + margin);
  }
  plot_->legend->setVisible(true);
  plot_->replot();
}

void TuningView::fill_table() {
  table_->clear();
  table_->setRowCount(0);
  if (!record_) {
    table_->setColumnCount(0);
    return;
  }
  const TuningRecord& r = *record_;
  const std::vector<std::string> settings = setting_names(r);
  QStringList headers{tr("trial"), tr("score"), tr("inner folds"), tr("fresh split"), tr("ended"), tr("seconds")};
  for (const std::string& name : settings) headers << QString::fromStdString(name);
  table_->setColumnCount(static_cast<int>(headers.size()));
  table_->setHorizontalHeaderLabels(headers);
  table_->setRowCount(static_cast<int>(r.trials.size()));
  for (size_t i = 0; i < r.trials.size(); ++i) {
    const TuningTrial& t = r.trials[i];
    const bool is_chosen = static_cast<int64_t>(i) == r.chosen;
    QStringList folds;
    for (double s : t.fold_scores) folds << QString::number(s, 'f', 3);
    QStringList cells{QString::number(t.number) + (is_chosen ? " *" : ""), t.failed() ? QString("–") : QString::number(t.score, 'f', 4),
                      folds.join(' '), QString::fromStdString(confirmation_text(t)), QString::fromStdString(trial_end(t)),
                      QString::number(t.seconds, 'f', 1)};
    for (const std::string& name : settings)
      cells << (t.settings.contains(name) ? QString::fromStdString(setting_text(t.settings.at(name))) : QString("–"));
    for (int c = 0; c < cells.size(); ++c) {
      auto* item = new QTableWidgetItem(cells[c]);
      if (c != 4) item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
      if (is_chosen) {
        QFont bold = item->font();
        bold.setBold(true);
        item->setFont(bold);
      }
      if (t.failed()) item->setToolTip(QString::fromStdString(t.error));
      table_->setItem(static_cast<int>(i), c, item);
    }
  }
  table_->resizeColumnsToContents();
}

void TuningView::paint_figure(QPaintDevice& device, const QRect& target) { paint_plot_figure(*plot_, device, target); }

void TuningView::write_figure_data(QTextStream& csv) const {
  csv << "trial,score,fold_scores,confirmation_scores,ended,seconds,chosen,settings\n";
  if (!record_) return;
  for (size_t i = 0; i < record_->trials.size(); ++i) {
    const TuningTrial& t = record_->trials[i];
    QStringList folds;
    for (double s : t.fold_scores) folds << QString::number(s, 'g', 10);
    QStringList fresh;
    for (double s : t.confirmation_scores) fresh << QString::number(s, 'g', 10);
    csv << t.number << ',' << (t.failed() ? QString() : QString::number(t.score, 'g', 10)) << ',' << folds.join(' ') << ',' << fresh.join(' ') << ','
        << QString::fromStdString(trial_end(t)) << ',' << t.seconds << ',' << (static_cast<int64_t>(i) == record_->chosen ? 1 : 0) << ','
        << csv_field(QString::fromStdString(t.settings.dump())) << '\n';
  }
}

}  // namespace ndtmoe::views
