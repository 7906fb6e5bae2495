#pragma once
// One thread with its own read-only connection to a trace store, running queries in the order they
// come, so a caller (the workbench's views) never waits on a query over a large store. A query waiting
// under the same key as a newer one is dropped: only the latest state of a view matters. Destruction
// lets the running query finish and drops the waiting ones. No Qt: views::StoreWorker hands the results
// to the GUI thread.

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "ndtmoe/store/trace_store.h"

namespace ndtmoe {

class StoreQueryThread {
 public:
  using Job = std::function<void(StoreQueryThread&)>;

  explicit StoreQueryThread(std::string store_path);
  ~StoreQueryThread();
  StoreQueryThread(const StoreQueryThread&) = delete;
  StoreQueryThread& operator=(const StoreQueryThread&) = delete;

  // Queues `job`, dropping a waiting job of the same key. A job catches what it throws.
  void enqueue(const std::string& key, Job job);
  // The thread's own read-only connection, opened on first use: for jobs only (on the thread). Throws
  // StoreError when the store cannot be opened.
  TraceStore& connection();

 private:
  void run();

  const std::string path_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::pair<std::string, Job>> queue_;
  bool stopping_ = false;
  std::unique_ptr<TraceStore> store_;  // used on the thread only
  std::thread thread_;                 // last: started once everything it reads exists
};

}  // namespace ndtmoe
