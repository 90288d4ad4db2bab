#include "monitor/import/importer.h"

#include <algorithm>

#include "core/sha256.h"
#include "monitor/import/encoding.h"
#include "monitor/import/internal/record_sink.h"
#include "monitor/import/jsonl_reader.h"
#include "monitor/value_parse.h"

namespace jiandu::monitor {
namespace {

constexpr size_t kSummaryErrors = 5;

bool LooksLikeJson(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  size_t first = text.find_first_not_of(" \t\r\n");
  return first != std::string_view::npos && text[first] == '{';
}

std::string Summary(const ImportReport& report) {
  std::string text = std::to_string(report.bad_rows) + " bad row" +
                     (report.bad_rows == 1 ? "" : "s") + " (" +
                     std::to_string(report.error_count) + " error" +
                     (report.error_count == 1 ? "" : "s") + "), nothing imported: ";
  const size_t shown = std::min(kSummaryErrors, report.errors.size());
  for (size_t i = 0; i < shown; ++i) {
    const RowError& e = report.errors[i];
    text += (i == 0 ? "" : "; ") + std::string("line ") + std::to_string(e.line) +
            (e.column.empty() ? "" : " " + e.column) + ": " + e.reason;
  }
  if (report.error_count > shown) {
    text += "; and " + std::to_string(report.error_count - shown) + " more";
  }
  return text;
}

void Fill(LoadResult& loaded, ImportReport* report) {
  report->records = loaded.records;
  report->rows = loaded.rows;
  report->bad_rows = loaded.bad_rows;
  report->blank_records = loaded.blank_records;
  report->error_count = loaded.error_count;
  report->errors = std::move(loaded.errors);
}

// Index of the last non-blank cell + 1.
size_t UsedWidth(const std::vector<std::string_view>& cells) {
  size_t width = cells.size();
  while (width > 0 && IsBlankCell(cells[width - 1])) --width;
  return width;
}

Result<LoadResult> ImportText(const DatasetSchema& schema, std::string_view bytes,
                              const ImportOptions& options, ImportReport* report) {
  if (options.progress != nullptr) options.progress->Start("decoding", 0);
  JIANDU_ASSIGN_OR_RETURN(DecodedText decoded, DecodeToUtf8(bytes, options.encoding));
  report->encoding = decoded.encoding;
  report->sha256_hex = decoded.sha256_hex;
  FileFormat format = options.format;
  if (format == FileFormat::kAuto) {
    format = LooksLikeJson(decoded.text()) ? FileFormat::kJsonLines : FileFormat::kCsv;
  }
  report->format = format;
  if (format == FileFormat::kJsonLines) {
    JsonLinesOptions json;
    json.mode = options.mode;
    json.max_stored_errors = options.max_stored_errors;
    if (options.progress != nullptr) options.progress->Start("parsing", 0);
    return LoadJsonLines(schema, decoded.text(), json);
  }
  CsvOptions csv;
  csv.mode = options.mode;
  csv.delimiter = options.delimiter;
  csv.threads = options.threads;
  csv.max_stored_errors = options.max_stored_errors;
  csv.progress = options.progress;
  return LoadCsv(schema, decoded.text(), csv);
}

}  // namespace

std::string_view FileFormatName(FileFormat format) {
  switch (format) {
    case FileFormat::kCsv: return "csv";
    case FileFormat::kXlsx: return "xlsx";
    case FileFormat::kJsonLines: return "jsonl";
    case FileFormat::kAuto: break;
  }
  return "auto";
}

Result<FileFormat> ParseFileFormat(std::string_view name) {
  for (FileFormat f : {FileFormat::kAuto, FileFormat::kCsv, FileFormat::kXlsx,
                       FileFormat::kJsonLines}) {
    if (FileFormatName(f) == name) return f;
  }
  return Status::InvalidArgument("format", "unknown file format '" + std::string(name) +
                                               "' (auto, csv, xlsx, jsonl)");
}

Result<LoadResult> LoadXlsx(const DatasetSchema& schema, std::string_view bytes,
                            const ImportOptions& options, std::string* sheet_name) {
  JIANDU_ASSIGN_OR_RETURN(XlsxSheet sheet,
                          ReadXlsxSheet(bytes, options.sheet, options.xlsx_limits));
  *sheet_name = sheet.name;
  std::vector<std::string_view> cells;
  auto view = [&](const XlsxRow& row) {
    cells.assign(row.cells.begin(), row.cells.end());
  };
  size_t h = 0;
  for (; h < sheet.rows.size(); ++h) {
    view(sheet.rows[h]);
    if (!internal::RecordSink::IsBlank(cells)) break;
  }
  if (h == sheet.rows.size()) {
    return Status::InvalidArgument("file", "sheet '" + sheet.name + "' is empty: no header row");
  }
  cells.resize(UsedWidth(cells));  // formatted but empty cells right of the header
  Result<HeaderMap> map = MapHeader(schema, cells);
  if (!map.ok()) return map.status().WithContext("sheet '" + sheet.name + "' row " +
                                                 std::to_string(sheet.rows[h].number));
  const size_t width = map->record_width;
  internal::RecordSink sink(schema, std::move(*map));
  for (size_t r = h + 1; r < sheet.rows.size(); ++r) {
    const XlsxRow& row = sheet.rows[r];
    view(row);
    if (UsedWidth(cells) > width) {
      sink.Reject(row.number, "",
                  "a value in column " + std::to_string(UsedWidth(cells)) +
                      ", right of the header's " + std::to_string(width) + " columns");
      continue;
    }
    cells.resize(width);  // sparse rows: missing cells are empty
    std::string problem;
    std::string column;
    for (size_t c = 0; c < schema.columns.size() && problem.empty(); ++c) {
      int source = sink.map().source_index[c];
      if (source < 0 || static_cast<size_t>(source) >= row.kinds.size()) continue;
      XlsxCellKind kind = row.kinds[static_cast<size_t>(source)];
      std::string_view text = cells[static_cast<size_t>(source)];
      column = schema.columns[c].name;
      if (kind == XlsxCellKind::kError) {
        problem = "the cell holds the spreadsheet error " + std::string(text);
      } else if (kind == XlsxCellKind::kNumber && schema.columns[c].type == ColumnType::kIdNumber &&
                 text.find_first_of("eE.") != std::string_view::npos) {
        // 18 digits do not fit a double: Excel keeps 15 and writes e.g. 1.10105194912310E+17.
        problem = "stored as a number; Excel lost the last digits — format the column as text";
      }
    }
    if (!problem.empty()) {
      sink.Reject(row.number, column, problem);
      continue;
    }
    sink.Add(cells, row.number);
  }
  return sink.Finish(options.mode, options.max_stored_errors);
}

Result<ImportResult> ImportFile(const DatasetSchema& schema, std::string_view bytes,
                                const ImportOptions& options, ImportReport* report_out) {
  ImportReport local;
  ImportReport* report = report_out != nullptr ? report_out : &local;
  *report = ImportReport();
  if (bytes.starts_with("\xD0\xCF\x11\xE0")) {
    report->sha256_hex = core::Sha256Hex(bytes);
    return Status::InvalidArgument(
        "file", "a legacy Excel 97-2003 (.xls) workbook: save it as .xlsx or CSV first");
  }
  const bool xlsx = options.format == FileFormat::kXlsx ||
                    (options.format == FileFormat::kAuto && LooksLikeZip(bytes));
  Result<LoadResult> loaded = Status::Internal("unset");
  if (xlsx) {
    report->format = FileFormat::kXlsx;
    if (options.progress != nullptr) options.progress->Start("reading sheet", 0);
    report->sha256_hex = core::Sha256Hex(bytes);
    loaded = LoadXlsx(schema, bytes, options, &report->sheet);
  } else {
    loaded = ImportText(schema, bytes, options, report);
  }
  if (!loaded.ok()) return loaded.status();
  Fill(*loaded, report);
  if (options.mode == ImportMode::kReject && report->error_count > 0) {
    return Status::InvalidArgument("file", Summary(*report));
  }
  ImportResult result;
  result.table = std::move(loaded->table);
  result.report = *report;
  return result;
}

}  // namespace jiandu::monitor
