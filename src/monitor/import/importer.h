// ImportFile: the bytes of an uploaded or given file → a validated Table plus an import report.
//
//   ImportOptions options;                 // format and encoding detected, kReject
//   ImportReport report;
//   Result<ImportResult> imported = ImportFile(schema, bytes, options, &report);
//   if (!imported.ok()) {
//     show(imported.status());             // "3 bad rows, nothing imported: line 4 amount: …"
//     show_rows(report.errors);            // every stored RowError, with line and column
//   }
//
// The format is the option or sniffed from the bytes: a zip archive is XLSX, text whose first
// non-blank character is '{' is JSON lines, anything else CSV. CSV and JSON lines are decoded
// to UTF-8 first (encoding.h). The report carries the SHA-256 of the original bytes, so the
// stored dataset version can name exactly what was imported.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/progress.h"
#include "core/result.h"
#include "monitor/import/csv_loader.h"
#include "monitor/import/xlsx_reader.h"
#include "monitor/table.h"
#include "monitor/table_builder.h"

namespace jiandu::monitor {

enum class FileFormat { kAuto, kCsv, kXlsx, kJsonLines };

// "auto", "csv", "xlsx", "jsonl".
std::string_view FileFormatName(FileFormat format);
Result<FileFormat> ParseFileFormat(std::string_view name);

struct ImportOptions {
  FileFormat format = FileFormat::kAuto;
  ImportMode mode = ImportMode::kReject;
  std::string encoding;     // CSV / JSON lines: "" detects (see DecodeToUtf8)
  std::string sheet;        // XLSX: "" takes the first sheet
  char delimiter = ',';     // CSV
  unsigned threads = 0;     // CSV: 0 = all cores
  size_t max_stored_errors = 10000;
  XlsxLimits xlsx_limits;
  // When set, the stages ("decoding", "parsing", "reading sheet", "merging") and the bytes
  // parsed are reported there (jiandu import's progress bar). Not owned.
  core::Progress* progress = nullptr;
};

struct ImportReport {
  FileFormat format = FileFormat::kAuto;  // the format actually read
  std::string encoding;                   // "UTF-8", "GB18030", …; "" for XLSX
  std::string sheet;                      // XLSX: the sheet read
  std::string sha256_hex;                 // of the original bytes
  size_t records = 0;                     // data records (blank ones excluded)
  size_t rows = 0;                        // records without errors
  size_t bad_rows = 0;
  size_t blank_records = 0;
  size_t error_count = 0;                 // all errors; `errors` holds the first ones
  std::vector<RowError> errors;           // file order; line = CSV/JSON line or sheet row
};

struct ImportResult {
  Table table;  // with kQuarantine the good rows; with kReject all rows (there was no error)
  ImportReport report;
};

// Reads `bytes` as a dataset of `schema`. Errors, all invalid_argument: undecodable or
// undeclared encoding, a header that does not match the schema, a truncated CSV, a refused
// XLSX (zip bomb, DOCTYPE, limits), and — with kReject only — any bad row, summarised as
// "N bad rows (M errors), nothing imported: line L column: reason; …". When `report` is given
// it is filled as far as the import got, on success and on failure alike. Thread-safe.
Result<ImportResult> ImportFile(const DatasetSchema& schema, std::string_view bytes,
                                const ImportOptions& options, ImportReport* report = nullptr);

// The reader behind ImportFile for XLSX, for callers that already know the format.
Result<LoadResult> LoadXlsx(const DatasetSchema& schema, std::string_view bytes,
                            const ImportOptions& options, std::string* sheet_name);

}  // namespace jiandu::monitor
