#include "monitor/import/xlsx_reader.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <map>

#include <pugixml.hpp>
#include <unzip.h>

#include "core/civil_date.h"

namespace jiandu::monitor {
namespace {

Status Invalid(std::string_view message) { return Status::InvalidArgument("file", message); }

// ---- zip from memory (minizip's I/O callbacks over a byte buffer) --------------------------

struct MemoryFile {
  std::string_view bytes;
  uint64_t pos = 0;
};

voidpf ZCALLBACK MemOpen(voidpf opaque, const void*, int) {
  static_cast<MemoryFile*>(opaque)->pos = 0;
  return opaque;
}
uLong ZCALLBACK MemRead(voidpf, voidpf stream, void* buf, uLong size) {
  auto* f = static_cast<MemoryFile*>(stream);
  uint64_t n = std::min<uint64_t>(size, f->bytes.size() - f->pos);
  std::memcpy(buf, f->bytes.data() + f->pos, n);
  f->pos += n;
  return static_cast<uLong>(n);
}
uLong ZCALLBACK MemWrite(voidpf, voidpf, const void*, uLong) { return 0; }
ZPOS64_T ZCALLBACK MemTell(voidpf, voidpf stream) { return static_cast<MemoryFile*>(stream)->pos; }
long ZCALLBACK MemSeek(voidpf, voidpf stream, ZPOS64_T offset, int origin) {
  auto* f = static_cast<MemoryFile*>(stream);
  uint64_t base = origin == ZLIB_FILEFUNC_SEEK_CUR   ? f->pos
                  : origin == ZLIB_FILEFUNC_SEEK_END ? f->bytes.size()
                                                     : 0;
  if (offset > f->bytes.size() || base + offset > f->bytes.size()) return -1;
  f->pos = base + offset;
  return 0;
}
int ZCALLBACK MemClose(voidpf, voidpf) { return 0; }
int ZCALLBACK MemError(voidpf, voidpf) { return 0; }

class ZipReader {
 public:
  ZipReader(std::string_view bytes, const XlsxLimits& limits) : file_{bytes, 0}, limits_(limits) {
    zlib_filefunc64_def def{};
    def.zopen64_file = MemOpen;
    def.zread_file = MemRead;
    def.zwrite_file = MemWrite;
    def.ztell64_file = MemTell;
    def.zseek64_file = MemSeek;
    def.zclose_file = MemClose;
    def.zerror_file = MemError;
    def.opaque = &file_;
    zip_ = unzOpen2_64("memory", &def);
  }
  ~ZipReader() {
    if (zip_ != nullptr) unzClose(zip_);
  }
  ZipReader(const ZipReader&) = delete;
  ZipReader& operator=(const ZipReader&) = delete;

  bool ok() const { return zip_ != nullptr; }
  bool Has(const std::string& name) { return unzLocateFile(zip_, name.c_str(), 1) == UNZ_OK; }

  // The inflated bytes of entry `name`, within the limits.
  Result<std::string> Read(const std::string& name) {
    if (unzLocateFile(zip_, name.c_str(), 1) != UNZ_OK) {
      return Invalid("not an XLSX workbook: part " + name + " is missing");
    }
    unz_file_info64 info{};
    if (unzGetCurrentFileInfo64(zip_, &info, nullptr, 0, nullptr, 0, nullptr, 0) != UNZ_OK ||
        unzOpenCurrentFile(zip_) != UNZ_OK) {
      return Invalid("damaged XLSX file: cannot open part " + name);
    }
    std::string out;
    char buffer[1 << 16];
    Status status;
    while (true) {
      int n = unzReadCurrentFile(zip_, buffer, sizeof buffer);
      if (n < 0) {
        status = Invalid("damaged XLSX file: part " + name + " does not inflate");
        break;
      }
      if (n == 0) break;
      out.append(buffer, static_cast<size_t>(n));
      inflated_ += static_cast<uint64_t>(n);
      if (inflated_ > limits_.max_total_inflated) {
        status = Invalid("refused as a zip bomb: the workbook inflates to more than " +
                         std::to_string(limits_.max_total_inflated >> 20) + " MiB");
        break;
      }
      if (out.size() > limits_.ratio_applies_above &&
          static_cast<double>(out.size()) >
              limits_.max_ratio * static_cast<double>(std::max<uint64_t>(1, info.compressed_size))) {
        status = Invalid("refused as a zip bomb: part " + name + " expands more than " +
                         std::to_string(static_cast<int>(limits_.max_ratio)) + " times");
        break;
      }
    }
    int close = unzCloseCurrentFile(zip_);
    if (!status.ok()) return status;
    if (close == UNZ_CRCERROR) return Invalid("damaged XLSX file: part " + name + " fails its CRC");
    return out;
  }

