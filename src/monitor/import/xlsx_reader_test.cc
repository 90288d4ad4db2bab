#include "monitor/import/xlsx_reader.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <utility>

#include <xlsxwriter.h>
#include <zip.h>

#include "monitor/import/importer.h"
#include "monitor/import/schema_toml.h"
#include "monitor/import/test_util.h"

namespace jiandu::monitor {
namespace {

using testing_util::IdNumber;

std::string TempPath(std::string_view name) {
  return (std::filesystem::temp_directory_path() /
          ("jiandu_xlsx_" + std::to_string(::getpid()) + "_" + std::string(name)))
      .string();
}

std::string ReadAndRemove(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::filesystem::remove(path);
  return buffer.str();
}

// A zip archive of the given entries, written with minizip (deflated).
std::string MakeZip(const std::vector<std::pair<std::string, std::string>>& entries) {
  std::string path = TempPath("hand.zip");
  zipFile zf = zipOpen64(path.c_str(), 0);
  EXPECT_NE(zf, nullptr);
  for (const auto& [name, data] : entries) {
    zip_fileinfo info{};
    EXPECT_EQ(zipOpenNewFileInZip(zf, name.c_str(), &info, nullptr, 0, nullptr, 0, nullptr,
                                  Z_DEFLATED, 9),
              ZIP_OK);
    EXPECT_EQ(zipWriteInFileInZip(zf, data.data(), static_cast<unsigned>(data.size())), ZIP_OK);
    EXPECT_EQ(zipCloseFileInZip(zf), ZIP_OK);
  }
  EXPECT_EQ(zipClose(zf, nullptr), ZIP_OK);
  return ReadAndRemove(path);
}

const char* kContentTypes =
    R"(<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>)";
const char* kRels =
    R"(<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="/xl/sharedStrings.xml"/>
</Relationships>)";

std::string Workbook(bool date1904) {
  return std::string(R"(<?xml version="1.0" encoding="UTF-8"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">)") +
         (date1904 ? R"(<workbookPr date1904="1"/>)" : "") +
         R"(<sheets><sheet name="发放" sheetId="1" r:id="rId1"/></sheets></workbook>)";
}

// Style 0 general, 1 built-in date 14, 2 custom [Red]yyyy"年"m"月"d"日", 3 custom "h:mm" (time,
// not a date), 4 custom 0.00 "days" (a number whose quoted text has a d).
const char* kStyles = R"(<?xml version="1.0" encoding="UTF-8"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<numFmts count="3"><numFmt numFmtId="164" formatCode="[Red]yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/>
<numFmt numFmtId="165" formatCode="h:mm"/><numFmt numFmtId="166" formatCode="0.00&quot; days&quot;"/></numFmts>
<cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="166"/></cellXfs>
</styleSheet>)";

const char* kSharedStrings = R"(<?xml version="1.0" encoding="UTF-8"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<si><t>payee_id</t></si><si><t>item</t></si><si><t>period</t></si><si><t>amount</t></si>
<si><t>paid_on</t></si>
<si><r><rPr><b/></rPr><t>低保</t></r><r><t xml:space="preserve"> 金</t></r><rPh><t>ていほ</t></rPh></si>
</sst>)";

std::string Sheet(const std::string& rows) {
  return R"(<?xml version="1.0" encoding="UTF-8"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>)" +
         rows + "</sheetData></worksheet>";
}

std::string HandMade(bool date1904, const std::string& rows,
                     const std::string& shared = kSharedStrings) {
  return MakeZip({{"[Content_Types].xml", kContentTypes},
                  {"xl/workbook.xml", Workbook(date1904)},
                  {"xl/_rels/workbook.xml.rels", kRels},
                  {"xl/styles.xml", kStyles},
                  {"xl/sharedStrings.xml", shared},
                  {"xl/worksheets/sheet1.xml", Sheet(rows)}});
}

