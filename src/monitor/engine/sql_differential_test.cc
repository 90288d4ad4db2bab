// The differential test of DESIGN.md §4: every built-in rule runs on the native executor and,
// compiled to SQL, inside PostgreSQL over the same generated data; the warnings must be
// identical (stable keys, the values behind them, levels). Needs JIANDU_TEST_PG_URL
// (scripts/with-postgres.sh; `make test` provides it).
#include <gtest/gtest.h>

#include "core/calendar.h"
#include "monitor/engine/native_executor.h"
#include "monitor/engine/rule_library.h"
#include "monitor/engine/sql_compiler.h"
#include "monitor/engine/sql_executor.h"
#include "monitor/engine/testing/generated_data.h"
#include "store/testing/test_store.h"

namespace jiandu::monitor {
namespace {

using testing::BuiltinSchemas;

constexpr uint64_t kSeed = 20261124;

class SqlDifferentialTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    data_ = new testing::Tables(testing::GenerateData(kSeed));
    db_ = store::testing::MakeTestPostgresStore().release();
    ASSERT_NE(db_, nullptr);
    std::string script;
    for (const auto& [name, table] : data_->Set()) {
      script += CreateTableSql(table->schema) + ";\n" + InsertRowsSql(*table, 0, table->rows);
    }
    Result<std::string> calendar = CalendarTableSql(core::Calendar::Default());
    ASSERT_TRUE(calendar.ok()) << calendar.status().ToString();
    script += *calendar;
    Status s = store::RunInTransaction(*db_, store::TxMode::kReadWrite,
                                       [&](store::Tx& tx) { return tx.ExecScript(script); });
    ASSERT_TRUE(s.ok()) << s.ToString();
  }
  static void TearDownTestSuite() {
    delete db_;
    delete data_;
  }

  static testing::Tables* data_;
  static store::Store* db_;
};

testing::Tables* SqlDifferentialTest::data_ = nullptr;
store::Store* SqlDifferentialTest::db_ = nullptr;

TEST_F(SqlDifferentialTest, EveryBuiltinRuleGivesIdenticalWarningsOnBothExecutors) {
  Result<std::vector<Rule>> rules = LoadBuiltinRules(BuiltinSchemas());
  ASSERT_TRUE(rules.ok()) << rules.status().ToString();
  ASSERT_EQ(rules->size(), 11u);
  for (const Rule& rule : *rules) {
    SCOPED_TRACE("rule " + rule.id + " (seed " + std::to_string(kSeed) + ")");
    Result<std::vector<Warning>> native = RunRule(rule, data_->Set());
    ASSERT_TRUE(native.ok()) << native.status().ToString();
    Result<CompiledRule> compiled = CompileRule(rule, BuiltinSchemas());
    ASSERT_TRUE(compiled.ok()) << compiled.status().ToString();
    Result<std::unique_ptr<store::Tx>> tx = db_->Begin(store::TxMode::kReadOnly);
    ASSERT_TRUE(tx.ok()) << tx.status().ToString();
    Result<std::vector<Warning>> sql = RunRuleSql(rule, *compiled, **tx);
    ASSERT_TRUE(sql.ok()) << sql.status().ToString() << "\n" << compiled->sql;
    // Not vacuous: the generated data holds cases for every rule.
    EXPECT_GT(native->size(), 0u);
    ASSERT_EQ(native->size(), sql->size()) << compiled->sql;
    for (size_t i = 0; i < native->size(); ++i) {
      const Warning& a = (*native)[i];
      const Warning& b = (*sql)[i];
      ASSERT_EQ(a.KeyHex(), b.KeyHex()) << "warning " << i;
      EXPECT_EQ(a.key_values, b.key_values) << "warning " << i;
      EXPECT_EQ(a.level, b.level);
      EXPECT_EQ(a.rule_version, b.rule_version);
      // Every subject the SQL reports is one the native executor reports.
      for (const Subject& s : b.subjects) {
        EXPECT_NE(std::find(a.subjects.begin(), a.subjects.end(), s), a.subjects.end())
            << "subject " << s.role << " of warning " << i;
      }
    }
    std::printf("%-8s native %zu, postgres %zu warnings\n", rule.id.c_str(), native->size(),
                sql->size());
  }
}

}  // namespace
}  // namespace jiandu::monitor
