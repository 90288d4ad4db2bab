// GradingRule: the versioned rule that turns the tally of a democratic vote (民主测评) into a
// grade, 满意 / 基本满意 / 不满意 (DOMAIN.md §2). Every figure in it is local practice, so the rule
// is data: the quorum, the denominator, and the threshold and operator of each step are settings.
//
//   const GradingRule rule = DefaultGradingRule();  // 镇海 2022
//   TallyCounts tally{.members_total = 29, .present = 25,
//                     .satisfied = 14, .basically_satisfied = 8, .dissatisfied = 3};
//   JIANDU_ASSIGN_OR_RETURN(GradeOutcome out, Evaluate(rule, tally));
//   // out.grade == Grade::kBasicallySatisfied: 14 < 1/2 of 29 members; 14 + 8 = 22 > 1/2 of 29
//
// Steps are tried in order; the first step whose condition holds gives the grade, `otherwise`
// applies when none does. A condition compares a ballot count with a fraction of a base value in
// exact integer arithmetic (count × den against num × base, never floating point), so "exactly
// half" is decided by the configured operator alone. It has to be: 镇海's published text makes
// exactly half both 基本满意 ("达到半数以上") and 不满意 ("不足半数(含半数)") (DOMAIN.md §2.1).
//
// Storage form (Encode / DecodeGradingRule) is one line, fields in a fixed order, no spaces
// (wrapped here; the real text has no line breaks):
//
//   id=zhenhai-2022;version=1;quorum=gt:1/2;base=all_members;step=satisfied:satisfied:ge:1/2;
//   step=basically_satisfied:satisfied+basically_satisfied:gt:1/2;otherwise=dissatisfied;
//   rate_base=valid_ballots
//
//   rule     = "id=" id ";version=" int ";quorum=" op ":" fraction ";base=" base
//              1*( ";step=" grade ":" grade *( "+" grade ) ":" op ":" fraction )
//              ";otherwise=" grade ";rate_base=" base
//   int      = "0" / %x31-39 *DIGIT        ; decimal, no sign, no leading zeros
//   fraction = int "/" int                 ; as configured: 2/4 is not reduced to 1/2
//   id       = 1*64( %x61-7A / DIGIT / "." / "_" / "-" )
//   op, base, grade: the codes of ComparisonCode, BaseCode and GradeCode
//
// The text is canonical: each rule has exactly one encoding, and DecodeGradingRule accepts only
// text that Encode produces, so the text can be hashed and compared as bytes.
//
// Everything here is a value type or a pure function, and thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/status.h"

