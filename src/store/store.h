// Store and Tx: the one seam between the domain modules and a database.
//
// Domain modules write portable SQL: `?` placeholders, RETURNING, ON CONFLICT, the types TEXT,
// BIGINT and BLOB, and `||` for concatenation. Whatever differs between SQLite and PostgreSQL
// (placeholder syntax, identity columns, blob types, error codes, group commit) lives in
// store/sqlite/ or store/postgres/; app/ is the only module that names a concrete backend.
//
//   JIANDU_ASSIGN_OR_RETURN(auto tx, store.Begin(store::TxMode::kReadWrite));
//   JIANDU_ASSIGN_OR_RETURN(store::Rows rows,
//                           tx->Query("SELECT id, name FROM person WHERE id = ?", {id}));
//   JIANDU_RETURN_IF_ERROR(tx->Exec("UPDATE person SET name = ? WHERE id = ?", {name, id}));
//   JIANDU_RETURN_IF_ERROR(tx->Commit());   // durable when it returns OK
//
// A Tx that is destroyed without Commit() rolls back. A Tx is used by one thread at a time and
// must be destroyed before its Store; a thread must not open a second read-write Tx while it
// holds one (writers are serialised: it would wait for itself). Store is thread-safe.
//
// After a statement fails, the transaction can only be rolled back: further calls fail with
// failed_precondition and Commit rolls back and returns the first error (both backends).
// Read-write transactions do not interleave, so a value read in one cannot be changed by
// another before it commits; read-only transactions see one snapshot and never wait.
//
// Portable SQL notes: LIKE is case-sensitive for ASCII on PostgreSQL only (match Chinese text,
// or normalise case yourself); SUM/AVG come back as doubles on PostgreSQL; compare TEXT columns
// with text parameters; text must be valid UTF-8 without NUL bytes; never insert explicit
// values into an {{id}} column.
//
// Error codes returned by Exec/Query/Commit:
//   conflict            a UNIQUE constraint was violated, or a serialization failure (retry)
//   failed_precondition a FOREIGN KEY, CHECK or NOT NULL constraint was violated, a write in a
//                       read-only Tx, or any call after an earlier failure
//   unavailable         the database is busy, unreachable or out of space
//   internal            anything else (bad SQL is a bug)
#pragma once

#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "store/value.h"

namespace jiandu::store {

enum class TxMode { kReadOnly, kReadWrite };

// One result row seen in place, without copying: for scanning many rows (audit verification,
// exports). Text is valid only during the ForEachRow callback that received the view.
class RowView {
 public:
  virtual ~RowView() = default;
  virtual size_t size() const = 0;
  virtual bool IsNull(size_t i) const = 0;
  // An integer column (0 for NULL).
  virtual int64_t Int(size_t i) const = 0;
  // A text column's UTF-8 bytes ("" for NULL). Not for binary columns.
  virtual std::string_view Text(size_t i) const = 0;
};

class Tx {
 public:
  virtual ~Tx() = default;

  // Runs a statement; returns the number of rows changed (0 for DDL).
  virtual Result<int64_t> Exec(std::string_view sql, std::span<const Value> params) = 0;
  // Runs a query; returns all result rows.
  virtual Result<Rows> Query(std::string_view sql, std::span<const Value> params) = 0;
  // Makes the transaction's writes durable and visible. After Commit (OK or not) the Tx is
  // finished; further calls fail with failed_precondition.
  virtual Status Commit() = 0;
  // Discards the transaction's writes. Safe to call more than once.
  virtual void Rollback() = 0;
  // Runs several `;`-separated statements without parameters (migrations, test set-up).
  virtual Status ExecScript(std::string_view sql) = 0;
  // Runs a query and hands each row to `fn` in place; stops at the first error `fn` returns
  // and returns it. Much cheaper than Query for large results (no copy of any cell).
  virtual Status ForEachRow(std::string_view sql, std::span<const Value> params,
                            const std::function<Status(const RowView&)>& fn) = 0;

