#include "store/sqlite/sqlite_store.h"

#include <sqlite3.h>

#include <condition_variable>
#include <list>
#include <map>
#include <deque>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "store/migrate.h"

namespace jiandu::store {
namespace {

constexpr Dialect kSqliteDialect{"INTEGER PRIMARY KEY", "BLOB", "INTEGER PRIMARY KEY"};
constexpr size_t kStatementCacheSize = 128;

Status FromSqlite(sqlite3* db, int rc, std::string_view what) {
  int ext = sqlite3_extended_errcode(db);
  std::string msg(what);
  msg += ": ";
  msg += sqlite3_errmsg(db);
  switch (ext) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      return Status::Conflict(msg);
    case SQLITE_CONSTRAINT_FOREIGNKEY:
    case SQLITE_CONSTRAINT_CHECK:
    case SQLITE_CONSTRAINT_NOTNULL:
      return Status::FailedPrecondition(msg);
    default:
      break;
  }
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_NOMEM:
      return Status::Unavailable(msg);
    case SQLITE_READONLY:
      return Status::FailedPrecondition(msg);
    default:
      return Status::Internal(msg);
  }
}

class SqliteRowView : public RowView {
 public:
  explicit SqliteRowView(sqlite3_stmt* stmt) : stmt_(stmt) {}
  size_t size() const override { return static_cast<size_t>(sqlite3_column_count(stmt_)); }
  bool IsNull(size_t i) const override {
    return sqlite3_column_type(stmt_, static_cast<int>(i)) == SQLITE_NULL;
  }
  int64_t Int(size_t i) const override { return sqlite3_column_int64(stmt_, static_cast<int>(i)); }
  std::string_view Text(size_t i) const override {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, static_cast<int>(i)));
    return p ? std::string_view(p, sqlite3_column_bytes(stmt_, static_cast<int>(i)))
             : std::string_view();
  }

 private:
  sqlite3_stmt* stmt_;
};

// One SQLite connection with a small LRU cache of prepared statements.
class Connection {
 public:
  ~Connection() {
    for (auto& [sql, stmt] : cache_) {
      sqlite3_finalize(stmt.first);
    }
    sqlite3_close_v2(db_);
  }

