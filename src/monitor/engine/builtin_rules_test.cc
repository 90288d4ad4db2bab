// Each built-in rule (issue 5 (a)–(j)) on hand-made data with known answers: the cases it must
// find, the ones it must not, and the boundaries (death on the payment date, exactly N
// projects, a 90-day span, a limit met to the day, ...).
#include <gtest/gtest.h>

#include <set>

#include "monitor/engine/native_executor.h"
#include "monitor/engine/rule_library.h"
#include "monitor/engine/testing/test_tables.h"

namespace jiandu::monitor {
namespace {

using testing::BuiltinSchemas;
using testing::CreditCode;
using testing::Id;
using testing::MakeTable;
using testing::PackedId;

std::vector<Warning> RunBuiltin(std::string_view rule_id, const testing::Tables& tables) {
  Result<Rule> rule = LoadBuiltinRule(rule_id, BuiltinSchemas());
  EXPECT_TRUE(rule.ok()) << rule.status().ToString();
  Result<std::vector<Warning>> w = RunRule(*rule, tables.Set(), {.threads = 2});
  EXPECT_TRUE(w.ok()) << w.status().ToString();
  return w.ok() ? *w : std::vector<Warning>();
}

// The first key value of each warning (ID numbers as their packed form, text as text).
std::set<std::string> FirstKeys(const std::vector<Warning>& warnings) {
  std::set<std::string> out;
  for (const Warning& w : warnings) {
    const KeyValue& v = w.key_values.at(0);
    out.insert(v.text.empty() ? std::to_string(v.number) : v.text);
  }
  return out;
}
std::string P(int n) { return std::to_string(PackedId(n)); }

std::vector<std::string> Payment(int payee, std::string item, std::string period,
                                 std::string amount, std::string paid_on) {
  return {Id(payee), std::move(item), std::move(period), std::move(amount), std::move(paid_on),
          "财政所"};
}

TEST(BuiltinRulesTest, R01PaymentAfterDeathButNotOnTheDayOfDeath) {
  testing::Tables t;
  t.Add(MakeTable("people", {{Id(0), "甲", "2024-03-10"},
                             {Id(1), "乙", ""},
                             {Id(2), "丙", "2024-05-01"}}));
  t.Add(MakeTable("payments", {Payment(0, "低保", "2024-03-01", "500", "2024-03-11"),
                               Payment(0, "低保", "2024-03-01", "500", "2024-03-10"),
                               Payment(1, "低保", "2024-03-01", "500", "2024-06-01"),
                               Payment(2, "低保", "2024-04-01", "500", "2024-04-30"),
                               Payment(9, "低保", "2024-04-01", "500", "2030-01-01")}));
  std::vector<Warning> w = RunBuiltin("R01", t);
  ASSERT_EQ(FirstKeys(w), std::set<std::string>{P(0)});
  EXPECT_EQ(w[0].level, WarningLevel::kRed);
  ASSERT_EQ(w[0].evidence.size(), 2u);
  EXPECT_EQ(w[0].evidence[0].dataset, "payments");
  EXPECT_EQ(w[0].evidence[0].rows, (std::vector<uint32_t>{0}));  // not row 1 (day of death)
  EXPECT_EQ(w[0].evidence[1].rows, (std::vector<uint32_t>{0}));
  EXPECT_EQ(w[0].subjects.at(0).value.number, PackedId(0));
}

TEST(BuiltinRulesTest, R02PaymentToADeclaredRelativeOncePerOfficial) {
  testing::Tables t;
  t.Add(MakeTable("relatives", {{Id(100), Id(5), "spouse"},
                                {Id(100), Id(5), "spouse"},  // declared twice
                                {Id(101), Id(5), "sibling"},
                                {Id(100), Id(6), "child"}}));
  t.Add(MakeTable("payments", {Payment(5, "补贴", "2024-01-01", "100", "2024-01-05"),
                               Payment(5, "补贴", "2024-02-01", "100", "2024-02-05"),
                               Payment(7, "补贴", "2024-02-01", "100", "2024-02-05")}));
  std::vector<Warning> w = RunBuiltin("R02", t);
  ASSERT_EQ(w.size(), 2u);  // (p5, o100) and (p5, o101); p6 was paid nothing
  std::set<std::string> owners;
  for (const Warning& x : w) {
    EXPECT_EQ(x.key_values[0].number, PackedId(5));
    owners.insert(std::to_string(x.key_values[1].number));
    EXPECT_EQ(x.evidence[0].rows, (std::vector<uint32_t>{0, 1}));
  }
  EXPECT_EQ(owners, (std::set<std::string>{P(100), P(101)}));
}

TEST(BuiltinRulesTest, G01MoreThanFiveProjectsAndOnlyOfficials) {
  testing::Tables t;
  t.Add(MakeTable("officials", {{Id(0), "甲", "单位1", "科长", "", ""},
                                {Id(1), "乙", "单位1", "科长", "", ""}}));
  std::vector<std::vector<std::string>> projects;
  auto lead = [&](int person, int n) {
    for (int i = 0; i < n; ++i) {
      projects.push_back({"XM" + std::to_string(projects.size()), "", Id(person), "单位1",
                          "2024-01-01", "", "", ""});
    }
  };
  lead(0, 6);  // more than 5: flagged
  lead(1, 5);  // exactly 5: not flagged
  lead(9, 7);  // not an official: not flagged
  t.Add(MakeTable("projects", projects));
  std::vector<Warning> w = RunBuiltin("G01", t);
  ASSERT_EQ(FirstKeys(w), std::set<std::string>{P(0)});
  EXPECT_EQ(w[0].evidence[0].rows.size(), 6u);
}

TEST(BuiltinRulesTest, R07SamePayeeItemAndPeriod) {
  testing::Tables t;
  t.Add(MakeTable("payments", {Payment(0, "补贴A", "2024-01-01", "100", "2024-01-05"),
                               Payment(0, "补贴A", "2024-02-01", "100", "2024-02-05"),
                               Payment(0, "补贴B", "2024-01-01", "100", "2024-01-05"),
                               Payment(1, "补贴A", "2024-01-01", "100", "2024-01-05"),
                               Payment(0, "补贴A", "2024-01-01", "120", "2024-01-20")}));
  std::vector<Warning> w = RunBuiltin("R07", t);
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(w[0].evidence[0].rows, (std::vector<uint32_t>{0, 4}));
  EXPECT_EQ(w[0].key_values[1].text, "补贴A");
  EXPECT_EQ(w[0].subjects.at(0).value.number, PackedId(0));
}

TEST(BuiltinRulesTest, G02AboveFiveTimesTheMedianOfItsItem) {
  testing::Tables t;
  std::vector<std::vector<std::string>> rows;
  int payee = 0;
  auto item = [&](const std::string& name, std::vector<std::string> amounts) {
    for (const std::string& a : amounts) rows.push_back(Payment(payee++, name, "2024-01-01", a, "2024-01-05"));
  };
  item("A", {"100", "100", "100", "100", "100", "500", "600"});  // median 100: 600 yes, 500 no
  item("B", {"100", "100", "100", "10000"});                     // fewer than 5 rows
  item("C", {"100", "100", "200", "300", "400", "1260"});        // median 250: 1260 > 1250
  item("D", {"100", "100", "200", "300", "400", "1240"});        // 1240 < 1250 (lower middle
                                                                 // alone would flag it)
  t.Add(MakeTable("payments", rows));
  std::vector<Warning> w = RunBuiltin("G02", t);
  std::set<std::string> found;
  for (const Warning& x : w) found.insert(x.key_values[1].text + "/" + std::to_string(x.key_values[3].number));
  EXPECT_EQ(found, (std::set<std::string>{"A/60000", "C/126000"}));
  EXPECT_EQ(w[0].level, WarningLevel::kOrange);
}

TEST(BuiltinRulesTest, G03MoreThanThreeChangesWithinNinetyDays) {
  testing::Tables t;
  t.Add(MakeTable("project_changes", {{"X", "2024-01-01", ""}, {"X", "2024-01-15", ""},
                                      {"X", "2024-02-01", ""}, {"X", "2024-03-30", ""},
                                      {"Y", "2024-01-01", ""}, {"Y", "2024-01-15", ""},
                                      {"Y", "2024-02-01", ""}, {"Y", "2024-03-31", ""},
                                      {"Z", "2024-01-01", ""}, {"Z", "2024-01-02", ""},
                                      {"Z", "2024-01-03", ""}}));
  // X: 4 changes in 89 days; Y: the 4th is day 90 (outside); Z: only 3.
  EXPECT_EQ(FirstKeys(RunBuiltin("G03", t)), std::set<std::string>{"X"});
}

TEST(BuiltinRulesTest, R04AndR06AssetsDuringTheAllowancePeriod) {
  testing::Tables t;
  t.Add(MakeTable("dibao_roll", {{Id(0), "", "2023-01-01", "2023-12-31", "500"},
                                 {Id(1), "", "2023-01-01", "", "500"},
                                 {Id(2), "", "2023-06-01", "2023-07-01", "500"}}));
  t.Add(MakeTable("vehicles", {{Id(0), "鄂C1", "2023-06-01", "", ""},
                               {Id(1), "鄂C2", "2015-01-01", "2023-01-01", ""},  // sold the day before
                               {Id(2), "鄂C3", "2023-07-01", "", ""}}));          // bought the day after
  t.Add(MakeTable("companies", {{CreditCode(1), "甲公司", Id(1), "", "", "", "", ""},
                                {CreditCode(2), "乙公司", Id(2), "", "", "", "2020-01-01",
                                 "2023-06-01"}}));
  EXPECT_EQ(FirstKeys(RunBuiltin("R04", t)), std::set<std::string>{P(0)});
  EXPECT_EQ(FirstKeys(RunBuiltin("R06", t)), std::set<std::string>{P(1)});
}

TEST(BuiltinRulesTest, G04ApprovalBeyondItsLimitInWorkingDays) {
  testing::Tables t;
  // DOMAIN.md §8.3: from Fri 2025-09-26, the 15th working day is Thu 2025-10-23.
  t.Add(MakeTable("approvals", {{"A1", "许可", "局", "2025-09-26", "2025-10-23", "15"},
                                {"A2", "许可", "局", "2025-09-26", "2025-10-24", "15"},
                                {"A3", "许可", "局", "2025-09-26", "", "15"},
                                {"A4", "许可", "", "2025-10-09", "2025-10-10", "0"}}));
  std::vector<Warning> w = RunBuiltin("G04", t);
  EXPECT_EQ(FirstKeys(w), (std::set<std::string>{"A2", "A4"}));
}

TEST(BuiltinRulesTest, G04FeeAboveTheHighestPublishedStandard) {
  testing::Tables t;
  t.Add(MakeTable("fee_standards", {{"feeA", "50.00"}, {"feeA", "60.00"}, {"feeB", "30.00"}}));
  t.Add(MakeTable("fees", {{"C1", "feeA", "60.00", "2024-01-01"},
                           {"C2", "feeA", "60.01", "2024-01-01"},
                           {"C3", "feeB", "30.01", ""},
                           {"C4", "feeB", "30.00", "2024-01-01"},
                           {"C5", "feeC", "999", "2024-01-01"}}));
  std::vector<Warning> w = RunBuiltin("G04-FEE", t);
  EXPECT_EQ(FirstKeys(w), (std::set<std::string>{"C2", "C3"}));
  EXPECT_EQ(w[0].level, WarningLevel::kRed);
}

TEST(BuiltinRulesTest, R15DistinctBiddersOfOneTenderSharingAContact) {
  testing::Tables t;
  auto bid = [](std::string tender, int bidder, std::string phone, std::string address,
                std::string rep) {
    return std::vector<std::string>{std::move(tender), CreditCode(bidder), "", std::move(phone),
                                    std::move(address), std::move(rep), "100000", ""};
  };
  t.Add(MakeTable("bids", {bid("T1", 1, "13800000001", "", ""),
                           bid("T1", 2, "13800000001", "", ""),
                           bid("T1", 3, "13800000009", "", ""),
                           bid("T2", 1, "13800000001", "", ""),
                           bid("T2", 1, "13800000001", "", ""),  // the same bidder twice
                           bid("T2", 4, "", "城关镇1号", ""),
                           bid("T2", 5, "", "城关镇2号", ""),
                           bid("T3", 6, "", "", Id(0)),
                           bid("T3", 7, "", "", Id(0))}));
  std::vector<Warning> w = RunBuiltin("R15", t);
  ASSERT_EQ(FirstKeys(w), (std::set<std::string>{"T1", "T3"}));
  const Warning& t1 = w[0].key_values[0].text == "T1" ? w[0] : w[1];
  std::set<std::string> bidders;
  for (const Subject& s : t1.subjects) bidders.insert(s.value.text);
  EXPECT_EQ(bidders, (std::set<std::string>{CreditCode(1), CreditCode(2)}));
}

}  // namespace
}  // namespace jiandu::monitor
