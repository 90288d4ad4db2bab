#include "store/postgres/postgres_store.h"

#include <libpq-fe.h>

#include <cctype>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <utility>
#include <vector>

#include "store/migrate.h"

namespace jiandu::store {
namespace {

// Type OIDs fixed by PostgreSQL's catalog (pg_type.dat); they never change between versions.
constexpr Oid kBoolOid = 16;
constexpr Oid kByteaOid = 17;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;
constexpr Oid kFloat4Oid = 700;
constexpr Oid kFloat8Oid = 701;
constexpr Oid kNumericOid = 1700;

constexpr int kTextFormat = 0;
constexpr int kBinaryFormat = 1;

// How long Begin waits for a connection when all pool_size are in use. Long enough for any
// sane transaction to finish; a caller that waits longer is more likely deadlocked (a thread
// holding a Tx and asking for a second one) and gets unavailable instead of hanging forever.
constexpr std::chrono::seconds kAcquireTimeout(60);

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using PgResult = std::unique_ptr<PGresult, ResultDeleter>;

struct ConnDeleter {
  void operator()(PGconn* c) const { PQfinish(c); }
};
using PgConn = std::unique_ptr<PGconn, ConnDeleter>;

// libpq's messages span lines ("...\n\tIs the server running locally..."); logs want one.
std::string OneLine(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      if (!out.empty() && out.back() != ' ') {
        out += ' ';
      }
    } else {
      out += c;
    }
  }
  if (!out.empty() && out.back() == ' ') {
    out.pop_back();
  }
  return out;
}

std::string ConnectionError(const PGconn* conn) {
  return conn != nullptr ? OneLine(PQerrorMessage(conn)) : "out of memory";
}

// ---- `?` placeholders -------------------------------------------------------------------------

bool IsIdentifierChar(char c) {
  auto u = static_cast<unsigned char>(c);
  return std::isalnum(u) || c == '_' || c == '$' || u >= 0x80;
}

// End of a quoted run that opens at sql[start]: doubled quotes stay inside, and so does a
// backslash-escaped character when `backslash_escapes` (E'' strings).
size_t SkipQuoted(std::string_view sql, size_t start, char quote, bool backslash_escapes) {
  for (size_t i = start + 1; i < sql.size(); ++i) {
    if (backslash_escapes && sql[i] == '\\') {
      ++i;
    } else if (sql[i] == quote) {
      if (i + 1 < sql.size() && sql[i + 1] == quote) {
        ++i;
      } else {
        return i + 1;
      }
    }
  }
  return sql.size();
}

// End of a /* */ comment opening at sql[start]; PostgreSQL lets these nest.
size_t SkipBlockComment(std::string_view sql, size_t start) {
  int depth = 0;
  size_t i = start;
  while (i < sql.size()) {
    if (sql.compare(i, 2, "/*") == 0) {
      ++depth;
      i += 2;
    } else if (sql.compare(i, 2, "*/") == 0) {
      i += 2;
      if (--depth == 0) {
        return i;
      }
    } else {
      ++i;
    }
  }
  return sql.size();
}

// End of a $tag$…$tag$ string opening at sql[start], or `start` if no dollar quote opens there
// ($1 is a parameter, not a tag).
size_t SkipDollarQuoted(std::string_view sql, size_t start) {
  size_t i = start + 1;
  if (i < sql.size() && std::isdigit(static_cast<unsigned char>(sql[i]))) {
    return start;
  }
  while (i < sql.size() && sql[i] != '$' && IsIdentifierChar(sql[i])) {
    ++i;
  }
  if (i >= sql.size() || sql[i] != '$') {
    return start;
  }
  std::string_view tag = sql.substr(start, i - start + 1);
  size_t close = sql.find(tag, i + 1);
  return close == std::string_view::npos ? sql.size() : close + tag.size();
}

