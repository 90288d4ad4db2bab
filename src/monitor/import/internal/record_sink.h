// Internal to monitor/import: records of text cells (XLSX rows, JSON lines) → TableBuilder →
// LoadResult, with the same conventions as LoadCsv (blank records skipped, width checked,
// errors capped, kReject leaves the table empty when anything was wrong).
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "monitor/import/csv_loader.h"
#include "monitor/table_builder.h"

namespace jiandu::monitor::internal {

class RecordSink {
 public:
  RecordSink(const DatasetSchema& schema, HeaderMap map);

  // One record in file order (cells in the file's column order). Skips a blank record.
  // Returns false when the record was refused.
  bool Add(std::span<const std::string_view> cells, int64_t line);
  // Refuses a whole record; `column` names the schema column at fault ("" for none).
  void Reject(int64_t line, std::string_view column, std::string reason);
  // True when every cell is blank (the record would be skipped).
  static bool IsBlank(std::span<const std::string_view> cells);
  const HeaderMap& map() const { return map_; }

  LoadResult Finish(ImportMode mode, size_t max_stored_errors);

 private:
  const DatasetSchema& schema_;
  HeaderMap map_;
  TableBuilder builder_;
  size_t records_ = 0;
  size_t blank_ = 0;
  std::vector<std::string_view> selected_;
  std::vector<std::pair<size_t, std::string>> columns_;  // error index → column to report
};

}  // namespace jiandu::monitor::internal
