#include "monitor/engine/internal/rule_spec.h"

namespace jiandu::monitor::internal {
namespace {

constexpr uint32_t Bit(ColumnType t) { return 1u << static_cast<unsigned>(t); }
constexpr uint32_t kDateT = Bit(ColumnType::kDate);
constexpr uint32_t kNumberT = Bit(ColumnType::kMoney) | Bit(ColumnType::kInt);
constexpr uint32_t kKeyT = Bit(ColumnType::kIdNumber) | Bit(ColumnType::kCreditCode) |
                           Bit(ColumnType::kText) | Bit(ColumnType::kEnum) | Bit(ColumnType::kInt);
constexpr uint32_t kAnyT = 0x7f;
constexpr int64_t kBig = 1'000'000'000;

SlotSpec One(std::string name, uint32_t types, bool required = true) {
  return SlotSpec{std::move(name), required, false, types};
}
SlotSpec Many(std::string name, uint32_t types, bool required = true) {
  return SlotSpec{std::move(name), required, true, types};
}
ParamSpec Int(std::string name, int64_t min, int64_t max, bool required) {
  return ParamSpec{std::move(name), ParamType::kInt, required, min, max};
}

std::vector<KindSpec> BuildSpecs() {
  std::vector<KindSpec> specs;
  RoleSpec side{"", true,
                {One("key", kKeyT), One("date", kDateT, false), One("from", kDateT, false),
                 One("to", kDateT, false)}};
  RoleSpec left = side;
  left.name = "left";
  RoleSpec right = side;
  right.name = "right";
  specs.push_back({RuleKind::kMatch, "match", {left, right},
                   {{"relation", ParamType::kRelation, true, 0, 0},
                    Int("grace_days", 0, 3660, false)},
                   {{"left", "key", "right", "key"}}});
  specs.push_back({RuleKind::kLink, "link",
                   {{"source", true, {One("key", kKeyT)}},
                    {"relation", true, {One("member", kKeyT), One("owner", kKeyT)}}},
                   {},
                   {{"source", "key", "relation", "member"}}});
  specs.push_back({RuleKind::kCount, "count",
                   {{"records", true, {One("group", kKeyT)}},
                    {"members", false, {One("key", kKeyT)}}},
                   {Int("max_count", 0, kBig, true)},
                   {{"records", "group", "members", "key"}}});
  specs.push_back({RuleKind::kDuplicate, "duplicate",
                   {{"records", true,
                     {Many("keys", kAnyT), One("distinct", kKeyT, false),
                      Many("shared", kAnyT, false)}}},
                   {Int("max_rows", 1, kBig, false)},
                   {}});
  specs.push_back({RuleKind::kOutlier, "outlier",
                   {{"records", true,
                     {One("group", kKeyT | kDateT), One("value", kNumberT),
                      Many("identity", kAnyT), One("subject", kKeyT, false)}}},
                   {{"multiple", ParamType::kDecimal, true, 100, 100'000},
                    Int("min_group_size", 1, kBig, false)},
                   {}});
  specs.push_back({RuleKind::kWindow, "window",
                   {{"events", true, {One("group", kKeyT), One("date", kDateT)}}},
                   {Int("window_days", 1, 3660, true), Int("max_events", 1, kBig, true)},
                   {}});
  specs.push_back({RuleKind::kDeadline, "deadline",
                   {{"records", true,
                     {One("start", kDateT), One("end", kDateT, false),
                      One("limit", Bit(ColumnType::kInt), false), Many("identity", kAnyT),
                      One("subject", kKeyT, false)}}},
                   {Int("limit_days", 1, 3650, false), {"as_of", ParamType::kDate, false, 0, 0}},
                   {}});
  specs.push_back({RuleKind::kThreshold, "threshold",
                   {{"records", true,
                     {One("key", kKeyT), One("value", kNumberT), Many("identity", kAnyT),
                      One("subject", kKeyT, false)}},
                    {"standards", true, {One("key", kKeyT), One("value", kNumberT)}}},
                   {Int("min_excess", 0, int64_t{1} << 50, false)},
                   {{"records", "key", "standards", "key"}}});
  return specs;
}

const std::vector<KindSpec>& Specs() {
  static const std::vector<KindSpec> specs = BuildSpecs();
  return specs;
}

}  // namespace

const KindSpec& SpecFor(RuleKind kind) { return Specs()[static_cast<size_t>(kind)]; }

const KindSpec* FindKind(std::string_view name) {
  for (const KindSpec& s : Specs()) {
    if (s.name == name) {
      return &s;
    }
  }
  return nullptr;
}

const RoleSpec* FindRole(const KindSpec& spec, std::string_view role) {
  for (const RoleSpec& r : spec.roles) {
    if (r.name == role) {
      return &r;
    }
  }
  return nullptr;
}

const SlotSpec* FindSlot(const RoleSpec& role, std::string_view slot) {
  for (const SlotSpec& s : role.slots) {
    if (s.name == slot) {
      return &s;
    }
  }
  return nullptr;
}

const ParamSpec* FindParam(const KindSpec& spec, std::string_view name) {
  for (const ParamSpec& p : spec.params) {
    if (p.name == name) {
      return &p;
    }
  }
  return nullptr;
}

bool Accepts(const SlotSpec& slot, ColumnType type) { return (slot.types & Bit(type)) != 0; }

std::string AcceptedTypes(const SlotSpec& slot) {
  std::string out;
  for (int t = 0; t < 7; ++t) {
    if ((slot.types & (1u << t)) != 0) {
      out += (out.empty() ? "" : " or ") + std::string(ColumnTypeName(static_cast<ColumnType>(t)));
    }
  }
  return out;
}

std::optional<WarningLevel> ParseLevel(std::string_view name) {
  if (name == "red") return WarningLevel::kRed;
  if (name == "orange") return WarningLevel::kOrange;
  if (name == "yellow") return WarningLevel::kYellow;
  if (name == "info") return WarningLevel::kInfo;
  return std::nullopt;
}

std::optional<MatchRelation> ParseRelation(std::string_view name) {
  if (name == "after") return MatchRelation::kAfter;
  if (name == "overlaps") return MatchRelation::kOverlaps;
  if (name == "exists") return MatchRelation::kExists;
  return std::nullopt;
}

int64_t* IntParamSlot(RuleParams& p, std::string_view name) {
  if (name == "grace_days") return &p.grace_days;
  if (name == "max_count") return &p.max_count;
  if (name == "max_rows") return &p.max_rows;
  if (name == "multiple") return &p.multiple_hundredths;
  if (name == "min_group_size") return &p.min_group_size;
  if (name == "window_days") return &p.window_days;
  if (name == "max_events") return &p.max_events;
  if (name == "min_excess") return &p.min_excess;
  if (name == "limit_days") {
    p.limit_days = 0;
    return &*p.limit_days;
  }
  return nullptr;
}

}  // namespace jiandu::monitor::internal
