// The native executor beyond single rules: results independent of the thread count, incremental
// runs equal to what a full run says about the new rows, and errors for absent inputs.
#include "monitor/engine/native_executor.h"

#include <gtest/gtest.h>

#include <set>

#include "monitor/engine/internal/exec_common.h"
#include "monitor/engine/rule_library.h"
#include "monitor/engine/testing/generated_data.h"

namespace jiandu::monitor {
namespace {

using testing::BuiltinSchemas;

constexpr uint64_t kSeed = 7;

std::vector<uint64_t> Keys(const std::vector<Warning>& w) {
  std::vector<uint64_t> out;
  for (const Warning& x : w) out.push_back(x.key);
  return out;
}

// The first `n` rows of `t` (same schema and dictionaries' strings).
Table Slice(const Table& t, size_t begin, size_t end) {
  Table out = Table::Empty(t.schema);
  for (size_t c = 0; c < t.columns.size(); ++c) {
    const Column& src = t.columns[c];
    Column& dst = out.columns[c];
    for (size_t r = begin; r < end; ++r) {
      if (!src.i64.empty()) dst.i64.push_back(src.i64[r]);
      if (!src.i32.empty()) dst.i32.push_back(src.i32[r]);
      if (!src.codes.empty()) {
        dst.codes.push_back(src.codes[r] == kNullCode ? kNullCode
                                                      : dst.dict->Intern(src.dict->At(src.codes[r])));
      }
    }
  }
  out.rows = end - begin;
  return out;
}

TEST(NativeExecutorTest, SameWarningsWithOneOrTwoThreads) {
  testing::Tables data = testing::GenerateData(kSeed, 3);
  Result<std::vector<Rule>> rules = LoadBuiltinRules(BuiltinSchemas());
  ASSERT_TRUE(rules.ok());
  for (const Rule& rule : *rules) {
    SCOPED_TRACE(rule.id);
    Result<std::vector<Warning>> one = RunRule(rule, data.Set(), {.threads = 1});
    Result<std::vector<Warning>> two = RunRule(rule, data.Set(), {.threads = 2});
    ASSERT_TRUE(one.ok() && two.ok());
    ASSERT_EQ(Keys(*one), Keys(*two));
    for (size_t i = 0; i < one->size(); ++i) {
      ASSERT_EQ((*one)[i].evidence.size(), (*two)[i].evidence.size());
      for (size_t e = 0; e < (*one)[i].evidence.size(); ++e) {
        EXPECT_EQ((*one)[i].evidence[e].rows, (*two)[i].evidence[e].rows);
      }
    }
  }
}

// For every rule and every dataset it reads: split the dataset into a base and a batch of its
// last rows; the incremental run over the batch must give exactly the full run's warnings that
// involve a batch row (same keys, same batch rows in the evidence).
TEST(NativeExecutorTest, IncrementalEqualsFullRunRestrictedToTheBatch) {
  testing::Tables data = testing::GenerateData(kSeed);
  Result<std::vector<Rule>> rules = LoadBuiltinRules(BuiltinSchemas());
  ASSERT_TRUE(rules.ok());
  size_t checked_with_findings = 0;
  for (const Rule& rule : *rules) {
    for (const RuleInput& in : rule.inputs) {
      SCOPED_TRACE(rule.id + " batch of " + in.dataset);
      const Table& whole = data.Get(in.dataset);
      const size_t first_new = whole.rows - whole.rows / 5;
      Table base = Slice(whole, 0, first_new);
      Table batch = Slice(whole, first_new, whole.rows);
      TableSet base_set = data.Set();
      base_set[in.dataset] = &base;
      Result<std::vector<Warning>> full = RunRule(rule, data.Set());
      ASSERT_TRUE(full.ok()) << full.status().ToString();
      std::vector<Warning> expected;
      for (const Warning& w : *full) {
        bool touches = false;
        for (const Evidence& e : w.evidence) {
          touches = touches || (e.dataset == in.dataset && !e.rows.empty() && e.rows.back() >= first_new);
        }
        if (touches) expected.push_back(w);
      }
      Result<std::unique_ptr<PreparedRule>> prepared = PreparedRule::Prepare(rule, base_set);
      ASSERT_TRUE(prepared.ok()) << prepared.status().ToString();
      Result<std::vector<Warning>> got = (*prepared)->RunIncremental(in.dataset, batch);
      ASSERT_TRUE(got.ok()) << got.status().ToString();
      ASSERT_EQ(Keys(*got), Keys(expected));
      for (size_t i = 0; i < got->size(); ++i) {
        for (const Evidence& e : (*got)[i].evidence) {
          if (e.dataset != in.dataset) continue;
          for (const Evidence& f : expected[i].evidence) {
            if (f.dataset != e.dataset) continue;
            // The batch's rows must be the same; base rows may be left out (a match warning
            // on a new payment does not repeat the person's earlier payments).
            std::vector<uint32_t> a, b;
            for (uint32_t r : e.rows) if (r >= first_new) a.push_back(r);
            for (uint32_t r : f.rows) if (r >= first_new) b.push_back(r);
            EXPECT_EQ(a, b) << "warning " << i;
          }
        }
      }
      checked_with_findings += expected.empty() ? 0 : 1;
    }
  }
  EXPECT_GE(checked_with_findings, 10u);  // not vacuous
}

TEST(NativeExecutorTest, IncrementalIgnoresDatasetsTheRuleDoesNotRead) {
  testing::Tables data = testing::GenerateData(kSeed);
  Result<Rule> rule = LoadBuiltinRule("G01", BuiltinSchemas());
  ASSERT_TRUE(rule.ok());
  Result<std::unique_ptr<PreparedRule>> p = PreparedRule::Prepare(*rule, data.Set());
  ASSERT_TRUE(p.ok());
  Result<std::vector<Warning>> w = (*p)->RunIncremental("payments", data.Get("payments"));
  ASSERT_TRUE(w.ok());
  EXPECT_TRUE(w->empty());
}

TEST(NativeExecutorTest, MissingDatasetOrColumnIsInvalidArgumentWithItsLocation) {
  testing::Tables data = testing::GenerateData(kSeed);
  Result<Rule> rule = LoadBuiltinRule("R01", BuiltinSchemas());
  ASSERT_TRUE(rule.ok());
  TableSet without_people = data.Set();
  without_people.erase("people");
  Result<std::vector<Warning>> w = RunRule(*rule, without_people);
  ASSERT_FALSE(w.ok());
  EXPECT_TRUE(w.status().IsInvalidArgument());
  EXPECT_EQ(w.status().message(),
            "rule R01 (data/rules/r01_deceased_payee.toml:19): dataset 'people' is not loaded");
}

TEST(NativeExecutorTest, DeadlineOutsideTheCalendarIsFailedPrecondition) {
  testing::Tables t;
  t.Add(testing::MakeTable("approvals", {{"A1", "许可", "局", "2019-09-26", "2019-10-24", "15"}}));
  Result<Rule> rule = LoadBuiltinRule("G04", BuiltinSchemas());
  ASSERT_TRUE(rule.ok());
  Result<std::vector<Warning>> w = RunRule(*rule, t.Set());
  ASSERT_FALSE(w.ok());
  EXPECT_TRUE(w.status().IsFailedPrecondition()) << w.status().ToString();
}

TEST(NativeExecutorTest, StableKeyDependsOnRuleAndValuesOnly) {
  KeyValue a{ColumnType::kIdNumber, false, 42010519491231002, ""};
  KeyValue b{ColumnType::kText, false, 0, "补贴A"};
  EXPECT_EQ(StableKey("R07", {a, b}), StableKey("R07", {a, b}));
  EXPECT_NE(StableKey("R07", {a, b}), StableKey("R01", {a, b}));
  EXPECT_NE(StableKey("R07", {a, b}), StableKey("R07", {b, a}));
  KeyValue null_text{ColumnType::kText, true, 0, ""};
  KeyValue empty_text{ColumnType::kText, false, 0, ""};
  EXPECT_NE(StableKey("R07", {null_text}), StableKey("R07", {empty_text}));
  // Pinned: a stored warning keeps its key across releases (changing the hash is a migration).
  EXPECT_EQ(StableKey("R07", {a, b}), 0xf935d34f51e87059ULL);
}

}  // namespace
}  // namespace jiandu::monitor