 private:
  MemoryFile file_;
  XlsxLimits limits_;
  unzFile zip_ = nullptr;
  uint64_t inflated_ = 0;
};

// ---- XML -----------------------------------------------------------------------------------

std::string_view Local(const pugi::xml_node& node) {
  std::string_view name = node.name();
  size_t colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

std::string_view LocalAttr(std::string_view name) {
  size_t colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

pugi::xml_node Child(const pugi::xml_node& parent, std::string_view local) {
  for (pugi::xml_node n : parent.children()) {
    if (n.type() == pugi::node_element && Local(n) == local) return n;
  }
  return {};
}

// Attribute by local name (r:id and id are both found as "id" when `local` is "id").
pugi::xml_attribute Attr(const pugi::xml_node& node, std::string_view local) {
  for (pugi::xml_attribute a : node.attributes()) {
    if (LocalAttr(a.name()) == local) return a;
  }
  return {};
}

// Parses a part in place; DOCTYPE and entity declarations are refused before parsing (no
// entity expansion, no external references).
Status ParseXml(std::string* text, const std::string& part, pugi::xml_document* doc) {
  if (text->find("<!DOCTYPE") != std::string::npos || text->find("<!ENTITY") != std::string::npos) {
    return Invalid("refused XLSX file: part " + part +
                   " declares a DOCTYPE or entities, which workbooks never need");
  }
  pugi::xml_parse_result r = doc->load_buffer_inplace(
      text->data(), text->size(), pugi::parse_default | pugi::parse_ws_pcdata_single,
      pugi::encoding_utf8);
  if (!r) {
    return Invalid("damaged XLSX file: part " + part + " is not well-formed XML at offset " +
                   std::to_string(r.offset) + ": " + r.description());
  }
  return Status::Ok();
}

// ---- workbook ------------------------------------------------------------------------------

struct SheetRef {
  std::string name;
  std::string part;  // "xl/worksheets/sheet1.xml"
};

struct Workbook {
  std::vector<SheetRef> sheets;
  bool date1904 = false;
  std::string styles_part;
  std::string shared_strings_part;
};

// "worksheets/sheet1.xml" relative to xl/, or an absolute "/xl/…"; "." and ".." resolved.
std::string ResolveTarget(std::string_view target) {
  std::string path = target.starts_with("/") ? std::string(target.substr(1))
                                             : "xl/" + std::string(target);
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string::npos) slash = path.size();
    std::string segment = path.substr(start, slash - start);
    if (segment == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!segment.empty() && segment != ".") {
      parts.push_back(std::move(segment));
    }
    start = slash + 1;
  }
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : "/") + p;
  return out;
}

Result<Workbook> ReadWorkbook(ZipReader& zip) {
  Workbook wb;
  JIANDU_ASSIGN_OR_RETURN(std::string rels_text, zip.Read("xl/_rels/workbook.xml.rels"));
  pugi::xml_document rels;
  JIANDU_RETURN_IF_ERROR(ParseXml(&rels_text, "xl/_rels/workbook.xml.rels", &rels));
  std::map<std::string, std::string> targets;  // rId → part
  for (pugi::xml_node rel : rels.document_element().children()) {
    if (Local(rel) != "Relationship") continue;
    std::string id = rel.attribute("Id").value();
    std::string type = rel.attribute("Type").value();
    std::string part = ResolveTarget(rel.attribute("Target").value());
    targets[id] = part;
    if (type.ends_with("/styles")) wb.styles_part = part;
    if (type.ends_with("/sharedStrings")) wb.shared_strings_part = part;
  }
  JIANDU_ASSIGN_OR_RETURN(std::string text, zip.Read("xl/workbook.xml"));
  pugi::xml_document doc;
  JIANDU_RETURN_IF_ERROR(ParseXml(&text, "xl/workbook.xml", &doc));
  pugi::xml_node root = doc.document_element();
  if (pugi::xml_node pr = Child(root, "workbookPr")) {
    std::string_view v = pr.attribute("date1904").value();
    wb.date1904 = v == "1" || v == "true";
  }
  for (pugi::xml_node sheet : Child(root, "sheets").children()) {
    if (Local(sheet) != "sheet") continue;
    auto it = targets.find(Attr(sheet, "id").value());
    if (it == targets.end()) {
      return Invalid("damaged XLSX file: sheet '" + std::string(sheet.attribute("name").value()) +
                     "' has no part");
    }
    wb.sheets.push_back(SheetRef{sheet.attribute("name").value(), it->second});
  }
  if (wb.sheets.empty()) return Invalid("the XLSX workbook has no sheets");
  return wb;
}

// True when a custom number format shows a date: it has y, m or d outside quoted text, escaped
// characters and [bracketed] sections (colours, conditions, elapsed-time markers). An m with
// h or s and no y or d is minutes of a time format.
bool IsDateFormatCode(std::string_view code) {
  bool y = false, m = false, d = false, hs = false;
  for (size_t i = 0; i < code.size(); ++i) {
    char c = code[i];
    if (c == '"') {
      size_t close = code.find('"', i + 1);
      if (close == std::string_view::npos) break;
      i = close;
    } else if (c == '[') {
      size_t close = code.find(']', i + 1);
      if (close == std::string_view::npos) break;
      i = close;
    } else if (c == '\\' || c == '_' || c == '*') {
      ++i;  // the next character is literal (or padding)
    } else if (c == ';') {
      break;  // the first section decides
    } else {
      char l = static_cast<char>(c | 0x20);
      y |= l == 'y';
      m |= l == 'm';
      d |= l == 'd';
      hs |= l == 'h' || l == 's';
    }
  }
  return y || d || (m && !hs);
}

bool IsBuiltinDateFormat(int id) {
  // ECMA-376 Part 1 §18.8.30: 14–22 and 45–47; the zh-CN built-ins 27–31, 36, 50–58.
  return (id >= 14 && id <= 22) || (id >= 45 && id <= 47) || (id >= 27 && id <= 31) || id == 36 ||
         (id >= 50 && id <= 58);
}

// Per cellXfs index: does the style show a date?
Result<std::vector<bool>> ReadDateStyles(ZipReader& zip, const std::string& part) {
  std::vector<bool> is_date;
  if (part.empty() || !zip.Has(part)) return is_date;
  JIANDU_ASSIGN_OR_RETURN(std::string text, zip.Read(part));
  pugi::xml_document doc;
  JIANDU_RETURN_IF_ERROR(ParseXml(&text, part, &doc));
  pugi::xml_node root = doc.document_element();
  std::map<int, bool> custom;
  for (pugi::xml_node f : Child(root, "numFmts").children()) {
    if (Local(f) == "numFmt") {
      custom[f.attribute("numFmtId").as_int()] = IsDateFormatCode(f.attribute("formatCode").value());
    }
  }
  for (pugi::xml_node xf : Child(root, "cellXfs").children()) {
    if (Local(xf) != "xf") continue;
    int id = xf.attribute("numFmtId").as_int();
    auto it = custom.find(id);
    is_date.push_back(it != custom.end() ? it->second : IsBuiltinDateFormat(id));
  }
  return is_date;
}

// Text of a string item: <t>, or the <t> of each rich-text run <r>; phonetic runs dropped.
std::string StringItemText(const pugi::xml_node& si) {
  std::string text;
  for (pugi::xml_node n : si.children()) {
    if (Local(n) == "t") {
      text += n.child_value();
    } else if (Local(n) == "r") {
      if (pugi::xml_node t = Child(n, "t")) text += t.child_value();
    }
  }
  return text;
}

Result<std::vector<std::string>> ReadSharedStrings(ZipReader& zip, const std::string& part) {
  std::vector<std::string> strings;
  if (part.empty() || !zip.Has(part)) return strings;
  JIANDU_ASSIGN_OR_RETURN(std::string text, zip.Read(part));
  pugi::xml_document doc;
  JIANDU_RETURN_IF_ERROR(ParseXml(&text, part, &doc));
  for (pugi::xml_node si : doc.document_element().children()) {
    if (Local(si) == "si") strings.push_back(StringItemText(si));
  }
  return strings;
}

// ---- cells ---------------------------------------------------------------------------------

// "C5" → column index 2 (the row part is ignored); -1 when malformed.
int64_t ColumnOf(std::string_view ref) {
  int64_t col = 0;
  size_t i = 0;
  while (i < ref.size() && ref[i] >= 'A' && ref[i] <= 'Z' && i < 4) {
    col = col * 26 + (ref[i] - 'A' + 1);
    ++i;
  }
  if (i == 0) return -1;
  return col - 1;
}

std::string DateText(double serial, bool date1904) {
  auto whole = static_cast<int64_t>(std::floor(serial));
  if (date1904) return core::CivilDate::FromDayNumber(static_cast<int32_t>(whole - 24107)).ToString();
  if (whole == 60) return "1900-02-29";  // Lotus 1-2-3's leap day that never was
  if (whole == 0) return "1900-01-00";   // Excel's "day zero": not a date
  int64_t days = whole < 60 ? whole - 25568 : whole - 25569;
  return core::CivilDate::FromDayNumber(static_cast<int32_t>(days)).ToString();
}

// A number as text: as written, except that scientific notation of an integer below 10^15 is
// expanded ("1.5E+3" → "1500"); larger values keep their notation, which no parser accepts.
std::string NumberText(std::string_view raw) {
  if (raw.find_first_of("eE") == std::string_view::npos) return std::string(raw);
  double v = 0;
  auto [ptr, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), v);
  if (ec != std::errc() || ptr != raw.data() + raw.size()) return std::string(raw);
  if (std::fabs(v) < 1e15 && v == std::floor(v)) return std::to_string(static_cast<int64_t>(v));
  return std::string(raw);
}

