#include "training_job.h"

#include <algorithm>
#include <cmath>

#include "ndtmoe/trace/tracer.h"
#include "ndtmoe/train/tuner.h"

namespace ndtmoe::workbench {

TrainingJob::TrainingJob(NewRun run, QString run_directory, QString store_path, QObject* parent)
    : QObject(parent), run_(std::move(run)), run_directory_(std::move(run_directory)), store_path_(std::move(store_path)) {
  qRegisterMetaType<ndtmoe::views::CurvePoint>();
}

TrainingJob::~TrainingJob() {
  cancel();
  if (thread_.joinable()) thread_.join();
}

void TrainingJob::cancel() {
  {
    const std::lock_guard<std::mutex> lock(pause_mutex_);
    cancel_ = true;
  }
  pause_changed_.notify_all();
}

void TrainingJob::set_paused(bool paused) {
  {
    const std::lock_guard<std::mutex> lock(pause_mutex_);
    paused_ = paused;
  }
  pause_changed_.notify_all();
}

void TrainingJob::wait_while_paused() {
  std::unique_lock<std::mutex> lock(pause_mutex_);
  pause_changed_.wait(lock, [this] { return !paused_ || cancel_; });
}

void TrainingJob::start() { thread_ = std::thread([this] { work(); }); }

void TrainingJob::work() {
  QString message;
  qint64 traced_run = -1;
  try {
    const Dataset data = run_.data.load();
    const Split split = run_.data.split(data);
    ExperimentConfig config = run_.config;
    config.baselines = false;
    // The bar: tuning (when asked for) the first half, training up to 90%, tracing the rest.
    const double tuning_share = run_.tuning.empty() ? 0.0 : 0.5;
    if (!run_.tuning.empty()) {
      const TuningRecord record = tune(data, split.train, config, run_.tuning, [this](const TuningProgress& p) {
        views::CurvePoint point;
        point.model = "tune";
        const double fold = (static_cast<double>(p.inner_fold) - 1) / std::max(1, p.inner_folds);
        // A trial budget: the trials, then two more for the fresh split (trial 0, then the best).
        const double trials_done = p.confirming ? static_cast<double>(p.trials_planned + (p.trial == 0 ? 0 : 1)) : static_cast<double>(p.trial);
        const double done = p.trials_planned > 0 ? (trials_done + fold) / static_cast<double>(p.trials_planned + 2)
                                                 : 1.0 - p.seconds_left / std::max(1.0, run_.tuning.seconds);
        point.progress = 0.5 * std::clamp(done, 0.0, 1.0);
        if (p.confirming)
          point.stage = tr("Tuning: scoring trial %1 again on a fresh split of the training rows, fold %2 of %3")
                            .arg(p.trial).arg(p.inner_fold).arg(p.inner_folds);
        else
          point.stage = std::isnan(p.best_score) ? tr("Tuning: trial %1, inner fold %2 of %3").arg(p.trial + 1).arg(p.inner_fold).arg(p.inner_folds)
                                                 : tr("Tuning: trial %1, inner fold %2 of %3; best score so far %4")
                                                       .arg(p.trial + 1).arg(p.inner_fold).arg(p.inner_folds).arg(p.best_score, 0, 'f', 4);
        Q_EMIT progress(point);
        wait_while_paused();
      }, &cancel_);
      if (record.cancelled || cancel_) {
        message = tr("Cancelled while tuning, after %1 trials; nothing was saved.").arg(record.trials.size());
        QMetaObject::invokeMethod(this, [this, message] { Q_EMIT finished(false, message, -1); });
        return;
      }
      config = apply_chosen(config, record);
    }
    const auto report = [this, tuning_share](const ExperimentProgress& p) {
      const auto stage_share = [&](double within) {
        return tuning_share + (0.9 - tuning_share) * (static_cast<double>(p.stage_index - 1) + within) / std::max(1, p.stage_count);
      };
      views::CurvePoint point;
      point.model = QString::fromStdString(p.stage);
      if (!p.training) {
        if (p.total <= 0) return;
        point.progress = stage_share(static_cast<double>(p.done) / static_cast<double>(p.total));
        point.stage = tr("Growing the forest teacher: %1 of %2 trees").arg(p.done).arg(p.total);
        Q_EMIT progress(point);
        wait_while_paused();
        return;
      }
      const TrainProgress& t = *p.training;
      const double within = t.total_steps > 0 ? static_cast<double>(t.step) / static_cast<double>(t.total_steps) : 0.0;
      point.progress = stage_share(within);
      point.step = t.step;
      point.epoch = t.epoch;
      point.epoch_end = t.epoch_end;
      point.stage = tr("Training the %1").arg(point.model);
      point.losses = views::with_qt_names(t.losses);
      point.metrics = views::with_qt_names(t.metrics);
      Q_EMIT progress(point);  // queued to the GUI thread: the job lives there
      wait_while_paused();
    };
    Experiment ex = run_experiment(data, split, config, report, &cancel_);
    if (ex.cancelled || cancel_) {
      if (ex.student) save_run(run_directory_.toStdString(), ex, run_.data, /*complete=*/false);
      message = ex.student ? tr("Cancelled; the run so far is saved in %1 (ndtmoe train --resume continues it).").arg(run_directory_)
                           : tr("Cancelled before the student started; nothing was saved.");
    } else {
      save_run(run_directory_.toStdString(), ex, run_.data);
      LoadedRun loaded = load_run(run_directory_.toStdString(), config.device);
      TraceStore store(store_path_.toStdString());
      TraceOptions options;
      options.name = run_.name.toStdString();
      const auto report_trace = [this](const TraceProgress& t) {
        views::CurvePoint point;
        point.model = "trace";
        // Samples fill 90-95% of the bar, the embeddings after them the rest.
        const double within = t.total > 0 ? static_cast<double>(t.done) / static_cast<double>(t.total) : 0.0;
        point.progress = (t.stage.empty() ? 0.9 : 0.95) + 0.05 * within;
        point.stage = t.stage.empty() ? tr("Tracing %1 of %2 samples into the store").arg(t.done).arg(t.total)
                                      : tr("Embeddings, %1: %2 of %3").arg(QString::fromStdString(t.stage)).arg(t.done).arg(t.total);
        Q_EMIT progress(point);
        wait_while_paused();
      };
      const TraceResult traced = trace_run(store, loaded, run_directory_.toStdString(), run_.data.source, data, resolve_device(config.device),
                                           options, report_trace, &cancel_);
      if (traced.cancelled) {
        message = tr("Cancelled while tracing; resume with ndtmoe trace --store %1 --resume %2").arg(store_path_).arg(traced.run);
      } else {
        traced_run = traced.run;
        message = tr("Trained and traced run %1 into %2").arg(traced.run).arg(store_path_);
      }
    }
  } catch (const std::exception& e) {
    message = tr("Training failed: %1").arg(QString::fromStdString(e.what()));
  }
  QMetaObject::invokeMethod(this, [this, message, traced_run] { Q_EMIT finished(traced_run >= 0, message, traced_run); });
}

}  // namespace ndtmoe::workbench
