// Rule: one declarative comparison rule (DESIGN.md §4, DOMAIN.md §9), parsed from TOML and
// validated against the dataset schemas before anything runs.
//
//   JIANDU_ASSIGN_OR_RETURN(Rule rule, ParseRule(toml_text, "rules/r01.toml"));
//   JIANDU_RETURN_IF_ERROR(ValidateRule(rule, schemas));   // unknown column, wrong type, ...
//
// A rule file (the full format is in docs/monitor-rules.md):
//
//   id = "R01"
//   version = 1
//   title = "死亡人员仍领取补贴"
//   legal_basis = "社会救助暂行办法 第十一条"
//   level = "red"                      # red | orange | yellow | info
//   owner = "民政局"
//   valid_from = 2020-01-01
//   valid_to = 2099-12-31              # optional
//   kind = "match"
//
//   [inputs.left]                      # role → dataset and the columns bound to it
//   dataset = "payments"
//   key = "payee_id"
//   date = "paid_on"
//
//   [inputs.right]
//   dataset = "people"
//   key = "id_number"
//   date = "death_date"
//
//   [params]
//   relation = "after"
//   grace_days = 0
//
// Every error is invalid_argument whose message names the rule, the file and line and the key:
//   rule R01 (rules/r01.toml:7): inputs.left.key: no column 'payee_idd' in dataset payments
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "monitor/table.h"

namespace jiandu::monitor {

enum class RuleKind : uint8_t {
  kMatch,      // join two datasets on a key with a date condition (R01, R04, R06)
  kLink,       // source key found as a member of a relation (official → relatives)
  kCount,      // rows per group above a maximum (G01)
  kDuplicate,  // more than one row per composite key, or an attribute shared inside a group
  kOutlier,    // value above k × the median of its group
  kWindow,     // more than n events of one group within a window of days (G03)
  kDeadline,   // elapsed working days above a limit (G04)
  kThreshold,  // value above the standard of its key (G04)
};

enum class WarningLevel : uint8_t { kRed, kOrange, kYellow, kInfo };

std::string_view RuleKindName(RuleKind kind);
std::string_view WarningLevelName(WarningLevel level);

// One input role of a rule: the dataset and the columns bound to the role's slots.
struct RuleInput {
  std::string role;      // "left", "records", ...
  std::string dataset;   // "payments"
  std::map<std::string, std::string> columns;                // slot → column ("key" → "payee_id")
  std::map<std::string, std::vector<std::string>> lists;     // list slot → columns ("keys")
};

// Match relations (params.relation).
enum class MatchRelation : uint8_t {
  kAfter,     // left.date > right.date + grace_days
  kOverlaps,  // half-open [from, to) periods overlap; a missing end is open
  kExists,    // the key alone
};

struct RuleParams {
  MatchRelation relation = MatchRelation::kExists;  // match
  int64_t grace_days = 0;                           // match/after
  int64_t max_count = 0;                            // count: flagged when rows > max_count
  int64_t max_rows = 1;                             // duplicate: flagged when rows > max_rows
  int64_t multiple_hundredths = 0;                  // outlier: k × 100 (k = 5 → 500)
  int64_t min_group_size = 1;                       // outlier
  int64_t window_days = 0;                          // window
  int64_t max_events = 0;                           // window: flagged when events > max_events
  std::optional<int64_t> limit_days;                // deadline, when no limit column is bound
  std::optional<int32_t> as_of;                     // deadline: day number for open records
  int64_t min_excess = 0;                           // threshold: cents above the standard
};

struct Rule {
  std::string id;
  int64_t version = 1;
  std::string title;
  std::string legal_basis;
  WarningLevel level = WarningLevel::kYellow;
  std::string owner;
  int32_t valid_from = 0;                  // day number
  std::optional<int32_t> valid_to;         // day number, inclusive
  RuleKind kind = RuleKind::kMatch;
  std::vector<RuleInput> inputs;           // in the kind's role order (see rule.cc)
  RuleParams params;

  std::string source;                      // "data/rules/r01.toml"
  std::map<std::string, int> lines;        // key path → 1-based line, for messages

  const RuleInput* Input(std::string_view role) const;
  // The column bound to `role`.`slot`, or "" when the slot is unbound.
  const std::string& Column(std::string_view role, std::string_view slot) const;
  const std::vector<std::string>& List(std::string_view role, std::string_view slot) const;
  // "rule R01 (data/rules/r01.toml:7): " for `key_path`.
  std::string Where(std::string_view key_path) const;
};

// Finds a dataset's schema by name; nullptr when there is none.
using SchemaLookup = std::function<const DatasetSchema*(std::string_view dataset)>;

// Parses one rule file. invalid_argument (field = the key path) for TOML syntax errors, a
// missing or mistyped top-level key, an unknown kind or level, an unknown input role or slot,
// an unknown parameter, a missing parameter the kind needs, or one out of its range.
Result<Rule> ParseRule(std::string_view toml_text, std::string_view source);

// Checks `rule` against the schemas: every dataset exists, every bound column exists in it and
// has a type its slot accepts, joined keys have the same type. invalid_argument as above.
Status ValidateRule(const Rule& rule, const SchemaLookup& schemas);

// Both in one.
Result<Rule> LoadRule(std::string_view toml_text, std::string_view source,
                      const SchemaLookup& schemas);

}  // namespace jiandu::monitor
