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

Status RunInTransaction(Store& store, TxMode mode, const std::function<Status(Tx&)>& fn) {
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
