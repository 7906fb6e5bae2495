#pragma once
// A run trained from the workbench: teacher, student (and nothing else: baselines are for the CLI's
// comparisons), saved as a run directory, traced into a store — all on a worker thread, reporting
// progress points to the GUI thread, holding still at the next progress report while paused and stopping
// there when cancelled.

#include <QObject>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "new_run_dialog.h"
#include "ndtmoe_views/training_view.h"

namespace ndtmoe::workbench {

class TrainingJob : public QObject {
  Q_OBJECT

 public:
  TrainingJob(NewRun run, QString run_directory, QString store_path, QObject* parent = nullptr);
  ~TrainingJob() override;  // cancels and waits
  void start();
  void cancel();
  // The worker holds at its next progress report (at most log_every steps or one trace batch away)
  // until resumed or cancelled; nothing is lost, the clock of the ETA is the view's business.
  void set_paused(bool paused);
  const QString& store_path() const { return store_path_; }

 Q_SIGNALS:
  void progress(const ndtmoe::views::CurvePoint& point);
  // ok: trained and traced as store run `run`; otherwise `message` says why (cancelled or an error).
  void finished(bool ok, const QString& message, qint64 run);

 private:
  void work();
  void wait_while_paused();

  NewRun run_;
  QString run_directory_, store_path_;
  std::atomic<bool> cancel_{false};
  std::mutex pause_mutex_;
  std::condition_variable pause_changed_;
  bool paused_ = false;
  std::thread thread_;
};

}  // namespace ndtmoe::workbench
