#pragma once
// A thin RAII layer over SQLite's C API: one connection, prepared statements with typed binding,
// and transactions that roll back unless committed. Every error names the database file and the cause.

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace ndtmoe {

class StoreError : public std::runtime_error {
 public:
  explicit StoreError(const std::string& message, bool damaged = false) : std::runtime_error(message), damaged_(damaged) {}
  // True when SQLite found the file's bytes broken (a malformed page, not a database at all), so the
  // caller can say "damaged" rather than "not a trace store" or "not written yet".
  bool damaged() const { return damaged_; }

 private:
  bool damaged_;
};

class Statement;

class Database {
 public:
  static constexpr int kBusyTimeoutMs = 5000;
  enum class Mode { ReadOnly, ReadWrite };
  Database(const std::string& path, Mode mode);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  Statement prepare(const std::string& sql);
  // Runs one or more statements without parameters.
  void execute(const std::string& sql);
  // The same for statements SQLite refuses at once, without its busy timeout, while another connection
  // holds a lock (switching the journal mode): retried for as long as that timeout.
  void execute_when_unlocked(const std::string& sql);
  int64_t last_insert_rowid() const;
  // SQLite's quick_check: up to `limit` descriptions of broken pages or rows, empty when the file is
  // sound. A file too broken to check reports why. Stops early, with what it found, once `cancelled`.
  std::vector<std::string> damage(int limit, const std::atomic<bool>* cancelled = nullptr);
  const std::string& path() const { return path_; }
  sqlite3* handle() { return db_; }
  [[noreturn]] void fail(const std::string& what) const;

 private:
  // sqlite3_exec's result code; `cause` holds SQLite's message when it is not SQLITE_OK.
  int try_execute(const std::string& sql, std::string& cause);

  std::string path_;
  sqlite3* db_ = nullptr;
};

class Statement {
 public:
  Statement(Database& db, const std::string& sql);
  ~Statement();
  Statement(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Binding by 1-based position; returns *this so calls chain.
  Statement& bind(int index, int64_t value);
  Statement& bind(int index, int value) { return bind(index, static_cast<int64_t>(value)); }
  Statement& bind(int index, double value);
  Statement& bind(int index, const std::string& value);
  Statement& bind(int index, const char* value) { return bind(index, std::string(value)); }
  Statement& bind_null(int index);
  Statement& bind_blob(int index, const void* data, size_t bytes);
  template <class T>
  Statement& bind(int index, const std::optional<T>& value) { return value ? bind(index, *value) : bind_null(index); }

  // 1-based index of a named parameter (":name"), 0 when the statement has none of that name.
  int parameter_index(const char* name) const;

  // Advances to the next row; false when done. Statements that return no rows need one call.
  bool step();
  // step() then reset(), for inserts and updates.
  void run();
  void reset();

  bool is_null(int column) const;
  int64_t integer(int column) const;
  double real(int column) const;  // NULL reads as NaN
  std::string text(int column) const;
  template <class T>
  std::vector<T> blob(int column) const {
    const auto bytes = blob_bytes(column);
    std::vector<T> values(bytes.second / sizeof(T));
    if (!values.empty()) std::copy_n(static_cast<const char*>(bytes.first), values.size() * sizeof(T), reinterpret_cast<char*>(values.data()));
    return values;
  }

 private:
  std::pair<const void*, size_t> blob_bytes(int column) const;
  void check(int rc, const char* what);

  Database* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

// "INSERT INTO table (c1, c2) VALUES (?, ?), (?, ?)": every insert names its columns, so a table that
// gains a column (a schema migration) cannot shift the values of an older statement.
std::string insert_sql(const std::string& table, const std::vector<std::string>& columns, size_t rows = 1);

// Inserts many rows through multi-row INSERT statements, which run far fewer statement programs than
// one INSERT per row. Values are buffered (blobs copied) until a statement's worth of rows is complete;
// finish() writes the rest and must be called before the transaction commits.
class BulkInsert {
 public:
  BulkInsert(Database& db, std::string table, std::vector<std::string> columns, int rows_per_statement = 64);
  BulkInsert& add(int64_t value);
  BulkInsert& add(double value);
  BulkInsert& add(const std::string& value);
  BulkInsert& add_null();
  BulkInsert& add_blob(const void* data, size_t bytes);
  void finish();

 private:
  struct Value {
    enum class Kind { Integer, Real, Text, Blob, Null } kind;
    int64_t integer = 0;
    double real = 0;
    std::string bytes;
  };
  BulkInsert& push(Value value);
  void write(Statement& statement, size_t rows);
  std::string sql(size_t rows) const;

  Database& db_;
  std::string table_;
  std::vector<std::string> column_names_;
  size_t columns_, rows_per_statement_;
  std::vector<Value> values_;
  std::optional<Statement> full_;
};

// BEGIN IMMEDIATE on construction, ROLLBACK on destruction unless commit() was called.
class Transaction {
 public:
  explicit Transaction(Database& db);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  Database& db_;
  bool open_ = true;
};

}  // namespace ndtmoe
