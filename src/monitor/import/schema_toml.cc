#include "monitor/import/schema_toml.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <utility>

#include <toml++/toml.h>

namespace jiandu::embedded {
extern const std::string_view dataset_approvals_toml;
extern const std::string_view dataset_bids_toml;
extern const std::string_view dataset_companies_toml;
extern const std::string_view dataset_dibao_roll_toml;
extern const std::string_view dataset_fee_standards_toml;
extern const std::string_view dataset_fees_toml;
extern const std::string_view dataset_officials_toml;
extern const std::string_view dataset_payments_toml;
extern const std::string_view dataset_people_toml;
extern const std::string_view dataset_project_changes_toml;
extern const std::string_view dataset_projects_toml;
extern const std::string_view dataset_relatives_toml;
extern const std::string_view dataset_vehicles_toml;
}  // namespace jiandu::embedded

namespace jiandu::monitor {
namespace {

struct Builtin {
  std::string_view name;
  const std::string_view* text;
};

// Sorted by name.
const Builtin kBuiltins[] = {
    {"approvals", &embedded::dataset_approvals_toml},
    {"bids", &embedded::dataset_bids_toml},
    {"companies", &embedded::dataset_companies_toml},
    {"dibao_roll", &embedded::dataset_dibao_roll_toml},
    {"fee_standards", &embedded::dataset_fee_standards_toml},
    {"fees", &embedded::dataset_fees_toml},
    {"officials", &embedded::dataset_officials_toml},
    {"payments", &embedded::dataset_payments_toml},
    {"people", &embedded::dataset_people_toml},
    {"project_changes", &embedded::dataset_project_changes_toml},
    {"projects", &embedded::dataset_projects_toml},
    {"relatives", &embedded::dataset_relatives_toml},
    {"vehicles", &embedded::dataset_vehicles_toml},
};

// Error messages name the source, the line and the key: "payments.toml:12: columns[2].type: …".
class Context {
 public:
  explicit Context(std::string_view source) : source_(source) {}

  Status Error(const toml::source_region& where, std::string_view key,
               std::string_view message) const {
    std::string text(source_);
    if (where.begin.line > 0) text += ":" + std::to_string(where.begin.line);
    text += ": ";
    text += key;
    text += ": ";
    text += message;
    return Status::InvalidArgument("schema", text);
  }