  static Result<std::unique_ptr<Connection>> Open(const SqliteOptions& o, bool reader) {
    sqlite3* db = nullptr;
    int rc = sqlite3_open_v2(o.path.c_str(), &db,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                             nullptr);
    auto conn = std::unique_ptr<Connection>(new Connection(db));
    if (rc != SQLITE_OK) {
      return Status::Unavailable(std::string("cannot open database: ") + sqlite3_errstr(rc));
    }
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, o.busy_timeout_ms);
    std::string pragmas = "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;"
                          "PRAGMA cache_size=-16000;";
    pragmas += o.durable ? "PRAGMA synchronous=FULL;" : "PRAGMA synchronous=OFF;";
    if (reader) {
      pragmas += "PRAGMA query_only=ON;";
    }
    JIANDU_RETURN_IF_ERROR(conn->Script(pragmas));
    return conn;
  }

  sqlite3* db() const { return db_; }

  Status Script(std::string_view sql) {
    std::string text(sql);
    char* err = nullptr;
    int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err);
    sqlite3_free(err);
    if (rc != SQLITE_OK) {
      return FromSqlite(db_, rc, "script");
    }
    return Status::Ok();
  }

  // Prepares (or reuses) `sql`, binds `params`, steps through all rows, copying them into
  // `rows` (which may be null) or handing them to `each` in place.
  Result<int64_t> Run(std::string_view sql, std::span<const Value> params, Rows* rows,
                      const std::function<Status(const RowView&)>* each = nullptr) {
    JIANDU_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, Prepare(sql));
    struct Reset {
      sqlite3_stmt* s;
      ~Reset() {
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
      }
    } reset{stmt};
    if (static_cast<int>(params.size()) != sqlite3_bind_parameter_count(stmt)) {
      return Status::Internal("statement expects " +
                              std::to_string(sqlite3_bind_parameter_count(stmt)) +
                              " parameters, got " + std::to_string(params.size()));
    }
    for (size_t i = 0; i < params.size(); ++i) {
      JIANDU_RETURN_IF_ERROR(Bind(stmt, static_cast<int>(i + 1), params[i]));
    }
    for (;;) {
      int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) {
        break;
      }
      if (rc != SQLITE_ROW) {
        return FromSqlite(db_, rc, "statement");
      }
      if (rows != nullptr) {
        rows->push_back(ReadRow(stmt));
      }
      if (each != nullptr) {
        JIANDU_RETURN_IF_ERROR((*each)(SqliteRowView(stmt)));
      }
    }
    return static_cast<int64_t>(sqlite3_changes64(db_));
  }

 private:
  explicit Connection(sqlite3* db) : db_(db) {}

  Result<sqlite3_stmt*> Prepare(std::string_view sql) {
    std::string key(sql);
    auto it = cache_.find(key);
    if (it != cache_.end()) {
      lru_.splice(lru_.begin(), lru_, it->second.second);
      return it->second.first;
    }
    sqlite3_stmt* stmt = nullptr;
    const char* tail = nullptr;
    int rc = sqlite3_prepare_v3(db_, key.data(), static_cast<int>(key.size()),
                                SQLITE_PREPARE_PERSISTENT, &stmt, &tail);
    if (rc != SQLITE_OK) {
      return FromSqlite(db_, rc, "prepare");
    }
    if (stmt == nullptr) {
      return Status::Internal("empty statement");
    }
    if (cache_.size() >= kStatementCacheSize) {
      auto victim = cache_.find(lru_.back());
      sqlite3_finalize(victim->second.first);
      cache_.erase(victim);
      lru_.pop_back();
    }
    lru_.push_front(key);
    cache_.emplace(key, std::make_pair(stmt, lru_.begin()));
    return stmt;
  }

  Status Bind(sqlite3_stmt* stmt, int index, const Value& v) {
    int rc = SQLITE_OK;
    if (v.is_null()) {
      rc = sqlite3_bind_null(stmt, index);
    } else if (v.is_int()) {
      rc = sqlite3_bind_int64(stmt, index, v.AsInt());
    } else if (v.is_double()) {
      rc = sqlite3_bind_double(stmt, index, v.AsDouble());
    } else if (v.is_text()) {
      const auto& s = std::get<std::string>(v.rep());
      rc = sqlite3_bind_text64(stmt, index, s.data(), s.size(), SQLITE_STATIC, SQLITE_UTF8);
    } else {
      const auto& b = v.AsBlob();
      rc = sqlite3_bind_blob64(stmt, index, b.bytes.data(), b.bytes.size(), SQLITE_STATIC);
    }
    if (rc != SQLITE_OK) {
      return FromSqlite(db_, rc, "bind");
    }
    return Status::Ok();
  }

  static Row ReadRow(sqlite3_stmt* stmt) {
    int n = sqlite3_column_count(stmt);
    std::vector<Value> values;
    values.reserve(n);
    for (int i = 0; i < n; ++i) {
      switch (sqlite3_column_type(stmt, i)) {
        case SQLITE_INTEGER:
          values.emplace_back(static_cast<int64_t>(sqlite3_column_int64(stmt, i)));
          break;
        case SQLITE_FLOAT:
          values.emplace_back(sqlite3_column_double(stmt, i));
          break;
        case SQLITE_TEXT: {
          auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
          values.emplace_back(std::string(p, sqlite3_column_bytes(stmt, i)));
          break;
        }
        case SQLITE_BLOB: {
          auto* p = static_cast<const char*>(sqlite3_column_blob(stmt, i));
          int len = sqlite3_column_bytes(stmt, i);
          values.emplace_back(Blob{std::string(p ? p : "", len)});
          break;
        }
        default:
          values.emplace_back();
      }
    }
    return Row(std::move(values));
  }

  sqlite3* db_;
  std::list<std::string> lru_;
  std::unordered_map<std::string, std::pair<sqlite3_stmt*, std::list<std::string>::iterator>>
      cache_;
};

class SqliteStore;

class SqliteTx : public Tx {
 public:
  // `combined`: a write run by SqliteStore::RunWrite inside its savepoint; the store, not the
  // Tx, releases or rolls back the savepoint and ends the writer's turn.
  SqliteTx(SqliteStore* store, Connection* conn, bool writer, bool combined = false)
      : store_(store), conn_(conn), writer_(writer), combined_(combined) {}
  ~SqliteTx() override { Rollback(); }

