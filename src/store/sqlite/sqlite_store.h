// The SQLite backend: one database file, WAL journal, synchronous=FULL, foreign keys on.
//
//   JIANDU_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> db,
//                           store::OpenSqliteStore({.path = "data/jiandu.db"}));
//
// Readers use a pool of connections and never block writers (WAL). Writers are serialised on
// one connection and share commits (group commit): each read-write Tx runs inside a SAVEPOINT of
// a batch transaction; Commit() releases the savepoint and returns once the batch's COMMIT is
// durable, so N concurrent writers cost about one fsync instead of N. A failed or rolled-back
// Tx rolls back to its savepoint and never affects the others in its batch.
#pragma once

#include <memory>
#include <string>

#include "core/result.h"
#include "store/store.h"

namespace jiandu::store {

struct SqliteOptions {
  std::string path;              // database file; created if missing. ":memory:" is refused.
  int reader_connections = 4;    // pool size for read-only transactions
  int busy_timeout_ms = 5000;    // wait this long for a lock held by another process
  int max_batch = 256;           // most transactions sharing one COMMIT
  bool durable = true;           // synchronous=FULL; only throwaway test stores turn it off
};

// unavailable if the file cannot be opened or is not a database.
Result<std::unique_ptr<Store>> OpenSqliteStore(const SqliteOptions& options);

}  // namespace jiandu::store
