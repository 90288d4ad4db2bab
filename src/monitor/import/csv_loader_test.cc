#include "monitor/import/csv_loader.h"

#include <gtest/gtest.h>

#include <chrono>
#include <ctime>
#include <thread>
#include <cstdio>
#include <random>
#include <string>

#include "core/resident_id.h"
#include "monitor/import/schema_toml.h"
#include "monitor/import/test_util.h"

namespace jiandu::monitor {
namespace {

using testing_util::ExpectSameTable;
using testing_util::IdNumber;
using testing_util::ReferenceLoad;

DatasetSchema Payments() {
  Result<DatasetSchema> s = BuiltinSchema("payments");
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return *s;
}

LoadResult Load(std::string_view text, ImportMode mode = ImportMode::kQuarantine,
                unsigned threads = 1, size_t min_chunk = 1 << 20) {
  CsvOptions options;
  options.mode = mode;
  options.threads = threads;
  options.min_chunk_bytes = min_chunk;
  Result<LoadResult> r = LoadCsv(Payments(), text, options);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? std::move(*r) : LoadResult();
}

std::string Errors(const LoadResult& r) {
  std::string out;
  for (const RowError& e : r.errors) {
    out += std::to_string(e.line) + " " + e.column + ": " + e.reason + "\n";
  }
  return out;
}

const std::string kId1 = IdNumber("110105", "19491231", "002");  // 11010519491231002X
const std::string kId2 = IdNumber("360426", "19910101", "007");  // 360426199101010071

TEST(LoadCsvTest, ReadsBomCrlfQuotesAndTitles) {
  std::string text = "\xEF\xBB\xBF收款人身份证号,补贴项目,period,金额,paid_on,payer_org\r\n" + kId1 +
                     ",\"低保金, 城市\",2023-01-01,\"1,234.50\",2023-01-15,\"民政局 \"\"一科\"\"\"\r\n" +
                     kId2 + ",低保金,2023/2/1,300,20230215,\r\n";
  LoadResult r = Load(text);
  EXPECT_EQ(Errors(r), "");
  ASSERT_EQ(r.table.rows, 2u);
  const Column& item = *r.table.Find("item");
  EXPECT_EQ(item.dict->At(item.codes[0]), "低保金, 城市");
  EXPECT_EQ(item.dict->At(item.codes[1]), "低保金");
  EXPECT_EQ(r.table.Find("amount")->i64, (std::vector<int64_t>{123450, 30000}));
  EXPECT_EQ(r.table.Find("payee_id")->i64[0], 11010519491231002);
  const Column& payer = *r.table.Find("payer_org");
  EXPECT_EQ(payer.dict->At(payer.codes[0]), "民政局 \"一科\"");
  EXPECT_EQ(payer.codes[1], kNullCode);
  EXPECT_EQ(r.table.Find("period")->i32[1], 19389);  // 2023-02-01
}

TEST(LoadCsvTest, LineNumbersCountQuotedLineBreaks) {
  std::string text = "payee_id,item,period,amount,paid_on\n" + kId1 +
                     ",\"two\nline\nitem\",2023-01-01,1,2023-01-01\n"  // lines 2-4
                     "\n" +                                             // line 5, blank
                     kId1 + ",x,2023-02-30,1,2023-01-01\n" +            // line 6
                     kId2 + ",x,2023-01-01,12,34,2023-01-01\n" +        // line 7: 6 cells
                     kId2 + ",x,2023-01-01,\"12,34\",2023-01-01\n";     // line 8
  LoadResult r = Load(text);
  EXPECT_EQ(Errors(r),
            "6 period: 2023-02-30 is not a date\n"
            "7 : expected 5 cells, found 6\n"
            "8 amount: misplaced thousands separator (write 1234.50 or 1,234.50)\n");
  EXPECT_EQ(r.rows, 1u);
  EXPECT_EQ(r.bad_rows, 3u);
  EXPECT_EQ(r.records, 4u);
  EXPECT_EQ(r.blank_records, 1u);
  const Column& item = *r.table.Find("item");
  EXPECT_EQ(item.dict->At(item.codes[0]), "two\nline\nitem");
}

TEST(LoadCsvTest, ReportsEveryBadCellOfARow) {
  std::string bad_check = kId1.substr(0, 17) + "5";
  std::string text = "payee_id,item,period,amount,paid_on\n" + bad_check + ",,2023-13-01,abc,\n";
  LoadResult r = Load(text);
  EXPECT_EQ(Errors(r),
            "2 payee_id: check character does not match\n"
            "2 item: required value is missing\n"
            "2 period: 2023-13-01 is not a date\n"
            "2 amount: not an amount (only digits, one '.', and ',' between thousands)\n"
            "2 paid_on: required value is missing\n");
  EXPECT_EQ(r.bad_rows, 1u);
  EXPECT_EQ(r.error_count, 5u);
}

TEST(LoadCsvTest, FoldsFullWidthDigitsAndSpaces) {
  // "１１０１０５１９４９１２３１００２ｘ" and "１，２３４．５０" in full-width forms.
  std::string text = "payee_id,item,period,amount,paid_on\n"
                     "１１０１０５１９４９１２３１００２ｘ, 低保金　,２０２３－０１－０１,"
                     "\"１，２３４．５０\",2023-01-01\n";
  LoadResult r = Load(text);
  EXPECT_EQ(Errors(r), "");
  ASSERT_EQ(r.table.rows, 1u);
  EXPECT_EQ(r.table.Find("payee_id")->i64[0], 11010519491231002);
  EXPECT_EQ(r.table.Find("amount")->i64[0], 123450);
  const Column& item = *r.table.Find("item");
  EXPECT_EQ(item.dict->At(item.codes[0]), "低保金");
}

TEST(LoadCsvTest, RejectModeKeepsNoRowsWhenAnyRowIsBad) {
  std::string text = "payee_id,item,period,amount,paid_on\n" + kId1 +
                     ",a,2023-01-01,1,2023-01-01\n" + kId2 + ",b,2023-01-01,x,2023-01-01";
  LoadResult reject = Load(text, ImportMode::kReject);
  EXPECT_EQ(reject.table.rows, 0u);
  EXPECT_EQ(reject.table.columns.size(), 6u);
  EXPECT_TRUE(reject.table.Find("amount")->i64.empty());
  EXPECT_EQ(reject.rows, 1u);
  EXPECT_EQ(reject.error_count, 1u);
  LoadResult keep = Load(text, ImportMode::kQuarantine);
  EXPECT_EQ(keep.table.rows, 1u);
}

TEST(LoadCsvTest, RefusesBadHeadersAndTruncatedFiles) {
  CsvOptions options;
  auto load = [&](std::string_view text) { return LoadCsv(Payments(), text, options); };
  Result<LoadResult> unknown = load("payee_id,item,period,amount,paid_on,备注\n");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("header column 6 '备注': not a column of dataset"),
            std::string::npos);
  Result<LoadResult> dup = load("payee_id,item,period,amount,paid_on,item\n");
  ASSERT_FALSE(dup.ok());
  EXPECT_NE(dup.status().message().find("duplicated (also column 2)"), std::string::npos);
  Result<LoadResult> missing = load("payee_id,item,period,paid_on\n");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().message(), "required column amount is missing from the header");
  Result<LoadResult> empty = load("\n\n");
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.status().message(), "the file is empty: no header row");
  std::string truncated = "payee_id,item,period,amount,paid_on\n" + kId1 +
                          ",a,2023-01-01,1,2023-01-01\n" + kId1 + ",\"open\nstill open";
  Result<LoadResult> t = load(truncated);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().message(), "truncated file: quote opened on line 3 never closed");
}