  Result<int64_t> Exec(std::string_view sql, std::span<const Value> params) override;
  Result<Rows> Query(std::string_view sql, std::span<const Value> params) override;
  Status ExecScript(std::string_view sql) override;
  Status ForEachRow(std::string_view sql, std::span<const Value> params,
                    const std::function<Status(const RowView&)>& fn) override;
  Status Commit() override;
  void Rollback() override;

  // For a combined Tx after its function returned OK: the error that must still roll it back
  // (a failed statement the function ignored, or a batch the database rolled back).
  Status Outcome() const {
    if (broken_) {
      return Status::Unavailable("transaction was rolled back by the database");
    }
    return first_error_;
  }

 private:
  Status CheckOpen() const {
    if (conn_ == nullptr) {
      return Status::FailedPrecondition("transaction already finished");
    }
    if (broken_) {
      return Status::Unavailable("transaction was rolled back by the database");
    }
    if (!first_error_.ok()) {
      return Status::FailedPrecondition("the transaction failed earlier; roll it back");
    }
    return Status::Ok();
  }
  Status AfterError(Status s);

  SqliteStore* store_;
  Connection* conn_;
  bool writer_;
  bool combined_;
  bool broken_ = false;
  Status first_error_;  // the first failed statement; the Tx can then only roll back
};

class SqliteStore : public Store {
 public:
  explicit SqliteStore(SqliteOptions o) : options_(std::move(o)) {}

  Status Init() {
    JIANDU_ASSIGN_OR_RETURN(writer_, Connection::Open(options_, /*reader=*/false));
    // WAL lets readers proceed while the writer works; it persists in the file.
    JIANDU_RETURN_IF_ERROR(writer_->Script("PRAGMA journal_mode=WAL;"));
    JIANDU_ASSIGN_OR_RETURN(Rows rows, RunOnWriter("PRAGMA journal_mode"));
    if (rows.empty() || rows[0].Text(0) != "wal") {
      return Status::Unavailable("could not switch the database to WAL mode");
    }
    return Status::Ok();
  }

  Result<std::unique_ptr<Tx>> Begin(TxMode mode) override {
    if (mode == TxMode::kReadOnly) {
      JIANDU_ASSIGN_OR_RETURN(Connection * c, AcquireReader());
      Status s = c->Script("BEGIN");
      if (!s.ok()) {
        ReleaseReader(c);
        return s;
      }
      return std::unique_ptr<Tx>(new SqliteTx(this, c, false));
    }
    LockWriter();
    Status s = OpenSavepoint();
    if (!s.ok()) {
      EndWriterTurn();
      return s;
    }
    return std::unique_ptr<Tx>(new SqliteTx(this, writer_.get(), true));
  }

  // Flat combining: a thread whose write finds no other RunWrite in progress becomes the
  // combiner. It takes the writer connection once and runs every queued write, each in its own
  // savepoint, back to back on its own thread, then commits them with one COMMIT (one fsync)
  // and wakes their callers. Callers that arrive meanwhile only queue and sleep: the writer
  // connection is not handed from thread to thread for every transaction, which on a busy
  // 2-CPU machine cost more than the transactions themselves (docs/benchmarks.md, "Ballot").
  // When its own write is done the combiner passes the role to the first queued caller.
  Status RunWrite(const std::function<Status(Tx&)>& fn) override {
    WriteRequest me{.fn = &fn};
    std::unique_lock<std::mutex> l(queue_mu_);
    queue_.push_back(&me);
    if (combining_) {
      me.cv.wait(l, [&] { return me.done || me.lead; });
      if (me.done) {
        return me.result;
      }
    }
    combining_ = true;
    Combine(l, [&] { return me.done; });
    return me.result;
  }

  // Queues the write; the thread that finds no combiner at work combines (this one, then).
  // Nothing waits for the outcome: the combiner calls `done` after the batch's COMMIT.
  void RunWriteAsync(std::function<Status(Tx&)> fn, std::function<void(Status)> done) override {
    auto* request = new WriteRequest;  // deleted by CombineQueued after calling `done`
    request->owned_fn = std::move(fn);
    request->fn = &request->owned_fn;
    request->on_done = std::move(done);
    std::unique_lock<std::mutex> l(queue_mu_);
    queue_.push_back(request);
    if (combining_) {
      return;
    }
    combining_ = true;
    Combine(l, [] { return true; });
  }

  Status Migrate(std::span<const Migration> migrations) override {
    return ApplyMigrations(*this, migrations, kSqliteDialect);
  }

