#include "review/grading_rule.h"

#include <algorithm>
#include <array>
#include <climits>
#include <utility>

#include "core/code_table.h"

namespace jiandu::review {
namespace {

template <typename E>
using CodeTable = std::array<std::pair<E, std::string_view>, 3>;

constexpr CodeTable<Grade> kGradeCodes = {{
    {Grade::kSatisfied, "satisfied"},
    {Grade::kBasicallySatisfied, "basically_satisfied"},
    {Grade::kDissatisfied, "dissatisfied"},
}};

constexpr std::array<std::pair<Comparison, std::string_view>, 2> kComparisonCodes = {{
    {Comparison::kGe, "ge"},
    {Comparison::kGt, "gt"},
}};

constexpr CodeTable<Base> kBaseCodes = {{
    {Base::kAllMembers, "all_members"},
    {Base::kPresent, "present"},
    {Base::kValidBallots, "valid_ballots"},
}};

using core::CodeOf;

constexpr std::string_view kRuleField = "grading_rule";
constexpr std::string_view kTallyField = "tally";

bool IsIdChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

Status ValidateFraction(const Fraction& f, const std::string& field) {
  if (f.den < 1 || f.den > kMaxFractionDenominator) {
    return Status::InvalidArgument(field, "denominator must be between 1 and 1000");
  }
  if (f.num < 0 || f.num > f.den) {
    return Status::InvalidArgument(field, "numerator must be between 0 and the denominator");
  }
  return Status::Ok();
}

Status ValidateStep(const GradingRule& rule, size_t i) {
  const GradingStep& step = rule.steps[i];
  const std::string prefix = "grading_rule.steps[" + std::to_string(i) + "].";
  if (GradeCode(step.grade).empty()) {
    return Status::InvalidArgument(prefix + "grade", "unknown grade");
  }
  if (step.grade == rule.otherwise) {
    return Status::InvalidArgument(prefix + "grade", "must differ from otherwise");
  }
  for (size_t j = 0; j < i; ++j) {
    if (rule.steps[j].grade == step.grade) {
      return Status::InvalidArgument(prefix + "grade", "repeats the grade of an earlier step");
    }
  }
  if (step.count.empty()) {
    return Status::InvalidArgument(prefix + "count", "must name at least one grade");
  }
  for (size_t k = 0; k < step.count.size(); ++k) {
    if (GradeCode(step.count[k]).empty()) {
      return Status::InvalidArgument(prefix + "count", "unknown grade");
    }
    for (size_t j = 0; j < k; ++j) {
      if (step.count[j] == step.count[k]) {
        return Status::InvalidArgument(prefix + "count", "names a grade twice");
      }
    }
  }
  if (ComparisonCode(step.op).empty()) {
    return Status::InvalidArgument(prefix + "op", "unknown comparison");
  }
  return ValidateFraction(step.fraction, prefix + "fraction");
}

int64_t BaseValue(Base base, const TallyCounts& t) {
  switch (base) {
    case Base::kAllMembers:
      return t.members_total;
    case Base::kPresent:
      return t.present;
    case Base::kValidBallots:
      return t.valid();
  }
  return 0;  // unreachable for a validated rule
}

int64_t Ballots(Grade grade, const TallyCounts& t) {
  switch (grade) {
    case Grade::kSatisfied:
      return t.satisfied;
    case Grade::kBasicallySatisfied:
      return t.basically_satisfied;
    case Grade::kDissatisfied:
      return t.dissatisfied;
  }
  return 0;  // unreachable for a validated rule
}

// value op fraction × base, cross-multiplied. Callers bound every operand by kMaxMembersTotal and
// the denominator by kMaxFractionDenominator, so neither product overflows.
bool Holds(int64_t value, Comparison op, const Fraction& f, int64_t base) {
  const int64_t lhs = value * f.den;
  const int64_t rhs = f.num * base;
  return op == Comparison::kGe ? lhs >= rhs : lhs > rhs;
}

// The relation actually found between a value and its threshold: ">=" / ">" when the condition
// held, its negation "<" / "<=" when it did not.
std::string_view Relation(Comparison op, bool held) {
  if (op == Comparison::kGe) {
    return held ? ">=" : "<";
  }
  return held ? ">" : "<=";
}

std::string FractionText(const Fraction& f) {
  return std::to_string(f.num) + "/" + std::to_string(f.den);
}

Status CheckTally(const TallyCounts& t) {
  if (t.members_total < 1 || t.members_total > kMaxMembersTotal) {
    return Status::InvalidArgument(kTallyField, "members_total must be between 1 and 1000000");
  }
  if (t.present < 0) {
    return Status::InvalidArgument(kTallyField, "present must not be negative");
  }
  if (t.present > t.members_total) {
    return Status::InvalidArgument(kTallyField, "present must not exceed members_total");
  }
  const std::array<std::pair<int64_t, std::string_view>, 5> ballots = {{
      {t.satisfied, "satisfied"},
      {t.basically_satisfied, "basically_satisfied"},
      {t.dissatisfied, "dissatisfied"},
      {t.abstain, "abstain"},
      {t.invalid, "invalid"},
  }};
  int64_t sum = 0;
  for (const auto& [n, name] : ballots) {
    if (n < 0) {
      return Status::InvalidArgument(kTallyField, std::string(name) + " must not be negative");
    }
    // Checking each count first keeps the sum from overflowing.
    if (n > t.present) {
      return Status::InvalidArgument(kTallyField, "ballots exceed present");
    }
    sum += n;
  }
  if (sum > t.present) {
    return Status::InvalidArgument(kTallyField, "ballots exceed present");
  }
  return Status::Ok();
}

// Reads the grammar of grading_rule.h strictly, so that only Encode's output is accepted.
class RuleParser {
 public:
  explicit RuleParser(std::string_view text) : text_(text) {}

