#include "store/store.h"

namespace jiandu::store {

Result<std::optional<Row>> Tx::QueryOne(std::string_view sql, std::span<const Value> params) {
  JIANDU_ASSIGN_OR_RETURN(Rows rows, Query(sql, params));
  if (rows.empty()) {
    return std::optional<Row>();
  }
  return std::optional<Row>(std::move(rows.front()));
}

Result<std::optional<Row>> Tx::QueryOne(std::string_view sql,
                                        std::initializer_list<Value> params) {
  return QueryOne(sql, std::span<const Value>(params.begin(), params.size()));
}

namespace {

// The Tx handed to a RunWrite function: everything but ending the transaction, which is
// RunWrite's job.
class BorrowedTx final : public Tx {
 public:
  explicit BorrowedTx(Tx& inner) : inner_(inner) {}
  Result<int64_t> Exec(std::string_view sql, std::span<const Value> params) override {
    return inner_.Exec(sql, params);
  }
  Result<Rows> Query(std::string_view sql, std::span<const Value> params) override {
    return inner_.Query(sql, params);
  }
  Status ExecScript(std::string_view sql) override { return inner_.ExecScript(sql); }
  Status ForEachRow(std::string_view sql, std::span<const Value> params,
                    const std::function<Status(const RowView&)>& fn) override {
    return inner_.ForEachRow(sql, params, fn);
  }
  Status Commit() override {
    return Status::Internal("a transaction run by RunWrite is committed by RunWrite");
  }
  void Rollback() override {}

 private:
  Tx& inner_;
};

}  // namespace

Status Store::RunWrite(const std::function<Status(Tx&)>& fn) {
  JIANDU_ASSIGN_OR_RETURN(std::unique_ptr<Tx> tx, Begin(TxMode::kReadWrite));
  BorrowedTx borrowed(*tx);
  Status s = fn(borrowed);
  if (!s.ok()) {
    tx->Rollback();
    return s;
  }
  return tx->Commit();
}

void Store::RunWriteAsync(std::function<Status(Tx&)> fn, std::function<void(Status)> done) {
  done(RunWrite(fn));
}

Status RunInTransaction(Store& store, TxMode mode, const std::function<Status(Tx&)>& fn) {
  if (mode == TxMode::kReadWrite) {
    return store.RunWrite(fn);
  }
  JIANDU_ASSIGN_OR_RETURN(std::unique_ptr<Tx> tx, store.Begin(mode));
  Status s = fn(*tx);
  if (!s.ok()) {
    tx->Rollback();
    return s;
  }
  return tx->Commit();
}

std::string EscapeLike(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') {
      out += '\\';
    }
    out += c;
  }
  return out;
}

std::string StartsWith(std::string_view column) {
  std::string c(column);
  return "substr(" + c + ", 1, CAST(? AS INTEGER)) = ?";
}

void AppendStartsWith(std::vector<Value>& params, std::string_view prefix) {
  params.emplace_back(static_cast<int64_t>(prefix.size()));  // paths are ASCII: bytes = chars
  params.emplace_back(prefix);
}

}  // namespace jiandu::store