  std::string_view backend_name() const override { return "sqlite"; }

  // Called by a writer Tx holding writer_mu_ once its savepoint is released. Returns when the
  // batch containing it is durable (or failed).
  Status CommitWriter() {
    Status released = writer_->Script("RELEASE jiandu_tx");
    if (!released.ok()) {
      AbortWriter();
      return released;
    }
    Waiter me;
    {
      std::lock_guard<std::mutex> l(batch_mu_);
      ++batch_members_;
      batch_waiters_.push_back(&me);
    }
    EndWriterTurn();
    std::unique_lock<std::mutex> l(batch_mu_);
    batch_cv_.wait(l, [&] { return me.done; });
    return me.result;
  }

  // Called by a writer Tx holding writer_mu_ to discard its work.
  void AbortWriter() {
    if (batch_open_ && !sqlite3_get_autocommit(writer_->db())) {
      if (!writer_->Script("ROLLBACK TO jiandu_tx; RELEASE jiandu_tx").ok()) {
        SyncBatchState();
      }
    }
    SyncBatchState();
    EndWriterTurn();
  }

  // If an error made SQLite roll back the whole batch transaction, the batch has failed:
  // tell its waiting members and start afresh.
  // Returns true if the batch was lost.
  bool SyncBatchState() {
    if (batch_open_ && sqlite3_get_autocommit(writer_->db())) {
      batch_open_ = false;
      FinishBatch(Status::Unavailable("the database rolled back a batch of transactions"));
      return true;
    }
    return false;
  }

  void ReleaseReader(Connection* c) {
    std::lock_guard<std::mutex> l(readers_mu_);
    idle_readers_.push_back(c);
    readers_cv_.notify_one();
  }

 private:
  Result<Rows> RunOnWriter(std::string_view sql) {
    Rows rows;
    JIANDU_RETURN_IF_ERROR(writer_->Run(sql, {}, &rows));
    return rows;
  }

  // Ends the current writer's turn: commits the batch when no other writer is queued (or the
  // batch is full), then hands the writer connection on.
  void EndWriterTurn() {
    bool commit_now = false;
    {
      std::lock_guard<std::mutex> l(batch_mu_);
      commit_now = batch_open_ && (waiting_writers_ == 0 || batch_members_ >= options_.max_batch);
    }
    if (commit_now) {
      CommitBatch();
    }
    writer_mu_.unlock();
  }

  // With the writer held and a batch open: commits it and tells its members the outcome.
  void CommitBatch() {
    Status s = writer_->Script("COMMIT");
    if (!s.ok() && !sqlite3_get_autocommit(writer_->db())) {
      (void)writer_->Script("ROLLBACK");
    }
    batch_open_ = false;
    FinishBatch(s);
  }

  // Takes the writer connection, counted as waiting meanwhile (a writer that finds others
  // waiting leaves its batch open for them).
  void LockWriter() {
    {
      std::lock_guard<std::mutex> l(batch_mu_);
      ++waiting_writers_;
    }
    writer_mu_.lock();
    {
      std::lock_guard<std::mutex> l(batch_mu_);
      --waiting_writers_;
    }
  }

  // With the writer held: opens the batch transaction if none is open, then a savepoint for
  // one write. On failure the batch state is brought in line with the database.
  Status OpenSavepoint() {
    Status s = Status::Ok();
    if (!batch_open_) {
      s = writer_->Script("BEGIN IMMEDIATE");
      batch_open_ = s.ok();
    }
    if (s.ok()) {
      s = writer_->Script("SAVEPOINT jiandu_tx");
    }
    if (!s.ok()) {
      SyncBatchState();
    }
    return s;
  }

  // One caller of RunWrite (waiting on `cv`) or of RunWriteAsync (`on_done` set, owned by the
  // queue), queued for the combiner.
  struct WriteRequest {
    const std::function<Status(Tx&)>* fn = nullptr;
    Status result;
    bool done = false;  // result is final
    bool lead = false;  // this caller is to become the combiner
    std::condition_variable cv;  // waited on with queue_mu_
    std::function<Status(Tx&)> owned_fn;    // RunWriteAsync's
    std::function<void(Status)> on_done;    // RunWriteAsync's
    bool async() const { return static_cast<bool>(on_done); }
  };