  Result<GradingRule> Parse() {
    GradingRule rule;
    JIANDU_RETURN_IF_ERROR(Expect("id="));
    rule.id = std::string(Take(";"));
    JIANDU_RETURN_IF_ERROR(Expect(";version="));
    const size_t version_at = pos_;
    JIANDU_ASSIGN_OR_RETURN(const int64_t version, Int());
    if (version > INT_MAX) {
      return Error(version_at, "version is too large");
    }
    rule.version = static_cast<int>(version);
    JIANDU_RETURN_IF_ERROR(Expect(";quorum="));
    JIANDU_ASSIGN_OR_RETURN(rule.quorum.op, Op());
    JIANDU_RETURN_IF_ERROR(Expect(":"));
    JIANDU_ASSIGN_OR_RETURN(rule.quorum.fraction, Frac());
    JIANDU_RETURN_IF_ERROR(Expect(";base="));
    JIANDU_ASSIGN_OR_RETURN(rule.base, BaseToken());
    JIANDU_RETURN_IF_ERROR(Expect(";step="));
    do {
      JIANDU_ASSIGN_OR_RETURN(GradingStep step, Step());
      rule.steps.push_back(std::move(step));
    } while (Accept(";step="));
    JIANDU_RETURN_IF_ERROR(Expect(";otherwise="));
    JIANDU_ASSIGN_OR_RETURN(rule.otherwise, GradeToken());
    JIANDU_RETURN_IF_ERROR(Expect(";rate_base="));
    JIANDU_ASSIGN_OR_RETURN(rule.rate_base, BaseToken());
    if (pos_ != text_.size()) {
      return Error(pos_, "unexpected text after rate_base");
    }
    return rule;
  }

 private:
  Result<GradingStep> Step() {
    GradingStep step;
    JIANDU_ASSIGN_OR_RETURN(step.grade, GradeToken());
    JIANDU_RETURN_IF_ERROR(Expect(":"));
    do {
      JIANDU_ASSIGN_OR_RETURN(const Grade g, GradeToken());
      step.count.push_back(g);
    } while (Accept("+"));
    JIANDU_RETURN_IF_ERROR(Expect(":"));
    JIANDU_ASSIGN_OR_RETURN(step.op, Op());
    JIANDU_RETURN_IF_ERROR(Expect(":"));
    JIANDU_ASSIGN_OR_RETURN(step.fraction, Frac());
    return step;
  }

  // "position 12: reason", with the 1-based offset of the byte at `at`.
  static Status Error(size_t at, std::string_view reason) {
    return Status::InvalidArgument(
        kRuleField, "position " + std::to_string(at + 1) + ": " + std::string(reason));
  }

  bool Accept(std::string_view literal) {
    if (text_.substr(pos_).starts_with(literal)) {
      pos_ += literal.size();
      return true;
    }
    return false;
  }

  Status Expect(std::string_view literal) {
    if (Accept(literal)) {
      return Status::Ok();
    }
    return Error(pos_, "expected \"" + std::string(literal) + "\"");
  }

  // The bytes up to (not including) the next of `stops`, or to the end.
  std::string_view Take(std::string_view stops) {
    const size_t end = std::min(text_.find_first_of(stops, pos_), text_.size());
    std::string_view token = text_.substr(pos_, end - pos_);
    pos_ = end;
    return token;
  }

