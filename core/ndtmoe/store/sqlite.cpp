#include "ndtmoe/store/sqlite.h"

#include <sqlite3.h>

#include <chrono>
#include <cmath>
#include <limits>
#include <thread>

namespace ndtmoe {

Database::Database(const std::string& path, Mode mode) : path_(path) {
  const int flags = mode == Mode::ReadOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  const int rc = sqlite3_open_v2(path.c_str(), &db_, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    const std::string cause = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close(db_);
    db_ = nullptr;
    throw StoreError(path + ": cannot open the trace store: " + cause);
  }
  sqlite3_extended_result_codes(db_, 1);
  // A reader waits for a writer's commit instead of failing at once (WAL makes such waits rare).
  sqlite3_busy_timeout(db_, kBusyTimeoutMs);
}

Database::~Database() { sqlite3_close_v2(db_); }

namespace {

bool is_damage(int rc) { return (rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB; }

}  // namespace

void Database::fail(const std::string& what) const {
  throw StoreError(path_ + ": " + what + ": " + sqlite3_errmsg(db_), is_damage(sqlite3_extended_errcode(db_)));
}

Statement Database::prepare(const std::string& sql) { return Statement(*this, sql); }

int Database::try_execute(const std::string& sql, std::string& cause) {
  char* message = nullptr;
  const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message);
  if (rc != SQLITE_OK) cause = message ? message : "unknown error";
  sqlite3_free(message);
  return rc;
}

void Database::execute(const std::string& sql) {
  std::string cause;
  const int rc = try_execute(sql, cause);
  if (rc != SQLITE_OK) throw StoreError(path_ + ": " + cause, is_damage(rc));
}

void Database::execute_when_unlocked(const std::string& sql) {
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::milliseconds(kBusyTimeoutMs);
  std::string cause;
  for (int rc; (rc = try_execute(sql, cause)) != SQLITE_OK;) {
    if ((rc & 0xff) != SQLITE_BUSY || std::chrono::steady_clock::now() > give_up) throw StoreError(path_ + ": " + cause);
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

int64_t Database::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }

std::vector<std::string> Database::damage(int limit, const std::atomic<bool>* cancelled) {
  if (cancelled)  // polled every few thousand virtual-machine steps: a check of a large store stops promptly
    sqlite3_progress_handler(db_, 4096, [](void* flag) { return static_cast<const std::atomic<bool>*>(flag)->load() ? 1 : 0; },
                             const_cast<std::atomic<bool>*>(cancelled));
  std::vector<std::string> problems;
  sqlite3_stmt* check = nullptr;
  const std::string sql = "PRAGMA quick_check(" + std::to_string(std::max(1, limit)) + ")";
  int rc = sqlite3_prepare_v2(db_, sql.c_str(), -1, &check, nullptr);
  if (rc == SQLITE_OK) rc = sqlite3_step(check);
  for (; rc == SQLITE_ROW; rc = sqlite3_step(check)) {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(check, 0));
    const std::string line = text ? text : "";
    if (line != "ok") problems.push_back(line);
  }
  if (rc != SQLITE_DONE && rc != SQLITE_OK && (rc & 0xff) != SQLITE_INTERRUPT) problems.push_back(sqlite3_errmsg(db_));
  sqlite3_finalize(check);
  sqlite3_progress_handler(db_, 0, nullptr, nullptr);
  return problems;
}

Statement::Statement(Database& db, const std::string& sql) : db_(&db) {
  if (sqlite3_prepare_v3(db.handle(), sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr) != SQLITE_OK)
    db.fail("cannot prepare '" + sql.substr(0, 60) + "'");
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement::Statement(Statement&& other) noexcept : db_(other.db_), stmt_(other.stmt_) { other.stmt_ = nullptr; }

void Statement::check(int rc, const char* what) {
  if (rc != SQLITE_OK) db_->fail(what);
}

Statement& Statement::bind(int index, int64_t value) {
  check(sqlite3_bind_int64(stmt_, index, value), "cannot bind an integer");
  return *this;
}

Statement& Statement::bind(int index, double value) {
  // SQLite stores NaN as NULL anyway; say so explicitly.
  if (std::isnan(value)) return bind_null(index);
  check(sqlite3_bind_double(stmt_, index, value), "cannot bind a number");
  return *this;
}

Statement& Statement::bind(int index, const std::string& value) {
  check(sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT), "cannot bind a text");
  return *this;
}

Statement& Statement::bind_null(int index) {
  check(sqlite3_bind_null(stmt_, index), "cannot bind NULL");
  return *this;
}

Statement& Statement::bind_blob(int index, const void* data, size_t bytes) {
  check(sqlite3_bind_blob64(stmt_, index, bytes ? data : "", bytes, SQLITE_TRANSIENT), "cannot bind a blob");
  return *this;
}

int Statement::parameter_index(const char* name) const { return sqlite3_bind_parameter_index(stmt_, name); }

bool Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  const std::string sql = sqlite3_sql(stmt_) ? sqlite3_sql(stmt_) : "";
  sqlite3_reset(stmt_);
  db_->fail("'" + sql.substr(0, 60) + "' failed");
}