  // The combiner's loop, entered with `l` held and combining_ set: combines batches until
  // `finished()` (its own write is done), then goes on while the next queued write is an
  // asynchronous one (nobody else would run it), and finally hands the role to the first queued
  // synchronous caller, or clears combining_ when the queue is empty.
  template <typename Finished>
  void Combine(std::unique_lock<std::mutex>& l, Finished finished) {
    do {
      l.unlock();
      CombineQueued();
      l.lock();
    } while (!finished() || (!queue_.empty() && queue_.front()->async()));
    if (queue_.empty()) {
      combining_ = false;
    } else {
      queue_.front()->lead = true;
      queue_.front()->cv.notify_one();
    }
  }

  // Runs the queued writes (as many as arrive while it works, up to max_batch) on the writer
  // connection, commits them together and tells each caller its outcome.
  void CombineQueued() {
    LockWriter();
    struct Member {
      WriteRequest* request;
      Waiter waiter;  // filled in by FinishBatch when its COMMIT ends
      Status refused;  // its own failure; not part of the commit
      bool pending = false;
    };
    std::deque<Member> members;  // stable addresses: batch_waiters_ points into it
    for (;;) {
      WriteRequest* request = nullptr;
      {
        std::lock_guard<std::mutex> l(queue_mu_);
        if (queue_.empty() || static_cast<int>(members.size()) >= options_.max_batch) {
          break;
        }
        request = queue_.front();
        queue_.pop_front();
      }
      Member& m = members.emplace_back(Member{.request = request});
      m.refused = RunCombined(*request->fn);
      if (m.refused.ok()) {
        m.pending = true;
        std::lock_guard<std::mutex> l(batch_mu_);
        ++batch_members_;
        batch_waiters_.push_back(&m.waiter);
      }
    }
    if (batch_open_) {
      CommitBatch();
    }
    writer_mu_.unlock();
    std::vector<WriteRequest*> finished_async;
    {
      std::lock_guard<std::mutex> l(queue_mu_);
      for (Member& m : members) {
        m.request->result = m.pending ? m.waiter.result : m.refused;
        m.request->done = true;
        if (m.request->async()) {
          finished_async.push_back(m.request);
        } else {
          m.request->cv.notify_one();
        }
      }
    }
    // Outside the queue's lock: a completion may queue the next write.
    for (WriteRequest* request : finished_async) {
      request->on_done(request->result);
      delete request;
    }
  }

  // One queued write inside its savepoint of the open batch (opening the batch if needed).
  // Returns OK when its savepoint was released (its outcome is then the batch's COMMIT).
  Status RunCombined(const std::function<Status(Tx&)>& fn) {
    JIANDU_RETURN_IF_ERROR(OpenSavepoint());
    SqliteTx tx(this, writer_.get(), /*writer=*/true, /*combined=*/true);
    Status r = fn(tx);
    if (r.ok()) {
      r = tx.Outcome();
    }
    if (r.ok()) {
      r = writer_->Script("RELEASE jiandu_tx");
    }
    if (!r.ok() && batch_open_ && !sqlite3_get_autocommit(writer_->db())) {
      (void)writer_->Script("ROLLBACK TO jiandu_tx; RELEASE jiandu_tx");
    }
    SyncBatchState();
    return r;
  }

  // Tells every member of the current batch its outcome.
  void FinishBatch(const Status& result) {
    std::lock_guard<std::mutex> l(batch_mu_);
    for (Waiter* w : batch_waiters_) {
      w->result = result;
      w->done = true;
    }
    batch_waiters_.clear();
    batch_members_ = 0;
    batch_cv_.notify_all();
  }

  Result<Connection*> AcquireReader() {
    std::unique_lock<std::mutex> l(readers_mu_);
    if (idle_readers_.empty() && static_cast<int>(readers_.size()) < options_.reader_connections) {
      l.unlock();
      JIANDU_ASSIGN_OR_RETURN(std::unique_ptr<Connection> c,
                              Connection::Open(options_, /*reader=*/true));
      l.lock();
      readers_.push_back(std::move(c));
      return readers_.back().get();
    }
    readers_cv_.wait(l, [&] { return !idle_readers_.empty(); });
    Connection* c = idle_readers_.back();
    idle_readers_.pop_back();
    return c;
  }

  SqliteOptions options_;

  std::mutex writer_mu_;  // held by the writer Tx from Begin to Commit/Rollback
  std::unique_ptr<Connection> writer_;
  bool batch_open_ = false;  // BEGIN issued on writer_; guarded by writer_mu_