  // The longest run of [a-z_], the alphabet of every code.
  std::string_view TakeCode() {
    const size_t start = pos_;
    while (pos_ < text_.size() &&
           ((text_[pos_] >= 'a' && text_[pos_] <= 'z') || text_[pos_] == '_')) {
      ++pos_;
    }
    return text_.substr(start, pos_ - start);
  }

  template <typename E, typename Table>
  Result<E> Code(const Table& table, std::string_view what) {
    const size_t start = pos_;
    const std::optional<E> value = core::ParseCode(table, TakeCode());
    if (!value) {
      return Error(start, "expected " + std::string(what));
    }
    return *value;
  }
  Result<Grade> GradeToken() { return Code<Grade>(kGradeCodes, "a grade code"); }
  Result<Comparison> Op() { return Code<Comparison>(kComparisonCodes, "\"ge\" or \"gt\""); }
  Result<Base> BaseToken() { return Code<Base>(kBaseCodes, "a base code"); }

  // A non-negative decimal without sign or leading zeros.
  Result<int64_t> Int() {
    const size_t start = pos_;
    int64_t value = 0;
    while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') {
      const int digit = text_[pos_] - '0';
      if (value > (INT64_MAX - digit) / 10) {
        return Error(start, "number is too large");
      }
      value = value * 10 + digit;
      ++pos_;
    }
    if (pos_ == start) {
      return Error(start, "expected a number");
    }
    if (text_[start] == '0' && pos_ - start > 1) {
      return Error(start, "leading zeros are not allowed");
    }
    return value;
  }

  Result<Fraction> Frac() {
    Fraction f;
    JIANDU_ASSIGN_OR_RETURN(f.num, Int());
    JIANDU_RETURN_IF_ERROR(Expect("/"));
    JIANDU_ASSIGN_OR_RETURN(f.den, Int());
    return f;
  }

  std::string_view text_;
  size_t pos_ = 0;
};

}  // namespace

std::string_view GradeCode(Grade grade) { return CodeOf(kGradeCodes, grade); }
std::optional<Grade> ParseGrade(std::string_view code) {
  return core::ParseCode(kGradeCodes, code);
}

std::string_view ComparisonCode(Comparison op) { return CodeOf(kComparisonCodes, op); }
std::optional<Comparison> ParseComparison(std::string_view code) {
  return core::ParseCode(kComparisonCodes, code);
}

std::string_view BaseCode(Base base) { return CodeOf(kBaseCodes, base); }
std::optional<Base> ParseBase(std::string_view code) { return core::ParseCode(kBaseCodes, code); }

GradingRule DefaultGradingRule() {
  // DOMAIN.md §2.3 sample data. 地方组织法 art 51: more than half of all members for a quorum;
  // 镇海 counts 满意 against all members (全体组成人员), not against those present.
  return GradingRule{
      .id = "zhenhai-2022",
      .version = 1,
      .quorum = {Comparison::kGt, {1, 2}},
      .base = Base::kAllMembers,
      .steps = {{Grade::kSatisfied, {Grade::kSatisfied}, Comparison::kGe, {1, 2}},
                {Grade::kBasicallySatisfied,
                 {Grade::kSatisfied, Grade::kBasicallySatisfied},
                 Comparison::kGt,
                 {1, 2}}},
      .otherwise = Grade::kDissatisfied,
      .rate_base = Base::kValidBallots,
  };
}

Status Validate(const GradingRule& rule) {
  if (rule.id.empty() || rule.id.size() > kMaxGradingRuleIdLength) {
    return Status::InvalidArgument("grading_rule.id", "must be 1 to 64 characters");
  }
  for (const char c : rule.id) {
    if (!IsIdChar(c)) {
      return Status::InvalidArgument("grading_rule.id", "may hold only [a-z0-9._-]");
    }
  }
  if (rule.version < 1) {
    return Status::InvalidArgument("grading_rule.version", "must be at least 1");
  }
  if (ComparisonCode(rule.quorum.op).empty()) {
    return Status::InvalidArgument("grading_rule.quorum.op", "unknown comparison");
  }
  JIANDU_RETURN_IF_ERROR(ValidateFraction(rule.quorum.fraction, "grading_rule.quorum.fraction"));
  if (BaseCode(rule.base).empty()) {
    return Status::InvalidArgument("grading_rule.base", "unknown base");
  }
  if (GradeCode(rule.otherwise).empty()) {
    return Status::InvalidArgument("grading_rule.otherwise", "unknown grade");
  }
  if (BaseCode(rule.rate_base).empty()) {
    return Status::InvalidArgument("grading_rule.rate_base", "unknown base");
  }
  if (rule.steps.empty() || rule.steps.size() > kMaxGradingSteps) {
    return Status::InvalidArgument("grading_rule.steps", "must hold 1 to 5 steps");
  }
  for (size_t i = 0; i < rule.steps.size(); ++i) {
    JIANDU_RETURN_IF_ERROR(ValidateStep(rule, i));
  }
  return Status::Ok();
}

