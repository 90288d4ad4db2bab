#include "monitor/import/importer.h"

#include <gtest/gtest.h>

#include <unicode/ucnv.h>

#include "core/sha256.h"
#include "monitor/import/jsonl_reader.h"
#include "monitor/import/schema_toml.h"
#include "monitor/import/test_util.h"

namespace jiandu::monitor {
namespace {

using testing_util::IdNumber;

DatasetSchema Schema(std::string_view name) {
  Result<DatasetSchema> s = BuiltinSchema(name);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return *s;
}

std::string ToGb18030(std::string_view utf8) {
  UErrorCode err = U_ZERO_ERROR;
  std::string out(utf8.size() * 4 + 16, '\0');
  int32_t n = ucnv_convert("GB18030", "UTF-8", out.data(), static_cast<int32_t>(out.size()),
                           utf8.data(), static_cast<int32_t>(utf8.size()), &err);
  EXPECT_TRUE(U_SUCCESS(err));
  out.resize(static_cast<size_t>(n));
  return out;
}

const std::string kId1 = IdNumber("110105", "19491231", "002");
const std::string kId2 = IdNumber("360426", "19910101", "007");

std::string PeopleCsv() {
  return "公民身份号码,姓名,死亡日期\r\n" + kId1 + ",张三丰,2022-11-03\r\n" + kId2 +
         ",李四光,\r\n" + IdNumber("420322", "19800101", "123") + ",王小明,2021年3月1日\r\n" +
         IdNumber("420322", "19700505", "456") + ",赵钱孙李,\r\n";
}

TEST(ImportFileTest, DetectsGb18030Csv) {
  std::string bytes = ToGb18030(PeopleCsv());
  Result<ImportResult> r = ImportFile(Schema("people"), bytes, ImportOptions());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->report.format, FileFormat::kCsv);
  EXPECT_EQ(r->report.encoding, "GB18030");
  EXPECT_EQ(r->report.sha256_hex, core::Sha256Hex(bytes));
  ASSERT_EQ(r->table.rows, 4u);
  const Column& name = *r->table.Find("name");
  EXPECT_EQ(name.dict->At(name.codes[0]), "张三丰");
  EXPECT_EQ(r->table.Find("death_date")->i32[1], kNullI32);
}

TEST(ImportFileTest, RejectModeGivesStatusAndFullReport) {
  std::string csv = "\xEF\xBB\xBFpayee_id,item,period,amount,paid_on\r\n" + kId1 +
                    ",a,2023-01-01,1,2023-01-01\r\n" + kId1.substr(0, 17) + "0" +
                    ",a,2023-01-01,12,34,2023-01-01\r\n" + kId2 + ",a,2023-02-30,\"12,34\",x\r\n";
  ImportReport report;
  Result<ImportResult> r = ImportFile(Schema("payments"), csv, ImportOptions(), &report);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().IsInvalidArgument());
  EXPECT_EQ(r.status().message(),
            "2 bad rows (4 errors), nothing imported: line 3: expected 5 cells, found 6; "
            "line 4 period: 2023-02-30 is not a date; line 4 amount: misplaced thousands "
            "separator (write 1234.50 or 1,234.50); line 4 paid_on: not a date (write "
            "YYYY-MM-DD, YYYY/M/D, YYYYMMDD or YYYY年M月D日)");
  EXPECT_EQ(report.encoding, "UTF-8");
  EXPECT_EQ(report.records, 3u);
  EXPECT_EQ(report.rows, 1u);
  EXPECT_EQ(report.bad_rows, 2u);
  ASSERT_EQ(report.errors.size(), 4u);
  EXPECT_EQ(report.errors[1].line, 4);
  EXPECT_EQ(report.errors[1].column, "period");
}

