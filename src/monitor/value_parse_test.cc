#include "monitor/value_parse.h"

#include <gtest/gtest.h>

#include "core/civil_date.h"
#include "monitor/table.h"

namespace jiandu::monitor {
namespace {

// 11010519491231002X: the GB 11643 example number (check character X).
constexpr char kId[] = "11010519491231002X";

TEST(IdNumberCell, PacksTheSeventeenDigitsAndRoundTrips) {
  Result<int64_t> v = ParseIdNumberCell(kId);
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(*v, 11010519491231002);
  EXPECT_EQ(IdNumberText(*v), kId);
}

TEST(IdNumberCell, NormalisesWidthSpacesAndLowerCaseX) {
  EXPECT_EQ(*ParseIdNumberCell(" 11010519491231002x "), 11010519491231002);
  EXPECT_EQ(*ParseIdNumberCell("１１０１０５１９４９１２３１００２Ｘ"), 11010519491231002);
  EXPECT_EQ(*ParseIdNumberCell("110105 19491231 002X"), 11010519491231002);
}

TEST(IdNumberCell, RefusesBadNumbersWithAReasonThatHidesTheNumber) {
  Result<int64_t> wrong_check = ParseIdNumberCell("110105194912310021");
  ASSERT_FALSE(wrong_check.ok());
  EXPECT_EQ(wrong_check.status().message(), "check character does not match");
  EXPECT_EQ(wrong_check.status().message().find("1101"), std::string_view::npos);
  EXPECT_FALSE(ParseIdNumberCell("11010519490231002X").ok());  // 1949-02-31
  EXPECT_FALSE(ParseIdNumberCell("110105491231002").ok());      // legacy 15 digits
  EXPECT_FALSE(ParseIdNumberCell("1101051949123100").ok());
  EXPECT_FALSE(ParseIdNumberCell("11010519491231002Y").ok());
}

TEST(DateCell, AcceptsTheFormsExcelAndClerksWrite) {
  const int32_t want = core::CivilDate::FromYmd(2023, 2, 28)->day_number();
  for (const char* text : {"2023-02-28", "2023/2/28", "2023.02.28", "20230228", "2023年2月28日",
                           "2023-02-28 00:00:00", "２０２３－０２－２８", " 2023-2-28 "}) {
    Result<int32_t> v = ParseDateCell(text);
    ASSERT_TRUE(v.ok()) << text << ": " << v.status().ToString();
    EXPECT_EQ(*v, want) << text;
  }
  EXPECT_EQ(*ParseDateCell("1970-01-01"), 0);
  EXPECT_EQ(*ParseDateCell("1969-12-31"), -1);
  EXPECT_EQ(*ParseDateCell("2024-02-29"), core::CivilDate::FromYmd(2024, 2, 29)->day_number());
}

TEST(DateCell, RefusesImpossibleAndMalformedDates) {
  Result<int32_t> v = ParseDateCell("2023-02-30");
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.status().message(), "2023-02-30 is not a date");
  EXPECT_FALSE(ParseDateCell("2023-13-01").ok());
  EXPECT_FALSE(ParseDateCell("23-02-01").ok());
  EXPECT_FALSE(ParseDateCell("2023-02").ok());
  EXPECT_FALSE(ParseDateCell("yesterday").ok());
}

TEST(MoneyCell, ConvertsYuanToFen) {
  EXPECT_EQ(*ParseMoneyCell("1234.5"), 123450);
  EXPECT_EQ(*ParseMoneyCell("1234.56"), 123456);
  EXPECT_EQ(*ParseMoneyCell("0.01"), 1);
  EXPECT_EQ(*ParseMoneyCell("-12"), -1200);
  EXPECT_EQ(*ParseMoneyCell("1,234,567.89"), 123456789);
  EXPECT_EQ(*ParseMoneyCell("¥300"), 30000);
  EXPECT_EQ(*ParseMoneyCell("300元"), 30000);
  EXPECT_EQ(*ParseMoneyCell("１２３４．５０"), 123450);  // full-width digits and point
}

TEST(MoneyCell, RefusesMisgroupedSeparatorsAndTooManyDecimals) {
  for (const char* text : {"12,34", "1234,567", "1,23", ",123", "1.234", "1.", "abc", "1e5",
                           "12.3.4", "9999999999999999"}) {
    EXPECT_FALSE(ParseMoneyCell(text).ok()) << text;
  }
  EXPECT_EQ(ParseMoneyCell("12,34").status().message(),
            "misplaced thousands separator (write 1234.50 or 1,234.50)");
}

TEST(IntCell, ParsesSignedIntegers) {
  EXPECT_EQ(*ParseIntCell("42"), 42);
  EXPECT_EQ(*ParseIntCell("-7"), -7);
  EXPECT_EQ(*ParseIntCell("４２"), 42);
  EXPECT_FALSE(ParseIntCell("4.2").ok());
  EXPECT_FALSE(ParseIntCell("-").ok());
}

TEST(TextCell, FastPathViewsTheInputAndSlowPathNormalises) {
  std::string scratch;
  std::string_view in = "plain text";
  Result<std::string_view> fast = NormaliseTextCell(in, scratch);
  ASSERT_TRUE(fast.ok());
  EXPECT_EQ(fast->data(), in.data());  // no copy
  EXPECT_EQ(*NormaliseTextCell("　张三 "), "张三");
  EXPECT_EQ(*NormaliseTextCell("ＡＢＣ"), "ABC");
  EXPECT_FALSE(NormaliseTextCell(std::string_view("a\x01" "b", 3)).ok());
  EXPECT_FALSE(NormaliseTextCell("\xff\xfe").ok());
  EXPECT_TRUE(IsBlankCell("  　 "));
}

TEST(CreditCodeCell, ChecksAndNormalises) {
  Result<std::string> v = ParseCreditCodeCell("91350100M000100Y43");
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(*v, "91350100M000100Y43");
  EXPECT_FALSE(ParseCreditCodeCell("91350100M000100Y44").ok());
}

}  // namespace
}  // namespace jiandu::monitor