  // A committed Tx waiting for its batch's COMMIT.
  struct Waiter {
    Status result;
    bool done = false;
  };
  std::mutex batch_mu_;
  std::condition_variable batch_cv_;
  int waiting_writers_ = 0;              // guarded by batch_mu_
  int batch_members_ = 0;                // guarded by batch_mu_
  std::vector<Waiter*> batch_waiters_;   // guarded by batch_mu_

  std::mutex queue_mu_;
  std::deque<WriteRequest*> queue_;  // guarded by queue_mu_
  bool combining_ = false;           // a thread is running RunWrite's queue; guarded by queue_mu_

  std::mutex readers_mu_;
  std::condition_variable readers_cv_;
  std::vector<std::unique_ptr<Connection>> readers_;  // guarded by readers_mu_
  std::vector<Connection*> idle_readers_;             // guarded by readers_mu_
};

Status SqliteTx::AfterError(Status s) {
  // Like PostgreSQL, a failed statement ends the transaction's usefulness: the caller must
  // roll back, never commit a transaction that has lost one of its statements.
  if (first_error_.ok()) {
    first_error_ = s;
  }
  if (writer_ && store_->SyncBatchState()) {
    // SQLite rolled back the whole batch (I/O error, disk full): this Tx's earlier writes are
    // gone, so it must not go on in autocommit mode.
    broken_ = true;
  }
  return s;
}

Result<int64_t> SqliteTx::Exec(std::string_view sql, std::span<const Value> params) {
  JIANDU_RETURN_IF_ERROR(CheckOpen());
  Result<int64_t> r = conn_->Run(sql, params, nullptr);
  if (!r.ok()) {
    return AfterError(r.status());
  }
  return r;
}

Result<Rows> SqliteTx::Query(std::string_view sql, std::span<const Value> params) {
  JIANDU_RETURN_IF_ERROR(CheckOpen());
  Rows rows;
  Result<int64_t> r = conn_->Run(sql, params, &rows);
  if (!r.ok()) {
    return AfterError(r.status());
  }
  return rows;
}

Status SqliteTx::ForEachRow(std::string_view sql, std::span<const Value> params,
                            const std::function<Status(const RowView&)>& fn) {
  JIANDU_RETURN_IF_ERROR(CheckOpen());
  Result<int64_t> r = conn_->Run(sql, params, nullptr, &fn);
  if (!r.ok()) {
    return AfterError(r.status());
  }
  return Status::Ok();
}

Status SqliteTx::ExecScript(std::string_view sql) {
  JIANDU_RETURN_IF_ERROR(CheckOpen());
  Status s = conn_->Script(sql);
  if (!s.ok()) {
    return AfterError(s);
  }
  return s;
}

Status SqliteTx::Commit() {
  if (conn_ != nullptr && broken_) {
    Rollback();
    return Status::Unavailable("transaction was rolled back by the database");
  }
  if (conn_ != nullptr && !first_error_.ok()) {
    Rollback();
    return first_error_;
  }
  if (combined_) {
    return Status::Internal("a transaction run by RunWrite is committed by RunWrite");
  }
  JIANDU_RETURN_IF_ERROR(CheckOpen());
  Connection* c = conn_;
  conn_ = nullptr;
  if (!writer_) {
    Status s = c->Script("COMMIT");
    if (!s.ok()) {
      (void)c->Script("ROLLBACK");
    }
    store_->ReleaseReader(c);
    return s;
  }
  return store_->CommitWriter();
}

void SqliteTx::Rollback() {
  if (conn_ == nullptr) {
    return;
  }
  Connection* c = conn_;
  conn_ = nullptr;
  if (combined_) {
    return;  // RunWrite rolls back to the savepoint
  }
  if (!writer_) {
    (void)c->Script("ROLLBACK");
    store_->ReleaseReader(c);
    return;
  }
  store_->AbortWriter();
}

}  // namespace

Result<std::unique_ptr<Store>> OpenSqliteStore(const SqliteOptions& options) {
  if (options.path.empty() || options.path == ":memory:" ||
      options.path.rfind("file::memory:", 0) == 0) {
    return Status::InvalidArgument("path", "an in-memory SQLite database cannot be shared; use a file");
  }
  auto store = std::make_unique<SqliteStore>(options);
  JIANDU_RETURN_IF_ERROR(store->Init());
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace jiandu::store
