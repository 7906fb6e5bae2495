#pragma once
// Work off the GUI thread that its owner owns: every task runs on its own thread, sees one cancel flag,
// and the owner's destruction cancels and waits for all of them, so no worker outlives the objects it
// uses (a detached thread could). Results go back to the GUI thread by the work itself, through queued
// calls guarded by QPointer. Finished threads are joined when the next task starts.

#include <atomic>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

namespace ndtmoe::workbench {

class BackgroundTasks {
 public:
  using Work = std::function<void(const std::atomic<bool>& cancelled)>;

  BackgroundTasks() = default;
  ~BackgroundTasks();
  BackgroundTasks(const BackgroundTasks&) = delete;
  BackgroundTasks& operator=(const BackgroundTasks&) = delete;

  // Starts `work` on a new thread. An exception escaping it is swallowed: report errors from inside.
  void run(Work work);
  void cancel_all() { *cancelled_ = true; }
  size_t running() const;

 private:
  struct Task {
    std::thread thread;
    std::shared_ptr<std::atomic<bool>> finished;
  };
  void join_finished();

  std::shared_ptr<std::atomic<bool>> cancelled_ = std::make_shared<std::atomic<bool>>(false);
  std::vector<Task> tasks_;
};

}  // namespace ndtmoe::workbench
