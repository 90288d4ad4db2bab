// Dataset schemas written as TOML, and the built-in schemas of data/datasets/*.toml.
//
//   name = "payments"
//   title = "惠民惠农补贴发放"
//
//   [[columns]]
//   name = "payee_id"            # identifier: [a-z][a-z0-9_]*, unique in the dataset
//   type = "id_number"           # text, id_number, credit_code, enum, date, money, int
//   required = true              # default true; false lets a cell be empty (a null)
//   title = "收款人身份证号"       # header spelling accepted on import, shown in reports
//   aliases = ["身份证号"]         # other accepted header spellings
//   values = ["spouse", "child"] # enum only, required for an enum
//   value_aliases = { "配偶" = "spouse" }  # enum only: other spellings of a value
//
//   JIANDU_ASSIGN_OR_RETURN(DatasetSchema schema, BuiltinSchema("payments"));
//
// Unknown keys are refused (a misspelt `requried = false` must not silently keep a column
// required). Errors are invalid_argument naming the source, the line and the key.
#pragma once

#include <string_view>
#include <vector>

#include "core/result.h"
#include "monitor/table.h"

namespace jiandu::monitor {

// Parses one schema. `source` names the text in error messages ("payments.toml").
Result<DatasetSchema> ParseSchemaToml(std::string_view toml, std::string_view source);

// A schema compiled into the binary from data/datasets/<name>.toml; not_found for an unknown
// name. Thread-safe.
Result<DatasetSchema> BuiltinSchema(std::string_view name);

// Names of the built-in schemas, sorted.
std::vector<std::string_view> BuiltinSchemaNames();

// The built-in schema named `name`, parsed once for the life of the process, or nullptr. The
// shape of the engine's SchemaLookup, for validating rules. Thread-safe.
const DatasetSchema* FindBuiltinSchema(std::string_view name);

}  // namespace jiandu::monitor
