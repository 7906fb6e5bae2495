#include "progress_line.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>

namespace ndtmoe::cli {
namespace {

std::string format(const char* fmt, double v) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, fmt, v);
  return buffer;
}

std::string short_name(const std::string& term) {
  if (term == "load_balance") return "lb";
  if (term == "z_loss") return "z";
  return term;
}

}  // namespace

ProgressLine::ProgressLine(std::string prefix) : prefix_(std::move(prefix)), interactive_(isatty(STDERR_FILENO) == 1) {}

ProgressLine::~ProgressLine() { finish(); }

void ProgressLine::update(const TuningProgress& p) {
  // Searching: the count of trials so far; confirming: the trial's number in the record (0, the best).
  std::string context = p.confirming ? "tune: fresh split, trial " + std::to_string(p.trial) : "tune trial " + std::to_string(p.trial + 1);
  if (p.trials_planned > 0 && !p.confirming) context += "/" + std::to_string(p.trials_planned);
  if (p.seconds_left > 0) context += " (" + format("%.0f", p.seconds_left) + " s left)";
  context += (p.confirming ? " fold " : " inner fold ") + std::to_string(p.inner_fold) + "/" + std::to_string(p.inner_folds);
  if (!std::isnan(p.best_score)) context += " best " + format("%.4f", p.best_score);
  if (p.experiment) update(*p.experiment, context + " ");
}

void ProgressLine::update(const ExperimentProgress& p, const std::string& context) {
  std::string line = prefix_ + context + "[" + p.stage + " " + std::to_string(p.stage_index) + "/" + std::to_string(p.stage_count) + "]";
  if (p.training) {
    const TrainProgress& t = *p.training;
    if (!interactive_ && !t.epoch_end) return;
    line += " epoch " + std::to_string(t.epoch) + "/" + std::to_string(t.epochs);
    line += " step " + std::to_string(t.step) + "/" + std::to_string(t.total_steps);
    for (const auto& [term, v] : t.losses) line += " " + short_name(term) + " " + format("%.4f", v);
    if (t.metrics.count("accuracy")) line += " val_acc " + format("%.4f", t.metrics.at("accuracy"));
    if (t.metrics.count("rmse")) line += " val_rmse " + format("%.4f", t.metrics.at("rmse"));
    if (t.samples_per_s > 0) line += " " + format("%.0f", t.samples_per_s) + " samples/s";
    show(std::move(line), t.epoch_end);
    return;
  }
  if (p.total > 0) {
    // A log (not a terminal) gets a line at every tenth, as it gets one per epoch.
    const int64_t tenth = std::max<int64_t>(1, p.total / 10);
    if (!interactive_ && p.done % tenth != 0 && p.done != p.total) return;
    line += " tree " + std::to_string(p.done) + "/" + std::to_string(p.total);
  }
  show(std::move(line), true);
}

void ProgressLine::show(std::string line, bool milestone) {
  if (interactive_) {
    const size_t width = line.size();
    if (width < last_width_) line += std::string(last_width_ - width, ' ');
    last_width_ = width;
    std::cerr << '\r' << line << std::flush;
  } else if (milestone) {
    std::cerr << line << '\n';
  }
}

void ProgressLine::finish() {
  if (interactive_ && last_width_ > 0) std::cerr << '\n';
  last_width_ = 0;
}

}  // namespace ndtmoe::cli
