#include "ndtmoe_views/store_worker.h"

namespace ndtmoe::views {

StoreWorker::StoreWorker(std::string store_path, QObject* parent) : QObject(parent), path_(std::move(store_path)) {
  thread_ = std::thread([this] { run(); });
}

StoreWorker::~StoreWorker() {
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    queue_.clear();
  }
  wake_.notify_all();
  thread_.join();
}

void StoreWorker::enqueue(const QString& key, std::function<void()> job) {
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    for (auto it = queue_.begin(); it != queue_.end();) it = it->first == key ? queue_.erase(it) : it + 1;
    queue_.emplace_back(key, std::move(job));
  }
  wake_.notify_all();
}

TraceStore& StoreWorker::connection() {
  if (!store_) store_ = std::make_unique<TraceStore>(path_, TraceStore::Mode::ReadOnly);
  return *store_;
}

void StoreWorker::run() {
  for (;;) {
    std::function<void()> job;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      job = std::move(queue_.front().second);
      queue_.pop_front();
    }
    job();
  }
}

}  // namespace ndtmoe::views
