#include "core/region_codes.h"

#include <gtest/gtest.h>

#include <string>

namespace jiandu::embedded {
extern const std::string_view gb2260_csv;
}  // namespace jiandu::embedded

namespace jiandu::core {
namespace {

const RegionTable& Table() { return RegionTable::Default(); }

TEST(RegionTableTest, EmbeddedTableLoadsAndStaysSmall) {
  EXPECT_GT(Table().size(), 3500u);
  EXPECT_LT(embedded::gb2260_csv.size(), 400u * 1024);
  EXPECT_EQ(Table().newest_revision(), "202112");
}

TEST(RegionTableTest, FindsCurrentCounty) {
  std::optional<RegionInfo> info = Table().Find("420322");
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->name, "郧西县");
  EXPECT_EQ(info->first_seen, "200212");
  EXPECT_TRUE(Table().IsKnown("420322"));
  EXPECT_TRUE(Table().IsCurrent("420322"));
}

TEST(RegionTableTest, FullNameJoinsProvinceAndPrefecture) {
  EXPECT_EQ(Table().FullName("420322"), "湖北省十堰市郧西县");
  EXPECT_EQ(Table().FullName("360426"), "江西省九江市德安县");
  EXPECT_EQ(Table().FullName("420300"), "湖北省十堰市");
  EXPECT_EQ(Table().FullName("420000"), "湖北省");
}

TEST(RegionTableTest, FullNameSkipsSummaryPlaceholders) {
  EXPECT_EQ(Table().FullName("110105"), "北京市朝阳区");  // 110100 市辖区
  EXPECT_EQ(Table().FullName("429004"), "湖北省仙桃市");  // 429000 省直辖县级行政区划
  EXPECT_EQ(Table().FullName("659011"), "新疆维吾尔自治区新星市");  // 自治区直辖县级行政区划
}

TEST(RegionTableTest, RetiredCodeIsKnownButNotCurrent) {
  // 崇文区 merged into 东城区 in 2010; IDs issued there still carry 110103.
  std::optional<RegionInfo> info = Table().Find("110103");
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->name, "崇文区");
  EXPECT_EQ(info->last_seen, "200912");
  EXPECT_TRUE(Table().IsKnown("110103"));
  EXPECT_FALSE(Table().IsCurrent("110103"));
  EXPECT_EQ(Table().FullName("110103"), "北京市崇文区");
  // 郧县 became 郧阳区 under a new code in 2014.
  EXPECT_FALSE(Table().IsCurrent("420321"));
  EXPECT_TRUE(Table().IsCurrent("420304"));
}

TEST(RegionTableTest, RenamedDivisionKeepsItsHistory) {
  // 邢台市桥东区 was renamed 襄都区 in 2020 under the same code.
  std::vector<RegionInfo> history = Table().History("130502");
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[0].name, "桥东区");
  EXPECT_EQ(history[1].name, "襄都区");
  EXPECT_EQ(Table().Find("130502")->name, "襄都区");
}

TEST(RegionTableTest, UnknownCode) {
  EXPECT_FALSE(Table().Find("999999").has_value());
  EXPECT_FALSE(Table().IsKnown("999999"));
  EXPECT_FALSE(Table().IsCurrent("999999"));
  EXPECT_EQ(Table().FullName("999999"), "");
  EXPECT_TRUE(Table().History("42032").empty());
}

ResidentId IdWithRegion(const std::string& region) {
  const std::string first17 = region + "19800101001";
  return ParseResidentId(first17 + ComputeResidentIdCheckChar(first17),
                         *CivilDate::FromYmd(2025, 1, 1))
      ->id;
}

TEST(RegionTableTest, IdRegionKnownForTableCodesAndSpecialPrefixes) {
  EXPECT_TRUE(IsKnownIdRegion(Table(), IdWithRegion("420322")));
  EXPECT_TRUE(IsKnownIdRegion(Table(), IdWithRegion("110103")));  // retired still counts
  EXPECT_TRUE(IsKnownIdRegion(Table(), IdWithRegion("830000")));  // 台湾居民居住证
  EXPECT_TRUE(IsKnownIdRegion(Table(), IdWithRegion("911156")));  // foreigner, 2023, 北京
  EXPECT_FALSE(IsKnownIdRegion(Table(), IdWithRegion("990101")));  // no province 90
  EXPECT_FALSE(IsKnownIdRegion(Table(), IdWithRegion("100000")));
}

