#include "review/grading_rule.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <climits>
#include <functional>
#include <ostream>
#include <string>

namespace jiandu::review {
namespace {

using ::testing::HasSubstr;

constexpr std::string_view kDefaultText =
    "id=zhenhai-2022;version=1;quorum=gt:1/2;base=all_members;"
    "step=satisfied:satisfied:ge:1/2;"
    "step=basically_satisfied:satisfied+basically_satisfied:gt:1/2;"
    "otherwise=dissatisfied;rate_base=valid_ballots";

TallyCounts Tally(int64_t members, int64_t present, int64_t satisfied, int64_t basically,
                  int64_t dissatisfied, int64_t abstain = 0, int64_t invalid = 0) {
  return TallyCounts{members, present, satisfied, basically, dissatisfied, abstain, invalid};
}

GradingRule WithBase(Base base) {
  GradingRule rule = DefaultGradingRule();
  rule.base = base;
  return rule;
}

GradingRule WithStepOp(size_t step, Comparison op) {
  GradingRule rule = DefaultGradingRule();
  rule.steps[step].op = op;
  return rule;
}

GradeOutcome Eval(const GradingRule& rule, const TallyCounts& tally) {
  Result<GradeOutcome> out = Evaluate(rule, tally);
  EXPECT_TRUE(out.ok()) << out.status().ToString();
  return out.ok() ? *out : GradeOutcome{};
}

// --- DOMAIN.md §2.2 worked examples ---------------------------------------------------------

TEST(GradingRuleTest, ZhenhaiExampleIsBasicallySatisfiedAgainstAllMembers) {
  const GradeOutcome out = Eval(DefaultGradingRule(), Tally(29, 25, 14, 8, 3));
  EXPECT_TRUE(out.quorum_met);
  EXPECT_EQ(out.grade, Grade::kBasicallySatisfied);
  EXPECT_EQ(out.base_value, 29);
  EXPECT_EQ(out.explanation,
            "satisfied 14 < 1/2 of all_members 29; "
            "satisfied+basically_satisfied 22 > 1/2 of 29 → basically_satisfied");
  // 满意率 over valid ballots: 22 / 25.
  EXPECT_EQ(out.rate_num, 22);
  EXPECT_EQ(out.rate_den, 25);
  EXPECT_DOUBLE_EQ(out.SatisfactionRate(), 0.88);
}

TEST(GradingRuleTest, ZhenhaiExampleAgainstThosePresentIsSatisfied) {
  // 14 > 12.5: the denominator matters.
  const GradeOutcome out = Eval(WithBase(Base::kPresent), Tally(29, 25, 14, 8, 3));
  EXPECT_EQ(out.grade, Grade::kSatisfied);
  EXPECT_EQ(out.base_value, 25);
  EXPECT_EQ(out.explanation, "satisfied 14 >= 1/2 of present 25 → satisfied");
}

struct GradeCase {
  std::string name;
  GradingRule rule;
  TallyCounts tally;
  Grade expected;
};

// gtest prints the case name instead of the bytes of the struct.
void PrintTo(const GradeCase& c, std::ostream* os) { *os << c.name; }

class GradeCaseTest : public ::testing::TestWithParam<GradeCase> {};

TEST_P(GradeCaseTest, GradesAsExpected) {
  const GradeOutcome out = Eval(GetParam().rule, GetParam().tally);
  EXPECT_TRUE(out.quorum_met);
  EXPECT_EQ(out.grade, GetParam().expected) << out.explanation;
}

INSTANTIATE_TEST_SUITE_P(
    ExactlyHalfUsesConfiguredOperator, GradeCaseTest,
    ::testing::Values(
        // 30 members, 满意 = 15 exactly: ge → 满意; gt → falls through to step 2 (17 > 15).
        GradeCase{"SatisfiedHalfGe", WithStepOp(0, Comparison::kGe), Tally(30, 20, 15, 2, 3),
                  Grade::kSatisfied},
        GradeCase{"SatisfiedHalfGt", WithStepOp(0, Comparison::kGt), Tally(30, 20, 15, 2, 3),
                  Grade::kBasicallySatisfied},
        // 满意 + 基本满意 = 15 of 30 exactly: gt → 不满意; ge → 基本满意.
        GradeCase{"BasicallyHalfGt", WithStepOp(1, Comparison::kGt), Tally(30, 25, 10, 5, 10),
                  Grade::kDissatisfied},
        GradeCase{"BasicallyHalfGe", WithStepOp(1, Comparison::kGe), Tally(30, 25, 10, 5, 10),
                  Grade::kBasicallySatisfied},
        // Base valid_ballots: 29 members, 25 valid; 14 >= 12.5.
        GradeCase{"ValidBallotsZhenhai", WithBase(Base::kValidBallots), Tally(29, 25, 14, 8, 3),
                  Grade::kSatisfied},
        // Abstentions shrink the valid base: 16 valid, 8 >= 8 → 满意; against all 29 members
        // 8 < 14.5 and 10 <= 14.5 → 不满意.
        GradeCase{"ValidBallotsExactlyHalf", WithBase(Base::kValidBallots),
                  Tally(29, 20, 8, 2, 6, 4), Grade::kSatisfied},
        GradeCase{"AllMembersSameBallots", WithBase(Base::kAllMembers), Tally(29, 20, 8, 2, 6, 4),
                  Grade::kDissatisfied},
        // Valid base 16: 7 < 8; 7 + 1 = 8 is not > 8 → 不满意.
        GradeCase{"ValidBallotsBasicallyHalfGt", WithBase(Base::kValidBallots),
                  Tally(29, 20, 7, 1, 8, 3, 1), Grade::kDissatisfied}),
    [](const ::testing::TestParamInfo<GradeCase>& info) { return info.param.name; });

TEST(GradingRuleTest, FallThroughExplanationNamesEveryStep) {
  const GradeOutcome out = Eval(DefaultGradingRule(), Tally(30, 25, 10, 5, 10));
  EXPECT_EQ(out.grade, Grade::kDissatisfied);
  EXPECT_EQ(out.explanation,
            "satisfied 10 < 1/2 of all_members 30; "
            "satisfied+basically_satisfied 15 <= 1/2 of 30 → dissatisfied (otherwise)");
}

TEST(GradingRuleTest, NoValidBallotsFallsToOtherwise) {
  // Everyone present abstained: 0 >= 1/2 of 0 must not make the vote 满意.
  const GradeOutcome out = Eval(WithBase(Base::kValidBallots), Tally(29, 20, 0, 0, 0, 18, 2));
  EXPECT_TRUE(out.quorum_met);
  EXPECT_EQ(out.grade, Grade::kDissatisfied);
  EXPECT_EQ(out.base_value, 0);
  EXPECT_EQ(out.rate_den, 0);
  EXPECT_EQ(out.SatisfactionRate(), 0.0);
  EXPECT_THAT(out.explanation, HasSubstr("no step applies"));
}

TEST(GradingRuleTest, RateBaseIsConfigurable) {
  GradingRule rule = DefaultGradingRule();
  rule.rate_base = Base::kPresent;
  const GradeOutcome out = Eval(rule, Tally(29, 25, 14, 6, 3, 2));
  EXPECT_EQ(out.rate_num, 20);
  EXPECT_EQ(out.rate_den, 25);
  rule.rate_base = Base::kAllMembers;
  EXPECT_EQ(Eval(rule, Tally(29, 25, 14, 6, 3, 2)).rate_den, 29);
}

// --- Quorum (地方组织法 art 51: more than half of all members) -------------------------------

TEST(GradingRuleTest, QuorumNotMetGivesNoGrade) {
  const GradeOutcome out = Eval(DefaultGradingRule(), Tally(29, 14, 14, 0, 0));
  EXPECT_FALSE(out.quorum_met);
  EXPECT_EQ(out.grade, std::nullopt);
  EXPECT_EQ(out.explanation, "present 14 <= 1/2 of all_members 29 → quorum not met");
}

TEST(GradingRuleTest, QuorumIsAlwaysAShareOfAllMembers) {
  // The step base does not change the quorum: 14 of 29 stays short even when the thresholds are
  // taken of those present or of the valid ballots.
  for (Base base : {Base::kPresent, Base::kValidBallots}) {
    const GradeOutcome out = Eval(WithBase(base), Tally(29, 14, 14, 0, 0));
    EXPECT_FALSE(out.quorum_met) << BaseCode(base);
    EXPECT_EQ(out.grade, std::nullopt) << BaseCode(base);
  }
}

TEST(GradingRuleTest, QuorumFifteenOfTwentyNineIsMet) {
  const GradeOutcome out = Eval(DefaultGradingRule(), Tally(29, 15, 15, 0, 0));
  EXPECT_TRUE(out.quorum_met);
  EXPECT_EQ(out.grade, Grade::kSatisfied);
}

TEST(GradingRuleTest, QuorumExactlyHalfUsesConfiguredOperator) {
  const TallyCounts half = Tally(30, 15, 15, 0, 0);
  const GradeOutcome gt = Eval(DefaultGradingRule(), half);
  EXPECT_FALSE(gt.quorum_met);
  EXPECT_EQ(gt.grade, std::nullopt);
  GradingRule rule = DefaultGradingRule();
  rule.quorum.op = Comparison::kGe;
  EXPECT_TRUE(Eval(rule, half).quorum_met);
  EXPECT_TRUE(Eval(DefaultGradingRule(), Tally(30, 16, 15, 0, 0)).quorum_met);
}

// --- Codes -----------------------------------------------------------------------------------

TEST(GradingRuleTest, CodesRoundTrip) {
  for (Grade g : {Grade::kSatisfied, Grade::kBasicallySatisfied, Grade::kDissatisfied}) {
    EXPECT_EQ(ParseGrade(GradeCode(g)), g);
  }
  EXPECT_EQ(GradeCode(Grade::kBasicallySatisfied), "basically_satisfied");
  EXPECT_EQ(ParseGrade("Satisfied"), std::nullopt);
  EXPECT_EQ(ParseGrade("very_satisfied"), std::nullopt);
  EXPECT_EQ(ParseComparison("gt"), Comparison::kGt);
  EXPECT_EQ(ComparisonCode(Comparison::kGe), "ge");
  EXPECT_EQ(ParseComparison(">="), std::nullopt);
  EXPECT_EQ(ParseBase("valid_ballots"), Base::kValidBallots);
  EXPECT_EQ(BaseCode(Base::kAllMembers), "all_members");
  EXPECT_EQ(ParseBase("members"), std::nullopt);
}

// --- Validate --------------------------------------------------------------------------------

TEST(GradingRuleTest, DefaultRuleIsValid) { EXPECT_TRUE(Validate(DefaultGradingRule()).ok()); }

struct InvalidRuleCase {
  std::string name;
  std::function<void(GradingRule&)> break_rule;
  std::string field;
  std::string message;
};

void PrintTo(const InvalidRuleCase& c, std::ostream* os) { *os << c.name; }

class InvalidRuleTest : public ::testing::TestWithParam<InvalidRuleCase> {};

TEST_P(InvalidRuleTest, NamesTheField) {
  GradingRule rule = DefaultGradingRule();
  GetParam().break_rule(rule);
  const Status s = Validate(rule);
  ASSERT_TRUE(s.IsInvalidArgument()) << s.ToString();
  EXPECT_EQ(s.field(), GetParam().field);
  EXPECT_THAT(std::string(s.message()), HasSubstr(GetParam().message));
  // Evaluate refuses the same rule, and Decode rejects its text.
  EXPECT_EQ(Evaluate(rule, Tally(29, 25, 14, 8, 3)).status().field(), GetParam().field);
  EXPECT_FALSE(DecodeGradingRule(Encode(rule)).ok());
}

GradingStep Step(Grade grade, std::vector<Grade> count) {
  return GradingStep{grade, std::move(count), Comparison::kGe, {1, 2}};
}

INSTANTIATE_TEST_SUITE_P(
    Fields, InvalidRuleTest,
    ::testing::Values(
        InvalidRuleCase{"EmptyId", [](GradingRule& r) { r.id = ""; }, "grading_rule.id", "1 to 64"},
        InvalidRuleCase{"LongId", [](GradingRule& r) { r.id = std::string(65, 'a'); },
                        "grading_rule.id", "1 to 64"},
        InvalidRuleCase{"UppercaseId", [](GradingRule& r) { r.id = "Zhenhai"; }, "grading_rule.id",
                        "[a-z0-9._-]"},
        InvalidRuleCase{"SeparatorInId", [](GradingRule& r) { r.id = "a;b"; }, "grading_rule.id",
                        "[a-z0-9._-]"},
        InvalidRuleCase{"VersionZero", [](GradingRule& r) { r.version = 0; },
                        "grading_rule.version", "at least 1"},
        InvalidRuleCase{"QuorumDenominatorZero",
                        [](GradingRule& r) {
                          r.quorum.fraction = {0, 0};
                        },
                        "grading_rule.quorum.fraction", "denominator"},
        InvalidRuleCase{"QuorumOverOne",
                        [](GradingRule& r) {
                          r.quorum.fraction = {3, 2};
                        },
                        "grading_rule.quorum.fraction", "numerator"},
        InvalidRuleCase{"UnknownQuorumOp",
                        [](GradingRule& r) { r.quorum.op = static_cast<Comparison>(9); },
                        "grading_rule.quorum.op", "unknown"},
        InvalidRuleCase{"UnknownBase", [](GradingRule& r) { r.base = static_cast<Base>(9); },
                        "grading_rule.base", "unknown"},
        InvalidRuleCase{"UnknownRateBase",
                        [](GradingRule& r) { r.rate_base = static_cast<Base>(9); },
                        "grading_rule.rate_base", "unknown"},
        InvalidRuleCase{"NoSteps", [](GradingRule& r) { r.steps.clear(); }, "grading_rule.steps",
                        "1 to 5"},
        InvalidRuleCase{"SixSteps", [](GradingRule& r) { r.steps.resize(6, r.steps[0]); },
                        "grading_rule.steps", "1 to 5"},
        InvalidRuleCase{"StepDenominatorTooLarge",
                        [](GradingRule& r) {
                          r.steps[1].fraction = {1, 1001};
                        },
                        "grading_rule.steps[1].fraction", "denominator"},
        InvalidRuleCase{"StepNegativeNumerator",
                        [](GradingRule& r) {
                          r.steps[1].fraction = {-1, 2};
                        },
                        "grading_rule.steps[1].fraction", "numerator"},
        InvalidRuleCase{"EmptyCount", [](GradingRule& r) { r.steps[0].count.clear(); },
                        "grading_rule.steps[0].count", "at least one"},
        InvalidRuleCase{"DuplicateCount",
                        [](GradingRule& r) { r.steps[1].count.push_back(Grade::kSatisfied); },
                        "grading_rule.steps[1].count", "twice"},
        InvalidRuleCase{"UnknownCountGrade",
                        [](GradingRule& r) { r.steps[0].count = {static_cast<Grade>(9)}; },
                        "grading_rule.steps[0].count", "unknown"},
        InvalidRuleCase{"UnknownStepOp",
                        [](GradingRule& r) { r.steps[0].op = static_cast<Comparison>(9); },
                        "grading_rule.steps[0].op", "unknown"},
        InvalidRuleCase{"RepeatedStepGrade",
                        [](GradingRule& r) { r.steps[1].grade = Grade::kSatisfied; },
                        "grading_rule.steps[1].grade", "earlier step"},
        InvalidRuleCase{"StepGradeIsOtherwise",
                        [](GradingRule& r) {
                          r.steps.push_back(Step(Grade::kDissatisfied, {Grade::kDissatisfied}));
                        },
                        "grading_rule.steps[2].grade", "otherwise"},
        InvalidRuleCase{"UnknownOtherwise",
                        [](GradingRule& r) { r.otherwise = static_cast<Grade>(9); },
                        "grading_rule.otherwise", "unknown"}),
    [](const ::testing::TestParamInfo<InvalidRuleCase>& info) { return info.param.name; });

// --- Encode / Decode -------------------------------------------------------------------------

TEST(GradingRuleTest, EncodesTheDefaultRuleCanonically) {
  // The stored text is hashed: this golden string must never change for this rule.
  EXPECT_EQ(Encode(DefaultGradingRule()), kDefaultText);
}

TEST(GradingRuleTest, DecodesTheDefaultRule) {
  Result<GradingRule> rule = DecodeGradingRule(kDefaultText);
  ASSERT_TRUE(rule.ok()) << rule.status().ToString();
  EXPECT_EQ(*rule, DefaultGradingRule());
}

TEST(GradingRuleTest, RoundTripsAVariant) {
  GradingRule rule{
      .id = "wuling.2023_v2",
      .version = 12,
      .quorum = {Comparison::kGe, {2, 3}},
      .base = Base::kPresent,
      .steps = {{Grade::kDissatisfied, {Grade::kDissatisfied}, Comparison::kGt, {1, 3}},
                {Grade::kSatisfied,
                 {Grade::kBasicallySatisfied, Grade::kSatisfied},
                 Comparison::kGe,
                 {17, 20}}},
      .otherwise = Grade::kBasicallySatisfied,
      .rate_base = Base::kAllMembers,
  };
  ASSERT_TRUE(Validate(rule).ok());
  const std::string text = Encode(rule);
  EXPECT_EQ(text,
            "id=wuling.2023_v2;version=12;quorum=ge:2/3;base=present;"
            "step=dissatisfied:dissatisfied:gt:1/3;"
            "step=satisfied:basically_satisfied+satisfied:ge:17/20;"
            "otherwise=basically_satisfied;rate_base=all_members");
  Result<GradingRule> back = DecodeGradingRule(text);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, rule);
  // Equality sees every field: a different count order is a different rule.
  std::swap(rule.steps[1].count[0], rule.steps[1].count[1]);
  EXPECT_NE(*back, rule);
}

// Replaces the first occurrence of `from` in the default text.
std::string DefaultTextWith(std::string_view from, std::string_view to) {
  std::string text(kDefaultText);
  const size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return at == std::string::npos ? text : text.replace(at, from.size(), to);
}

struct BadTextCase {
  std::string name;
  std::string text;
  std::string field;
  std::string message;
};

void PrintTo(const BadTextCase& c, std::ostream* os) { *os << c.name; }

class BadTextTest : public ::testing::TestWithParam<BadTextCase> {};

TEST_P(BadTextTest, IsRejected) {
  Result<GradingRule> rule = DecodeGradingRule(GetParam().text);
  ASSERT_FALSE(rule.ok());
  EXPECT_TRUE(rule.status().IsInvalidArgument());
  EXPECT_EQ(rule.status().field(), GetParam().field);
  EXPECT_EQ(rule.status().message(), GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    Syntax, BadTextTest,
    ::testing::Values(
        BadTextCase{"Empty", "", "grading_rule", "position 1: expected \"id=\""},
        BadTextCase{"FieldsOutOfOrder",
                    DefaultTextWith("id=zhenhai-2022;version=1", "version=1;id=zhenhai-2022"),
                    "grading_rule", "position 1: expected \"id=\""},
        BadTextCase{"LeadingZero", DefaultTextWith("version=1", "version=01"), "grading_rule",
                    "position 25: leading zeros are not allowed"},
        BadTextCase{"SpaceBeforeNumber", DefaultTextWith("version=1", "version= 1"), "grading_rule",
                    "position 25: expected a number"},
        BadTextCase{"NegativeVersion", DefaultTextWith("version=1", "version=-1"), "grading_rule",
                    "position 25: expected a number"},
        BadTextCase{"VersionTooLarge", DefaultTextWith("version=1", "version=2147483648"),
                    "grading_rule", "position 25: version is too large"},
        BadTextCase{"UnknownOperator", DefaultTextWith("quorum=gt", "quorum=gte"), "grading_rule",
                    "position 34: expected \"ge\" or \"gt\""},
        BadTextCase{"FractionWithoutSlash", DefaultTextWith("gt:1/2;base", "gt:1;base"),
                    "grading_rule", "position 38: expected \"/\""},
        BadTextCase{"HugeNumber", DefaultTextWith("gt:1/2;base", "gt:1/99999999999999999999;base"),
                    "grading_rule", "position 39: number is too large"},
        BadTextCase{"UnknownBase", DefaultTextWith("base=all_members", "base=members"),
                    "grading_rule", "position 46: expected a base code"},
        BadTextCase{"NoSteps",
                    DefaultTextWith("step=satisfied:satisfied:ge:1/2;step=basically_satisfied:"
                                    "satisfied+basically_satisfied:gt:1/2;",
                                    ""),
                    "grading_rule", "position 57: expected \";step=\""},
        BadTextCase{"UnknownCountGrade", DefaultTextWith("satisfied:ge", "content:ge"),
                    "grading_rule", "position 73: expected a grade code"},
        BadTextCase{"EmptyCount", DefaultTextWith("satisfied:ge", ":ge"), "grading_rule",
                    "position 73: expected a grade code"},
        BadTextCase{"TrailingSeparator", std::string(kDefaultText) + ";", "grading_rule",
                    "position 198: unexpected text after rate_base"},
        BadTextCase{"TrailingNewline", std::string(kDefaultText) + "\n", "grading_rule",
                    "position 198: unexpected text after rate_base"},
        BadTextCase{"Truncated", std::string(kDefaultText.substr(0, 88)), "grading_rule",
                    "position 89: expected \";otherwise=\""},
        BadTextCase{"TruncatedInsideACode", std::string(kDefaultText.substr(0, 100)),
                    "grading_rule", "position 95: expected a grade code"}),
    [](const ::testing::TestParamInfo<BadTextCase>& info) { return info.param.name; });

INSTANTIATE_TEST_SUITE_P(
    Validation, BadTextTest,
    ::testing::Values(BadTextCase{"QuorumOverOne", DefaultTextWith("gt:1/2;base", "gt:3/2;base"),
                                  "grading_rule.quorum.fraction",
                                  "numerator must be between 0 and the denominator"},
                      BadTextCase{"BadIdCharacter", DefaultTextWith("zhenhai-2022", "Zhenhai 2022"),
                                  "grading_rule.id", "may hold only [a-z0-9._-]"},
                      BadTextCase{"VersionZero", DefaultTextWith("version=1", "version=0"),
                                  "grading_rule.version", "must be at least 1"},
                      BadTextCase{
                          "DuplicateCount",
                          DefaultTextWith("satisfied+basically_satisfied", "satisfied+satisfied"),
                          "grading_rule.steps[1].count", "names a grade twice"},
                      BadTextCase{"StepGradeIsOtherwise",
                                  DefaultTextWith("otherwise=dissatisfied", "otherwise=satisfied"),
                                  "grading_rule.steps[0].grade", "must differ from otherwise"}),
    [](const ::testing::TestParamInfo<BadTextCase>& info) { return info.param.name; });

// --- Impossible tallies ----------------------------------------------------------------------

struct BadTallyCase {
  std::string name;
  TallyCounts tally;
  std::string message;
};

void PrintTo(const BadTallyCase& c, std::ostream* os) { *os << c.name; }

class BadTallyTest : public ::testing::TestWithParam<BadTallyCase> {};

TEST_P(BadTallyTest, IsRejected) {
  Result<GradeOutcome> out = Evaluate(DefaultGradingRule(), GetParam().tally);
  ASSERT_FALSE(out.ok());
  EXPECT_TRUE(out.status().IsInvalidArgument());
  EXPECT_EQ(out.status().field(), "tally");
  EXPECT_EQ(out.status().message(), GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    Counts, BadTallyTest,
    ::testing::Values(
        BadTallyCase{"NoMembers", Tally(0, 0, 0, 0, 0),
                     "members_total must be between 1 and 1000000"},
        BadTallyCase{"TooManyMembers", Tally(1'000'001, 1, 1, 0, 0),
                     "members_total must be between 1 and 1000000"},
        BadTallyCase{"NegativePresent", Tally(29, -1, 0, 0, 0), "present must not be negative"},
        BadTallyCase{"PresentOverMembers", Tally(29, 30, 14, 8, 3),
                     "present must not exceed members_total"},
        BadTallyCase{"NegativeSatisfied", Tally(29, 25, -1, 8, 3),
                     "satisfied must not be negative"},
        BadTallyCase{"NegativeAbstain", Tally(29, 25, 14, 8, 3, -2),
                     "abstain must not be negative"},
        BadTallyCase{"NegativeInvalid", Tally(29, 25, 14, 8, 3, 0, -1),
                     "invalid must not be negative"},
        BadTallyCase{"BallotsOverPresent", Tally(29, 25, 14, 8, 3, 1), "ballots exceed present"},
        BadTallyCase{"HugeCountDoesNotOverflow", Tally(29, 25, INT64_MAX, INT64_MAX, 0),
                     "ballots exceed present"}),
    [](const ::testing::TestParamInfo<BadTallyCase>& info) { return info.param.name; });

TEST(GradingRuleTest, FullHouseWithEveryBallotIsAccepted) {
  // Boundary: ballots == present == members_total.
  const GradeOutcome out = Eval(DefaultGradingRule(), Tally(29, 29, 14, 8, 3, 2, 2));
  EXPECT_TRUE(out.quorum_met);
  EXPECT_EQ(out.grade, Grade::kBasicallySatisfied);
}

}  // namespace
}  // namespace jiandu::review
