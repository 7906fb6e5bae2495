#pragma once
// Runs trace-store queries off the GUI thread, so a query over a large store (the 100,000 rows behind
// the root node, say) never freezes the window. One worker thread with its own read-only connection
// takes the requests in order; each result is handed back on the GUI thread to its receiver, and
// dropped when the receiver is gone. A request waiting under the same key as a newer one is skipped:
// only the latest state of a view matters.

#include <QObject>
#include <QPointer>
#include <QString>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "ndtmoe/store/trace_store.h"

namespace ndtmoe::views {

class StoreWorker : public QObject {
  Q_OBJECT

 public:
  explicit StoreWorker(std::string store_path, QObject* parent = nullptr);
  ~StoreWorker() override;  // finishes the running query, skips the waiting ones

  // `query` runs on the worker; `deliver` (or `failed`, with the error's message) on the GUI thread.
  template <typename Result>
  void request(QObject* receiver, const QString& key, std::function<Result(TraceStore&)> query, std::function<void(Result)> deliver,
               std::function<void(const QString&)> failed = {}) {
    QPointer<QObject> target(receiver);
    enqueue(key, [this, target, query = std::move(query), deliver = std::move(deliver), failed = std::move(failed)] {
      try {
        auto result = std::make_shared<Result>(query(connection()));
        QMetaObject::invokeMethod(this, [target, deliver, result] {
          if (target) deliver(std::move(*result));
        });
      } catch (const std::exception& e) {
        const QString message = QString::fromStdString(e.what());
        QMetaObject::invokeMethod(this, [target, failed, message] {
          if (target && failed) failed(message);
        });
      }
    });
  }

 private:
  void enqueue(const QString& key, std::function<void()> job);
  void run();
  TraceStore& connection();  // on the worker thread; throws when the store cannot be opened

  const std::string path_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::pair<QString, std::function<void()>>> queue_;
  bool stopping_ = false;
  std::unique_ptr<TraceStore> store_;  // used on the worker thread only
  std::thread thread_;
};

}  // namespace ndtmoe::views
