// The SQL executor's compiler (DESIGN.md §4, executor 2): each rule becomes one SELECT over
// tables that hold the datasets in the engine's storage forms, for PostgreSQL (the scale-out
// path) and DuckDB (the benchmark's peer).
//
//   column type       SQL type   value
//   id_number         BIGINT     the 17 leading digits (check character implied)
//   date              DATE
//   money             BIGINT     cents
//   int               BIGINT
//   text, credit_code, enum  TEXT
//
// The SELECT returns one row per case: the values the stable key is computed from, in the same
// order as the native executor (dates as day numbers since 1970-01-01), then subject columns
// that are not part of the key. sql_executor.h turns those rows into Warnings with the same
// StableKey, so the two executors' warnings compare equal.
//
//   JIANDU_ASSIGN_OR_RETURN(CompiledRule c, CompileRule(rule, schemas));
//   tx.ForEachRow(c.sql, {}, ...);
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/calendar.h"
#include "core/result.h"
#include "monitor/engine/rule.h"
#include "monitor/table.h"

namespace jiandu::monitor {

enum class SqlDialect { kPostgres, kDuckDb };

struct SqlOutput {
  ColumnType type;
  bool in_key = true;        // part of the stable key (else a subject only)
  std::string subject_role;  // "" when not a subject
};

struct CompiledRule {
  std::string sql;
  std::vector<SqlOutput> outputs;  // one per result column
  bool needs_calendar = false;     // reads the jiandu_workday table (CalendarTableSql)
};

// Compiles a validated rule. invalid_argument when a bound dataset or column is unknown.
Result<CompiledRule> CompileRule(const Rule& rule, const SchemaLookup& schemas,
                                 SqlDialect dialect = SqlDialect::kPostgres);

// "payments" → "\"payments\"" (identifiers are always quoted: projects has a column "end").
std::string QuoteIdent(std::string_view name);

// CREATE TABLE for a dataset in the storage forms above.
std::string CreateTableSql(const DatasetSchema& schema);

// INSERT statements with literal values for rows [begin, end) of `table` (tests, small data).
std::string InsertRowsSql(const Table& table, size_t begin, size_t end);

// Statements that load a CSV file written in the schema's column order with a header (IDs as
// 18 characters, dates YYYY-MM-DD, money in yuan with up to 2 decimals) into the table
// `schema.name`, converting to the storage forms. PostgreSQL: server-side COPY into an
// unlogged staging table, then CREATE TABLE AS SELECT (the file must be readable by the
// server). DuckDB: CREATE TABLE AS SELECT from read_csv with explicit column types.
std::vector<std::string> LoadCsvSql(const DatasetSchema& schema, std::string_view csv_path,
                                    SqlDialect dialect);

// The working-day calendar as a table jiandu_workday(day DATE PRIMARY KEY, idx INTEGER): idx
// counts the working days up to and including `day`, so the working days in (a, b] are
// idx(b) − idx(a). Covers the calendar's years; they must be consecutive.
Result<std::string> CalendarTableSql(const core::Calendar& calendar);

}  // namespace jiandu::monitor