 private:
  std::string_view source_;
};

bool IsIdentifier(std::string_view s) {
  if (s.empty() || s.size() > 64 || !(s[0] >= 'a' && s[0] <= 'z')) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

Status CheckKeys(const Context& ctx, const toml::table& table, std::string_view prefix,
                 std::initializer_list<std::string_view> allowed) {
  for (const auto& [key, node] : table) {
    if (std::find(allowed.begin(), allowed.end(), key.str()) == allowed.end()) {
      std::string list;
      for (std::string_view a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      return ctx.Error(key.source(), std::string(prefix) + std::string(key.str()),
                       "unknown key (expected one of: " + list + ")");
    }
  }
  return Status::Ok();
}

// A string value, or "" when absent. invalid_argument when present with another type.
Result<std::string> OptionalString(const Context& ctx, const toml::table& table,
                                   std::string_view key, std::string_view path) {
  const toml::node* node = table.get(key);
  if (node == nullptr) return std::string();
  if (!node->is_string()) return ctx.Error(node->source(), path, "must be a string");
  return std::string(node->as_string()->get());
}

Result<std::vector<std::string>> StringArray(const Context& ctx, const toml::table& table,
                                             std::string_view key, std::string_view path) {
  std::vector<std::string> out;
  const toml::node* node = table.get(key);
  if (node == nullptr) return out;
  const toml::array* array = node->as_array();
  if (array == nullptr) return ctx.Error(node->source(), path, "must be an array of strings");
  for (const toml::node& item : *array) {
    if (!item.is_string()) return ctx.Error(item.source(), path, "must be an array of strings");
    std::string value(item.as_string()->get());
    if (value.empty()) return ctx.Error(item.source(), path, "empty string");
    if (std::find(out.begin(), out.end(), value) != out.end()) {
      return ctx.Error(item.source(), path, "'" + value + "' is listed twice");
    }
    out.push_back(std::move(value));
  }
  return out;
}

Result<ColumnSpec> ParseColumn(const Context& ctx, const toml::table& table, size_t index) {
  const std::string prefix = "columns[" + std::to_string(index + 1) + "].";
  JIANDU_RETURN_IF_ERROR(
      CheckKeys(ctx, table, prefix,
                {"name", "type", "required", "title", "aliases", "values", "value_aliases"}));
  ColumnSpec spec;
  JIANDU_ASSIGN_OR_RETURN(spec.name, OptionalString(ctx, table, "name", prefix + "name"));
  if (spec.name.empty()) return ctx.Error(table.source(), prefix + "name", "missing");
  if (!IsIdentifier(spec.name)) {
    return ctx.Error(table.get("name")->source(), prefix + "name",
                     "'" + spec.name + "' is not an identifier ([a-z][a-z0-9_]*)");
  }
  JIANDU_ASSIGN_OR_RETURN(std::string type, OptionalString(ctx, table, "type", prefix + "type"));
  if (type.empty()) return ctx.Error(table.source(), prefix + "type", "missing");
  Result<ColumnType> parsed = ParseColumnType(type, "");
  if (!parsed.ok()) {
    return ctx.Error(table.get("type")->source(), prefix + "type", parsed.status().message());
  }
  spec.type = *parsed;
  if (const toml::node* required = table.get("required")) {
    if (!required->is_boolean()) {
      return ctx.Error(required->source(), prefix + "required", "must be true or false");
    }
    spec.required = required->as_boolean()->get();
  }
  JIANDU_ASSIGN_OR_RETURN(spec.title, OptionalString(ctx, table, "title", prefix + "title"));
  JIANDU_ASSIGN_OR_RETURN(spec.aliases, StringArray(ctx, table, "aliases", prefix + "aliases"));
  JIANDU_ASSIGN_OR_RETURN(spec.enum_values,
                          StringArray(ctx, table, "values", prefix + "values"));
  if (spec.type == ColumnType::kEnum && spec.enum_values.empty()) {
    return ctx.Error(table.source(), prefix + "values", "an enum column needs its values");
  }
  if (spec.type != ColumnType::kEnum && !spec.enum_values.empty()) {
    return ctx.Error(table.get("values")->source(), prefix + "values",
                     "only an enum column has values");
  }
  // value_aliases = { "配偶" = "spouse", … }: other spellings of the values.
  if (const toml::node* aliases = table.get("value_aliases")) {
    const std::string key = prefix + "value_aliases";
    if (spec.type != ColumnType::kEnum) {
      return ctx.Error(aliases->source(), key, "only an enum column has value aliases");
    }
    const toml::table* t = aliases->as_table();
    if (t == nullptr) {
      return ctx.Error(aliases->source(), key, "must be a table of alias = \"value\"");
    }
    for (const auto& [alias, value] : *t) {
      const std::string name(alias.str());
      if (!value.is_string()) {
        return ctx.Error(value.source(), key + "." + name, "must be one of the values, as text");
      }
      std::string target(value.as_string()->get());
      if (std::find(spec.enum_values.begin(), spec.enum_values.end(), target) ==
          spec.enum_values.end()) {
        return ctx.Error(value.source(), key + "." + name,
                         "'" + target + "' is not one of the column's values");
      }
      if (EnumCode(spec, name) >= 0) {
        return ctx.Error(value.source(), key + "." + name, "'" + name + "' is already a value "
                                                           "or an alias");
      }
      spec.enum_aliases.emplace_back(name, std::move(target));
    }
  }
  return spec;
}

}  // namespace

Result<DatasetSchema> ParseSchemaToml(std::string_view toml, std::string_view source) {
  Context ctx(source);
  toml::table root;
  try {
    root = toml::parse(toml, source);
  } catch (const toml::parse_error& e) {
    return ctx.Error(e.source(), "syntax", e.description());
  }
  JIANDU_RETURN_IF_ERROR(CheckKeys(ctx, root, "", {"name", "title", "columns"}));
  DatasetSchema schema;
  JIANDU_ASSIGN_OR_RETURN(schema.name, OptionalString(ctx, root, "name", "name"));
  if (schema.name.empty()) return ctx.Error(root.source(), "name", "missing");
  if (!IsIdentifier(schema.name)) {
    return ctx.Error(root.get("name")->source(), "name",
                     "'" + schema.name + "' is not an identifier ([a-z][a-z0-9_]*)");
  }
  JIANDU_ASSIGN_OR_RETURN(schema.title, OptionalString(ctx, root, "title", "title"));
  const toml::node* columns = root.get("columns");
  if (columns == nullptr) return ctx.Error(root.source(), "columns", "missing");
  const toml::array* array = columns->as_array();
  if (array == nullptr || !array->is_array_of_tables() || array->empty()) {
    return ctx.Error(columns->source(), "columns",
                     "must be one or more [[columns]] tables");
  }
  std::set<std::string> names;
  std::map<std::string, std::string> spellings;  // header spelling → column that accepts it
  for (size_t i = 0; i < array->size(); ++i) {
    const toml::table& table = *(*array)[i].as_table();
    const std::string prefix = "columns[" + std::to_string(i + 1) + "].";
    JIANDU_ASSIGN_OR_RETURN(ColumnSpec spec, ParseColumn(ctx, table, i));
    if (!names.insert(spec.name).second) {
      return ctx.Error(table.get("name")->source(), prefix + "name",
                       "duplicate column name '" + spec.name + "'");
    }
    // A header cell must name one column: MapHeader would otherwise pick one silently.
    auto claim = [&](const std::string& spelling, std::string_view key) -> Status {
      auto [it, fresh] = spellings.emplace(spelling, spec.name);
      if (!fresh && it->second != spec.name) {
        return ctx.Error(table.get(key)->source(), prefix + std::string(key),
                         "header spelling '" + spelling + "' is also used by column " +
                             it->second);
      }
      return Status::Ok();
    };
    JIANDU_RETURN_IF_ERROR(claim(spec.name, "name"));
    if (!spec.title.empty()) JIANDU_RETURN_IF_ERROR(claim(spec.title, "title"));
    for (const std::string& alias : spec.aliases) JIANDU_RETURN_IF_ERROR(claim(alias, "aliases"));
    schema.columns.push_back(std::move(spec));
  }
  return schema;
}

Result<DatasetSchema> BuiltinSchema(std::string_view name) {
  for (const Builtin& b : kBuiltins) {
    if (b.name == name) {
      Result<DatasetSchema> schema =
          ParseSchemaToml(*b.text, "data/datasets/" + std::string(name) + ".toml");
      if (!schema.ok()) {
        // The files are checked by schema_toml_test; reaching this is a build defect.
        return Status::Internal(schema.status().message());
      }
      return schema;
    }
  }
  std::string known;
  for (const Builtin& b : kBuiltins) known += (known.empty() ? "" : ", ") + std::string(b.name);
  return Status::NotFound("no built-in dataset '" + std::string(name) + "' (" + known + ")");
}

std::vector<std::string_view> BuiltinSchemaNames() {
  std::vector<std::string_view> names;
  for (const Builtin& b : kBuiltins) names.push_back(b.name);
  return names;
}

const DatasetSchema* FindBuiltinSchema(std::string_view name) {
  static const auto* parsed = [] {
    auto* m = new std::map<std::string, DatasetSchema, std::less<>>();
    for (const Builtin& b : kBuiltins) {
      if (Result<DatasetSchema> s = BuiltinSchema(b.name); s.ok()) {
        m->emplace(std::string(b.name), std::move(*s));
      }
    }
    return m;
  }();
  auto it = parsed->find(name);
  return it == parsed->end() ? nullptr : &it->second;
}

}  // namespace jiandu::monitor