TEST(XlsxReaderTest, HandMadeWorkbookCellsStylesAndSparseRows) {
  std::string rows =
      R"(<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>)"
      R"(<row r="3"><c r="A3" t="inlineStr"><is><t>内联</t></is></c><c r="C3" t="s"><v>5</v></c>)"
      R"(<c r="D3" s="1"><v>45000</v></c><c r="E3" s="2"><v>45000.75</v></c>)"
      R"(<c r="F3" s="3"><v>0.5</v></c><c r="G3" s="4"><v>12.5</v></c><c r="H3" t="b"><v>1</v></c>)"
      R"(<c r="I3"><v>1.5E+3</v></c><c r="J3" t="e"><v>#N/A</v></c></row>)"
      R"(<row r="4"><c r="A4" s="1"><v>59</v></c><c r="B4" s="1"><v>60</v></c><c r="C4" s="1"><v>61</v></c></row>)";
  Result<XlsxSheet> sheet = ReadXlsxSheet(HandMade(false, rows), "", XlsxLimits());
  ASSERT_TRUE(sheet.ok()) << sheet.status().ToString();
  EXPECT_EQ(sheet->name, "发放");
  ASSERT_EQ(sheet->rows.size(), 3u);
  EXPECT_EQ(sheet->rows[1].number, 3);
  EXPECT_EQ(sheet->rows[1].cells,
            (std::vector<std::string>{"内联", "", "低保 金", "2023-03-15", "2023-03-15", "0.5",
                                      "12.5", "TRUE", "1500", "#N/A"}));
  EXPECT_EQ(sheet->rows[1].kinds[1], XlsxCellKind::kEmpty);
  EXPECT_EQ(sheet->rows[1].kinds[3], XlsxCellKind::kDate);
  EXPECT_EQ(sheet->rows[1].kinds[9], XlsxCellKind::kError);
  // Lotus's 1900-02-29 sits between serial 59 and 61 and is no date.
  EXPECT_EQ(sheet->rows[2].cells,
            (std::vector<std::string>{"1900-02-28", "1900-02-29", "1900-03-01"}));
}

TEST(XlsxReaderTest, Date1904System) {
  std::string rows = R"(<row r="1"><c r="A1" s="1"><v>0</v></c><c r="B1" s="1"><v>43538</v></c></row>)";
  Result<XlsxSheet> sheet = ReadXlsxSheet(HandMade(true, rows), "", XlsxLimits());
  ASSERT_TRUE(sheet.ok()) << sheet.status().ToString();
  EXPECT_EQ(sheet->rows[0].cells, (std::vector<std::string>{"1904-01-01", "2023-03-15"}));
}

TEST(XlsxReaderTest, RefusesDoctypeAndEntities) {
  std::string evil = R"(<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "aaaaaaaa"><!ENTITY b "&a;&a;&a;">]>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&b;</t></si></sst>)";
  Result<XlsxSheet> sheet = ReadXlsxSheet(HandMade(false, "", evil), "", XlsxLimits());
  ASSERT_FALSE(sheet.ok());
  EXPECT_NE(sheet.status().message().find("declares a DOCTYPE or entities"), std::string::npos)
      << sheet.status().message();
}

TEST(XlsxReaderTest, RefusesZipBombsByInflatedBytes) {
  // 24 MiB of one repeated row compresses about 1000:1.
  std::string row = R"(<row><c t="inlineStr"><is><t>aaaaaaaaaaaaaaaa</t></is></c></row>)";
  std::string rows;
  while (rows.size() < (24u << 20)) rows += row;
  std::string bomb = HandMade(false, rows);
  EXPECT_LT(bomb.size(), 1u << 20);
  Result<XlsxSheet> sheet = ReadXlsxSheet(bomb, "", XlsxLimits());
  ASSERT_FALSE(sheet.ok());
  EXPECT_NE(sheet.status().message().find("zip bomb"), std::string::npos);
  EXPECT_NE(sheet.status().message().find("expands more than 100 times"), std::string::npos);
  XlsxLimits small;
  small.max_ratio = 1e9;
  small.max_total_inflated = 4 << 20;
  Result<XlsxSheet> total = ReadXlsxSheet(bomb, "", small);
  ASSERT_FALSE(total.ok());
  EXPECT_NE(total.status().message().find("inflates to more than 4 MiB"), std::string::npos)
      << total.status().message();
}

TEST(XlsxReaderTest, RefusesWhatIsNotAWorkbook) {
  EXPECT_FALSE(ReadXlsxSheet("PK\x03\x04 not really a zip", "", XlsxLimits()).ok());
  std::string no_workbook = MakeZip({{"hello.txt", "hi"}});
  Result<XlsxSheet> r = ReadXlsxSheet(no_workbook, "", XlsxLimits());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("not an XLSX workbook"), std::string::npos);
}

TEST(XlsxReaderTest, LimitsRowsAndColumns) {
  std::string rows = R"(<row r="1"><c r="A1"><v>1</v></c></row><row r="9"><c r="ZZ9"><v>1</v></c></row>)";
  XlsxLimits limits;
  limits.max_rows = 5;
  EXPECT_FALSE(ReadXlsxSheet(HandMade(false, rows), "", limits).ok());
  limits = XlsxLimits();
  limits.max_columns = 100;
  Result<XlsxSheet> wide = ReadXlsxSheet(HandMade(false, rows), "", limits);
  ASSERT_FALSE(wide.ok());
  EXPECT_NE(wide.status().message().find("more than 100 columns"), std::string::npos);
}

