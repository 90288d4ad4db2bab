#include "core/resident_id.h"

#include <gtest/gtest.h>

#include <string>

namespace jiandu::core {
namespace {

const CivilDate kToday = *CivilDate::FromYmd(2025, 11, 23);

std::string WithCheck(const std::string& first17) {
  return first17 + ComputeResidentIdCheckChar(first17);
}

TEST(ResidentIdTest, ParsesEighteenWithCheckX) {
  Result<ParsedResidentId> r = ParseResidentId("11010519491231002X", kToday);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->id.value(), "11010519491231002X");
  EXPECT_EQ(r->id.birth_date(), *CivilDate::FromYmd(1949, 12, 31));
  EXPECT_EQ(r->id.gender(), Gender::kFemale);
  EXPECT_EQ(r->id.region_code(), "110105");
  EXPECT_EQ(r->id.check_char(), 'X');
  EXPECT_FALSE(r->upgraded_from_15);
}

TEST(ResidentIdTest, OddSeventeenthDigitIsMale) {
  Result<ParsedResidentId> r = ParseResidentId("360426199101010071", kToday);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->id.gender(), Gender::kMale);
  EXPECT_EQ(r->id.birth_date(), *CivilDate::FromYmd(1991, 1, 1));
}

TEST(ResidentIdTest, RejectsWrongCheckDigit) {
  Result<ParsedResidentId> r = ParseResidentId("360426199101010072", kToday);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().IsInvalidArgument());
  EXPECT_EQ(r.status().field(), "id_number");
  EXPECT_EQ(r.status().message(), "check digit does not match");
}

TEST(ResidentIdTest, UpgradesLegacyFifteenDigitNumber) {
  Result<ParsedResidentId> r = ParseResidentId("110105491231002", kToday);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->id.value(), "11010519491231002X");
  EXPECT_TRUE(r->upgraded_from_15);
  EXPECT_EQ(r->id.birth_date(), *CivilDate::FromYmd(1949, 12, 31));
  EXPECT_EQ(r->id.gender(), Gender::kFemale);
}

TEST(ResidentIdTest, NormalisesSpacingWidthAndCase) {
  for (const char* text :
       {" 110105 19491231 002x ", "110105-19491231-002X", "１１０１０５１９４９１２３１００２ｘ",
        "\xE3\x80\x80"
        "11010519491231002X"}) {
    Result<ParsedResidentId> r = ParseResidentId(text, kToday);
    ASSERT_TRUE(r.ok()) << text << ": " << r.status().ToString();
    EXPECT_EQ(r->id.value(), "11010519491231002X");
  }
}

TEST(ResidentIdTest, BirthDateTodayIsAcceptedTomorrowIsNot) {
  EXPECT_TRUE(ParseResidentId(WithCheck("11010520251123001"), kToday).ok());
  Result<ParsedResidentId> r = ParseResidentId(WithCheck("11010520251124001"), kToday);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "birth date is in the future");
}

TEST(ResidentIdTest, AcceptsResidencePermitAndForeignerPrefixes) {
  for (const char* first17 :
       {"81000019800101001", "82000019800101002", "83000019800101003", "91115619800101001"}) {
    Result<ParsedResidentId> r = ParseResidentId(WithCheck(first17), kToday);
    EXPECT_TRUE(r.ok()) << first17 << ": " << r.status().ToString();
  }
}

TEST(ResidentIdTest, UsesTheGivenFieldName) {
  Result<ParsedResidentId> r = ParseResidentId("360426199101010072", kToday, "spouse_id_number");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().field(), "spouse_id_number");
}

struct BadId {
  const char* text;
  const char* reason;
};

class ResidentIdErrorTest : public testing::TestWithParam<BadId> {};

TEST_P(ResidentIdErrorTest, RejectsWithClearReasonThatHidesTheNumber) {
  const BadId& bad = GetParam();
  Result<ParsedResidentId> r = ParseResidentId(bad.text, kToday);
  ASSERT_FALSE(r.ok()) << bad.text;
  EXPECT_TRUE(r.status().IsInvalidArgument());
  EXPECT_EQ(r.status().field(), "id_number");
  EXPECT_EQ(r.status().message(), bad.reason);
  // No run of 6 characters of the input may appear in the error.
  const std::string text = bad.text;
  const std::string shown = r.status().ToString();
  for (size_t i = 0; i + 6 <= text.size(); ++i) {
    EXPECT_EQ(shown.find(text.substr(i, 6)), std::string::npos) << shown;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Reasons, ResidentIdErrorTest,
    testing::Values(BadId{"", "is empty"}, BadId{" \t ", "is empty"},
                    BadId{"11010519491231002A", "only digits and a final X are allowed"},
                    BadId{"1101051949123100X2", "only digits and a final X are allowed"},
                    BadId{"11010519491231002XX", "only digits and a final X are allowed"},
                    BadId{"110105194912310", "birth date in the legacy number is not a real date"},
                    BadId{"1101051949123100", "must be 18 characters, or 15 for a legacy number"},
                    BadId{"1101051949123100211",
                          "must be 18 characters, or 15 for a legacy number"},
                    BadId{"11010549123100X", "a 15-digit legacy number has no check character"},
                    BadId{"110105491331002", "birth date in the legacy number is not a real date"},
                    BadId{"110105194902300021", "birth date is not a real date"},
                    BadId{"110105000001010021", "birth date is not a real date"},
                    BadId{"110105189912310021", "birth date is before 1900"},
                    BadId{"110105203001010021", "birth date is in the future"},
                    BadId{"11010519491231002Y", "only digits and a final X are allowed"},
                    BadId{"110105194912310021", "check digit does not match"}));

TEST(ResidentIdTest, ComputesCheckCharacter) {
  EXPECT_EQ(ComputeResidentIdCheckChar("11010519491231002"), "X");
  EXPECT_EQ(ComputeResidentIdCheckChar("36042619910101007"), "1");
  EXPECT_EQ(ComputeResidentIdCheckChar("1101051949123100"), "");
  EXPECT_EQ(ComputeResidentIdCheckChar("1101051949123100X"), "");
}

}  // namespace
}  // namespace jiandu::core
