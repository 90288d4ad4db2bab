// The table of rule kinds: which input roles each kind has, which column slots each role has
// (and the column types a slot accepts), and which parameters it takes with their ranges.
// Adding a kind is one entry here plus its executor file (native_<kind>.cc) and SQL.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "monitor/engine/rule.h"

namespace jiandu::monitor::internal {

struct SlotSpec {
  std::string name;
  bool required = true;
  bool list = false;         // an array of column names
  uint32_t types = 0;        // bit (1 << ColumnType) per accepted type
};

struct RoleSpec {
  std::string name;
  bool required = true;
  std::vector<SlotSpec> slots;
};

enum class ParamType : uint8_t { kInt, kDecimal, kDate, kRelation };

struct ParamSpec {
  std::string name;
  ParamType type = ParamType::kInt;
  bool required = false;
  int64_t min = 0;  // kDecimal: exclusive lower bound in hundredths
  int64_t max = 0;  // kDecimal: inclusive upper bound in hundredths
};

// Two slots whose columns are compared for equality (must have the same type).
struct KeyPair {
  std::string role_a, slot_a, role_b, slot_b;
};

struct KindSpec {
  RuleKind kind;
  std::string name;
  std::vector<RoleSpec> roles;
  std::vector<ParamSpec> params;
  std::vector<KeyPair> joined;
};

const KindSpec& SpecFor(RuleKind kind);
const KindSpec* FindKind(std::string_view name);
const RoleSpec* FindRole(const KindSpec& spec, std::string_view role);
const SlotSpec* FindSlot(const RoleSpec& role, std::string_view slot);
const ParamSpec* FindParam(const KindSpec& spec, std::string_view name);
bool Accepts(const SlotSpec& slot, ColumnType type);
// "date", "money or int", ...
std::string AcceptedTypes(const SlotSpec& slot);

std::optional<WarningLevel> ParseLevel(std::string_view name);
std::optional<MatchRelation> ParseRelation(std::string_view name);
// Where an integer-valued parameter is stored in RuleParams.
int64_t* IntParamSlot(RuleParams& params, std::string_view name);

}  // namespace jiandu::monitor::internal