std::string Encode(const GradingRule& rule) {
  std::string out = "id=" + rule.id + ";version=" + std::to_string(rule.version);
  out += ";quorum=";
  out += ComparisonCode(rule.quorum.op);
  out += ":" + FractionText(rule.quorum.fraction) + ";base=";
  out += BaseCode(rule.base);
  for (const GradingStep& step : rule.steps) {
    out += ";step=";
    out += GradeCode(step.grade);
    out += ':';
    for (size_t k = 0; k < step.count.size(); ++k) {
      if (k > 0) {
        out += '+';
      }
      out += GradeCode(step.count[k]);
    }
    out += ':';
    out += ComparisonCode(step.op);
    out += ":" + FractionText(step.fraction);
  }
  out += ";otherwise=";
  out += GradeCode(rule.otherwise);
  out += ";rate_base=";
  out += BaseCode(rule.rate_base);
  return out;
}

Result<GradingRule> DecodeGradingRule(std::string_view text) {
  JIANDU_ASSIGN_OR_RETURN(GradingRule rule, RuleParser(text).Parse());
  JIANDU_RETURN_IF_ERROR(Validate(rule));
  return rule;
}

double GradeOutcome::SatisfactionRate() const {
  if (rate_den == 0) {
    return 0.0;
  }
  return static_cast<double>(rate_num) / static_cast<double>(rate_den);
}

Result<GradeOutcome> Evaluate(const GradingRule& rule, const TallyCounts& tally) {
  JIANDU_RETURN_IF_ERROR(Validate(rule));
  JIANDU_RETURN_IF_ERROR(CheckTally(tally));

  GradeOutcome out;
  out.base_value = BaseValue(rule.base, tally);
  out.rate_num = tally.satisfied + tally.basically_satisfied;
  out.rate_den = BaseValue(rule.rate_base, tally);

  // The quorum is always a share of all members (地方组织法 art 51), whatever rule.base says.
  out.quorum_met = Holds(tally.present, rule.quorum.op, rule.quorum.fraction, tally.members_total);
  if (!out.quorum_met) {
    out.explanation = "present " + std::to_string(tally.present) + " " +
                      std::string(Relation(rule.quorum.op, false)) + " " +
                      FractionText(rule.quorum.fraction) + " of all_members " +
                      std::to_string(tally.members_total) + " → quorum not met";
    return out;
  }

  // With nothing to take a share of (every ballot abstained or invalid, base valid_ballots),
  // "0 >= 1/2 of 0" would grade the vote satisfied although no one chose a grade.
  if (out.base_value == 0) {
    out.grade = rule.otherwise;
    out.explanation = std::string(BaseCode(rule.base)) + " 0: no step applies → " +
                      std::string(GradeCode(rule.otherwise)) + " (otherwise)";
    return out;
  }

  // "satisfied 14 < 1/2 of all_members 29; satisfied+basically_satisfied 22 > 1/2 of 29 → ..."
  const std::string base_text = std::to_string(out.base_value);
  for (size_t i = 0; i < rule.steps.size(); ++i) {
    const GradingStep& step = rule.steps[i];
    int64_t count = 0;
    std::string label;
    for (const Grade g : step.count) {
      count += Ballots(g, tally);
      label += (label.empty() ? "" : "+") + std::string(GradeCode(g));
    }
    const bool held = Holds(count, step.op, step.fraction, out.base_value);
    if (i > 0) {
      out.explanation += "; ";
    }
    out.explanation += label + " " + std::to_string(count) + " " +
                       std::string(Relation(step.op, held)) + " " + FractionText(step.fraction) +
                       " of " + (i == 0 ? std::string(BaseCode(rule.base)) + " " : "") + base_text;
    if (held) {
      out.grade = step.grade;
      out.explanation += " → " + std::string(GradeCode(step.grade));
      return out;
    }
  }
  out.grade = rule.otherwise;
  out.explanation += " → " + std::string(GradeCode(rule.otherwise)) + " (otherwise)";
  return out;
}

}  // namespace jiandu::review