// A workbook written by libxlsxwriter, as Excel would: shared strings, numbers, date-formatted
// numbers, two sheets, an ID typed as a number.
std::string WriterWorkbook() {
  std::string path = TempPath("writer.xlsx");
  lxw_workbook* wb = workbook_new(path.c_str());
  lxw_format* date = workbook_add_format(wb);
  format_set_num_format(date, "yyyy-mm-dd");
  lxw_worksheet* first = workbook_add_worksheet(wb, "发放");
  const char* header[] = {"收款人身份证号", "补贴项目", "发放所属期", "金额", "发放日期"};
  for (int c = 0; c < 5; ++c) worksheet_write_string(first, 0, static_cast<lxw_col_t>(c), header[c], nullptr);
  std::string id1 = IdNumber("110105", "19491231", "002");
  std::string id2 = IdNumber("360426", "19910101", "007");
  lxw_datetime jan{2023, 1, 1, 0, 0, 0};
  lxw_datetime paid{2023, 1, 15, 0, 0, 0};
  worksheet_write_string(first, 1, 0, id1.c_str(), nullptr);
  worksheet_write_string(first, 1, 1, "低保金", nullptr);
  worksheet_write_datetime(first, 1, 2, &jan, date);
  worksheet_write_number(first, 1, 3, 1234.5, nullptr);
  worksheet_write_datetime(first, 1, 4, &paid, date);
  worksheet_write_number(first, 2, 0, 360426199101010071.0, nullptr);  // an ID typed as a number
  worksheet_write_string(first, 2, 1, "低保金", nullptr);
  worksheet_write_datetime(first, 2, 2, &jan, date);
  worksheet_write_number(first, 2, 3, 300, nullptr);
  worksheet_write_datetime(first, 2, 4, &paid, date);
  worksheet_write_string(first, 4, 0, id2.c_str(), nullptr);  // row 5, after an empty row
  worksheet_write_string(first, 4, 1, "特困供养金", nullptr);
  worksheet_write_string(first, 4, 2, "2023-02-30", nullptr);
  worksheet_write_number(first, 4, 3, 90.5, nullptr);
  worksheet_write_datetime(first, 4, 4, &paid, date);
  lxw_worksheet* second = workbook_add_worksheet(wb, "people");
  worksheet_write_string(second, 0, 0, "id_number", nullptr);
  worksheet_write_string(second, 0, 1, "name", nullptr);
  worksheet_write_string(second, 1, 0, id2.c_str(), nullptr);
  worksheet_write_string(second, 1, 1, "李四", nullptr);
  EXPECT_EQ(workbook_close(wb), LXW_NO_ERROR);
  return ReadAndRemove(path);
}

TEST(XlsxImportTest, ImportsAWriterWorkbookAndExplainsNumericIds) {
  std::string bytes = WriterWorkbook();
  Result<DatasetSchema> payments = BuiltinSchema("payments");
  ASSERT_TRUE(payments.ok());
  ImportOptions options;
  options.mode = ImportMode::kQuarantine;
  Result<ImportResult> r = ImportFile(*payments, bytes, options);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->report.format, FileFormat::kXlsx);
  EXPECT_EQ(r->report.sheet, "发放");
  ASSERT_EQ(r->report.errors.size(), 2u);
  EXPECT_EQ(r->report.errors[0].line, 3);
  EXPECT_EQ(r->report.errors[0].column, "payee_id");
  EXPECT_EQ(r->report.errors[0].reason,
            "stored as a number; Excel lost the last digits — format the column as text");
  EXPECT_EQ(r->report.errors[1].line, 5);
  EXPECT_EQ(r->report.errors[1].column, "period");
  EXPECT_EQ(r->report.errors[1].reason, "2023-02-30 is not a date");
  ASSERT_EQ(r->table.rows, 1u);
  EXPECT_EQ(r->table.Find("amount")->i64[0], 123450);
  EXPECT_EQ(r->table.Find("period")->i32[0], 19358);   // 2023-01-01
  EXPECT_EQ(r->table.Find("paid_on")->i32[0], 19372);  // 2023-01-15

  Result<DatasetSchema> people = BuiltinSchema("people");
  ASSERT_TRUE(people.ok());
  options.sheet = "people";
  Result<ImportResult> second = ImportFile(*people, bytes, options);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(second->table.rows, 1u);
  options.sheet = "nope";
  Result<ImportResult> missing = ImportFile(*people, bytes, options);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("no sheet 'nope' ('发放', 'people')"),
            std::string::npos)
      << missing.status().message();
}

}  // namespace
}  // namespace jiandu::monitor
