#pragma once
// The workbench's QApplication. Every event a view handles (a click, a timer, a result queued back
// from a worker) is delivered through notify(); an exception escaping a handler would otherwise end the
// program (Qt cannot unwind through its event loop). Here it is caught and reported as a signal, so a
// damaged store or an unexpected state costs one view its update, never the session.

#include <QApplication>
#include <QString>

namespace ndtmoe::workbench {

class GuardedApplication : public QApplication {
  Q_OBJECT

 public:
  GuardedApplication(int& argc, char** argv);
  bool notify(QObject* receiver, QEvent* event) override;

 Q_SIGNALS:
  // Queued: emitted from the event loop after the failed handler has unwound. `store_damaged` says the
  // trace store's file is broken (SQLite found malformed pages).
  void handler_failed(const QString& message, bool store_damaged);
};

}  // namespace ndtmoe::workbench