void Statement::run() {
  step();
  reset();
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

bool Statement::is_null(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }
int64_t Statement::integer(int column) const { return sqlite3_column_int64(stmt_, column); }

double Statement::real(int column) const {
  return is_null(column) ? std::numeric_limits<double>::quiet_NaN() : sqlite3_column_double(stmt_, column);
}

std::string Statement::text(int column) const {
  const auto* chars = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  return chars ? std::string(chars, static_cast<size_t>(sqlite3_column_bytes(stmt_, column))) : std::string();
}

std::pair<const void*, size_t> Statement::blob_bytes(int column) const {
  const void* data = sqlite3_column_blob(stmt_, column);
  return {data, static_cast<size_t>(sqlite3_column_bytes(stmt_, column))};
}

std::string insert_sql(const std::string& table, const std::vector<std::string>& columns, size_t rows) {
  std::string names, row = "(";
  for (size_t c = 0; c < columns.size(); ++c) {
    names += (c ? ", " : "") + columns[c];
    row += c ? ", ?" : "?";
  }
  row += ")";
  std::string text = "INSERT INTO " + table + " (" + names + ") VALUES ";
  for (size_t r = 0; r < rows; ++r) text += (r ? ", " : "") + row;
  return text;
}

BulkInsert::BulkInsert(Database& db, std::string table, std::vector<std::string> columns, int rows_per_statement)
    : db_(db), table_(std::move(table)), column_names_(std::move(columns)), columns_(column_names_.size()),
      rows_per_statement_(static_cast<size_t>(rows_per_statement)) {
  values_.reserve(columns_ * rows_per_statement_);
}

std::string BulkInsert::sql(size_t rows) const { return insert_sql(table_, column_names_, rows); }

BulkInsert& BulkInsert::push(Value value) {
  values_.push_back(std::move(value));
  if (values_.size() == columns_ * rows_per_statement_) {
    if (!full_) full_.emplace(db_, sql(rows_per_statement_));
    write(*full_, rows_per_statement_);
  }
  return *this;
}

BulkInsert& BulkInsert::add(int64_t value) { return push({Value::Kind::Integer, value, 0, {}}); }
BulkInsert& BulkInsert::add(double value) { return push({std::isnan(value) ? Value::Kind::Null : Value::Kind::Real, 0, value, {}}); }
BulkInsert& BulkInsert::add(const std::string& value) { return push({Value::Kind::Text, 0, 0, value}); }
BulkInsert& BulkInsert::add_null() { return push({Value::Kind::Null, 0, 0, {}}); }
BulkInsert& BulkInsert::add_blob(const void* data, size_t bytes) {
  return push({Value::Kind::Blob, 0, 0, std::string(static_cast<const char*>(data), bytes)});
}

void BulkInsert::write(Statement& statement, size_t rows) {
  for (size_t i = 0; i < rows * columns_; ++i) {
    const Value& v = values_[i];
    const int index = static_cast<int>(i) + 1;
    switch (v.kind) {
      case Value::Kind::Integer: statement.bind(index, v.integer); break;
      case Value::Kind::Real: statement.bind(index, v.real); break;
      case Value::Kind::Text: statement.bind(index, v.bytes); break;
      case Value::Kind::Blob: statement.bind_blob(index, v.bytes.data(), v.bytes.size()); break;
      case Value::Kind::Null: statement.bind_null(index); break;
    }
  }
  statement.run();
  values_.clear();
}

void BulkInsert::finish() {
  if (values_.empty()) return;
  Statement rest(db_, sql(values_.size() / columns_));
  write(rest, values_.size() / columns_);
}

Transaction::Transaction(Database& db) : db_(db) { db_.execute("BEGIN IMMEDIATE"); }

Transaction::~Transaction() {
  if (open_) sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::commit() {
  db_.execute("COMMIT");
  open_ = false;
}

}  // namespace ndtmoe
