#include "monitor/engine/rule.h"

#include <cmath>
#include <initializer_list>

#include <toml++/toml.h>

#include "core/civil_date.h"
#include "monitor/engine/internal/rule_spec.h"

namespace jiandu::monitor {
namespace {

using internal::KindSpec;
using internal::ParamSpec;
using internal::ParamType;
using internal::RoleSpec;
using internal::SlotSpec;

std::string Str(int64_t v) { return std::to_string(v); }

// Collects a rule's fields with the line of each key, and builds located errors.
class RuleParser {
 public:
  RuleParser(std::string_view source, Rule* rule) : source_(source), rule_(rule) {}

  Status Error(std::string_view key, std::string_view reason) const {
    return Status::InvalidArgument(key, rule_->Where(key) + std::string(key) + ": " +
                                            std::string(reason));
  }

  void Remember(std::string_view key, const toml::node& node) {
    rule_->lines[std::string(key)] = static_cast<int>(node.source().begin.line);
  }

  Result<std::string> RequiredString(const toml::table& t, std::string_view key) {
    const toml::node* node = t.get(key);
    if (node == nullptr) {
      return Error(key, "missing");
    }
    Remember(key, *node);
    const auto* s = node->as_string();
    if (s == nullptr || s->get().empty()) {
      return Error(key, "expected a non-empty string");
    }
    return s->get();
  }

  Result<std::optional<int32_t>> OptionalDate(const toml::table& t, std::string_view key,
                                              std::string_view path) {
    const toml::node* node = t.get(key);
    if (node == nullptr) {
      return std::optional<int32_t>();
    }
    Remember(path, *node);
    const auto* d = node->as_date();
    if (d == nullptr) {
      return Error(path, "expected a date (YYYY-MM-DD, unquoted)");
    }
    Result<core::CivilDate> date =
        core::CivilDate::FromYmd(d->get().year, d->get().month, d->get().day, path);
    if (!date.ok()) {
      return Error(path, "not a valid date");
    }
    return std::optional<int32_t>(date->day_number());
  }

  Status ParseHeader(const toml::table& t);
  Status ParseInputs(const toml::table& t, const KindSpec& spec);
  Status ParseInput(const toml::table& t, const RoleSpec& role, std::string_view path);
  Status ParseParams(const toml::table& t, const KindSpec& spec);
  Status ParseParam(const toml::node& node, const ParamSpec& p, std::string_view path);
  Status CheckCombination();

