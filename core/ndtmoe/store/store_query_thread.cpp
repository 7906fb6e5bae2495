#include "ndtmoe/store/store_query_thread.h"

namespace ndtmoe {

StoreQueryThread::StoreQueryThread(std::string store_path) : path_(std::move(store_path)), thread_([this] { run(); }) {}

StoreQueryThread::~StoreQueryThread() {
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    queue_.clear();
  }
  wake_.notify_all();
  thread_.join();
}

void StoreQueryThread::enqueue(const std::string& key, Job job) {
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    for (auto it = queue_.begin(); it != queue_.end();) it = it->first == key ? queue_.erase(it) : it + 1;
    queue_.emplace_back(key, std::move(job));
  }
  wake_.notify_all();
}

TraceStore& StoreQueryThread::connection() {
  if (!store_) store_ = std::make_unique<TraceStore>(path_, TraceStore::Mode::ReadOnly);
  return *store_;
}

void StoreQueryThread::run() {
  for (;;) {
    Job job;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      job = std::move(queue_.front().second);
      queue_.pop_front();
    }
    job(*this);
  }
}

}  // namespace ndtmoe
