#include "publish/spreadsheet.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

#include <xlsxwriter.h>

namespace jiandu::publish {
namespace {

// Removes the temporary file however the function returns.
struct TempFile {
  std::string path;
  ~TempFile() {
    if (!path.empty()) {
      std::remove(path.c_str());
    }
  }
};

Status CheckSheetName(const std::string& name, std::set<std::string>& seen) {
  if (name.empty() || name.size() > 93 /* 31 characters of up to 3 bytes */) {
    return Status::InvalidArgument("sheets", "a sheet name has 1 to 31 characters");
  }
  for (char c : name) {
    if (std::string_view("[]:*?/\\").find(c) != std::string_view::npos) {
      return Status::InvalidArgument("sheets", "a sheet name cannot contain []:*?/\\");
    }
  }
  if (!seen.insert(name).second) {
    return Status::InvalidArgument("sheets", "two sheets have the same name");
  }
  return Status::Ok();
}

}  // namespace

std::string NeutralizeFormula(std::string_view text) {
  static constexpr std::string_view kRisky[] = {"=", "+", "-", "@", "\t", "\r",
                                                "\xEF\xBC\x9D",   // ＝
                                                "\xEF\xBC\x8B",   // ＋
                                                "\xEF\xBC\x8D",   // －
                                                "\xEF\xBC\xA0"};  // ＠
  for (std::string_view r : kRisky) {
    if (text.substr(0, r.size()) == r) {
      return "'" + std::string(text);
    }
  }
  return std::string(text);
}

Result<std::string> WriteXlsx(const std::vector<Sheet>& sheets) {
  if (sheets.empty()) {
    return Status::InvalidArgument("sheets", "a workbook needs at least one sheet");
  }
  std::set<std::string> seen;
  for (const Sheet& s : sheets) {
    JIANDU_RETURN_IF_ERROR(CheckSheetName(s.name, seen));
  }
  char pattern[] = "/tmp/jiandu-xlsx-XXXXXX";
  const int fd = mkstemp(pattern);
  if (fd < 0) {
    return Status::Internal("cannot create a temporary file for the spreadsheet");
  }
  close(fd);
  TempFile tmp{pattern};

  lxw_workbook* wb = workbook_new(tmp.path.c_str());
  if (wb == nullptr) {
    return Status::Internal("cannot start the spreadsheet");
  }
  lxw_format* bold = workbook_add_format(wb);
  format_set_bold(bold);
  lxw_format* percent = workbook_add_format(wb);
  format_set_num_format(percent, "0.0%");
  for (const Sheet& s : sheets) {
    lxw_worksheet* ws = workbook_add_worksheet(wb, s.name.c_str());
    if (ws == nullptr) {
      workbook_close(wb);
      return Status::InvalidArgument("sheets", "the sheet name is not accepted: " + s.name);
    }
    for (size_t c = 0; c < s.headers.size(); ++c) {
      worksheet_write_string(ws, 0, static_cast<lxw_col_t>(c),
                             NeutralizeFormula(s.headers[c]).c_str(), bold);
      worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), 16, nullptr);
    }
    for (size_t r = 0; r < s.rows.size(); ++r) {
      for (size_t c = 0; c < s.rows[r].size(); ++c) {
        const Cell& cell = s.rows[r][c];
        const auto row = static_cast<lxw_row_t>(r + 1);
        const auto col = static_cast<lxw_col_t>(c);
        switch (cell.kind) {
          case Cell::Kind::kText:
            worksheet_write_string(ws, row, col, NeutralizeFormula(cell.text).c_str(), nullptr);
            break;
          case Cell::Kind::kNumber:
            worksheet_write_number(ws, row, col, cell.number, nullptr);
            break;
          case Cell::Kind::kPercent:
            worksheet_write_number(ws, row, col, cell.number, percent);
            break;
        }
      }
    }
  }
  if (workbook_close(wb) != LXW_NO_ERROR) {
    return Status::Internal("cannot write the spreadsheet");
  }
  std::ifstream in(tmp.path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

}  // namespace jiandu::publish