namespace jiandu::review {

// Limits checked by Validate(). Five steps leave room for four-grade schemes (非常满意 / 满意 /
// 基本满意 / 不满意); a denominator of 1000 covers thresholds such as 2/3 or 0.85 (= 17/20).
inline constexpr int64_t kMaxFractionDenominator = 1000;
inline constexpr size_t kMaxGradingSteps = 5;
inline constexpr size_t kMaxGradingRuleIdLength = 64;
// Far above any congress (the NPC has under 3,000 deputies); bounds the exact arithmetic
// (count × den <= 10^9).
inline constexpr int64_t kMaxMembersTotal = 1'000'000;

// The grades of a democratic vote (GLOSSARY.md §4), best first.
enum class Grade { kSatisfied, kBasicallySatisfied, kDissatisfied };

// "satisfied" / "basically_satisfied" / "dissatisfied"; empty for a value outside the enum.
std::string_view GradeCode(Grade grade);
// The grade with that exact code, or nullopt.
std::optional<Grade> ParseGrade(std::string_view code);

// How a count is compared with its threshold: kGe "达到/以上" (>=), kGt "超过/过半数" (>).
enum class Comparison { kGe, kGt };

// "ge" / "gt"; empty for a value outside the enum.
std::string_view ComparisonCode(Comparison op);
std::optional<Comparison> ParseComparison(std::string_view code);

// The denominator a threshold is taken of: 全体组成人员 / 实到人数 / 有效票.
enum class Base { kAllMembers, kPresent, kValidBallots };

// "all_members" / "present" / "valid_ballots"; empty for a value outside the enum.
std::string_view BaseCode(Base base);
std::optional<Base> ParseBase(std::string_view code);

// An exact fraction; valid when 1 <= den <= kMaxFractionDenominator and 0 <= num <= den.
struct Fraction {
  int64_t num = 0;
  int64_t den = 1;
  friend bool operator==(const Fraction&, const Fraction&) = default;
};

// Grade `grade` is given when (sum of the ballots of the `count` grades) `op` `fraction` × base.
struct GradingStep {
  Grade grade = Grade::kSatisfied;
  std::vector<Grade> count;
  Comparison op = Comparison::kGe;
  Fraction fraction;
  friend bool operator==(const GradingStep&, const GradingStep&) = default;
};

// The vote is valid when present `op` `fraction` × members_total (地方组织法 art 51: gt 1/2).
struct Quorum {
  Comparison op = Comparison::kGt;
  Fraction fraction{1, 2};
  friend bool operator==(const Quorum&, const Quorum&) = default;
};

struct GradingRule {
  std::string id;
  int version = 0;
  Quorum quorum;
  Base base = Base::kAllMembers;   // denominator of the step thresholds
  std::vector<GradingStep> steps;  // tried in order
  Grade otherwise = Grade::kDissatisfied;
  Base rate_base = Base::kValidBallots;  // 满意率 = (satisfied + basically_satisfied) / rate_base
  friend bool operator==(const GradingRule&, const GradingRule&) = default;
};

// The sample rule of DOMAIN.md §2.3 (宁波镇海区, 2022): id "zhenhai-2022" version 1; quorum gt 1/2
// of all members; thresholds of all members; satisfied when satisfied ge 1/2; basically_satisfied
// when satisfied + basically_satisfied gt 1/2; otherwise dissatisfied; rate of valid ballots.
GradingRule DefaultGradingRule();

// OK, or invalid_argument naming the first field at fault ("grading_rule.id",
// "grading_rule.version", "grading_rule.quorum.fraction", "grading_rule.steps",
// "grading_rule.steps[1].fraction", ...; step indexes are 0-based) with the reason. Checks: id of
// 1..64 characters of [a-z0-9._-]; version >= 1; 1..kMaxGradingSteps steps; every enum value
// known; every fraction valid; each step's count non-empty without duplicates; step grades
// distinct from each other and from `otherwise`.
Status Validate(const GradingRule& rule);

// The canonical one-line text of `rule` (format above). Meant for rules that pass Validate();
// the text of an invalid rule does not decode.
std::string Encode(const GradingRule& rule);

// Parses the text Encode produces and validates the result. Malformed text: invalid_argument with
// field "grading_rule" and the message "position N: reason" (N the 1-based byte offset). Well-
// formed text of an invalid rule: the error of Validate() (its field starts with "grading_rule.").
// DecodeGradingRule(Encode(r)) == r for every valid r.
Result<GradingRule> DecodeGradingRule(std::string_view text);

// The aggregate result of one secret ballot; never voter-to-choice links (DOMAIN.md §2.3).
struct TallyCounts {
  int64_t members_total = 0;  // 全体组成人员
  int64_t present = 0;        // 实到人数
  int64_t satisfied = 0;
  int64_t basically_satisfied = 0;
  int64_t dissatisfied = 0;
  int64_t abstain = 0;
  int64_t invalid = 0;

  // 有效票: the ballots that chose a grade.
  int64_t valid() const { return satisfied + basically_satisfied + dissatisfied; }
  friend bool operator==(const TallyCounts&, const TallyCounts&) = default;
};

struct GradeOutcome {
  bool quorum_met = false;
  std::optional<Grade> grade;  // nullopt when the quorum was not met
  int64_t base_value = 0;      // the value of rule.base for this tally
  // 满意率 as an exact fraction, not reduced: (satisfied + basically_satisfied) over the value of
  // rule.rate_base. rate_den is 0 when that value is 0 (no valid ballots).
  int64_t rate_num = 0;
  int64_t rate_den = 0;
  // Which step decided, for the record and the on-the-spot announcement, e.g.
  // "satisfied 14 < 1/2 of all_members 29; satisfied+basically_satisfied 22 > 1/2 of 29 →
  // basically_satisfied". Holds counts only, never names.
  std::string explanation;

  // rate_num / rate_den for display; 0.0 when rate_den is 0. Never use it to decide anything.
  double SatisfactionRate() const;
};

// Grades `tally` with `rule`. A vote without quorum is not an error: the outcome has
// quorum_met == false and no grade (base_value and the rate are still filled in). When the base
// value is 0 (base valid_ballots and no valid ballot) no step applies and the grade is
// `otherwise`: a share of nothing would otherwise meet every `ge` threshold.
// Errors: invalid_argument from Validate() for an invalid rule; invalid_argument with field
// "tally" when members_total is not in 1..kMaxMembersTotal, a count is negative,
// present > members_total, or satisfied + basically_satisfied + dissatisfied + abstain + invalid
// > present.
Result<GradeOutcome> Evaluate(const GradingRule& rule, const TallyCounts& tally);

}  // namespace jiandu::review