TEST(LoadCsvTest, TextAfterClosingQuoteRefusesTheRecord) {
  std::string text = "payee_id,item,period,amount,paid_on\n" + kId1 +
                     ",\"a\"b,2023-01-01,1,2023-01-01\n" + kId1 +
                     ",5\"screen,2023-01-01,1,2023-01-01\n";
  LoadResult r = Load(text);
  EXPECT_EQ(Errors(r), "2 : cell 2: text after the closing quote\n");
  ASSERT_EQ(r.table.rows, 1u);
  const Column& item = *r.table.Find("item");
  EXPECT_EQ(item.dict->At(item.codes[0]), "5\"screen");  // a quote inside a field is text
}

TEST(LoadCsvTest, StoresAtMostMaxErrorsButCountsAll) {
  std::string text = "payee_id,item,period,amount,paid_on\n";
  for (int i = 0; i < 50; ++i) text += kId1 + ",a,2023-01-01,bad,2023-01-01\n";
  CsvOptions options;
  options.mode = ImportMode::kQuarantine;
  options.max_stored_errors = 7;
  options.threads = 4;
  options.min_chunk_bytes = 100;
  Result<LoadResult> r = LoadCsv(Payments(), text, options);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->errors.size(), 7u);
  EXPECT_EQ(r->error_count, 50u);
  EXPECT_EQ(r->errors.back().line, 8);
}