// Rewrites each `?` outside literals, quoted identifiers and comments as $1, $2, ...
std::string RewritePlaceholders(std::string_view sql, int* count) {
  std::string out;
  out.reserve(sql.size() + 16);
  *count = 0;
  size_t i = 0;
  while (i < sql.size()) {
    char c = sql[i];
    char next = i + 1 < sql.size() ? sql[i + 1] : '\0';
    size_t end = i;
    if (c == '\'') {
      bool escape_string = i > 0 && (sql[i - 1] == 'E' || sql[i - 1] == 'e') &&
                           (i < 2 || !IsIdentifierChar(sql[i - 2]));
      end = SkipQuoted(sql, i, '\'', escape_string);
    } else if (c == '"') {
      end = SkipQuoted(sql, i, '"', false);
    } else if (c == '-' && next == '-') {
      end = sql.find('\n', i);
      end = end == std::string_view::npos ? sql.size() : end;
    } else if (c == '/' && next == '*') {
      end = SkipBlockComment(sql, i);
    } else if (c == '$' && (i == 0 || !IsIdentifierChar(sql[i - 1]))) {
      end = SkipDollarQuoted(sql, i);
    } else if (c == '?') {
      out += '$';
      out += std::to_string(++*count);
      ++i;
      continue;
    }
    if (end > i) {
      out.append(sql.substr(i, end - i));
      i = end;
    } else {
      out += c;
      ++i;
    }
  }
  return out;
}

// ---- parameters and results -------------------------------------------------------------------

// The libpq view of a parameter list. Pointers refer to the Values or to `numbers`, so this
// must not outlive the span it was built from.
struct BoundParams {
  std::vector<Oid> types;
  std::vector<const char*> values;
  std::vector<int> lengths;
  std::vector<int> formats;
  std::vector<std::string> numbers;
};

Status Bind(std::span<const Value> params, BoundParams& out) {
  size_t n = params.size();
  out.types.assign(n, 0);
  out.values.assign(n, nullptr);
  out.lengths.assign(n, 0);
  out.formats.assign(n, kTextFormat);
  out.numbers.assign(n, std::string());
  for (size_t i = 0; i < n; ++i) {
    const Value::Rep& rep = params[i].rep();
    if (const auto* v = std::get_if<int64_t>(&rep)) {
      out.types[i] = kInt8Oid;
      out.numbers[i] = std::to_string(*v);
      out.values[i] = out.numbers[i].c_str();
    } else if (const auto* d = std::get_if<double>(&rep)) {
      char buf[64];
      auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), *d);  // shortest exact form
      out.types[i] = kFloat8Oid;
      out.numbers[i].assign(buf, end);
      out.values[i] = out.numbers[i].c_str();
    } else if (const auto* s = std::get_if<std::string>(&rep)) {
      // Text parameters go by strlen and PostgreSQL text cannot hold NUL; refuse rather than
      // silently truncate.
      if (s->find('\0') != std::string::npos) {
        return Status::InvalidArgument("sql parameter " + std::to_string(i + 1),
                                       "text contains a NUL character");
      }
      out.values[i] = s->c_str();  // type 0: the server infers it from the context
    } else if (const auto* b = std::get_if<Blob>(&rep)) {
      out.types[i] = kByteaOid;
      out.values[i] = b->bytes.data();
      out.lengths[i] = static_cast<int>(b->bytes.size());
      out.formats[i] = kBinaryFormat;
    }
  }
  return Status::Ok();
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

// bytea in hex output format: "\x" followed by two hex digits per byte.
bool DecodeByteaHex(std::string_view text, std::string& out) {
  if (text.size() < 2 || text[0] != '\\' || text[1] != 'x' || text.size() % 2 != 0) {
    return false;
  }
  out.resize((text.size() - 2) / 2);
  for (size_t i = 0; i < out.size(); ++i) {
    int hi = HexDigit(text[2 + 2 * i]);
    int lo = HexDigit(text[3 + 2 * i]);
    if (hi < 0 || lo < 0) {
      return false;
    }
    out[i] = static_cast<char>(hi * 16 + lo);
  }
  return true;
}

Result<Value> ConvertField(const PGresult* res, int row, int col) {
  if (PQgetisnull(res, row, col)) {
    return Value();
  }
  const char* p = PQgetvalue(res, row, col);
  std::string_view text(p, static_cast<size_t>(PQgetlength(res, row, col)));
  Status bad = Status::Internal("postgres: cannot convert result column " + std::to_string(col));
  switch (PQftype(res, col)) {
    case kInt2Oid:
    case kInt4Oid:
    case kInt8Oid: {
      int64_t v = 0;
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
      if (ec != std::errc() || end != text.data() + text.size()) {
        return bad;
      }
      return Value(v);
    }
    case kFloat4Oid:
    case kFloat8Oid:
    case kNumericOid: {
      double v = 0;
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
      if (ec != std::errc() || end != text.data() + text.size()) {
        return bad;
      }
      return Value(v);
    }
    case kBoolOid:
      return Value(text == "t");
    case kByteaOid: {
      Blob blob;
      if (!DecodeByteaHex(text, blob.bytes)) {
        return bad;
      }
      return Value(std::move(blob));
    }
    default:
      return Value(std::string(text));
  }
}

