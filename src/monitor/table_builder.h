// TableBuilder: validated rows in, a Table out. Every import format (CSV, XLSX, JSON lines)
// produces records of text cells and feeds them here, so the typing, normalisation and error
// reporting rules are the same whatever the file format.
//
//   JIANDU_ASSIGN_OR_RETURN(HeaderMap map, MapHeader(schema, header_cells));
//   TableBuilder builder(schema);
//   for (each record)  builder.Append(map.Select(record_cells), line_number);
//   if (builder.errors().empty() || quarantine) table = builder.Finish();
//
// A row with any bad cell is not appended (all its errors are recorded); with
// ImportMode::kReject the caller discards everything when errors() is not empty, with
// kQuarantine it keeps the good rows and stores the bad ones with their reasons.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "monitor/table.h"

namespace jiandu::monitor {

// One reason a row was refused. `line` is the 1-based physical line of the file where the
// record starts (CSV, JSON lines) or the 1-based spreadsheet row (XLSX); `column` is the
// schema column name ("" for a problem with the whole record).
struct RowError {
  int64_t line = 0;
  std::string column;
  std::string reason;
};

enum class ImportMode { kReject, kQuarantine };

// Where each schema column sits in a file's records.
struct HeaderMap {
  std::vector<int> source_index;  // per schema column: index in the record, or -1 (optional absent)
  size_t record_width = 0;        // number of cells a record must have

  // The cells of `record` in schema order ("" for an absent optional column).
  void Select(std::span<const std::string_view> record, std::vector<std::string_view>* out) const;
};

// Matches a file's header cells to the schema by column name, title or alias (after
// normalising width and spaces). invalid_argument naming the header cell for: a duplicated
// header name, a header that is not in the schema, a required column that is missing.
Result<HeaderMap> MapHeader(const DatasetSchema& schema, std::span<const std::string_view> header);

class TableBuilder {
 public:
  explicit TableBuilder(const DatasetSchema& schema);

  // `cells` in schema order. Returns true when the row was appended.
  bool Append(std::span<const std::string_view> cells, int64_t line);
  // A record with the wrong number of cells (or otherwise unreadable as a whole).
  void RejectRecord(int64_t line, std::string reason);

  const std::vector<RowError>& errors() const { return errors_; }
  size_t bad_rows() const { return bad_rows_; }
  size_t rows() const { return table_.rows; }
  Table Finish() { return std::move(table_); }

 private:
  Table table_;
  std::vector<RowError> errors_;
  size_t bad_rows_ = 0;
  // Scratch for one row's typed values, committed only when every cell parsed.
  std::vector<int64_t> row_i64_;
  std::vector<int32_t> row_i32_;
  std::vector<std::string> row_text_;
};

}  // namespace jiandu::monitor
