#include "guarded_application.h"

#include <QMetaObject>
#include <exception>

#include "ndtmoe/store/sqlite.h"

namespace ndtmoe::workbench {

GuardedApplication::GuardedApplication(int& argc, char** argv) : QApplication(argc, argv) {}

bool GuardedApplication::notify(QObject* receiver, QEvent* event) {
  QString message;
  bool damaged = false;
  try {
    return QApplication::notify(receiver, event);
  } catch (const StoreError& e) {
    message = QString::fromStdString(e.what());
    damaged = e.damaged();
  } catch (const std::exception& e) {
    message = QString::fromStdString(e.what());
  } catch (...) {
    message = tr("an unknown error");
  }
  QMetaObject::invokeMethod(this, [this, message, damaged] { Q_EMIT handler_failed(message, damaged); }, Qt::QueuedConnection);
  return false;
}

}  // namespace ndtmoe::workbench
