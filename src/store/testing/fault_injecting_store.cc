#include "store/testing/fault_injecting_store.h"

namespace jiandu::store::testing {
namespace {

Status Injected() { return Status::Unavailable("injected fault"); }

class FaultyTx : public Tx {
 public:
  FaultyTx(std::unique_ptr<Tx> inner, FaultInjectingStore& store)
      : inner_(std::move(inner)), store_(store) {}

  Result<int64_t> Exec(std::string_view sql, std::span<const Value> params) override {
    if (store_.ShouldFail()) return Injected();
    return inner_->Exec(sql, params);
  }
  Result<Rows> Query(std::string_view sql, std::span<const Value> params) override {
    if (store_.ShouldFail()) return Injected();
    return inner_->Query(sql, params);
  }
  Status ExecScript(std::string_view sql) override {
    if (store_.ShouldFail()) return Injected();
    return inner_->ExecScript(sql);
  }
  Status ForEachRow(std::string_view sql, std::span<const Value> params,
                    const std::function<Status(const RowView&)>& fn) override {
    if (store_.ShouldFail()) return Injected();
    return inner_->ForEachRow(sql, params, fn);
  }
  Status Commit() override {
    if (store_.ShouldFail()) {
      inner_->Rollback();
      return Injected();
    }
    return inner_->Commit();
  }
  void Rollback() override { inner_->Rollback(); }

 private:
  std::unique_ptr<Tx> inner_;
  FaultInjectingStore& store_;
};

}  // namespace

Result<std::unique_ptr<Tx>> FaultInjectingStore::Begin(TxMode mode) {
  if (ShouldFail()) {
    return Injected();
  }
  JIANDU_ASSIGN_OR_RETURN(std::unique_ptr<Tx> tx, inner_.Begin(mode));
  return std::unique_ptr<Tx>(new FaultyTx(std::move(tx), *this));
}

}  // namespace jiandu::store::testing