constexpr std::string_view kGood =
    "# comment\n"
    "code,name,first_seen,last_seen\n"
    "110000,北京市,200212,202112\n"
    "130502,桥东区,200212,201607\n"
    "130502,襄都区,202112,202112\n";

TEST(RegionTableParseTest, ParsesSmallTable) {
  Result<RegionTable> t = RegionTable::Parse(kGood);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->size(), 3u);
  EXPECT_EQ(t->newest_revision(), "202112");
  EXPECT_TRUE(t->IsCurrent("130502"));
  EXPECT_EQ(t->History("130502").size(), 2u);
  EXPECT_EQ(t->FullName("130502"), "襄都区");  // parents 130000/130500 not in this table
}

TEST(RegionTableParseTest, FullNameOfCodeDirectlyUnderProvinceHasNoDoubledProvince) {
  Result<RegionTable> t = RegionTable::Parse(
      "code,name,first_seen,last_seen\n810000,香港特别行政区,200212,202112\n"
      "810001,中西区,202112,202112\n");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->FullName("810001"), "香港特别行政区中西区");
}

TEST(RegionTableParseTest, IgnoresByteOrderMark) {
  Result<RegionTable> t = RegionTable::Parse(
      "\xEF\xBB\xBF"
      "code,name,first_seen,last_seen\n110000,北京市,200212,202112\n");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_TRUE(t->IsKnown("110000"));
}

struct BadTable {
  const char* csv;
  const char* message;
};

class RegionTableParseErrorTest : public testing::TestWithParam<BadTable> {};

TEST_P(RegionTableParseErrorTest, NamesLineAndReason) {
  Result<RegionTable> t = RegionTable::Parse(GetParam().csv);
  ASSERT_FALSE(t.ok());
  EXPECT_TRUE(t.status().IsInvalidArgument());
  EXPECT_EQ(t.status().field(), "region_table");
  EXPECT_EQ(t.status().message(), GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    Errors, RegionTableParseErrorTest,
    testing::Values(
        BadTable{"", "no rows"}, BadTable{"code,name,first_seen,last_seen\n", "no rows"},
        BadTable{"code,name\n110000,北京市\n",
                 "line 1: expected the header \"code,name,first_seen,last_seen\""},
        BadTable{"code,name,first_seen,last_seen\n11000,北京市,200212,202112\n",
                 "line 2: code must be 6 digits"},
        BadTable{"code,name,first_seen,last_seen\n110000,北京市,200212\n",
                 "line 2: expected 4 comma-separated fields"},
        BadTable{"code,name,first_seen,last_seen\n110000,北京市,200212,202112,x\n",
                 "line 2: expected 4 comma-separated fields"},
        BadTable{"code,name,first_seen,last_seen\n110000,,200212,202112\n",
                 "line 2: name must be non-empty UTF-8"},
        BadTable{"code,name,first_seen,last_seen\n110000,\xFF,200212,202112\n",
                 "line 2: name must be non-empty UTF-8"},
        BadTable{"code,name,first_seen,last_seen\n110000,北京市,200213,202112\n",
                 "line 2: first_seen and last_seen must be revision ids YYYYMM"},
        BadTable{"code,name,first_seen,last_seen\n110000,北京市,202112,200212\n",
                 "line 2: first_seen is after last_seen"},
        BadTable{"code,name,first_seen,last_seen\n120000,天津市,200212,202112\n"
                 "110000,北京市,200212,202112\n",
                 "line 3: rows must be sorted by code and first_seen, runs not overlapping"},
        BadTable{"code,name,first_seen,last_seen\n130502,桥东区,200212,201607\n"
                 "130502,襄都区,201607,202112\n",
                 "line 3: rows must be sorted by code and first_seen, runs not overlapping"}));

}  // namespace
}  // namespace jiandu::core
