// The rule format: every invalid rule is refused before anything runs, with a message naming
// the rule, the file and line, and the key.
#include "monitor/engine/rule.h"

#include <gtest/gtest.h>

#include "monitor/engine/rule_library.h"
#include "monitor/engine/testing/test_tables.h"

namespace jiandu::monitor {
namespace {

using testing::BuiltinSchemas;

constexpr std::string_view kValid = R"(id = "R01"
version = 2
title = "死亡人员仍领取补贴资金"
legal_basis = "社会救助暂行办法"
level = "red"
owner = "民政局"
valid_from = 2020-01-01
kind = "match"

[inputs.left]
dataset = "payments"
key = "payee_id"
date = "paid_on"

[inputs.right]
dataset = "people"
key = "id_number"
date = "death_date"

[params]
relation = "after"
grace_days = 3
)";

std::string Replace(std::string_view text, std::string_view from, std::string_view to) {
  std::string s(text);
  size_t at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return s.replace(at, from.size(), to);
}

// The message of loading `text` as rules/r01.toml (empty when it loads).
std::string ErrorOf(std::string_view text) {
  Result<Rule> r = LoadRule(text, "rules/r01.toml", BuiltinSchemas());
  if (r.ok()) return "";
  EXPECT_TRUE(r.status().IsInvalidArgument()) << r.status().ToString();
  return std::string(r.status().message());
}

TEST(RuleTest, ParsesEveryField) {
  Result<Rule> r = LoadRule(kValid, "rules/r01.toml", BuiltinSchemas());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->id, "R01");
  EXPECT_EQ(r->version, 2);
  EXPECT_EQ(r->level, WarningLevel::kRed);
  EXPECT_EQ(r->kind, RuleKind::kMatch);
  EXPECT_EQ(r->owner, "民政局");
  EXPECT_EQ(r->valid_from, 18262);  // 2020-01-01
  EXPECT_FALSE(r->valid_to.has_value());
  EXPECT_EQ(r->params.relation, MatchRelation::kAfter);
  EXPECT_EQ(r->params.grace_days, 3);
  EXPECT_EQ(r->Column("left", "key"), "payee_id");
  EXPECT_EQ(r->Input("right")->dataset, "people");
}

TEST(RuleTest, UnknownColumnNamesRuleFileLineAndKey) {
  EXPECT_EQ(ErrorOf(Replace(kValid, "key = \"payee_id\"", "key = \"payee_idd\"")),
            "rule R01 (rules/r01.toml:12): inputs.left.key: no column 'payee_idd' in dataset "
            "payments");
}

TEST(RuleTest, UnknownDataset) {
  EXPECT_EQ(ErrorOf(Replace(kValid, "dataset = \"people\"", "dataset = \"deaths\"")),
            "rule R01 (rules/r01.toml:16): inputs.right.dataset: no dataset 'deaths'");
}

TEST(RuleTest, ColumnOfTheWrongTypeForItsSlot) {
  EXPECT_EQ(ErrorOf(Replace(kValid, "date = \"paid_on\"", "date = \"amount\"")),
            "rule R01 (rules/r01.toml:13): inputs.left.date: column 'amount' is money; this slot "
            "needs date");
}

TEST(RuleTest, JoinedKeysOfDifferentTypes) {
  EXPECT_EQ(ErrorOf(Replace(kValid, "key = \"id_number\"", "key = \"name\"")),
            "rule R01 (rules/r01.toml:17): inputs.right.key: is text but inputs.left.key is "
            "id_number; joined keys need the same type");
}

TEST(RuleTest, MissingParameter) {
  EXPECT_EQ(ErrorOf(Replace(kValid, "relation = \"after\"\n", "")),
            "rule R01 (rules/r01.toml): params.relation: missing (the match kind needs it)");
}

TEST(RuleTest, ParameterOutOfRange) {
  EXPECT_EQ(ErrorOf(Replace(kValid, "grace_days = 3", "grace_days = -1")),
            "rule R01 (rules/r01.toml:22): params.grace_days: -1 is out of range [0, 3660]");
  std::string outlier = std::string(BuiltinRuleFiles()[4].text);
  std::string bad = Replace(outlier, "multiple = 5", "multiple = 0.5");
  Result<Rule> r = LoadRule(bad, "g02.toml", BuiltinSchemas());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("params.multiple: out of range (1, 1000]"),
            std::string_view::npos)
      << r.status().message();
}

TEST(RuleTest, ParameterOfTheWrongType) {
  EXPECT_EQ(ErrorOf(Replace(kValid, "grace_days = 3", "grace_days = \"3\"")),
            "rule R01 (rules/r01.toml:22): params.grace_days: expected an integer");
}

TEST(RuleTest, UnknownParameterRoleSlotKindAndLevel) {
  EXPECT_EQ(ErrorOf(Replace(kValid, "grace_days = 3", "grace = 3")),
            "rule R01 (rules/r01.toml:22): params.grace: unknown parameter for kind match");
  EXPECT_EQ(ErrorOf(Replace(kValid, "[inputs.right]", "[inputs.other]")),
            "rule R01 (rules/r01.toml:15): inputs.other: unknown role for kind match");
  EXPECT_EQ(ErrorOf(Replace(kValid, "date = \"paid_on\"", "day = \"paid_on\"")),
            "rule R01 (rules/r01.toml:13): inputs.left.day: unknown slot for role left of this "
            "kind");
  EXPECT_NE(ErrorOf(Replace(kValid, "kind = \"match\"", "kind = \"join\"")).find("kind: unknown kind 'join'"),
            std::string::npos);
  EXPECT_EQ(ErrorOf(Replace(kValid, "level = \"red\"", "level = \"crimson\"")),
            "rule R01 (rules/r01.toml:5): level: expected red, orange, yellow or info, not "
            "'crimson'");
}

TEST(RuleTest, SlotTheRelationNeeds) {
  EXPECT_EQ(ErrorOf(Replace(kValid, "date = \"death_date\"\n", "")),
            "rule R01 (rules/r01.toml): inputs.right.date: missing (relation \"after\" compares "
            "dates)");
}

TEST(RuleTest, ValidityDates) {
  EXPECT_EQ(ErrorOf(Replace(kValid, "valid_from = 2020-01-01",
                            "valid_from = 2020-01-01\nvalid_to = 2019-12-31")),
            "rule R01 (rules/r01.toml:8): valid_to: earlier than valid_from");
  EXPECT_EQ(ErrorOf(Replace(kValid, "valid_from = 2020-01-01", "valid_from = \"2020-01-01\"")),
            "rule R01 (rules/r01.toml:7): valid_from: expected a date (YYYY-MM-DD, unquoted)");
}

TEST(RuleTest, TomlSyntaxErrorHasItsLine) {
  std::string message = ErrorOf(Replace(kValid, "kind = \"match\"", "kind = match"));
  EXPECT_EQ(message.rfind("rule ? (rules/r01.toml:8): not valid TOML", 0), 0u) << message;
}

TEST(RuleTest, EveryBuiltinRuleLoads) {
  Result<std::vector<Rule>> rules = LoadBuiltinRules(BuiltinSchemas());
  ASSERT_TRUE(rules.ok()) << rules.status().ToString();
  std::vector<std::string> ids;
  for (const Rule& r : *rules) ids.push_back(r.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"R01", "R02", "G01", "R07", "G02", "G03", "R04", "R06",
                                           "G04", "G04-FEE", "R15"}));
}

}  // namespace
}  // namespace jiandu::monitor
