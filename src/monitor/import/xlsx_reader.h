// Reading one worksheet of an XLSX workbook (Office Open XML, ECMA-376) as rows of text cells,
// which the importer feeds to MapHeader and TableBuilder like CSV records.
//
//   XlsxLimits limits;
//   JIANDU_ASSIGN_OR_RETURN(XlsxSheet sheet, ReadXlsxSheet(bytes, /*sheet=*/"", limits));
//   for (const XlsxRow& row : sheet.rows) use(row.number, row.cells);
//
// Cell text: shared strings (rich-text runs concatenated, phonetic runs dropped), inline
// strings, formula results, booleans as TRUE/FALSE, numbers as written in the file (scientific
// notation expanded when it denotes an integer below 10^15), and numbers whose style is a date
// format as YYYY-MM-DD (both the 1900 system, with Lotus's phantom 1900-02-29, and the 1904
// system of workbookPr/@date1904). Missing cells of a sparse row are "".
//
// Safety: the file comes from outside. Entries are inflated with limits on the actual inflated
// bytes (the total, and an expansion ratio for large entries), XML parts declaring a DOCTYPE or
// entities are refused, and rows and columns are capped. All refusals are invalid_argument.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace jiandu::monitor {

struct XlsxLimits {
  uint64_t max_total_inflated = uint64_t{512} << 20;  // bytes inflated over all parts read
  double max_ratio = 100;                             // inflated / compressed, per entry …
  uint64_t ratio_applies_above = uint64_t{1} << 20;   // … once the entry inflates past this
  int64_t max_rows = 1048576;                         // Excel's own limits
  int64_t max_columns = 16384;
};

enum class XlsxCellKind : uint8_t { kEmpty, kText, kNumber, kBoolean, kDate, kError };

struct XlsxRow {
  int64_t number = 0;                // 1-based spreadsheet row
  std::vector<std::string> cells;    // from column A; "" where the sheet has no cell
  std::vector<XlsxCellKind> kinds;   // same length as cells
};

struct XlsxSheet {
  std::string name;
  std::vector<XlsxRow> rows;  // rows that have at least one cell element, in sheet order
};

// The sheet named `sheet`, or the first sheet of the workbook when `sheet` is empty.
// invalid_argument: not a zip or not a workbook, no such sheet (the message lists the sheets),
// a limit exceeded ("zip bomb"), a DOCTYPE/ENTITY declaration, malformed XML. Thread-safe.
Result<XlsxSheet> ReadXlsxSheet(std::string_view bytes, std::string_view sheet,
                                const XlsxLimits& limits);

// Names of the workbook's sheets in workbook order.
Result<std::vector<std::string>> XlsxSheetNames(std::string_view bytes, const XlsxLimits& limits);

// True when `bytes` start like a zip archive (the local file header "PK\3\4").
bool LooksLikeZip(std::string_view bytes);

}  // namespace jiandu::monitor