Result<Rows> ConvertRows(const PGresult* res) {
  int rows = PQntuples(res);
  int cols = PQnfields(res);
  Rows out;
  out.reserve(static_cast<size_t>(rows));
  for (int r = 0; r < rows; ++r) {
    std::vector<Value> values;
    values.reserve(static_cast<size_t>(cols));
    for (int c = 0; c < cols; ++c) {
      JIANDU_ASSIGN_OR_RETURN(Value v, ConvertField(res, r, c));
      values.push_back(std::move(v));
    }
    out.emplace_back(std::move(values));
  }
  return out;
}

// ---- errors -----------------------------------------------------------------------------------

std::string DiagField(const PGresult* res, int code) {
  const char* v = PQresultErrorField(res, code);
  return v != nullptr ? v : "";
}

std::string Quoted(std::string_view kind, const std::string& name) {
  return name.empty() ? std::string() : " " + std::string(kind) + " \"" + name + "\"";
}

// Maps a failed result to a Status. The server's primary message is kept only for classes
// whose messages come from the SQL text: data exceptions (22), constraint violations (23) and
// raised errors (P0) can quote parameter values, which may be personal data.
Status StatusFromResult(const PGresult* res, const PGconn* conn) {
  std::string state = res != nullptr ? DiagField(res, PG_DIAG_SQLSTATE) : "";
  if (state.empty()) {
    // No SQLSTATE: libpq failed on this side, almost always because the connection broke.
    if (PQstatus(conn) != CONNECTION_OK) {
      return Status::Unavailable("postgres: connection lost: " + ConnectionError(conn));
    }
    return Status::Internal("postgres: " + ConnectionError(conn));
  }
  std::string suffix = " (SQLSTATE " + state + ")";
  std::string constraint = Quoted("constraint", DiagField(res, PG_DIAG_CONSTRAINT_NAME));
  std::string table = Quoted("on table", DiagField(res, PG_DIAG_TABLE_NAME));
  std::string column = Quoted("column", DiagField(res, PG_DIAG_COLUMN_NAME));
  std::string primary = DiagField(res, PG_DIAG_MESSAGE_PRIMARY);
  std::string_view cls = std::string_view(state).substr(0, 2);
  if (state == "23505") {
    return Status::Conflict("postgres: unique" + constraint + " violated" + table + suffix);
  }
  if (state == "23503") {
    return Status::FailedPrecondition("postgres: foreign key" + constraint + " violated" + table +
                                      suffix);
  }
  if (state == "23514") {
    return Status::FailedPrecondition("postgres: check" + constraint + " violated" + table +
                                      suffix);
  }
  if (state == "23502") {
    return Status::FailedPrecondition("postgres: NULL in NOT NULL" + column + table + suffix);
  }
  if (state == "25006") {
    return Status::FailedPrecondition("postgres: cannot write in a read-only transaction" + suffix);
  }
  if (state == "40001" || state == "40P01") {
    return Status::Conflict("postgres: serialization failure, retry the transaction" + suffix);
  }
  // 08P01 (protocol violation) is in the connection class but means a bug on this side.
  if ((cls == "08" && state != "08P01") || cls == "53" || state == "57P01" || state == "57P02" ||
      state == "57P03") {
    return Status::Unavailable("postgres: " + primary + suffix);
  }
  if (cls == "22" || cls == "23" || cls == "P0") {
    return Status::Internal("postgres: data error" + constraint + table + column + suffix);
  }
  return Status::Internal("postgres: " + primary + suffix);
}

Status CheckCommandOk(const PGresult* res, const PGconn* conn) {
  ExecStatusType st = PQresultStatus(res);
  if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_EMPTY_QUERY) {
    return Status::Ok();
  }
  return StatusFromResult(res, conn);
}

