// Warning: what a rule raises, the same from the native and the SQL executor.
//
// A warning is identified by its stable key: a 64-bit hash of the rule id and the values that
// identify the case (the subject key of a per-entity rule, the identity columns of a per-record
// rule), computed from the values themselves, never from row positions — so the same case keeps
// its key across runs (deduplication: a case already raised is not raised again), across data
// loads and across executors.
//
//   for (const Warning& w : warnings)  store(w.rule_id, w.KeyHex(), w.level, w.subjects, ...);
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "monitor/engine/rule.h"
#include "monitor/table.h"

namespace jiandu::monitor {

// One typed value that identifies a case. Numbers (ID numbers as their 17 leading digits,
// dates as day numbers, cents, integers) in `number`; text, credit codes and enum values in
// `text`. `null` for a missing value.
struct KeyValue {
  ColumnType type = ColumnType::kInt;
  bool null = false;
  int64_t number = 0;
  std::string text;

  friend bool operator==(const KeyValue&, const KeyValue&) = default;
};

// A person, organisation or record a warning is about, e.g. {"payee", 11010519491231002}.
struct Subject {
  std::string role;  // the slot it came from: "key", "member", "owner", "group", ...
  KeyValue value;

  friend bool operator==(const Subject&, const Subject&) = default;
};

// Rows of one dataset that support a warning (0-based row indices in the table; rows of an
// incremental batch are numbered after the base table's rows).
struct Evidence {
  std::string dataset;
  std::vector<uint32_t> rows;
};

struct Warning {
  std::string rule_id;
  int64_t rule_version = 1;
  WarningLevel level = WarningLevel::kYellow;
  uint64_t key = 0;
  std::vector<KeyValue> key_values;  // what `key` was computed from, in the rule's order
  std::vector<Subject> subjects;     // people / organisations the case is about
  std::vector<Evidence> evidence;    // native executor only (SQL rows have no positions)
  std::string summary;               // short, language-neutral: "R01 payee: 3 rows"

  std::string KeyHex() const;
};

// The stable key of a case: FNV-1a over the rule id and the typed values, finished with a
// 64-bit mixer. Identical in every executor by construction (both call this).
uint64_t StableKey(std::string_view rule_id, const std::vector<KeyValue>& values);
// The same over values[0, count) (values kept elsewhere than in a vector).
uint64_t StableKeyOf(std::string_view rule_id, const KeyValue* values, size_t count);

// Sorts by key and merges warnings with the same key (their evidence and subjects united).
void SortAndMerge(std::vector<Warning>* warnings);

}  // namespace jiandu::monitor
