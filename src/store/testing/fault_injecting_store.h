// FaultInjectingStore: wraps a Store and fails its N-th database call (Exec, Query, ExecScript
// or Commit, counted across all transactions) with `unavailable`, the way SQLite's I/O-error
// tests fail the N-th operation. Loop N = 1, 2, … until the operation under test succeeds
// without reaching N; after each failure assert that nothing partial is visible.
//
//   FaultInjectingStore faulty(*real);
//   for (int n = 1;; ++n) {
//     faulty.FailCall(n);
//     Status s = service_on(faulty).DoSomething();
//     if (!faulty.fired()) break;        // succeeded with fewer than n calls
//     ASSERT_FALSE(s.ok());              // ... and check that nothing was written
//   }
#pragma once

#include <atomic>
#include <memory>

#include "store/store.h"

namespace jiandu::store::testing {

class FaultInjectingStore : public Store {
 public:
  explicit FaultInjectingStore(Store& inner) : inner_(inner) {}

  // Arms the fault for the n-th call from now (n >= 1); 0 disarms.
  void FailCall(int n) {
    countdown_ = n;
    fired_ = false;
  }
  bool fired() const { return fired_; }

  Result<std::unique_ptr<Tx>> Begin(TxMode mode) override;
  Status Migrate(std::span<const Migration> m) override { return inner_.Migrate(m); }
  std::string_view backend_name() const override { return inner_.backend_name(); }

  // Called by the wrapped transactions: true when this call must fail.
  bool ShouldFail() {
    if (countdown_ <= 0) {
      return false;
    }
    if (--countdown_ == 0) {
      fired_ = true;
      return true;
    }
    return false;
  }

 private:
  Store& inner_;
  std::atomic<int> countdown_{0};
  std::atomic<bool> fired_{false};
};

}  // namespace jiandu::store::testing