// ---- connections ------------------------------------------------------------------------------

Result<PgConn> Connect(const PostgresOptions& options) {
  std::string timeout = std::to_string(options.connect_timeout_s);
  // Later keywords override earlier ones: the caller's string may set its own connect_timeout,
  // but never the client encoding the conversions below rely on.
  const char* const keys[] = {"connect_timeout", "fallback_application_name", "dbname",
                              "client_encoding", nullptr};
  const char* const values[] = {timeout.c_str(), "jiandu", options.conninfo.c_str(), "UTF8",
                                nullptr};
  PgConn conn(PQconnectdbParams(keys, values, /*expand_dbname=*/1));
  if (conn == nullptr || PQstatus(conn.get()) != CONNECTION_OK) {
    return Status::Unavailable("postgres: cannot connect: " + ConnectionError(conn.get()));
  }
  // Notices ("relation already exists, skipping") would go to stderr; nothing needs them.
  PQsetNoticeProcessor(
      conn.get(), [](void*, const char*) {}, nullptr);
  PgResult res(PQexec(conn.get(), "SET TimeZone = 'UTC'; SET bytea_output = 'hex'"));
  JIANDU_RETURN_IF_ERROR(CheckCommandOk(res.get(), conn.get()));
  return conn;
}

// Up to pool_size connections, opened when first needed. Thread-safe.
class ConnectionPool {
 public:
  explicit ConnectionPool(PostgresOptions options) : options_(std::move(options)) {}

  // A connection with no open transaction. Blocks while all are leased; unavailable if none
  // frees up within kAcquireTimeout or a new connection cannot be opened.
  Result<PgConn> Acquire() {
    std::unique_lock lock(mu_);
    bool ready = available_.wait_for(
        lock, kAcquireTimeout, [this] { return !idle_.empty() || open_ < options_.pool_size; });
    if (!ready) {
      return Status::Unavailable("postgres: all " + std::to_string(options_.pool_size) +
                                 " connections stayed busy");
    }
    if (!idle_.empty()) {
      PgConn conn = std::move(idle_.back());
      idle_.pop_back();
      if (PQstatus(conn.get()) == CONNECTION_OK) {
        return conn;
      }
      conn.reset();  // keeps its slot: replaced below
    } else {
      ++open_;
    }
    lock.unlock();
    Result<PgConn> fresh = Connect(options_);
    if (!fresh.ok()) {
      Forget();
    }
    return fresh;
  }

  // Takes a connection back. One left inside a transaction (committed or not, failed or not)
  // is rolled back first; one whose state is unknown or broken is closed.
  void Release(PgConn conn) {
    if (PQstatus(conn.get()) != CONNECTION_OK) {
      conn.reset();
    } else {
      switch (PQtransactionStatus(conn.get())) {
        case PQTRANS_IDLE:
          break;
        case PQTRANS_INTRANS:
        case PQTRANS_INERROR: {
          PgResult res(PQexec(conn.get(), "ROLLBACK"));
          if (PQresultStatus(res.get()) != PGRES_COMMAND_OK) {
            conn.reset();
          }
          break;
        }
        default:
          conn.reset();
      }
    }
    if (conn == nullptr) {
      Forget();
      return;
    }
    std::lock_guard lock(mu_);
    idle_.push_back(std::move(conn));
    available_.notify_one();
  }

  const PostgresOptions& options() const { return options_; }

 private:
  // Frees the slot of a connection that was closed or never opened.
  void Forget() {
    std::lock_guard lock(mu_);
    --open_;
    available_.notify_one();
  }

  const PostgresOptions options_;
  std::mutex mu_;
  std::condition_variable available_;
  std::vector<PgConn> idle_;  // guarded by mu_; most recently used last
  int open_ = 0;              // guarded by mu_; idle + leased + being opened
};

// ---- transactions -----------------------------------------------------------------------------

// A row of a text-format result, read in place.
class PgRowView : public RowView {
 public:
  PgRowView(const PGresult* res, int row) : res_(res), row_(row) {}
  size_t size() const override { return static_cast<size_t>(PQnfields(res_)); }
  bool IsNull(size_t i) const override { return PQgetisnull(res_, row_, static_cast<int>(i)); }
  int64_t Int(size_t i) const override {
    std::string_view t = Text(i);
    int64_t v = 0;
    std::from_chars(t.data(), t.data() + t.size(), v);
    return v;
  }
  std::string_view Text(size_t i) const override {
    if (IsNull(i)) {
      return {};
    }
    return std::string_view(PQgetvalue(res_, row_, static_cast<int>(i)),
                            PQgetlength(res_, row_, static_cast<int>(i)));
  }