// Random payments with quoted fields, escaped quotes, line breaks inside quotes, CRLF, blank
// lines and bad values, so chunk boundaries land inside quoted fields.
std::string GenerateTricky(uint32_t seed, int records) {
  std::mt19937 rng(seed);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<uint32_t>(n)); };
  const char* items[] = {"低保金", "特困供养金", "\"高龄\n津贴\"", "\"残疾人\r\n两项补贴\"",
                         "\"a \"\"quoted\"\" item\"", "\"多\n行\n\n文本\"", "耕地地力保护补贴"};
  std::string text = "payee_id,item,period,amount,paid_on,payer_org\n";
  for (int i = 0; i < records; ++i) {
    char seq[4];
    std::snprintf(seq, sizeof seq, "%03d", pick(1000));
    std::string id = IdNumber("420322", "1980010" + std::to_string(1 + pick(9)), seq);
    if (pick(50) == 0) id[17] = id[17] == '1' ? '2' : '1';  // bad check character
    text += id + "," + items[pick(7)] + ",2023-0" + std::to_string(1 + pick(9)) + "-01,";
    text += pick(40) == 0 ? "12,34" : std::to_string(pick(100000)) + "." + std::to_string(pick(10));
    text += ",2023-02-" + std::to_string(10 + pick(25)) + ",";  // 02-29..02-34 are bad dates
    text += pick(3) == 0 ? "" : (pick(2) ? "\"民政局\n一科\"" : "财政局");
    text += pick(2) ? "\r\n" : "\n";
    if (pick(30) == 0) text += "\n";
  }
  return text;
}

TEST(LoadCsvTest, ParallelLoadEqualsSerialAndTableBuilder) {
  for (uint32_t seed : {1u, 2u, 3u, 4u, 5u}) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    std::string text = GenerateTricky(seed, 3000);
    Result<testing_util::Reference> ref = ReferenceLoad(Payments(), text);
    ASSERT_TRUE(ref.ok()) << ref.status().ToString();
    for (unsigned threads : {1u, 2u, 3u, 8u, 16u}) {
      SCOPED_TRACE("threads " + std::to_string(threads));
      LoadResult r = Load(text, ImportMode::kQuarantine, threads, /*min_chunk=*/64);
      ExpectSameTable(ref->table, r.table);
      ASSERT_EQ(r.errors.size(), ref->errors.size());
      for (size_t i = 0; i < r.errors.size(); ++i) {
        EXPECT_EQ(r.errors[i].line, ref->errors[i].line) << i;
        EXPECT_EQ(r.errors[i].column, ref->errors[i].column) << i;
        EXPECT_EQ(r.errors[i].reason, ref->errors[i].reason) << i;
      }
      EXPECT_EQ(r.bad_rows, ref->bad_rows);
      EXPECT_EQ(r.rows, ref->table.rows);
    }
  }
}

TEST(LoadCsvTest, ReportsEveryDataByteParsedThenMerging) {
  const std::string header = "payee_id,item,period,amount,paid_on\n";
  std::string text = header;
  while (text.size() < (size_t{9} << 20)) text += kId1 + ",低保金,2024-01-01,300.00,2024-01-05\n";
  for (unsigned threads : {1u, 2u, 3u}) {
    core::Progress progress;
    CsvOptions options;
    options.threads = threads;
    options.progress = &progress;
    Result<LoadResult> r = LoadCsv(Payments(), text, options);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    const std::vector<core::Progress::Stage> stages = progress.Finished(0);
    ASSERT_EQ(stages.size(), 1u);
    EXPECT_STREQ(stages[0].name, "parsing");
    EXPECT_EQ(stages[0].total, text.size() - header.size());
    EXPECT_EQ(stages[0].done, stages[0].total) << threads << " threads";
    EXPECT_STREQ(progress.Snapshot().stage, "merging");
  }
}

TEST(LoadCsvTest, QuotedLineBreakRightAtEverySplitPoint) {
  // Every record's item holds line breaks, so most guessed chunk starts are wrong.
  std::string text = "payee_id,item,period,amount,paid_on\n";
  for (int i = 0; i < 400; ++i) {
    text += kId1 + ",\"\n\n\n" + std::to_string(i) + "\n\",2023-01-01,1,2023-01-01\n";
  }
  LoadResult serial = Load(text, ImportMode::kQuarantine, 1);
  for (unsigned threads : {2u, 7u, 32u}) {
    LoadResult r = Load(text, ImportMode::kQuarantine, threads, 16);
    EXPECT_EQ(Errors(r), "");
    ExpectSameTable(serial.table, r.table);
  }
  EXPECT_EQ(serial.table.rows, 400u);
}

