#include "ndtmoe_views/store_worker.h"

namespace ndtmoe::views {

StoreWorker::StoreWorker(std::string store_path, QObject* parent) : QObject(parent), queries_(std::move(store_path)) {}

}  // namespace ndtmoe::views
