#include "monitor/import/internal/record_sink.h"

#include <algorithm>

#include "monitor/value_parse.h"

namespace jiandu::monitor::internal {

RecordSink::RecordSink(const DatasetSchema& schema, HeaderMap map)
    : schema_(schema), map_(std::move(map)), builder_(schema) {}

bool RecordSink::IsBlank(std::span<const std::string_view> cells) {
  return std::all_of(cells.begin(), cells.end(), IsBlankCell);
}

bool RecordSink::Add(std::span<const std::string_view> cells, int64_t line) {
  if (IsBlank(cells)) {
    ++blank_;
    return true;
  }
  ++records_;
  if (cells.size() != map_.record_width) {
    builder_.RejectRecord(line, "expected " + std::to_string(map_.record_width) +
                                    " cells, found " + std::to_string(cells.size()));
    return false;
  }
  map_.Select(cells, &selected_);
  return builder_.Append(selected_, line);
}

void RecordSink::Reject(int64_t line, std::string_view column, std::string reason) {
  ++records_;
  builder_.RejectRecord(line, std::move(reason));
  if (!column.empty()) columns_.emplace_back(builder_.errors().size() - 1, std::string(column));
}

LoadResult RecordSink::Finish(ImportMode mode, size_t max_stored_errors) {
  LoadResult result;
  result.records = records_;
  result.blank_records = blank_;
  result.bad_rows = builder_.bad_rows();
  result.rows = builder_.rows();
  result.error_count = builder_.errors().size();
  const size_t keep = std::min(max_stored_errors, builder_.errors().size());
  result.errors.assign(builder_.errors().begin(),
                       builder_.errors().begin() + static_cast<ptrdiff_t>(keep));
  for (auto& [index, column] : columns_) {
    if (index < keep) result.errors[index].column = column;
  }
  if (mode == ImportMode::kReject && result.error_count > 0) {
    result.table = Table::Empty(schema_);
  } else {
    result.table = builder_.Finish();
  }
  return result;
}

}  // namespace jiandu::monitor::internal
