// Property tests for review::GradingRule over random rules and tallies. A failure prints the
// seed; replay it with RC_PARAMS="seed=<n>" ./grading_rule_property_test.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <array>
#include <climits>
#include <string>
#include <vector>

#include "review/grading_rule.h"

namespace jiandu::review {
namespace {

constexpr std::array<Grade, 3> kGrades = {Grade::kSatisfied, Grade::kBasicallySatisfied,
                                          Grade::kDissatisfied};

// Higher is better: 满意 > 基本满意 > 不满意.
int Rank(Grade g) {
  switch (g) {
    case Grade::kSatisfied:
      return 2;
    case Grade::kBasicallySatisfied:
      return 1;
    case Grade::kDissatisfied:
      return 0;
  }
  return -1;
}

Comparison AnyOp() { return *rc::gen::element(Comparison::kGe, Comparison::kGt); }
Base AnyBase() { return *rc::gen::element(Base::kAllMembers, Base::kPresent, Base::kValidBallots); }

Fraction AnyFraction() {
  const int64_t den = *rc::gen::inRange<int64_t>(1, kMaxFractionDenominator + 1);
  return Fraction{*rc::gen::inRange<int64_t>(0, den + 1), den};
}

// The three grades in a random order.
std::vector<Grade> ShuffledGrades() {
  std::vector<Grade> grades(kGrades.begin(), kGrades.end());
  for (int k = *rc::gen::inRange(0, 6); k > 0; --k) {
    std::next_permutation(grades.begin(), grades.end(), [](Grade a, Grade b) {
      return static_cast<int>(a) < static_cast<int>(b);
    });
  }
  return grades;
}

// Any rule that passes Validate(): with three grades and `otherwise` distinct from every step's
// grade, a rule has one or two steps.
GradingRule AnyValidRule() {
  static constexpr std::string_view kIdChars = "abcdefghijklmnopqrstuvwxyz0123456789._-";
  GradingRule rule;
  const size_t id_length = *rc::gen::inRange<size_t>(1, kMaxGradingRuleIdLength + 1);
  for (size_t i = 0; i < id_length; ++i) {
    rule.id += kIdChars[*rc::gen::inRange<size_t>(0, kIdChars.size())];
  }
  rule.version = *rc::gen::inRange(1, INT_MAX);
  rule.quorum = Quorum{AnyOp(), AnyFraction()};
  rule.base = AnyBase();
  const std::vector<Grade> order = ShuffledGrades();
  const size_t steps = *rc::gen::inRange<size_t>(1, 3);
  for (size_t i = 0; i < steps; ++i) {
    std::vector<Grade> count = ShuffledGrades();
    count.resize(*rc::gen::inRange<size_t>(1, 4));
    rule.steps.push_back(GradingStep{order[i], count, AnyOp(), AnyFraction()});
  }
  rule.otherwise = order[2];
  rule.rate_base = AnyBase();
  return rule;
}

// A possible tally: ballots never exceed those present. Mostly meeting-sized, sometimes as large
// as Evaluate allows, to exercise the exact arithmetic.
TallyCounts AnyTally() {
  const int64_t members =
      *rc::gen::weightedOneOf<int64_t>({{4, rc::gen::inRange<int64_t>(1, 80)},
                                        {1, rc::gen::inRange<int64_t>(1, kMaxMembersTotal + 1)}});
  const int64_t present = *rc::gen::inRange<int64_t>(0, members + 1);
  const int64_t cast = *rc::gen::inRange<int64_t>(0, present + 1);
  // Four cut points split the cast ballots into five counts.
  std::array<int64_t, 6> cuts = {0, 0, 0, 0, 0, cast};
  for (size_t i = 1; i < 5; ++i) {
    cuts[i] = *rc::gen::inRange<int64_t>(0, cast + 1);
  }
  std::sort(cuts.begin(), cuts.end());
  return TallyCounts{members,           present,           cuts[1] - cuts[0], cuts[2] - cuts[1],
                     cuts[3] - cuts[2], cuts[4] - cuts[3], cuts[5] - cuts[4]};
}

// --- Independent reference, written with floor/ceiling division instead of cross-multiplying.

int64_t RefBase(Base base, const TallyCounts& t) {
  if (base == Base::kPresent) {
    return t.present;
  }
  if (base == Base::kValidBallots) {
    return t.satisfied + t.basically_satisfied + t.dissatisfied;
  }
  return t.members_total;
}

// value op num/den × base: "ge" means value reaches ⌈num·base/den⌉, "gt" that it passes
// ⌊num·base/den⌋.
bool RefMeets(int64_t value, Comparison op, Fraction f, int64_t base) {
  if (op == Comparison::kGe) {
    return value >= (f.num * base + f.den - 1) / f.den;
  }
  return value > f.num * base / f.den;
}

std::optional<Grade> RefGrade(const GradingRule& rule, const TallyCounts& t) {
  if (!RefMeets(t.present, rule.quorum.op, rule.quorum.fraction, t.members_total)) {
    return std::nullopt;
  }
  const int64_t base = RefBase(rule.base, t);
  if (base == 0) {
    return rule.otherwise;
  }
  for (const GradingStep& step : rule.steps) {
    int64_t count = 0;
    for (Grade g : step.count) {
      count += g == Grade::kSatisfied            ? t.satisfied
               : g == Grade::kBasicallySatisfied ? t.basically_satisfied
                                                 : t.dissatisfied;
    }
    if (RefMeets(count, step.op, step.fraction, base)) {
      return step.grade;
    }
  }
  return rule.otherwise;
}

// The 镇海 rule spelled out for fraction 1/2: compare twice the count with the base.
std::optional<Grade> RefZhenhai(Base base_kind, const TallyCounts& t) {
  if (2 * t.present <= t.members_total) {
    return std::nullopt;
  }
  const int64_t base = RefBase(base_kind, t);
  if (base == 0) {
    return Grade::kDissatisfied;
  }
  if (2 * t.satisfied >= base) {
    return Grade::kSatisfied;
  }
  if (2 * (t.satisfied + t.basically_satisfied) > base) {
    return Grade::kBasicallySatisfied;
  }
  return Grade::kDissatisfied;
}

GradeOutcome MustEvaluate(const GradingRule& rule, const TallyCounts& t) {
  Result<GradeOutcome> out = Evaluate(rule, t);
  RC_ASSERT(out.ok());
  return *out;
}

// --- Properties ------------------------------------------------------------------------------

RC_GTEST_PROP(GradingRuleProperty, DecodeInvertsEncode, ()) {
  const GradingRule rule = AnyValidRule();
  RC_ASSERT(Validate(rule).ok());
  const std::string text = Encode(rule);
  Result<GradingRule> back = DecodeGradingRule(text);
  RC_ASSERT(back.ok());
  RC_ASSERT(*back == rule);
}

RC_GTEST_PROP(GradingRuleProperty, OnlyCanonicalTextDecodes, ()) {
  // Change, insert or delete one byte of a valid encoding. Whatever still decodes must be the
  // exact encoding of what it decodes to, so equal rules always hash equal.
  static constexpr std::string_view kAlphabet = "abdegilmnoprstuvy0123456789._-;:+/= \n";
  std::string text = Encode(AnyValidRule());
  const size_t at = *rc::gen::inRange<size_t>(0, text.size());
  const char c = kAlphabet[*rc::gen::inRange<size_t>(0, kAlphabet.size())];
  switch (*rc::gen::inRange(0, 3)) {
    case 0:
      text[at] = c;
      break;
    case 1:
      text.insert(at, 1, c);
      break;
    default:
      text.erase(at, 1);
      break;
  }
  Result<GradingRule> decoded = DecodeGradingRule(text);
  if (decoded.ok()) {
    RC_ASSERT(Encode(*decoded) == text);
  } else {
    RC_ASSERT(decoded.status().IsInvalidArgument());
    RC_ASSERT(decoded.status().field().starts_with("grading_rule"));
  }
}

RC_GTEST_PROP(GradingRuleProperty, DefaultRuleMatchesHalfComparisonReference, ()) {
  GradingRule rule = DefaultGradingRule();
  rule.base = AnyBase();
  const TallyCounts t = AnyTally();
  const GradeOutcome out = MustEvaluate(rule, t);
  RC_ASSERT(out.grade == RefZhenhai(rule.base, t));
  RC_ASSERT(out.quorum_met == out.grade.has_value());
}

RC_GTEST_PROP(GradingRuleProperty, AnyRuleMatchesFloorCeilingReference, ()) {
  const GradingRule rule = AnyValidRule();
  const TallyCounts t = AnyTally();
  const GradeOutcome out = MustEvaluate(rule, t);
  RC_ASSERT(out.grade == RefGrade(rule, t));
  RC_ASSERT(out.quorum_met == out.grade.has_value());
  RC_ASSERT(out.base_value == RefBase(rule.base, t));
  RC_ASSERT(out.rate_num == t.satisfied + t.basically_satisfied);
  RC_ASSERT(out.rate_den == RefBase(rule.rate_base, t));
}

RC_GTEST_PROP(GradingRuleProperty, TurningDissatisfiedIntoSatisfiedNeverLowersTheGrade, ()) {
  GradingRule rule = DefaultGradingRule();
  rule.base = AnyBase();
  TallyCounts t = AnyTally();
  RC_PRE(t.dissatisfied > 0);
  const GradeOutcome before = MustEvaluate(rule, t);
  --t.dissatisfied;
  ++t.satisfied;
  const GradeOutcome after = MustEvaluate(rule, t);
  RC_ASSERT(after.quorum_met == before.quorum_met);
  if (before.grade) {
    RC_ASSERT(Rank(*after.grade) >= Rank(*before.grade));
  }
}

RC_GTEST_PROP(GradingRuleProperty, AnExtraSatisfiedBallotNeverLowersTheGrade, ()) {
  // An abstention or invalid ballot becomes 满意: with base valid_ballots the base grows too.
  GradingRule rule = DefaultGradingRule();
  rule.base = AnyBase();
  TallyCounts t = AnyTally();
  RC_PRE(t.abstain + t.invalid > 0);
  const GradeOutcome before = MustEvaluate(rule, t);
  --(t.abstain > 0 ? t.abstain : t.invalid);
  ++t.satisfied;
  const GradeOutcome after = MustEvaluate(rule, t);
  if (before.grade) {
    RC_ASSERT(Rank(*after.grade) >= Rank(*before.grade));
  }
}

RC_GTEST_PROP(GradingRuleProperty, QuorumIsMonotoneInPresent, ()) {
  GradingRule rule = AnyValidRule();
  const int64_t members = *rc::gen::inRange<int64_t>(1, 500);
  int64_t fewer = *rc::gen::inRange<int64_t>(0, members + 1);
  int64_t more = *rc::gen::inRange<int64_t>(0, members + 1);
  if (fewer > more) {
    std::swap(fewer, more);
  }
  const bool met_fewer = MustEvaluate(rule, TallyCounts{members, fewer}).quorum_met;
  const bool met_more = MustEvaluate(rule, TallyCounts{members, more}).quorum_met;
  RC_ASSERT(!met_fewer || met_more);
  // Everyone present meets every quorum except "more than all members"; for the 镇海 rule nobody
  // present never does.
  const bool unreachable =
      rule.quorum.op == Comparison::kGt && rule.quorum.fraction.num == rule.quorum.fraction.den;
  RC_ASSERT(MustEvaluate(rule, TallyCounts{members, members}).quorum_met == !unreachable);
  RC_ASSERT(!MustEvaluate(DefaultGradingRule(), TallyCounts{members, 0}).quorum_met);
}

}  // namespace
}  // namespace jiandu::review