struct SheetContext {
  const std::vector<std::string>* shared = nullptr;
  const std::vector<bool>* date_styles = nullptr;
  bool date1904 = false;
};

Status ReadCell(const SheetContext& ctx, const pugi::xml_node& c, std::string* text,
                XlsxCellKind* kind) {
  std::string_view type = c.attribute("t").value();
  pugi::xml_node v = Child(c, "v");
  std::string_view value = v.child_value();
  if (type == "s") {
    uint64_t index = 0;
    auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), index);
    if (ec != std::errc() || index >= ctx.shared->size()) {
      return Invalid("damaged XLSX file: cell " + std::string(c.attribute("r").value()) +
                     " refers to a missing shared string");
    }
    *text = (*ctx.shared)[index];
    *kind = XlsxCellKind::kText;
  } else if (type == "inlineStr") {
    *text = StringItemText(Child(c, "is"));
    *kind = XlsxCellKind::kText;
  } else if (type == "str" || type == "d") {
    *text = value;
    *kind = XlsxCellKind::kText;
  } else if (type == "b") {
    *text = value == "1" ? "TRUE" : "FALSE";
    *kind = XlsxCellKind::kBoolean;
  } else if (type == "e") {
    *text = value;
    *kind = XlsxCellKind::kError;
  } else if (value.empty()) {
    text->clear();
    *kind = XlsxCellKind::kEmpty;
  } else {
    uint64_t style = c.attribute("s").as_ullong();
    double serial = 0;
    auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), serial);
    if (style < ctx.date_styles->size() && (*ctx.date_styles)[style] && ec == std::errc() &&
        serial >= 0 && serial < 2958466) {  // up to 9999-12-31
      *text = DateText(serial, ctx.date1904);
      *kind = XlsxCellKind::kDate;
    } else {
      *text = NumberText(value);
      *kind = XlsxCellKind::kNumber;
    }
  }
  return Status::Ok();
}

