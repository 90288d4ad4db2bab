#include "core/credit_code.h"

#include <gtest/gtest.h>

#include <string>

namespace jiandu::core {
namespace {

std::string WithCheck(const std::string& first17) {
  return first17 + ComputeCreditCodeCheckChar(first17);
}

TEST(CreditCodeTest, ParsesEnterpriseCodeAndItsParts) {
  Result<UnifiedCreditCode> c = ParseUnifiedCreditCode("91350100M000100Y43");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->value(), "91350100M000100Y43");
  EXPECT_EQ(c->registration_authority(), '9');
  EXPECT_EQ(c->category(), '1');
  EXPECT_EQ(c->region_code(), "350100");
  EXPECT_EQ(c->org_code(), "M000100Y4");
  EXPECT_TRUE(c->inner_org_code_valid());
}

TEST(CreditCodeTest, ParsesCodeWithLetterCheck) {
  Result<UnifiedCreditCode> c = ParseUnifiedCreditCode("91110000802100433B");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->org_code(), "802100433");
  EXPECT_TRUE(c->inner_org_code_valid());
}

TEST(CreditCodeTest, AcceptsCodesComputedIndependentlyFromTheStandard) {
  // Check characters computed by hand from GB 32100 (not with ComputeCreditCodeCheckChar), with
  // non-zero characters in every position so that each weight matters.
  for (const char* code :
       {"12420322MA4C8HPW6W", "934203227QRTUWXY0R", "52420322123456788A", "N2420322KLMNPQRTXF"}) {
    Result<UnifiedCreditCode> c = ParseUnifiedCreditCode(code);
    ASSERT_TRUE(c.ok()) << code << ": " << c.status().ToString();
    EXPECT_TRUE(c->inner_org_code_valid()) << code;
  }
}

TEST(CreditCodeTest, NormalisesLikeIdNumbers) {
  for (const char* text :
       {" 91350100m000100y43 ", "9135-0100-M000-100Y-43", "９１３５０１００Ｍ０００１００Ｙ４３"}) {
    Result<UnifiedCreditCode> c = ParseUnifiedCreditCode(text);
    ASSERT_TRUE(c.ok()) << text << ": " << c.status().ToString();
    EXPECT_EQ(c->value(), "91350100M000100Y43");
  }
}

TEST(CreditCodeTest, FailedInnerCheckIsAWarningNotAnError) {
  // Same organisation code body with a wrong GB 11714 check (5 instead of 4), and a correct
  // outer check character: 个体工商户 often carry such generated codes.
  Result<UnifiedCreditCode> c = ParseUnifiedCreditCode(WithCheck("92350100M000100Y5"));
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_FALSE(c->inner_org_code_valid());
}

TEST(CreditCodeTest, UsesTheGivenFieldName) {
  Result<UnifiedCreditCode> c = ParseUnifiedCreditCode("91350100M000100Y44", "employer_code");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().field(), "employer_code");
}

TEST(CreditCodeTest, AcceptsEveryAuthorityCategoryPairOfTheTable) {
  for (const char* prefix :
       {"11", "12", "13", "19", "21", "29", "31", "32", "33", "34", "35", "39",
        "41", "49", "51", "52", "53", "59", "61", "62", "69", "71", "72", "79",
        "81", "89", "91", "92", "93", "A1", "A9", "N1", "N2", "N3", "N9", "Y1"}) {
    const std::string code = WithCheck(std::string(prefix) + "110000802100433");
    EXPECT_TRUE(ParseUnifiedCreditCode(code).ok()) << prefix;
  }
}

struct BadCode {
  const char* text;
  const char* reason;
};

class CreditCodeErrorTest : public testing::TestWithParam<BadCode> {};

TEST_P(CreditCodeErrorTest, RejectsWithClearReasonThatHidesTheCode) {
  const BadCode& bad = GetParam();
  Result<UnifiedCreditCode> c = ParseUnifiedCreditCode(bad.text);
  ASSERT_FALSE(c.ok()) << bad.text;
  EXPECT_TRUE(c.status().IsInvalidArgument());
  EXPECT_EQ(c.status().field(), "credit_code");
  EXPECT_EQ(c.status().message(), bad.reason);
  const std::string text = bad.text;
  const std::string shown = c.status().ToString();
  for (size_t i = 0; i + 6 <= text.size(); ++i) {
    EXPECT_EQ(shown.find(text.substr(i, 6)), std::string::npos) << shown;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Reasons, CreditCodeErrorTest,
    testing::Values(BadCode{"", "is empty"}, BadCode{"91350100M000100Y4", "must be 18 characters"},
                    BadCode{"91350100M000100Y433", "must be 18 characters"},
                    BadCode{"91350100M0001OOY43",
                            "only digits and the letters A-Y without I, O, S, V, Z are allowed"},
                    BadCode{"91350100M000100I43",
                            "only digits and the letters A-Y without I, O, S, V, Z are allowed"},
                    BadCode{"91350100M000100Y4\xE4",
                            "only digits and the letters A-Y without I, O, S, V, Z are allowed"},
                    BadCode{"B1350100M000100Y43", "registration authority code is not recognised"},
                    BadCode{"01350100M000100Y43", "registration authority code is not recognised"},
                    BadCode{"94350100M000100Y43",
                            "organisation category is not valid for its registration authority"},
                    BadCode{"99350100M000100Y43",
                            "organisation category is not valid for its registration authority"},
                    BadCode{"Y2350100M000100Y43",
                            "organisation category is not valid for its registration authority"},
                    BadCode{"913501A0M000100Y43", "registration region must be 6 digits"},
                    BadCode{"9135010AM000100Y43", "registration region must be 6 digits"},
                    BadCode{"91350100M000100Y44", "check character does not match"},
                    BadCode{"91110000802100433C", "check character does not match"}));

TEST(CreditCodeTest, ComputesCheckCharacters) {
  EXPECT_EQ(ComputeCreditCodeCheckChar("91350100M000100Y4"), "3");
  EXPECT_EQ(ComputeCreditCodeCheckChar("91110000802100433"), "B");
  EXPECT_EQ(ComputeCreditCodeCheckChar("91110000802100I33"), "");
  EXPECT_EQ(ComputeCreditCodeCheckChar("9111000080210043"), "");
  EXPECT_EQ(ComputeOrgCodeCheckChar("M000100Y"), "4");
  EXPECT_EQ(ComputeOrgCodeCheckChar("80210043"), "3");
  EXPECT_EQ(ComputeOrgCodeCheckChar("40000000"), "X");  // 11 - 12 mod 11 = 10
  EXPECT_EQ(ComputeOrgCodeCheckChar("00000000"), "0");  // 11 - 0 = 11
  EXPECT_EQ(ComputeOrgCodeCheckChar("0000000"), "");
  EXPECT_EQ(ComputeOrgCodeCheckChar("0000000-"), "");
}

}  // namespace
}  // namespace jiandu::core
