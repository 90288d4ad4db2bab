#include "monitor/engine/testing/test_tables.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <mutex>

#include "core/credit_code.h"
#include "core/resident_id.h"
#include "monitor/import/schema_toml.h"
#include "monitor/table_builder.h"

namespace jiandu::monitor::testing {
namespace {

const std::map<std::string, DatasetSchema, std::less<>>& AllSchemas() {
  static const auto* schemas = [] {
    auto* m = new std::map<std::string, DatasetSchema, std::less<>>();
    for (std::string_view name : BuiltinSchemaNames()) {
      Result<DatasetSchema> s = BuiltinSchema(name);
      if (s.ok()) (*m)[std::string(name)] = *s;
    }
    return m;
  }();
  return *schemas;
}

}  // namespace

SchemaLookup BuiltinSchemas() {
  return [](std::string_view name) -> const DatasetSchema* {
    auto it = AllSchemas().find(name);
    return it == AllSchemas().end() ? nullptr : &it->second;
  };
}

const DatasetSchema& Schema(std::string_view dataset) {
  auto it = AllSchemas().find(dataset);
  if (it == AllSchemas().end()) {
    ADD_FAILURE() << "no built-in schema " << dataset;
    std::abort();
  }
  return it->second;
}

std::string Id(int n) {
  // Birth dates from 1950-01-01 on, 1,000 sequence numbers per day.
  int day = n / 1000;
  int seq = n % 1000;
  int y = 1950, m = 1, d = 1;
  for (int i = 0; i < day; ++i) {
    static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int len = kDays[m - 1] + (m == 2 && (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) ? 1 : 0);
    if (++d > len) {
      d = 1;
      if (++m > 12) {
        m = 1;
        ++y;
      }
    }
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "420322%04d%02d%02d%03d", y, m, d, seq);
  std::string first17(buf);
  return first17 + core::ComputeResidentIdCheckChar(first17);
}

int64_t PackedId(int n) { return std::stoll(Id(n).substr(0, 17)); }

std::string CreditCode(int n) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "91420322%09d", n);
  std::string first17(buf);
  return first17 + core::ComputeCreditCodeCheckChar(first17);
}

Table MakeTable(std::string_view dataset, const std::vector<std::vector<std::string>>& rows) {
  TableBuilder builder(Schema(dataset));
  int64_t line = 1;
  for (const std::vector<std::string>& row : rows) {
    std::vector<std::string_view> cells(row.begin(), row.end());
    ++line;
    if (!builder.Append(cells, line)) {
      for (const RowError& e : builder.errors()) {
        ADD_FAILURE() << dataset << " line " << e.line << " " << e.column << ": " << e.reason;
      }
    }
  }
  return builder.Finish();
}

void Tables::Add(Table table) {
  std::string name = table.schema.name;
  tables_[name] = std::move(table);
}

TableSet Tables::Set() const {
  TableSet set;
  for (const auto& [name, t] : tables_) set[name] = &t;
  return set;
}

const Table& Tables::Get(std::string_view dataset) const { return tables_.find(dataset)->second; }

}  // namespace jiandu::monitor::testing
