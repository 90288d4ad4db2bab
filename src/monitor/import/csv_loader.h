// LoadCsv: UTF-8 CSV text → a typed Table, in parallel. The product's CSV import and the
// benchmark's loader.
//
//   CsvOptions options;
//   options.mode = ImportMode::kQuarantine;   // keep good rows, report the bad ones
//   JIANDU_ASSIGN_OR_RETURN(LoadResult loaded, LoadCsv(schema, utf8_text, options));
//   for (const RowError& e : loaded.errors) report(e.line, e.column, e.reason);
//   use(loaded.table);
//
// Format: RFC 4180 — fields separated by `delimiter`, records by LF or CRLF, a field starting
// with '"' is quoted (it may hold delimiters, "" for a quote, and line breaks), the last record
// may lack its line break. A quote inside an unquoted field is an ordinary character. The first
// non-blank record is the header, matched to the schema with MapHeader. Records whose every
// cell is blank (empty lines, ",,,," rows that spreadsheets write) are skipped and counted in
// blank_records.
//
// Every record is validated exactly as TableBuilder::Append does (same parsers, messages, error
// order and dictionary order), so the result equals feeding the records to a TableBuilder.
// RowError::line is the 1-based physical line where the record starts. A record with the wrong
// number of cells, or with text after a closing quote, is refused as a whole (column "").
//
// Parallelism: the text is split into one chunk per thread at line breaks, each chunk parsed
// into its own typed columns, then the chunks are checked to start at true record boundaries (a
// line break inside a quoted field makes a split land mid-record; such a chunk is parsed again
// from the right place) and concatenated in file order with dictionary codes remapped. The
// result does not depend on the number of threads.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "core/progress.h"
#include "core/result.h"
#include "monitor/table.h"
#include "monitor/table_builder.h"

namespace jiandu::monitor {

struct CsvOptions {
  ImportMode mode = ImportMode::kReject;
  char delimiter = ',';
  // Worker threads; 0 = std::thread::hardware_concurrency().
  unsigned threads = 0;
  // Errors kept in LoadResult::errors; error_count counts them all.
  size_t max_stored_errors = 10000;
  // No chunk smaller than this: splitting small files costs more than it saves. Tests lower it
  // to exercise the chunk boundaries on small inputs.
  size_t min_chunk_bytes = 1 << 20;
  // When set: stage "parsing" with the data's bytes as total, then "merging". Not owned.
  core::Progress* progress = nullptr;
};

struct LoadResult {
  // With kQuarantine the good rows; with kReject the good rows if there was no error at all,
  // else an empty table (with the schema's columns).
  Table table;
  std::vector<RowError> errors;  // the first max_stored_errors, in file order
  size_t error_count = 0;        // every error found
  size_t records = 0;            // data records read (the header and blank records excluded)
  size_t rows = 0;               // records without an error
  size_t bad_rows = 0;           // records with at least one error
  size_t blank_records = 0;      // records whose every cell is blank, skipped
  int64_t header_line = 0;       // line of the header record
};

// Loads `utf8` (a UTF-8 BOM, if present, is skipped). Errors (whole-file, as invalid_argument):
// an empty file, a header MapHeader refuses, an unterminated quote ("truncated file: quote
// opened on line N never closed"). Row problems are not errors of the call: they are in
// LoadResult::errors. `schema` and `utf8` are only read during the call; the result owns its
// data. Thread-safe (it starts its own threads).
Result<LoadResult> LoadCsv(const DatasetSchema& schema, std::string_view utf8,
                           const CsvOptions& options);

}  // namespace jiandu::monitor