Result<std::vector<XlsxRow>> ReadRows(const SheetContext& ctx, const pugi::xml_node& sheet_data,
                                      const XlsxLimits& limits) {
  std::vector<XlsxRow> rows;
  int64_t next_row = 1;
  for (pugi::xml_node r : sheet_data.children()) {
    if (Local(r) != "row") continue;
    XlsxRow row;
    row.number = r.attribute("r") ? r.attribute("r").as_llong() : next_row;
    if (row.number < next_row || row.number > limits.max_rows) {
      return Invalid(row.number > limits.max_rows
                         ? "the sheet has more than " + std::to_string(limits.max_rows) + " rows"
                         : "damaged XLSX file: row " + std::to_string(row.number) +
                               " is out of order");
    }
    next_row = row.number + 1;
    int64_t next_col = 0;
    for (pugi::xml_node c : r.children()) {
      if (Local(c) != "c") continue;
      int64_t col = c.attribute("r") ? ColumnOf(c.attribute("r").value()) : next_col;
      if (col < next_col || col >= limits.max_columns) {
        return Invalid(col >= limits.max_columns
                           ? "row " + std::to_string(row.number) + " has more than " +
                                 std::to_string(limits.max_columns) + " columns"
                           : "damaged XLSX file: bad cell reference '" +
                                 std::string(c.attribute("r").value()) + "' in row " +
                                 std::to_string(row.number));
      }
      next_col = col + 1;
      std::string text;
      XlsxCellKind kind = XlsxCellKind::kEmpty;
      JIANDU_RETURN_IF_ERROR(ReadCell(ctx, c, &text, &kind));
      row.cells.resize(static_cast<size_t>(col) + 1);
      row.kinds.resize(static_cast<size_t>(col) + 1, XlsxCellKind::kEmpty);
      row.cells[static_cast<size_t>(col)] = std::move(text);
      row.kinds[static_cast<size_t>(col)] = kind;
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

Result<Workbook> OpenWorkbook(ZipReader& zip) {
  if (!zip.ok()) return Invalid("not an XLSX file: the zip directory cannot be read");
  return ReadWorkbook(zip);
}

}  // namespace

bool LooksLikeZip(std::string_view bytes) { return bytes.starts_with("PK\x03\x04"); }

Result<std::vector<std::string>> XlsxSheetNames(std::string_view bytes, const XlsxLimits& limits) {
  ZipReader zip(bytes, limits);
  JIANDU_ASSIGN_OR_RETURN(Workbook wb, OpenWorkbook(zip));
  std::vector<std::string> names;
  for (const SheetRef& s : wb.sheets) names.push_back(s.name);
  return names;
}

Result<XlsxSheet> ReadXlsxSheet(std::string_view bytes, std::string_view sheet_name,
                                const XlsxLimits& limits) {
  ZipReader zip(bytes, limits);
  JIANDU_ASSIGN_OR_RETURN(Workbook wb, OpenWorkbook(zip));
  const SheetRef* chosen = &wb.sheets.front();
  if (!sheet_name.empty()) {
    auto it = std::find_if(wb.sheets.begin(), wb.sheets.end(),
                           [&](const SheetRef& s) { return s.name == sheet_name; });
    if (it == wb.sheets.end()) {
      std::string names;
      for (const SheetRef& s : wb.sheets) names += (names.empty() ? "'" : ", '") + s.name + "'";
      return Status::InvalidArgument(
          "sheet", "the workbook has no sheet '" + std::string(sheet_name) + "' (" + names + ")");
    }
    chosen = &*it;
  }
  JIANDU_ASSIGN_OR_RETURN(std::vector<std::string> shared,
                          ReadSharedStrings(zip, wb.shared_strings_part));
  JIANDU_ASSIGN_OR_RETURN(std::vector<bool> date_styles, ReadDateStyles(zip, wb.styles_part));
  JIANDU_ASSIGN_OR_RETURN(std::string text, zip.Read(chosen->part));
  pugi::xml_document doc;
  JIANDU_RETURN_IF_ERROR(ParseXml(&text, chosen->part, &doc));
  pugi::xml_node data = Child(doc.document_element(), "sheetData");
  SheetContext ctx{&shared, &date_styles, wb.date1904};
  XlsxSheet sheet;
  sheet.name = chosen->name;
  JIANDU_ASSIGN_OR_RETURN(sheet.rows, ReadRows(ctx, data, limits));
  return sheet;
}

}  // namespace jiandu::monitor
