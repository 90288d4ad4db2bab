// JSON lines (one JSON object per line) → a typed Table.
//
//   {"payee_id": "11010519491231002X", "item": "低保金", "amount": 350.5, "payer_org": null}
//
// Keys are matched to the schema with MapHeader over the union of the keys of all lines (in
// order of first appearance), so a key may be a column's name, title or alias, and a key that
// is no column refuses the file. A line lacking a key has an empty cell there. Values may be
// strings, numbers (written back as their shortest decimal form), booleans (true/false) and
// null (an empty cell); nested objects and arrays are refused. A line that is not valid JSON
// or not an object is a RowError for that line, not the end of the import. Blank lines, and
// objects whose every value is null or blank, are skipped (blank_records).
//
//   JIANDU_ASSIGN_OR_RETURN(LoadResult loaded, LoadJsonLines(schema, utf8, options));
#pragma once

#include <string_view>

#include "core/result.h"
#include "monitor/import/csv_loader.h"
#include "monitor/table.h"

namespace jiandu::monitor {

struct JsonLinesOptions {
  ImportMode mode = ImportMode::kReject;
  size_t max_stored_errors = 10000;
};

// `utf8` is UTF-8 text (a BOM is skipped). invalid_argument when no line holds an object or
// the keys do not match the schema (see MapHeader). Thread-safe.
Result<LoadResult> LoadJsonLines(const DatasetSchema& schema, std::string_view utf8,
                                 const JsonLinesOptions& options);

}  // namespace jiandu::monitor
