// The native executor: runs validated rules over in-memory Tables (DESIGN.md §4, executor 1).
//
//   TableSet tables{{"payments", &payments}, {"people", &people}};
//   JIANDU_ASSIGN_OR_RETURN(std::vector<Warning> w, RunRule(rule, tables));
//
//   // Incremental: index the base once, then check each new batch against it.
//   JIANDU_ASSIGN_OR_RETURN(std::unique_ptr<PreparedRule> p, PreparedRule::Prepare(rule, tables));
//   JIANDU_ASSIGN_OR_RETURN(std::vector<Warning> fresh, p->RunIncremental("payments", batch));
//
// Joins and group-bys use packed 64-bit keys in open-addressing hash tables; the large ones are
// radix-partitioned by key hash and the partitions shared out over the cores. Results are
// deterministic: warnings sorted by stable key, evidence rows ascending, whatever the thread
// count. The tables must outlive the calls (and a PreparedRule, which keeps pointers).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/calendar.h"
#include "core/result.h"
#include "monitor/engine/rule.h"
#include "monitor/engine/warning.h"
#include "monitor/table.h"

namespace jiandu::monitor {

// Dataset name → table.
using TableSet = std::map<std::string, const Table*, std::less<>>;

struct ExecOptions {
  int threads = 0;                            // 0: one per core
  const core::Calendar* calendar = nullptr;   // deadline rules; nullptr: the embedded calendar
};

// Runs `rule` (validated against the tables' schemas) over `tables`. invalid_argument when a
// dataset or bound column is absent; failed_precondition when a deadline rule meets a date in
// a year the calendar lacks, or a composite key cannot be packed. Thread-safe for const inputs.
Result<std::vector<Warning>> RunRule(const Rule& rule, const TableSet& tables,
                                     const ExecOptions& options = {});

// Per-rule indexes over a base, for checking new batches without re-running everything.
class PreparedRule {
 public:
  ~PreparedRule();
  PreparedRule(const PreparedRule&) = delete;
  PreparedRule& operator=(const PreparedRule&) = delete;

  // Builds the rule's indexes over `base` (errors as RunRule). Keeps pointers to the tables.
  static Result<std::unique_ptr<PreparedRule>> Prepare(const Rule& rule, const TableSet& base,
                                                       const ExecOptions& options = {});

  // The warnings that involve at least one row of `batch`, new rows of `dataset` (same schema
  // as the base table; its rows are numbered after the base rows in evidence). They are the
  // warnings a full run over base + batch would raise for those rows, with the same stable
  // keys; earlier warnings on base rows alone are not repeated. Returns an empty list when the
  // rule does not read `dataset`. Rules with no index for the dataset re-run over a copy of
  // the base with the batch appended (correct, not fast). Thread-safe (const).
  Result<std::vector<Warning>> RunIncremental(std::string_view dataset, const Table& batch) const;

  const Rule& rule() const { return rule_; }

 private:
  struct State;
  PreparedRule(Rule rule, TableSet base, ExecOptions options);
  Rule rule_;
  TableSet base_;
  ExecOptions options_;
  std::unique_ptr<State> state_;
};

}  // namespace jiandu::monitor
