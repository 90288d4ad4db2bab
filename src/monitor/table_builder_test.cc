#include "monitor/table_builder.h"

#include <gtest/gtest.h>

#include "monitor/table.h"

namespace jiandu::monitor {
namespace {

DatasetSchema Payments() {
  DatasetSchema s;
  s.name = "payments";
  s.columns = {
      {.name = "payee_id", .type = ColumnType::kIdNumber, .title = "身份证号"},
      {.name = "item", .type = ColumnType::kText, .title = "项目"},
      {.name = "period", .type = ColumnType::kDate},
      {.name = "amount", .type = ColumnType::kMoney, .aliases = {"金额(元)"}},
      {.name = "kind", .type = ColumnType::kEnum, .required = false,
       .enum_values = {"低保", "特困"}},
  };
  return s;
}

std::vector<std::string_view> Cells(std::initializer_list<std::string_view> c) { return c; }

TEST(MapHeader, MatchesNamesTitlesAndAliasesInAnyOrder) {
  DatasetSchema s = Payments();
  auto header = Cells({"金额（元）", "period", " 身份证号", "ITEM"});
  Result<HeaderMap> map = MapHeader(s, header);
  ASSERT_TRUE(map.ok()) << map.status().ToString();
  EXPECT_EQ(map->source_index, (std::vector<int>{2, 3, 1, 0, -1}));
  std::vector<std::string_view> out;
  auto record = Cells({"1", "2", "3", "4"});
  map->Select(record, &out);
  EXPECT_EQ(out, (std::vector<std::string_view>{"3", "4", "2", "1", ""}));
}

TEST(MapHeader, NamesTheOffendingHeaderCell) {
  DatasetSchema s = Payments();
  Result<HeaderMap> dup = MapHeader(s, Cells({"payee_id", "item", "period", "amount", "item"}));
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.status().message(), "header column 5 'item': duplicated (also column 2)");
  Result<HeaderMap> same_col = MapHeader(s, Cells({"payee_id", "身份证号", "item", "period", "amount"}));
  ASSERT_FALSE(same_col.ok());
  EXPECT_NE(same_col.status().message().find("names column payee_id again"), std::string::npos);
  Result<HeaderMap> unknown = MapHeader(s, Cells({"payee_id", "item", "period", "amount", "备注"}));
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("'备注': not a column of dataset payments"),
            std::string::npos);
  Result<HeaderMap> missing = MapHeader(s, Cells({"payee_id", "item", "period"}));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().message(), "required column amount is missing from the header");
}

TEST(TableBuilder, AppendsTypedValuesAndInternsText) {
  TableBuilder b(Payments());
  EXPECT_TRUE(b.Append(Cells({"11010519491231002X", "低保金", "2023-01-01", "300.5", "低保"}), 2));
  EXPECT_TRUE(b.Append(Cells({"11010519491231002x", "低保金", "2023/2/1", "1,000", ""}), 3));
  EXPECT_TRUE(b.errors().empty());
  Table t = b.Finish();
  ASSERT_EQ(t.rows, 2u);
  EXPECT_EQ(t.Find("payee_id")->i64, (std::vector<int64_t>{11010519491231002, 11010519491231002}));
  EXPECT_EQ(t.Find("amount")->i64, (std::vector<int64_t>{30050, 100000}));
  EXPECT_EQ(t.Find("item")->codes, (std::vector<uint32_t>{0, 0}));
  EXPECT_EQ(t.Find("item")->dict->At(0), "低保金");
  EXPECT_EQ(t.Find("kind")->codes, (std::vector<uint32_t>{0, kNullCode}));
  EXPECT_EQ(t.Find("period")->i32[1] - t.Find("period")->i32[0], 31);
}

TEST(TableBuilder, EnumAliasesStoreTheirValue) {
  DatasetSchema s;
  s.name = "relatives";
  s.columns = {{.name = "relation", .type = ColumnType::kEnum,
                .enum_values = {"spouse", "child"},
                .enum_aliases = {{"配偶", "spouse"}, {"子女", "child"}}}};
  TableBuilder b(s);
  EXPECT_TRUE(b.Append(Cells({"配偶"}), 2));
  EXPECT_TRUE(b.Append(Cells({"child"}), 3));
  EXPECT_FALSE(b.Append(Cells({"邻居"}), 4));
  ASSERT_EQ(b.errors().size(), 1u);
  EXPECT_EQ(b.errors()[0].reason, "'邻居' is not one of: spouse (配偶), child (子女)");
  Table t = b.Finish();
  EXPECT_EQ(t.Find("relation")->codes, (std::vector<uint32_t>{0, 1}));
}

TEST(TableBuilder, ABadRowIsRefusedWholeWithEveryReason) {
  TableBuilder b(Payments());
  EXPECT_FALSE(b.Append(Cells({"110105194912310021", "低保金", "2023-02-30", "12,34", "五保"}), 7));
  EXPECT_FALSE(b.Append(Cells({"11010519491231002X", "", "2023-02-01", "1"}), 8));
  EXPECT_FALSE(b.Append(Cells({"", "低保金", "2023-02-01", "1", ""}), 9));
  EXPECT_EQ(b.rows(), 0u);
  EXPECT_EQ(b.bad_rows(), 3u);
  ASSERT_EQ(b.errors().size(), 6u);
  EXPECT_EQ(b.errors()[0].line, 7);
  EXPECT_EQ(b.errors()[0].column, "payee_id");
  EXPECT_EQ(b.errors()[0].reason, "check character does not match");
  EXPECT_EQ(b.errors()[1].column, "period");
  EXPECT_EQ(b.errors()[1].reason, "2023-02-30 is not a date");
  EXPECT_EQ(b.errors()[2].column, "amount");
  EXPECT_EQ(b.errors()[3].column, "kind");
  EXPECT_EQ(b.errors()[3].reason, "'五保' is not one of: 低保, 特困");
  EXPECT_EQ(b.errors()[4].line, 8);
  EXPECT_EQ(b.errors()[4].column, "");
  EXPECT_EQ(b.errors()[4].reason, "expected 5 cells, found 4");
  EXPECT_EQ(b.errors()[5].line, 9);
  EXPECT_EQ(b.errors()[5].reason, "required value is missing");
  Table t = b.Finish();
  for (const Column& c : t.columns) EXPECT_EQ(c.size(), 0u) << c.spec.name;
}

}  // namespace
}  // namespace jiandu::monitor
