#pragma once
// The trace store's schema and its versioning: `PRAGMA user_version` holds the schema version, and
// opening a store applies the forward migrations it lacks, each in its own transaction. A store written
// by a newer program is refused. docs/trace-schema.md documents every table.

#include <functional>
#include <vector>

#include "ndtmoe/store/sqlite.h"

namespace ndtmoe {

inline constexpr int kTraceSchemaVersion = 7;

// Migration i takes a store from version i to version i + 1 (migration 0 creates the schema).
using Migration = std::function<void(Database&)>;
const std::vector<Migration>& trace_migrations();

int schema_version(Database& db);
// Refuses a version no program writes (negative: a damaged file) or one newer than `target`.
void check_schema_version(Database& db, int version, int target = kTraceSchemaVersion);

// Brings `db` to the version after the last migration; refuses a store newer than that.
void migrate(Database& db, const std::vector<Migration>& migrations = trace_migrations());

}  // namespace ndtmoe