 private:
  const PGresult* res_;
  int row_;
};

class PostgresTx final : public Tx {
 public:
  PostgresTx(ConnectionPool& pool, PgConn conn) : pool_(pool), conn_(std::move(conn)) {}
  ~PostgresTx() override { Rollback(); }

  Result<int64_t> Exec(std::string_view sql, std::span<const Value> params) override {
    JIANDU_ASSIGN_OR_RETURN(PgResult res, Run(sql, params));
    std::string_view tuples = PQcmdTuples(res.get());
    int64_t changed = 0;
    std::from_chars(tuples.data(), tuples.data() + tuples.size(), changed);  // "" for DDL
    return changed;
  }

  Result<Rows> Query(std::string_view sql, std::span<const Value> params) override {
    JIANDU_ASSIGN_OR_RETURN(PgResult res, Run(sql, params));
    return ConvertRows(res.get());
  }

  Status ForEachRow(std::string_view sql, std::span<const Value> params,
                    const std::function<Status(const RowView&)>& fn) override {
    JIANDU_ASSIGN_OR_RETURN(PgResult res, Run(sql, params));
    const int n = PQntuples(res.get());
    for (int row = 0; row < n; ++row) {
      JIANDU_RETURN_IF_ERROR(fn(PgRowView(res.get(), row)));
    }
    return Status::Ok();
  }

  Status ExecScript(std::string_view sql) override {
    JIANDU_RETURN_IF_ERROR(CheckUsable());
    PgResult res(PQexec(conn_.get(), std::string(sql).c_str()));
    return Remember(CheckCommandOk(res.get(), conn_.get()));
  }

  Status Commit() override {
    if (conn_ == nullptr) {
      return Status::FailedPrecondition("postgres: transaction already finished");
    }
    if (!first_error_.ok()) {
      Status earlier = first_error_.WithContext("transaction rolled back after an earlier error");
      Rollback();
      return earlier;
    }
    PgResult res(PQexec(conn_.get(), "COMMIT"));
    Status status = CheckCommandOk(res.get(), conn_.get());
    if (status.ok() && std::strcmp(PQcmdStatus(res.get()), "COMMIT") != 0) {
      // The server had aborted the transaction, so COMMIT rolled it back.
      status = Status::Internal("postgres: COMMIT rolled back an aborted transaction");
    } else if (status.code() == StatusCode::kUnavailable) {
      status = status.WithContext("COMMIT outcome unknown");
    }
    pool_.Release(std::move(conn_));
    return status;
  }

  void Rollback() override {
    if (conn_ != nullptr) {
      pool_.Release(std::move(conn_));  // Release rolls back the open transaction
    }
  }

 private:
  Status CheckUsable() const {
    if (conn_ == nullptr) {
      return Status::FailedPrecondition("postgres: transaction already finished");
    }
    if (!first_error_.ok()) {
      return Status::FailedPrecondition(
          "postgres: transaction aborted by an earlier error; roll back and retry");
    }
    return Status::Ok();
  }

  // Keeps the first error: PostgreSQL aborts the transaction on any failed statement.
  Status Remember(Status status) {
    if (!status.ok() && first_error_.ok()) {
      first_error_ = status;
    }
    return status;
  }

  Result<PgResult> Run(std::string_view sql, std::span<const Value> params) {
    JIANDU_RETURN_IF_ERROR(CheckUsable());
    int placeholders = 0;
    std::string text = RewritePlaceholders(sql, &placeholders);
    if (static_cast<size_t>(placeholders) != params.size()) {
      return Remember(Status::Internal("postgres: statement has " + std::to_string(placeholders) +
                                       " placeholders but " + std::to_string(params.size()) +
                                       " parameters were given"));
    }
    BoundParams bound;
    JIANDU_RETURN_IF_ERROR(Remember(Bind(params, bound)));
    PgResult res(PQexecParams(conn_.get(), text.c_str(), placeholders, bound.types.data(),
                              bound.values.data(), bound.lengths.data(), bound.formats.data(),
                              kTextFormat));
    JIANDU_RETURN_IF_ERROR(Remember(CheckCommandOk(res.get(), conn_.get())));
    return res;
  }

