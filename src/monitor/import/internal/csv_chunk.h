// Internal to monitor/import: the per-chunk CSV parser behind LoadCsv (csv_loader.h).
//
// A chunk is parsed independently of the others into per-chunk typed columns. Text and
// credit-code cells get chunk-local dictionary codes, numbered in order of the first row that
// used them (a refused row interns nothing, as TableBuilder does); LoadCsv remaps them into one
// dictionary per column in chunk order, which reproduces TableBuilder's first-appearance order.
// Lines in a chunk are counted from its first byte (0 = the chunk's first line).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/progress.h"
#include "monitor/import/internal/cell_cache.h"
#include "monitor/table.h"
#include "monitor/table_builder.h"

namespace jiandu::monitor::internal {

// What every chunk needs to know, shared read-only between threads.
struct CsvPlan {
  const DatasetSchema* schema = nullptr;
  HeaderMap map;
  char delimiter = ',';
  size_t max_stored_errors = 10000;  // per chunk; LoadCsv keeps the first ones overall
  std::vector<std::string> enum_allowed;  // per column: "a, b, c" for the enum message
  core::Progress* progress = nullptr;      // bytes parsed are added in steps of ~4 MiB
};

struct ChunkColumn {
  std::vector<int64_t> i64;
  std::vector<int32_t> i32;
  std::vector<uint32_t> codes;             // text/credit: local codes; enum: value index
  std::vector<std::string_view> strings;   // text/credit: local dictionary in code order
  CellCache cache;                         // owns what `strings` points to (besides input)
};

struct ChunkResult {
  size_t begin = 0;     // offset of the first byte parsed
  size_t end = 0;       // offset after the last record parsed
  int64_t newlines = 0; // '\n' in [begin, end)
  std::vector<std::unique_ptr<ChunkColumn>> columns;
  size_t records = 0;   // data records (blank ones excluded)
  size_t rows = 0;
  size_t bad_rows = 0;
  size_t blank_records = 0;
  std::vector<RowError> errors;  // lines relative to `begin`; at most plan.max_stored_errors
  size_t error_count = 0;
  int64_t unclosed_quote_line = -1;  // relative line of a quote never closed before EOF
};

// Parses the records that start in [begin, limit) of `input`; the last one may run past
// `limit`. Precondition: `begin` is a record boundary (LoadCsv checks and re-parses otherwise).
void ParseChunk(const CsvPlan& plan, std::string_view input, size_t begin, size_t limit,
                ChunkResult* out);

// Reads one record starting at `pos` (the header). Cells are views into `input` or `scratch`.
// Returns the offset after the record; sets *newlines to the '\n' bytes consumed, or
// *unclosed_quote_line (relative) when a quote is never closed.
struct RawRecord {
  std::vector<std::string_view> cells;
  std::string scratch;
  int64_t newlines = 0;
  int64_t unclosed_quote_line = -1;
  int junk_after_quote_cell = -1;  // 1-based cell with text after its closing quote, or -1
  // Cells unescaped into `scratch`: (cell index, offset, length), resolved once complete.
  struct Fixup {
    size_t cell, offset, length;
  };
  std::vector<Fixup> fixups;
};
size_t ReadRecord(std::string_view input, size_t pos, char delimiter, RawRecord* record);

}  // namespace jiandu::monitor::internal
