// What every native kind executor shares: the bound tables and columns of one rule run, typed
// value extraction, and warning construction.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/calendar.h"
#include "core/result.h"
#include "monitor/engine/native_executor.h"
#include "monitor/engine/rule.h"
#include "monitor/engine/warning.h"
#include "monitor/table.h"

namespace jiandu::monitor::internal {

struct RunContext {
  const Rule* rule = nullptr;
  const TableSet* tables = nullptr;
  int threads = 1;
  const core::Calendar* calendar = nullptr;

  const Table& TableOf(std::string_view role) const;
  // The column bound to role.slot; nullptr when the slot is unbound.
  const Column* Col(std::string_view role, std::string_view slot) const;
  std::vector<const Column*> Cols(std::string_view role, std::string_view slot) const;
  const std::string& DatasetOf(std::string_view role) const;
};

// Checks that every input dataset of the rule is present with the columns the rule binds.
Result<RunContext> BindContext(const Rule& rule, const TableSet& tables, const ExecOptions& options);

KeyValue ValueAt(const Column& c, size_t row);

inline bool IsNullAt(const Column& c, size_t row) {
  switch (c.spec.type) {
    case ColumnType::kDate:
      return c.i32[row] == kNullI32;
    case ColumnType::kIdNumber:
    case ColumnType::kMoney:
    case ColumnType::kInt:
      return c.i64[row] == kNullI64;
    default:
      return c.codes[row] == kNullCode;
  }
}

// A warning with its key computed from `key_values`.
Warning MakeWarning(const Rule& rule, std::vector<KeyValue> key_values);
void AddSubject(Warning* w, std::string role, const Column& c, size_t row);
void AddEvidence(Warning* w, const std::string& dataset, std::vector<uint32_t> rows);

// Per-kind entry points (native_<kind>.cc).
Result<std::vector<Warning>> RunMatch(const RunContext& ctx);
Result<std::vector<Warning>> RunLink(const RunContext& ctx);
Result<std::vector<Warning>> RunCount(const RunContext& ctx);
Result<std::vector<Warning>> RunDuplicate(const RunContext& ctx);
Result<std::vector<Warning>> RunOutlier(const RunContext& ctx);
Result<std::vector<Warning>> RunWindow(const RunContext& ctx);
Result<std::vector<Warning>> RunDeadline(const RunContext& ctx);
Result<std::vector<Warning>> RunThreshold(const RunContext& ctx);

// Prepared state for incremental runs. Check() sees the batch of new rows of `dataset`
// (numbered from the base table's row count) and returns the warnings that involve them.
class PreparedState {
 public:
  virtual ~PreparedState() = default;
  // nullptr result: this state has no fast path for `dataset` (the caller falls back).
  virtual Result<std::vector<Warning>> Check(std::string_view dataset, const Table& batch,
                                             bool* handled) const = 0;
};

std::unique_ptr<PreparedState> PrepareMatch(const RunContext& ctx);
std::unique_ptr<PreparedState> PrepareLink(const RunContext& ctx);
std::unique_ptr<PreparedState> PrepareCount(const RunContext& ctx);
Result<std::unique_ptr<PreparedState>> PrepareDuplicate(const RunContext& ctx);
Result<std::unique_ptr<PreparedState>> PrepareOutlier(const RunContext& ctx);

// Copies `base` and appends `batch` (same schema; dictionary codes translated).
Result<Table> ConcatTables(const Table& base, const Table& batch);

}  // namespace jiandu::monitor::internal

namespace jiandu::monitor::internal {

// Equality keys between a probe column and a build column of possibly different tables: numbers
// compare as they are; dictionary codes of the probe side are translated into the build
// column's dictionary (a probe string absent there can match nothing).
class JoinKeys {
 public:
  JoinKeys(const Column& probe, const Column& build);
  bool Probe(size_t row, uint64_t* key) const {
    if (numeric_) {
      int64_t v = probe_->i64[row];
      *key = static_cast<uint64_t>(v);
      return v != kNullI64;
    }
    uint32_t c = probe_->codes[row];
    if (c == kNullCode) return false;
    *key = probe_to_build_[c];
    return *key != kNullCode;
  }
  bool Build(size_t row, uint64_t* key) const {
    if (numeric_) {
      int64_t v = build_->i64[row];
      *key = static_cast<uint64_t>(v);
      return v != kNullI64;
    }
    uint32_t c = build_->codes[row];
    *key = c;
    return c != kNullCode;
  }

 private:
  const Column* probe_;
  const Column* build_;
  bool numeric_;
  std::vector<uint32_t> probe_to_build_;
};

// A natural grouping key of one column's value (number, or dictionary code); false for null.
inline bool NaturalKey(const Column& c, size_t row, uint64_t* key) {
  switch (c.spec.type) {
    case ColumnType::kDate:
      *key = static_cast<uint64_t>(static_cast<int64_t>(c.i32[row]));
      return c.i32[row] != kNullI32;
    case ColumnType::kIdNumber:
    case ColumnType::kMoney:
    case ColumnType::kInt:
      *key = static_cast<uint64_t>(c.i64[row]);
      return c.i64[row] != kNullI64;
    default:
      *key = c.codes[row];
      return c.codes[row] != kNullCode;
  }
}

}  // namespace jiandu::monitor::internal
