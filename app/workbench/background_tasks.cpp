#include "background_tasks.h"

namespace ndtmoe::workbench {

BackgroundTasks::~BackgroundTasks() {
  cancel_all();
  for (Task& task : tasks_) task.thread.join();
}

void BackgroundTasks::run(Work work) {
  join_finished();
  auto finished = std::make_shared<std::atomic<bool>>(false);
  tasks_.push_back({std::thread([work = std::move(work), cancelled = cancelled_, finished] {
                      try {
                        work(*cancelled);
                      } catch (...) {  // no exception may end the program from a worker
                      }
                      *finished = true;
                    }),
                    finished});
}

size_t BackgroundTasks::running() const {
  size_t count = 0;
  for (const Task& task : tasks_) count += task.finished->load() ? 0 : 1;
  return count;
}

void BackgroundTasks::join_finished() {
  for (auto task = tasks_.begin(); task != tasks_.end();) {
    if (task->finished->load()) {
      task->thread.join();
      task = tasks_.erase(task);
    } else {
      ++task;
    }
  }
}

}  // namespace ndtmoe::workbench
