// Spreadsheet export (XLSX): tables of text and numbers written with libxlsxwriter.
//
//   publish::Sheet s{"评议结果", {"姓名", "等次"}, {}};
//   s.rows.push_back({publish::Cell::Text("张三"), publish::Cell::Number(0.97)});
//   JIANDU_ASSIGN_OR_RETURN(std::string xlsx, publish::WriteXlsx({s}));
//
// Text that a spreadsheet could read as a formula (starting with = + - @, their full-width
// forms ＝ ＋ － ＠, a tab or a carriage return) is written with a leading apostrophe, so an
// exported cell never runs as a formula when it is copied or re-imported (CSV injection).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace jiandu::publish {

struct Cell {
  enum class Kind { kText, kNumber, kPercent };
  Kind kind = Kind::kText;
  std::string text;
  double number = 0;
  static Cell Text(std::string s) { return Cell{Kind::kText, std::move(s), 0}; }
  static Cell Number(double v) { return Cell{Kind::kNumber, "", v}; }
  // A fraction shown as a percentage (0.97 → 97.0%).
  static Cell Percent(double v) { return Cell{Kind::kPercent, "", v}; }
};

struct Sheet {
  std::string name;  // at most 31 characters, no []:*?/\ (Excel's rules)
  std::vector<std::string> headers;
  std::vector<std::vector<Cell>> rows;
};

// The text as it is written to a cell: a leading apostrophe when it could run as a formula.
std::string NeutralizeFormula(std::string_view text);

// The XLSX file's bytes. invalid_argument naming "sheets" for a bad sheet name or no sheet;
// internal when the library fails.
Result<std::string> WriteXlsx(const std::vector<Sheet>& sheets);

}  // namespace jiandu::publish
