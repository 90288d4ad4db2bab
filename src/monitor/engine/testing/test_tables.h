// Test helpers for the engine: the built-in schemas, valid ID numbers and hand-made tables.
#pragma once

#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "monitor/engine/native_executor.h"
#include "monitor/engine/rule.h"
#include "monitor/table.h"

namespace jiandu::monitor::testing {

// Looks names up among the built-in schemas (data/datasets/*.toml).
SchemaLookup BuiltinSchemas();
const DatasetSchema& Schema(std::string_view dataset);

// A valid 18-character ID number: region 420322 (郧西县), birth 1970-01-01 + `n` days' worth
// of sequence numbers — distinct for distinct n < 1,000,000.
std::string Id(int n);
// The 17-digit integer form of Id(n), as stored in tables.
int64_t PackedId(int n);
// A valid 统一社会信用代码, distinct for distinct n < 1,000,000.
std::string CreditCode(int n);

// Builds a table of `dataset` from rows of cells in schema order ("" = missing); aborts the
// test on a refused cell.
Table MakeTable(std::string_view dataset, const std::vector<std::vector<std::string>>& rows);

// Owns tables by dataset name and hands out a TableSet.
class Tables {
 public:
  void Add(Table table);
  TableSet Set() const;
  const Table& Get(std::string_view dataset) const;

 private:
  std::map<std::string, Table, std::less<>> tables_;
};

}  // namespace jiandu::monitor::testing