std::string GeneratePayments(size_t target_bytes) {
  std::mt19937 engine(42);
  auto rng = [&] { return static_cast<unsigned>(engine()); };
  const char* items[] = {"城乡居民最低生活保障金", "特困人员救助供养金", "高龄津贴",
                         "困难残疾人生活补贴", "重度残疾人护理补贴", "耕地地力保护补贴",
                         "农村危房改造补助", "优抚对象抚恤金"};
  const char* orgs[] = {"郧西县民政局", "郧西县财政局", "郧西县农业农村局", "郧西县退役军人事务局"};
  std::vector<std::string> ids;
  for (int i = 0; i < 20000; ++i) {
    char seq[4];
    std::snprintf(seq, sizeof seq, "%03u", rng() % 1000);
    char birth[9];
    std::snprintf(birth, sizeof birth, "19%02u%02u%02u", 30 + rng() % 70, 1 + rng() % 12,
                  1 + rng() % 28);
    ids.push_back(IdNumber("420322", birth, seq));
  }
  std::string text = "payee_id,item,period,amount,paid_on,payer_org\n";
  text.reserve(target_bytes + 200);
  char line[256];
  while (text.size() < target_bytes) {
    unsigned month = 1 + rng() % 12;
    int n = std::snprintf(line, sizeof line, "%s,%s,2023-%02u-01,%u.%02u,2023-%02u-%02u,%s\n",
                          ids[rng() % ids.size()].c_str(), items[rng() % 8], month,
                          100 + rng() % 2000, rng() % 100, month, 10 + rng() % 15,
                          orgs[rng() % 4]);
    text.append(line, static_cast<size_t>(n));
  }
  return text;
}

// People: id_number, a name of 2–3 characters (about 10^5 distinct), a death date on 1 row in 10.
std::string GeneratePeople(size_t target_bytes) {
  std::mt19937 engine(43);
  auto rng = [&] { return static_cast<unsigned>(engine()); };
  const char* surnames[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙",
                            "马", "朱", "胡", "郭", "何", "高", "林", "罗"};
  const char* given[] = {"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳",
                         "杰", "娟", "涛", "明", "超", "秀", "霞", "平", "刚", "桂", "英", "华",
                         "玉", "兰", "建", "国", "文", "志", "红", "春", "海", "云", "飞", "凤"};
  std::string text = "id_number,name,death_date\n";
  text.reserve(target_bytes + 200);
  char line[256];
  while (text.size() < target_bytes) {
    char seq[4];
    std::snprintf(seq, sizeof seq, "%03u", rng() % 1000);
    char birth[9];
    std::snprintf(birth, sizeof birth, "19%02u%02u%02u", 30 + rng() % 70, 1 + rng() % 12,
                  1 + rng() % 28);
    std::string name = std::string(surnames[rng() % 20]) + given[rng() % 36];
    if (rng() % 2 == 0) name += given[rng() % 36];
    int n = rng() % 10 == 0
                ? std::snprintf(line, sizeof line, "%s,%s,20%02u-%02u-%02u\n",
                                IdNumber("420322", birth, seq).c_str(), name.c_str(), rng() % 24,
                                1 + rng() % 12, 1 + rng() % 28)
                : std::snprintf(line, sizeof line, "%s,%s,\n",
                                IdNumber("420322", birth, seq).c_str(), name.c_str());
    text.append(line, static_cast<size_t>(n));
  }
  return text;
}

// Not a timed assertion: prints MB/s (wall) and the CPU seconds used, for the log.
void LogThroughput(const char* shape, const DatasetSchema& schema, const std::string& text) {
  for (unsigned threads : {1u, 0u}) {
    CsvOptions options;
    options.mode = ImportMode::kReject;
    options.threads = threads;
    std::clock_t cpu_start = std::clock();
    auto start = std::chrono::steady_clock::now();
    Result<LoadResult> r = LoadCsv(schema, text, options);
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    double cpu = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->error_count, 0u) << (r->errors.empty() ? "" : r->errors[0].reason);
    std::printf("[ loader ] %s CSV %.1f MB, %zu rows, threads=%u: %.3f s (cpu %.3f s), %.0f MB/s\n",
                shape, static_cast<double>(text.size()) / 1e6, r->table.rows,
                threads == 0 ? std::thread::hardware_concurrency() : threads, seconds, cpu,
                static_cast<double>(text.size()) / 1e6 / seconds);
  }
}

TEST(LoadCsvTest, ThroughputLogLine) {
  LogThroughput("payments", Payments(), GeneratePayments(64 << 20));
  Result<DatasetSchema> people = BuiltinSchema("people");
  ASSERT_TRUE(people.ok());
  LogThroughput("people", *people, GeneratePeople(64 << 20));
}

}  // namespace
}  // namespace jiandu::monitor