 private:
  std::string source_;
  Rule* rule_;
};

Status RuleParser::ParseHeader(const toml::table& t) {
  static constexpr std::string_view kKnown[] = {
      "id",    "version", "title",    "legal_basis", "level", "owner",
      "valid_from", "valid_to", "kind", "inputs",      "params"};
  for (const auto& [k, node] : t) {
    bool known = false;
    for (std::string_view name : kKnown) {
      known = known || k.str() == name;
    }
    if (!known) {
      Remember(k.str(), node);
      return Error(k.str(), "unknown key");
    }
  }
  const toml::node* version = t.get("version");
  if (version != nullptr) {
    Remember("version", *version);
    const auto* v = version->as_integer();
    if (v == nullptr || v->get() < 1) {
      return Error("version", "expected an integer >= 1");
    }
    rule_->version = v->get();
  }
  JIANDU_ASSIGN_OR_RETURN(rule_->title, RequiredString(t, "title"));
  JIANDU_ASSIGN_OR_RETURN(rule_->legal_basis, RequiredString(t, "legal_basis"));
  JIANDU_ASSIGN_OR_RETURN(rule_->owner, RequiredString(t, "owner"));
  JIANDU_ASSIGN_OR_RETURN(std::string level, RequiredString(t, "level"));
  std::optional<WarningLevel> parsed_level = internal::ParseLevel(level);
  if (!parsed_level) {
    return Error("level", "expected red, orange, yellow or info, not '" + level + "'");
  }
  rule_->level = *parsed_level;
  JIANDU_ASSIGN_OR_RETURN(std::optional<int32_t> from, OptionalDate(t, "valid_from", "valid_from"));
  if (!from) {
    return Error("valid_from", "missing");
  }
  rule_->valid_from = *from;
  JIANDU_ASSIGN_OR_RETURN(rule_->valid_to, OptionalDate(t, "valid_to", "valid_to"));
  if (rule_->valid_to && *rule_->valid_to < rule_->valid_from) {
    return Error("valid_to", "earlier than valid_from");
  }
  return Status::Ok();
}

Status RuleParser::ParseInput(const toml::table& t, const RoleSpec& role, std::string_view path) {
  RuleInput input;
  input.role = role.name;
  for (const auto& [k, node] : t) {
    std::string key_path = std::string(path) + "." + std::string(k.str());
    Remember(key_path, node);
    if (k.str() == "dataset") {
      const auto* s = node.as_string();
      if (s == nullptr || s->get().empty()) {
        return Error(key_path, "expected a dataset name");
      }
      input.dataset = s->get();
      continue;
    }
    const SlotSpec* slot = internal::FindSlot(role, k.str());
    if (slot == nullptr) {
      return Error(key_path, "unknown slot for role " + role.name + " of this kind");
    }
    if (slot->list) {
      const auto* arr = node.as_array();
      if (arr == nullptr || arr->empty()) {
        return Error(key_path, "expected a non-empty array of column names");
      }
      std::vector<std::string> names;
      for (const toml::node& item : *arr) {
        const auto* s = item.as_string();
        if (s == nullptr || s->get().empty()) {
          return Error(key_path, "expected column names (strings)");
        }
        names.push_back(s->get());
      }
      input.lists[std::string(k.str())] = std::move(names);
    } else {
      const auto* s = node.as_string();
      if (s == nullptr || s->get().empty()) {
        return Error(key_path, "expected a column name");
      }
      input.columns[std::string(k.str())] = s->get();
    }
  }
  if (input.dataset.empty()) {
    return Error(std::string(path) + ".dataset", "missing");
  }
  for (const SlotSpec& slot : role.slots) {
    bool bound = slot.list ? input.lists.count(slot.name) > 0 : input.columns.count(slot.name) > 0;
    if (slot.required && !bound) {
      return Error(std::string(path) + "." + slot.name, "missing (the " +
                                                            std::string(RuleKindName(rule_->kind)) +
                                                            " kind needs it)");
    }
  }
  rule_->inputs.push_back(std::move(input));
  return Status::Ok();
}

Status RuleParser::ParseInputs(const toml::table& t, const KindSpec& spec) {
  const toml::node* node = t.get("inputs");
  if (node == nullptr || !node->is_table()) {
    return Error("inputs", "missing (a table of roles)");
  }
  Remember("inputs", *node);
  const toml::table& inputs = *node->as_table();
  for (const auto& [k, role_node] : inputs) {
    std::string path = "inputs." + std::string(k.str());
    Remember(path, role_node);
    if (internal::FindRole(spec, k.str()) == nullptr) {
      return Error(path, "unknown role for kind " + std::string(RuleKindName(spec.kind)));
    }
    if (!role_node.is_table()) {
      return Error(path, "expected a table");
    }
  }
  for (const RoleSpec& role : spec.roles) {
    std::string path = "inputs." + role.name;
    const toml::node* role_node = inputs.get(role.name);
    if (role_node == nullptr) {
      if (role.required) {
        return Error(path, "missing (the " + std::string(RuleKindName(spec.kind)) +
                               " kind needs this role)");
      }
      continue;
    }
    JIANDU_RETURN_IF_ERROR(ParseInput(*role_node->as_table(), role, path));
  }
  return Status::Ok();
}

Status RuleParser::ParseParam(const toml::node& node, const ParamSpec& p, std::string_view path) {
  RuleParams& out = rule_->params;
  switch (p.type) {
    case ParamType::kInt: {
      const auto* v = node.as_integer();
      if (v == nullptr) {
        return Error(path, "expected an integer");
      }
      if (v->get() < p.min || v->get() > p.max) {
        return Error(path, Str(v->get()) + " is out of range [" + Str(p.min) + ", " +
                               Str(p.max) + "]");
      }
      *internal::IntParamSlot(out, p.name) = v->get();
      return Status::Ok();
    }
    case ParamType::kDecimal: {
      double x = 0;
      if (const auto* i = node.as_integer()) {
        x = static_cast<double>(i->get());
      } else if (const auto* f = node.as_floating_point()) {
        x = f->get();
      } else {
        return Error(path, "expected a number");
      }
      double hundredths = x * 100;
      if (!std::isfinite(x) || std::fabs(hundredths - std::round(hundredths)) > 1e-6) {
        return Error(path, "expected a number with at most 2 decimals");
      }
      auto h = static_cast<int64_t>(std::llround(hundredths));
      if (h <= p.min || h > p.max) {
        return Error(path, "out of range (" + Str(p.min / 100) + ", " + Str(p.max / 100) + "]");
      }
      *internal::IntParamSlot(out, p.name) = h;
      return Status::Ok();
    }
    case ParamType::kDate: {
      const auto* d = node.as_date();
      if (d == nullptr) {
        return Error(path, "expected a date (YYYY-MM-DD, unquoted)");
      }
      Result<core::CivilDate> date =
          core::CivilDate::FromYmd(d->get().year, d->get().month, d->get().day);
      if (!date.ok()) {
        return Error(path, "not a valid date");
      }
      out.as_of = date->day_number();
      return Status::Ok();
    }
    case ParamType::kRelation: {
      const auto* s = node.as_string();
      std::optional<MatchRelation> r =
          s == nullptr ? std::nullopt : internal::ParseRelation(s->get());
      if (!r) {
        return Error(path, "expected \"after\", \"overlaps\" or \"exists\"");
      }
      out.relation = *r;
      return Status::Ok();
    }
  }
  return Status::Internal("unhandled parameter type");
}

Status RuleParser::ParseParams(const toml::table& t, const KindSpec& spec) {
  const toml::node* node = t.get("params");
  const toml::table* params = node == nullptr ? nullptr : node->as_table();
  if (node != nullptr) {
    Remember("params", *node);
    if (params == nullptr) {
      return Error("params", "expected a table");
    }
    for (const auto& [k, value] : *params) {
      std::string path = "params." + std::string(k.str());
      Remember(path, value);
      const ParamSpec* p = internal::FindParam(spec, k.str());
      if (p == nullptr) {
        return Error(path, "unknown parameter for kind " + std::string(RuleKindName(spec.kind)));
      }
      JIANDU_RETURN_IF_ERROR(ParseParam(value, *p, path));
    }
  }
  for (const ParamSpec& p : spec.params) {
    if (p.required && (params == nullptr || params->get(p.name) == nullptr)) {
      return Error("params." + p.name, "missing (the " + std::string(RuleKindName(spec.kind)) +
                                           " kind needs it)");
    }
  }
  return CheckCombination();
}

// Slots and parameters that depend on each other.
Status RuleParser::CheckCombination() {
  const Rule& r = *rule_;
  switch (r.kind) {
    case RuleKind::kMatch:
      for (std::string_view role : {"left", "right"}) {
        std::string path = "inputs." + std::string(role);
        if (r.params.relation == MatchRelation::kAfter && r.Column(role, "date").empty()) {
          return Error(path + ".date", "missing (relation \"after\" compares dates)");
        }
        if (r.params.relation == MatchRelation::kOverlaps && r.Column(role, "from").empty()) {
          return Error(path + ".from", "missing (relation \"overlaps\" compares periods)");
        }
      }
      return Status::Ok();
    case RuleKind::kDuplicate:
      if (r.List("records", "shared").empty() && !r.Column("records", "distinct").empty()) {
        return Error("inputs.records.distinct", "only used together with inputs.records.shared");
      }
      if (!r.List("records", "shared").empty() && r.Column("records", "distinct").empty()) {
        return Error("inputs.records.distinct",
                     "missing (shared attributes are counted over distinct entities)");
      }
      return Status::Ok();
    case RuleKind::kDeadline:
      if (r.Column("records", "limit").empty() && !r.params.limit_days) {
        return Error("params.limit_days", "missing (no limit column is bound)");
      }
      return Status::Ok();
    default:
      return Status::Ok();
  }
}

const std::vector<std::string> kNoList;
const std::string kNoColumn;

}  // namespace

std::string_view RuleKindName(RuleKind kind) { return internal::SpecFor(kind).name; }

std::string_view WarningLevelName(WarningLevel level) {
  switch (level) {
    case WarningLevel::kRed:
      return "red";
    case WarningLevel::kOrange:
      return "orange";
    case WarningLevel::kYellow:
      return "yellow";
    case WarningLevel::kInfo:
      return "info";
  }
  return "?";
}

const RuleInput* Rule::Input(std::string_view role) const {
  for (const RuleInput& in : inputs) {
    if (in.role == role) {
      return &in;
    }
  }
  return nullptr;
}

const std::string& Rule::Column(std::string_view role, std::string_view slot) const {
  const RuleInput* in = Input(role);
  if (in == nullptr) {
    return kNoColumn;
  }
  auto it = in->columns.find(std::string(slot));
  return it == in->columns.end() ? kNoColumn : it->second;
}

const std::vector<std::string>& Rule::List(std::string_view role, std::string_view slot) const {
  const RuleInput* in = Input(role);
  if (in == nullptr) {
    return kNoList;
  }
  auto it = in->lists.find(std::string(slot));
  return it == in->lists.end() ? kNoList : it->second;
}

std::string Rule::Where(std::string_view key_path) const {
  std::string out = "rule " + (id.empty() ? std::string("?") : id) + " (" + source;
  auto it = lines.find(std::string(key_path));
  if (it != lines.end() && it->second > 0) {
    out += ":" + std::to_string(it->second);
  }
  return out + "): ";
}

Result<Rule> ParseRule(std::string_view toml_text, std::string_view source) {
  Rule rule;
  rule.source = std::string(source);
  toml::table t;
  try {
    t = toml::parse(toml_text, source);
  } catch (const toml::parse_error& e) {
    rule.lines["toml"] = static_cast<int>(e.source().begin.line);
    return Status::InvalidArgument(
        "toml", rule.Where("toml") + "not valid TOML: " + std::string(e.description()));
  }
  RuleParser parser(source, &rule);
  JIANDU_ASSIGN_OR_RETURN(rule.id, parser.RequiredString(t, "id"));
  JIANDU_RETURN_IF_ERROR(parser.ParseHeader(t));
  JIANDU_ASSIGN_OR_RETURN(std::string kind, parser.RequiredString(t, "kind"));
  const KindSpec* spec = internal::FindKind(kind);
  if (spec == nullptr) {
    return parser.Error("kind", "unknown kind '" + kind +
                                    "' (match, link, count, duplicate, outlier, window, "
                                    "deadline, threshold)");
  }
  rule.kind = spec->kind;
  JIANDU_RETURN_IF_ERROR(parser.ParseInputs(t, *spec));
  JIANDU_RETURN_IF_ERROR(parser.ParseParams(t, *spec));
  return rule;
}

Status ValidateRule(const Rule& rule, const SchemaLookup& schemas) {
  const KindSpec& spec = internal::SpecFor(rule.kind);
  auto error = [&](const std::string& key, const std::string& reason) {
    return Status::InvalidArgument(key, rule.Where(key) + key + ": " + reason);
  };
  for (const RuleInput& in : rule.inputs) {
    std::string path = "inputs." + in.role;
    const DatasetSchema* schema = schemas(in.dataset);
    if (schema == nullptr) {
      return error(path + ".dataset", "no dataset '" + in.dataset + "'");
    }
    const RoleSpec& role = *internal::FindRole(spec, in.role);
    auto check = [&](const std::string& slot_name, const std::string& column,
                     const std::string& key) -> Status {
      int index = schema->Find(column);
      if (index < 0) {
        return error(key, "no column '" + column + "' in dataset " + in.dataset);
      }
      const SlotSpec& slot = *internal::FindSlot(role, slot_name);
      ColumnType type = schema->columns[index].type;
      if (!internal::Accepts(slot, type)) {
        return error(key, "column '" + column + "' is " + std::string(ColumnTypeName(type)) +
                              "; this slot needs " + internal::AcceptedTypes(slot));
      }
      return Status::Ok();
    };
    for (const auto& [slot, column] : in.columns) {
      JIANDU_RETURN_IF_ERROR(check(slot, column, path + "." + slot));
    }
    for (const auto& [slot, columns] : in.lists) {
      for (const std::string& column : columns) {
        JIANDU_RETURN_IF_ERROR(check(slot, column, path + "." + slot));
      }
    }
  }
  // Joined keys must have the same type.
  for (const internal::KeyPair& pair : spec.joined) {
    const RuleInput* a = rule.Input(pair.role_a);
    const RuleInput* b = rule.Input(pair.role_b);
    if (a == nullptr || b == nullptr) {
      continue;
    }
    const DatasetSchema* sa = schemas(a->dataset);
    const DatasetSchema* sb = schemas(b->dataset);
    ColumnType ta = sa->columns[sa->Find(rule.Column(pair.role_a, pair.slot_a))].type;
    ColumnType tb = sb->columns[sb->Find(rule.Column(pair.role_b, pair.slot_b))].type;
    bool text_like_a = ta == ColumnType::kText || ta == ColumnType::kEnum;
    bool text_like_b = tb == ColumnType::kText || tb == ColumnType::kEnum;
    if (ta != tb && !(text_like_a && text_like_b)) {
      std::string key = "inputs." + pair.role_b + "." + pair.slot_b;
      return error(key, "is " + std::string(ColumnTypeName(tb)) + " but inputs." + pair.role_a +
                            "." + pair.slot_a + " is " + std::string(ColumnTypeName(ta)) +
                            "; joined keys need the same type");
    }
  }
  return Status::Ok();
}

Result<Rule> LoadRule(std::string_view toml_text, std::string_view source,
                      const SchemaLookup& schemas) {
  JIANDU_ASSIGN_OR_RETURN(Rule rule, ParseRule(toml_text, source));
  JIANDU_RETURN_IF_ERROR(ValidateRule(rule, schemas));
  return rule;
}

}  // namespace jiandu::monitor