TEST(ImportFileTest, ClearErrorsForWholeFileProblems) {
  ImportOptions options;
  Result<ImportResult> header = ImportFile(Schema("people"), "身份证,姓名,性别\n", options);
  ASSERT_FALSE(header.ok());
  EXPECT_NE(header.status().message().find("header column 3 '性别': not a column of dataset people"),
            std::string::npos);
  Result<ImportResult> truncated =
      ImportFile(Schema("people"), "id_number,name\n" + kId1 + ",\"张三\n", options);
  ASSERT_FALSE(truncated.ok());
  EXPECT_EQ(truncated.status().message(), "truncated file: quote opened on line 2 never closed");
  Result<ImportResult> xls = ImportFile(Schema("people"), "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", options);
  ASSERT_FALSE(xls.ok());
  EXPECT_NE(xls.status().message().find(".xls"), std::string::npos);
  std::string binary;
  for (int i = 0; i < 2000; ++i) binary.push_back(static_cast<char>((i * 7919) % 251 + 3));
  Result<ImportResult> undeclared = ImportFile(Schema("people"), binary, options);
  ASSERT_FALSE(undeclared.ok());
  EXPECT_NE(undeclared.status().message().find("file is not UTF-8 or GB18030"), std::string::npos);
}

TEST(ImportFileTest, DeclaredEncodingOverridesDetection) {
  std::string bytes = ToGb18030("id_number,name\n" + kId1 + ",张三\n");
  ImportOptions options;
  options.encoding = "gbk";
  Result<ImportResult> r = ImportFile(Schema("people"), bytes, options);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->report.encoding, "GB18030");
  options.encoding = "utf-8";
  EXPECT_FALSE(ImportFile(Schema("people"), bytes, options).ok());
}

TEST(ImportFileTest, JsonLinesWithABadLine) {
  std::string jsonl = "{\"payee_id\": \"" + kId1 +
                      "\", \"item\": \"低保金\", \"period\": \"2023-01-01\", \"amount\": 350.5, "
                      "\"paid_on\": \"2023-01-15\", \"payer_org\": null}\n"
                      "{\"payee_id\": \"" + kId2 + "\", \"item\": \"x\", oops}\n"
                      "\n"
                      "[1, 2]\n"
                      "{\"payee_id\": " + kId2 +
                      ", \"item\": \"特困\", \"period\": \"2023-01-01\", \"amount\": \"1,234.50\", "
                      "\"paid_on\": \"2023-01-15\"}\n"
                      "{\"payee_id\": \"" + kId1 + "\", \"item\": {\"a\": 1}, \"period\": \"2023-01-01\", "
                      "\"amount\": 1, \"paid_on\": \"2023-01-15\"}\n";
  ImportOptions options;
  options.mode = ImportMode::kQuarantine;
  Result<ImportResult> r = ImportFile(Schema("payments"), jsonl, options);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->report.format, FileFormat::kJsonLines);
  ASSERT_EQ(r->report.errors.size(), 3u);
  EXPECT_EQ(r->report.errors[0].line, 2);
  EXPECT_NE(r->report.errors[0].reason.find("not valid JSON"), std::string::npos);
  EXPECT_EQ(r->report.errors[1].line, 4);
  EXPECT_EQ(r->report.errors[1].reason, "not a JSON object");
  EXPECT_EQ(r->report.errors[2].line, 6);
  EXPECT_NE(r->report.errors[2].reason.find("key 'item' holds an object or array"),
            std::string::npos);
  ASSERT_EQ(r->table.rows, 2u);
  EXPECT_EQ(r->table.Find("amount")->i64, (std::vector<int64_t>{35050, 123450}));
  EXPECT_EQ(r->table.Find("payee_id")->i64[1], std::stoll(kId2.substr(0, 17)));
  EXPECT_EQ(r->report.blank_records, 1u);
}

TEST(ImportFileTest, JsonLinesUnknownKeyRefusesTheFile) {
  Result<ImportResult> r =
      ImportFile(Schema("people"), "{\"id_number\": \"" + kId1 + "\", \"name\": \"a\", \"age\": 3}\n",
                 ImportOptions());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("JSON keys: header column 3 'age'"), std::string::npos)
      << r.status().message();
}

}  // namespace
}  // namespace jiandu::monitor