  Result<int64_t> Exec(std::string_view sql, std::initializer_list<Value> params = {}) {
    return Exec(sql, std::span<const Value>(params.begin(), params.size()));
  }
  Result<Rows> Query(std::string_view sql, std::initializer_list<Value> params = {}) {
    return Query(sql, std::span<const Value>(params.begin(), params.size()));
  }
  // The first row, or nullopt when the query returns none.
  Result<std::optional<Row>> QueryOne(std::string_view sql, std::initializer_list<Value> params = {});
  Result<std::optional<Row>> QueryOne(std::string_view sql, std::span<const Value> params);
};

// A schema change owned by one module. `sql` is portable SQL, several statements separated by
// `;`, in which two tokens are replaced by the backend:
//   {{id}}    an auto-assigned 64-bit integer primary key column type
//             (SQLite: INTEGER PRIMARY KEY; PostgreSQL: BIGINT GENERATED BY DEFAULT AS IDENTITY
//             PRIMARY KEY)
//   {{blob}}  a binary column type (SQLite: BLOB; PostgreSQL: BYTEA)
//   {{int64_pk}} a 64-bit integer primary key the caller assigns (SQLite: INTEGER PRIMARY KEY,
//             which makes it the table's rowid, so scans in key order are sequential;
//             PostgreSQL: BIGINT PRIMARY KEY)
// Applied migrations are recorded with a checksum; changing an applied one is refused.
struct Migration {
  std::string module;   // "registry"
  int version = 0;      // 1, 2, ... within the module
  std::string name;     // "people and appointments"
  std::string sql;
};

class Store {
 public:
  virtual ~Store() = default;

  // Starts a transaction. Read-write transactions see their own writes; read-only ones see a
  // consistent snapshot. May block while other writers hold the database (SQLite has one).
  virtual Result<std::unique_ptr<Tx>> Begin(TxMode mode) = 0;

  // Runs `fn` in a read-write transaction and commits it if `fn` returns OK (rolls back
  // otherwise); returns fn's error or the commit's. `fn` must not call Commit or Rollback, and
  // may run on another thread than the caller's: a backend may run the write transactions
  // queued by several threads back to back on one thread and commit them together (SQLite
  // does). The default opens a transaction with Begin. RunInTransaction(kReadWrite) calls it.
  virtual Status RunWrite(const std::function<Status(Tx&)>& fn);

  // RunWrite without waiting: `fn` runs as RunWrite would run it, and `done` is called once with
  // its outcome (fn's error or the commit's), on whichever thread finished the write — possibly
  // this one, before RunWriteAsync returns. A server answers a request from `done` instead of
  // parking a thread per write while the group commit's fsync runs (docs/benchmarks.md,
  // "Ballot"). `done` must not block. The default runs RunWrite and then `done` on this thread.
  virtual void RunWriteAsync(std::function<Status(Tx&)> fn, std::function<void(Status)> done);

  // Applies, in order and each in its own transaction, the migrations not yet applied
  // (see store/migrate.h). failed_precondition if an applied migration's checksum differs.
  virtual Status Migrate(std::span<const Migration> migrations) = 0;

  // "sqlite" or "postgres": for logs, `jiandu --version` and test names, never for branching.
  virtual std::string_view backend_name() const = 0;
};

// Runs `fn(tx)` in a transaction and commits if it returns OK; rolls back otherwise.
// Returns fn's error, or the commit error.
Status RunInTransaction(Store& store, TxMode mode, const std::function<Status(Tx&)>& fn);

// As RunInTransaction, returning fn's value after a successful commit.
template <typename T>
Result<T> RunInTransaction(Store& store, TxMode mode, const std::function<Result<T>(Tx&)>& fn) {
  std::optional<Result<T>> out;
  JIANDU_RETURN_IF_ERROR(RunInTransaction(store, mode, [&](Tx& tx) -> Status {
    out.emplace(fn(tx));
    return out->ok() ? Status::Ok() : out->status();
  }));
  return std::move(*out);
}

// Escapes `%`, `_` and `\` so user text can be used inside `LIKE ? ESCAPE '\'`.
std::string EscapeLike(std::string_view text);

// A portable condition "`column` starts with a prefix", for materialized paths, with its two
// parameters appended by AppendStartsWith. Prefer it to `LIKE 'prefix%'` on hot paths: SQLite
// re-prepares a statement whose LIKE pattern is a bound parameter at every execution (its LIKE
// optimisation depends on the value), which costs more than the query itself.
//   sql += " AND " + store::StartsWith("p.org_path");
//   store::AppendStartsWith(params, who.org_path);
std::string StartsWith(std::string_view column);
void AppendStartsWith(std::vector<Value>& params, std::string_view prefix);

}  // namespace jiandu::store
