#pragma once
// Runs trace-store queries off the GUI thread, so a query over a large store (the 100,000 rows behind
// the root node, say) never freezes the window: core's StoreQueryThread (one thread with its own
// read-only connection, the latest request per key) runs them, and each result is handed back on the
// GUI thread to its receiver, and dropped when the receiver is gone.

#include <QObject>
#include <QPointer>
#include <QString>
#include <functional>
#include <memory>
#include <string>

#include "ndtmoe/store/store_query_thread.h"

namespace ndtmoe::views {

class StoreWorker : public QObject {
  Q_OBJECT

 public:
  explicit StoreWorker(std::string store_path, QObject* parent = nullptr);
  // Destroying it finishes the running query and skips the waiting ones.

  // `query` runs on the worker; `deliver` (or `failed`, with the error's message) on the GUI thread.
  template <typename Result>
  void request(QObject* receiver, const QString& key, std::function<Result(TraceStore&)> query, std::function<void(Result)> deliver,
               std::function<void(const QString&)> failed = {}) {
    QPointer<QObject> target(receiver);
    queries_.enqueue(key.toStdString(), [this, target, query = std::move(query), deliver = std::move(deliver),
                                         failed = std::move(failed)](StoreQueryThread& thread) {
      try {
        auto result = std::make_shared<Result>(query(thread.connection()));
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
  StoreQueryThread queries_;
};

}  // namespace ndtmoe::views
