#pragma once
// A run trained from the workbench: teacher, student (and nothing else: baselines are for the CLI's
// comparisons), saved as a run directory, traced into a store — all on a worker thread, reporting
// progress points to the GUI thread and stopping at the next step when cancelled.

#include <QObject>
#include <atomic>
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
  void cancel() { cancel_ = true; }
  const QString& store_path() const { return store_path_; }

 Q_SIGNALS:
  void progress(const ndtmoe::views::CurvePoint& point);
  // ok: trained and traced as store run `run`; otherwise `message` says why (cancelled or an error).
  void finished(bool ok, const QString& message, qint64 run);

 private:
  void work();

  NewRun run_;
  QString run_directory_, store_path_;
  std::atomic<bool> cancel_{false};
  std::thread thread_;
};

}  // namespace ndtmoe::workbench