  ConnectionPool& pool_;
  PgConn conn_;         // null once the transaction is finished
  Status first_error_;  // OK until a statement fails
};

// ---- store ------------------------------------------------------------------------------------

class PostgresStore final : public Store {
 public:
  explicit PostgresStore(PostgresOptions options) : pool_(std::move(options)) {}

  // Primes the pool with one connection, so a bad address fails at open, not at first use.
  Status Prime() {
    JIANDU_ASSIGN_OR_RETURN(PgConn conn, pool_.Acquire());
    pool_.Release(std::move(conn));
    return Status::Ok();
  }

  Result<std::unique_ptr<Tx>> Begin(TxMode mode) override {
    // Read-write transactions take one transaction-scoped advisory lock first, so writers are
    // serialised as on SQLite (one writer): a read-then-write check (a duplicate, a holder
    // count, the audit chain head) cannot be raced by another writer, while readers never
    // wait. The lock ends with COMMIT or ROLLBACK.
    const char* begin = mode == TxMode::kReadOnly
                            ? "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY"
                            : "BEGIN; SELECT pg_advisory_xact_lock(7438190113)";
    // An idle connection can be dead without libpq knowing yet (server restarted); nothing
    // has run in the transaction, so a failure of BEGIN itself is retried on another one.
    for (int attempt = 0;; ++attempt) {
      JIANDU_ASSIGN_OR_RETURN(PgConn conn, pool_.Acquire());
      PgResult res(PQexec(conn.get(), begin));
      Status status = CheckCommandOk(res.get(), conn.get());
      if (status.ok()) {
        return std::unique_ptr<Tx>(std::make_unique<PostgresTx>(pool_, std::move(conn)));
      }
      bool broken = PQstatus(conn.get()) != CONNECTION_OK;
      pool_.Release(std::move(conn));
      if (!broken || attempt >= pool_.options().pool_size) {
        return status;
      }
    }
  }

  Status Migrate(std::span<const Migration> migrations) override {
    return ApplyMigrations(*this, migrations,
                           Dialect{.id_type = "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
                                   .blob_type = "BYTEA",
                                   .int64_pk = "BIGINT PRIMARY KEY"});
  }

  std::string_view backend_name() const override { return "postgres"; }

 private:
  ConnectionPool pool_;
};

Status ValidateOptions(const PostgresOptions& options) {
  if (options.pool_size < 1) {
    return Status::InvalidArgument("pool_size", "must be at least 1");
  }
  if (options.connect_timeout_s < 1) {
    return Status::InvalidArgument("connect_timeout_s", "must be at least 1 second");
  }
  char* error = nullptr;
  PQconninfoOption* parsed = PQconninfoParse(options.conninfo.c_str(), &error);
  if (parsed == nullptr) {
    std::string why = error != nullptr ? OneLine(error) : "out of memory";
    PQfreemem(error);
    // Some URI errors quote the whole string, password included.
    for (size_t at = why.find(options.conninfo);
         !options.conninfo.empty() && at != std::string::npos;
         at = why.find(options.conninfo, at)) {
      why.replace(at, options.conninfo.size(), "<conninfo>");
    }
    return Status::InvalidArgument("conninfo", why);
  }
  PQconninfoFree(parsed);
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<Store>> OpenPostgresStore(const PostgresOptions& options) {
  JIANDU_RETURN_IF_ERROR(ValidateOptions(options));
  auto store = std::make_unique<PostgresStore>(options);
  JIANDU_RETURN_IF_ERROR(store->Prime());
  return std::unique_ptr<Store>(std::move(store));
}

Status ExecPostgresAdminStatement(const PostgresOptions& options, std::string_view sql) {
  JIANDU_RETURN_IF_ERROR(ValidateOptions(options));
  JIANDU_ASSIGN_OR_RETURN(PgConn conn, Connect(options));
  PgResult res(PQexec(conn.get(), std::string(sql).c_str()));
  return CheckCommandOk(res.get(), conn.get());
}

}  // namespace jiandu::store
