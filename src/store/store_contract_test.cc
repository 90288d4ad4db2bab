// The Store/Tx contract (store.h), written once and run unchanged against every backend
// (STYLE.md §7). Each test gets a database of its own: a fresh temporary file for SQLite, a
// fresh database on the server named by JIANDU_TEST_PG_URL for PostgreSQL. Without that
// variable the PostgreSQL half fails; run it through scripts/with-postgres.sh (make test does):
//   scripts/with-postgres.sh build/src/store/store_contract_test
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <limits>
#include <mutex>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include "store/store.h"
#include "store/testing/test_store.h"

namespace jiandu::store {

// gtest printer, so a failed comparison shows the values (found by argument-dependent lookup).
void PrintTo(const Value& v, std::ostream* os) {
  if (v.is_null()) {
    *os << "NULL";
  } else if (v.is_int()) {
    *os << "int " << v.AsInt();
  } else if (v.is_double()) {
    *os << "double " << v.AsDouble();
  } else if (v.is_text()) {
    *os << "text \"" << v.AsText() << "\"";
  } else {
    *os << "blob of " << v.AsBlob().bytes.size() << " bytes";
  }
}

namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string Describe(const Status& s) { return s.ToString(); }
template <typename T>
std::string Describe(const Result<T>& r) {
  return r.ok() ? "ok" : r.status().ToString();
}

#define ASSERT_OK(expr)                                                 \
  do {                                                                  \
    const auto& jiandu_assert_ok_ = (expr);                             \
    ASSERT_TRUE(jiandu_assert_ok_.ok()) << Describe(jiandu_assert_ok_); \
  } while (false)

#define ASSERT_OK_AND_ASSIGN(lhs, expr) \
  ASSERT_OK_AND_ASSIGN_IMPL_(JIANDU_CONCAT_(jiandu_assign_, __LINE__), lhs, expr)
#define ASSERT_OK_AND_ASSIGN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                               \
  ASSERT_TRUE(tmp.ok()) << Describe(tmp);          \
  lhs = std::move(tmp).value()

// ---- fixture ----------------------------------------------------------------------------------

// The backends come from store/testing: a fresh temporary SQLite file, or a fresh database on
// the server named by JIANDU_TEST_PG_URL (created per test, dropped with the Store).
class StoreContractTest : public ::testing::TestWithParam<testing::Backend> {
 protected:
  void SetUp() override {
    store_ = GetParam().make();
    ASSERT_NE(store_, nullptr) << "could not make a " << GetParam().name << " store";
  }

  // Tables are made by a migration, the way modules make theirs, so {{id}} and {{blob}} work.
  Status CreateSchema(std::string sql) {
    Migration m{.module = "contract_test", .version = 1, .name = "schema", .sql = std::move(sql)};
    return store_->Migrate(std::span<const Migration>(&m, 1));
  }

  // Runs one statement in its own read-write Tx and commits it.
  Status ExecCommitted(std::string_view sql, std::initializer_list<Value> params = {}) {
    std::vector<Value> copy(params);
    return RunInTransaction(*store_, TxMode::kReadWrite,
                            [&](Tx& tx) -> Status { return tx.Exec(sql, copy).status(); });
  }

  // Runs a query in its own read-only Tx.
  Result<Rows> QueryFresh(std::string_view sql, std::initializer_list<Value> params = {}) {
    return QueryFresh(sql, std::vector<Value>(params));
  }
  Result<Rows> QueryFresh(std::string_view sql, const std::vector<Value>& params) {
    return RunInTransaction<Rows>(*store_, TxMode::kReadOnly,
                                  [&](Tx& tx) { return tx.Query(sql, params); });
  }

  // COUNT(*) of `table` in a new read-only Tx, or -1 on error.
  int64_t CountRows(std::string_view table) {
    Result<Rows> rows = QueryFresh("SELECT COUNT(*) FROM " + std::string(table));
    return rows.ok() && rows->size() == 1 ? (*rows)[0].Int(0) : -1;
  }

  std::unique_ptr<Store> store_;
};

std::string AllByteValues() {
  std::string bytes;
  for (int i = 0; i < 256; ++i) {
    bytes += static_cast<char>(i);
  }
  return bytes;
}

// ---- values -----------------------------------------------------------------------------------

TEST_P(StoreContractTest, EveryValueKindRoundTripsThroughATable) {
  ASSERT_OK(
      CreateSchema("CREATE TABLE item (id BIGINT PRIMARY KEY, i BIGINT, d DOUBLE PRECISION, s TEXT,"
                   " b {{blob}})"));
  struct Case {
    const char* column;
    Value value;
  };
  const std::vector<Case> cases = {
      {"i", Value()},
      {"i", std::numeric_limits<int64_t>::min()},
      {"i", std::numeric_limits<int64_t>::max()},
      {"i", 0},
      {"i", -1},
      {"d", 0.1},
      {"d", -2.5e-300},
      {"d", 1.7976931348623157e308},
      {"d", 3.141592653589793},
      {"s", Value()},
      {"s", ""},
      {"s", "张三 监督法第六十二条 😀"},
      {"s", "O'Brien said \"hi\"; it''s"},
      {"s", "what? ?? $1 :x @y %_ \\ \t\n -- /* */ ; DROP TABLE item;"},
      {"b", Value()},
      {"b", Blob{}},
      {"b", Blob{std::string("\0\0x\0", 4)}},
      {"b", Blob{AllByteValues()}},
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    std::string column = cases[i].column;
    ASSERT_OK(ExecCommitted("INSERT INTO item (id, " + column + ") VALUES (?, ?)",
                            {static_cast<int64_t>(i), cases[i].value}));
  }
  for (size_t i = 0; i < cases.size(); ++i) {
    std::string column = cases[i].column;
    ASSERT_OK_AND_ASSIGN(Rows rows, QueryFresh("SELECT " + column + " FROM item WHERE id = ?",
                                               {static_cast<int64_t>(i)}));
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].at(0), cases[i].value) << "case " << i << " in column " << column;
  }
}

TEST_P(StoreContractTest, EveryValueKindRoundTripsAsAParameter) {
  const std::vector<Value> values = {Value(),
                                     std::numeric_limits<int64_t>::min(),
                                     std::numeric_limits<int64_t>::max(),
                                     0.1,
                                     "张三 'quoted' ? $1",
                                     Blob{AllByteValues()}};
  ASSERT_OK_AND_ASSIGN(auto tx, store_->Begin(TxMode::kReadOnly));
  for (const Value& v : values) {
    ASSERT_OK_AND_ASSIGN(Rows rows, tx->Query("SELECT ?", std::span<const Value>(&v, 1)));
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].at(0), v);
  }
}

TEST_P(StoreContractTest, QuestionMarksInLiteralsIdentifiersAndCommentsAreNotPlaceholders) {
  ASSERT_OK_AND_ASSIGN(auto tx, store_->Begin(TxMode::kReadOnly));
  ASSERT_OK_AND_ASSIGN(Rows rows, tx->Query("SELECT 'what?', ?, 'it''s ?' AS \"col?\" /* why? */,"
                                            " ? -- or not?\n",
                                            {7, "z"}));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].Text(0), "what?");
  EXPECT_EQ(rows[0].at(1), Value(7));
  EXPECT_EQ(rows[0].Text(2), "it's ?");
  EXPECT_EQ(rows[0].Text(3), "z");
}

TEST_P(StoreContractTest, WrongNumberOfParametersIsInternal) {
  ASSERT_OK_AND_ASSIGN(auto tx, store_->Begin(TxMode::kReadOnly));
  EXPECT_EQ(tx->Query("SELECT ?, ?", {1}).status().code(), StatusCode::kInternal);
  ASSERT_OK_AND_ASSIGN(auto other, store_->Begin(TxMode::kReadOnly));
  EXPECT_EQ(other->Query("SELECT ?", {1, 2}).status().code(), StatusCode::kInternal);
}

TEST_P(StoreContractTest, InvalidSqlIsInternal) {
  ASSERT_OK_AND_ASSIGN(auto tx, store_->Begin(TxMode::kReadWrite));
  EXPECT_EQ(tx->Exec("SELEKT 1").status().code(), StatusCode::kInternal);
}

// ---- statements -------------------------------------------------------------------------------

TEST_P(StoreContractTest, ReturningGivesGeneratedValues) {
  ASSERT_OK(CreateSchema("CREATE TABLE person (id {{id}}, name TEXT NOT NULL)"));
  ASSERT_OK_AND_ASSIGN(auto tx, store_->Begin(TxMode::kReadWrite));
  ASSERT_OK_AND_ASSIGN(Rows first,
                       tx->Query("INSERT INTO person (name) VALUES (?) RETURNING id", {"王五"}));
  ASSERT_OK_AND_ASSIGN(Rows second,
                       tx->Query("INSERT INTO person (name) VALUES (?) RETURNING id", {"赵六"}));
  ASSERT_EQ(first.size(), 1u);
  ASSERT_EQ(second.size(), 1u);
  EXPECT_GT(second[0].Int(0), first[0].Int(0));
  ASSERT_OK_AND_ASSIGN(Rows renamed,
                       tx->Query("UPDATE person SET name = name || ? WHERE id = ? RETURNING name",
                                 {"（已改）", second[0].Int(0)}));
  ASSERT_EQ(renamed.size(), 1u);
  EXPECT_EQ(renamed[0].Text(0), "赵六（已改）");
  ASSERT_OK(tx->Commit());
}

TEST_P(StoreContractTest, ExecReturnsTheNumberOfRowsChanged) {
  ASSERT_OK(CreateSchema("CREATE TABLE kv (k TEXT PRIMARY KEY, v BIGINT NOT NULL)"));
  ASSERT_OK_AND_ASSIGN(auto tx, store_->Begin(TxMode::kReadWrite));
  for (const char* k : {"a", "b", "c", "d"}) {
    ASSERT_OK_AND_ASSIGN(int64_t inserted, tx->Exec("INSERT INTO kv (k, v) VALUES (?, 1)", {k}));
    EXPECT_EQ(inserted, 1);
  }
  ASSERT_OK_AND_ASSIGN(int64_t updated, tx->Exec("UPDATE kv SET v = 2 WHERE k <> ?", {"a"}));
  EXPECT_EQ(updated, 3);
  ASSERT_OK_AND_ASSIGN(int64_t deleted, tx->Exec("DELETE FROM kv WHERE v = ?", {2}));
  EXPECT_EQ(deleted, 3);
  ASSERT_OK_AND_ASSIGN(int64_t none, tx->Exec("DELETE FROM kv WHERE v = ?", {2}));
  EXPECT_EQ(none, 0);
}

TEST_P(StoreContractTest, OnConflictDoNothingKeepsTheFirstRow) {
  ASSERT_OK(CreateSchema("CREATE TABLE kv (k TEXT PRIMARY KEY, v BIGINT NOT NULL)"));
  ASSERT_OK(ExecCommitted("INSERT INTO kv (k, v) VALUES (?, ?)", {"a", 1}));
  ASSERT_OK_AND_ASSIGN(auto tx, store_->Begin(TxMode::kReadWrite));
  ASSERT_OK_AND_ASSIGN(
      int64_t changed,
      tx->Exec("INSERT INTO kv (k, v) VALUES (?, ?) ON CONFLICT (k) DO NOTHING", {"a", 2}));
  EXPECT_EQ(changed, 0);
  ASSERT_OK(tx->Commit());
  ASSERT_OK_AND_ASSIGN(Rows rows, QueryFresh("SELECT v FROM kv WHERE k = ?", {"a"}));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].Int(0), 1);
}

TEST_P(StoreContractTest, OnConflictDoUpdateMergesIntoTheExistingRow) {
  ASSERT_OK(CreateSchema("CREATE TABLE kv (k TEXT PRIMARY KEY, v BIGINT NOT NULL)"));
  const char* upsert =
      "INSERT INTO kv (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = kv.v + excluded.v";
  ASSERT_OK(ExecCommitted(upsert, {"a", 1}));
  ASSERT_OK(ExecCommitted(upsert, {"a", 5}));
  ASSERT_OK(ExecCommitted(upsert, {"b", 7}));
  ASSERT_OK_AND_ASSIGN(Rows rows, QueryFresh("SELECT k, v FROM kv ORDER BY k"));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].Int(1), 6);
  EXPECT_EQ(rows[1].Int(1), 7);
}

TEST_P(StoreContractTest, LikeWithEscapeLikeMatchesPercentAndUnderscoreLiterally) {
  ASSERT_OK(CreateSchema("CREATE TABLE word (s TEXT NOT NULL)"));
  for (const char* s : {"100%", "1000", "100x", "a_b", "axb", "c\\d", "cxd"}) {
    ASSERT_OK(ExecCommitted("INSERT INTO word (s) VALUES (?)", {s}));
  }
  auto matches = [&](const std::string& pattern) {
    std::vector<std::string> out;
    Result<Rows> rows = QueryFresh("SELECT s FROM word WHERE s LIKE ? ESCAPE '\\'", {pattern});
    EXPECT_TRUE(rows.ok()) << Describe(rows);
    for (const Row& r : rows.value_or({})) {
      out.push_back(r.Text(0));
    }
    std::sort(out.begin(), out.end());
    return out;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(matches(EscapeLike("100%")), V({"100%"}));
  EXPECT_EQ(matches(EscapeLike("100") + "%"), V({"100%", "1000", "100x"}));
  EXPECT_EQ(matches(EscapeLike("a_b")), V({"a_b"}));
  EXPECT_EQ(matches(EscapeLike("c\\d")), V({"c\\d"}));
  EXPECT_EQ(matches("%" + EscapeLike("_") + "%"), V({"a_b"}));
}

TEST_P(StoreContractTest, StartsWithMatchesPathPrefixesExactly) {
  ASSERT_OK(CreateSchema("CREATE TABLE org (id BIGINT PRIMARY KEY, path TEXT NOT NULL)"));
  ASSERT_OK(ExecCommitted("INSERT INTO org (id, path) VALUES (1, '/1/'), (2, '/1/2/'), "
                          "(3, '/1/2/5/'), (4, '/1/23/'), (5, '/1/2%/'), (6, '/9/')"));
  for (const auto& [prefix, expected] :
       std::vector<std::pair<std::string, int64_t>>{{"/1/2/", 2}, {"/1/", 5}, {"/", 6},
                                                    {"/1/2%/", 1}, {"/7/", 0}}) {
    std::vector<Value> params;
    AppendStartsWith(params, prefix);
    ASSERT_OK_AND_ASSIGN(
        Rows rows, QueryFresh("SELECT COUNT(*) FROM org WHERE " + StartsWith("path"), params));
    EXPECT_EQ(rows[0].Int(0), expected) << prefix;
  }
}

TEST_P(StoreContractTest, QueryOneGivesTheFirstRowOrNothing) {
  ASSERT_OK(CreateSchema("CREATE TABLE kv (k TEXT PRIMARY KEY, v BIGINT NOT NULL)"));
  ASSERT_OK(ExecCommitted("INSERT INTO kv (k, v) VALUES ('a', 1), ('b', 2)"));
  ASSERT_OK_AND_ASSIGN(auto tx, store_->Begin(TxMode::kReadOnly));
  ASSERT_OK_AND_ASSIGN(std::optional<Row> none,
                       tx->QueryOne("SELECT v FROM kv WHERE k = ?", {"z"}));
  EXPECT_FALSE(none.has_value());
  ASSERT_OK_AND_ASSIGN(std::optional<Row> first, tx->QueryOne("SELECT v FROM kv ORDER BY k DESC"));
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->Int(0), 2);
}

TEST_P(StoreContractTest, LargeResultsComeBackWhole) {
  constexpr int kRows = 10'000;
  ASSERT_OK(CreateSchema("CREATE TABLE big (n BIGINT PRIMARY KEY, label TEXT NOT NULL)"));
  ASSERT_OK_AND_ASSIGN(auto tx, store_->Begin(TxMode::kReadWrite));
  for (int n = 1; n <= kRows; ++n) {
    ASSERT_OK(tx->Exec("INSERT INTO big (n, label) VALUES (?, ?)", {n, "第" + std::to_string(n)}));
  }
  ASSERT_OK(tx->Commit());
  ASSERT_OK_AND_ASSIGN(Rows rows, QueryFresh("SELECT n, label FROM big ORDER BY n"));
  ASSERT_EQ(rows.size(), static_cast<size_t>(kRows));
  int64_t sum = 0;
  for (size_t i = 0; i < rows.size(); ++i) {
    ASSERT_EQ(rows[i].Int(0), static_cast<int64_t>(i + 1));
    sum += rows[i].Int(0);
  }
  EXPECT_EQ(sum, int64_t{kRows} * (kRows + 1) / 2);
  EXPECT_EQ(rows.back().Text(1), "第10000");
}

// ---- constraint errors ------------------------------------------------------------------------

TEST_P(StoreContractTest, UniqueViolationIsConflictWithoutTheValueInTheMessage) {
  ASSERT_OK(
      CreateSchema("CREATE TABLE account (id BIGINT PRIMARY KEY, email TEXT NOT NULL UNIQUE)"));
  ASSERT_OK(
      ExecCommitted("INSERT INTO account (id, email) VALUES (?, ?)", {1, "zhang.san@example.cn"}));
  Status dup_email =
      ExecCommitted("INSERT INTO account (id, email) VALUES (?, ?)", {2, "zhang.san@example.cn"});
  EXPECT_EQ(dup_email.code(), StatusCode::kConflict) << dup_email.ToString();
  EXPECT_THAT(std::string(dup_email.message()), HasSubstr("account"));
  EXPECT_THAT(std::string(dup_email.message()), Not(HasSubstr("zhang.san")));
  Status dup_key =
      ExecCommitted("INSERT INTO account (id, email) VALUES (?, ?)", {1, "li.si@example.cn"});
  EXPECT_EQ(dup_key.code(), StatusCode::kConflict) << dup_key.ToString();
  EXPECT_EQ(CountRows("account"), 1);
}

TEST_P(StoreContractTest, ForeignKeyViolationIsFailedPrecondition) {
  ASSERT_OK(CreateSchema(
      "CREATE TABLE org (id BIGINT PRIMARY KEY);"
      "CREATE TABLE member (id BIGINT PRIMARY KEY, org_id BIGINT NOT NULL REFERENCES org (id))"));
  ASSERT_OK(ExecCommitted("INSERT INTO org (id) VALUES (1)"));
  ASSERT_OK(ExecCommitted("INSERT INTO member (id, org_id) VALUES (1, 1)"));
  Status orphan = ExecCommitted("INSERT INTO member (id, org_id) VALUES (?, ?)", {2, 99});
  EXPECT_EQ(orphan.code(), StatusCode::kFailedPrecondition) << orphan.ToString();
  Status still_used = ExecCommitted("DELETE FROM org WHERE id = ?", {1});
  EXPECT_EQ(still_used.code(), StatusCode::kFailedPrecondition) << still_used.ToString();
  EXPECT_EQ(CountRows("member"), 1);
  EXPECT_EQ(CountRows("org"), 1);
}

TEST_P(StoreContractTest, CheckAndNotNullViolationsAreFailedPrecondition) {
  ASSERT_OK(
      CreateSchema("CREATE TABLE grade (id BIGINT PRIMARY KEY,"
                   " score BIGINT NOT NULL CHECK (score BETWEEN 0 AND 100))"));
  Status too_high = ExecCommitted("INSERT INTO grade (id, score) VALUES (?, ?)", {1, 101});
  EXPECT_EQ(too_high.code(), StatusCode::kFailedPrecondition) << too_high.ToString();
  Status missing = ExecCommitted("INSERT INTO grade (id, score) VALUES (?, ?)", {2, Value()});
  EXPECT_EQ(missing.code(), StatusCode::kFailedPrecondition) << missing.ToString();
  EXPECT_EQ(CountRows("grade"), 0);
}

// ---- transactions -----------------------------------------------------------------------------

TEST_P(StoreContractTest, RollbackDiscardsWrites) {
  ASSERT_OK(CreateSchema("CREATE TABLE note (id BIGINT PRIMARY KEY)"));
  ASSERT_OK_AND_ASSIGN(auto tx, store_->Begin(TxMode::kReadWrite));
  ASSERT_OK(tx->Exec("INSERT INTO note (id) VALUES (1)"));
  tx->Rollback();
  tx->Rollback();  // safe twice
  EXPECT_EQ(CountRows("note"), 0);
}

TEST_P(StoreContractTest, DestroyingAnUncommittedTxDiscardsWrites) {
  ASSERT_OK(CreateSchema("CREATE TABLE note (id BIGINT PRIMARY KEY)"));
  {
    ASSERT_OK_AND_ASSIGN(auto tx, store_->Begin(TxMode::kReadWrite));
    ASSERT_OK(tx->Exec("INSERT INTO note (id) VALUES (1)"));
  }
  EXPECT_EQ(CountRows("note"), 0);
}

TEST_P(StoreContractTest, CommittedWritesAreVisibleAndUncommittedOnesAreNot) {
  ASSERT_OK(CreateSchema("CREATE TABLE note (id BIGINT PRIMARY KEY)"));
  ASSERT_OK(ExecCommitted("INSERT INTO note (id) VALUES (1)"));
  EXPECT_EQ(CountRows("note"), 1);

  ASSERT_OK_AND_ASSIGN(auto writer, store_->Begin(TxMode::kReadWrite));
  ASSERT_OK(writer->Exec("INSERT INTO note (id) VALUES (2)"));
  ASSERT_OK_AND_ASSIGN(Rows own, writer->Query("SELECT COUNT(*) FROM note"));
  EXPECT_EQ(own[0].Int(0), 2) << "a Tx sees its own writes";
  EXPECT_EQ(CountRows("note"), 1) << "another Tx must not see uncommitted writes";
  ASSERT_OK(writer->Commit());
  EXPECT_EQ(CountRows("note"), 2);
}

TEST_P(StoreContractTest, ReadOnlyTxSeesOneSnapshot) {
  ASSERT_OK(CreateSchema("CREATE TABLE note (id BIGINT PRIMARY KEY)"));
  ASSERT_OK(ExecCommitted("INSERT INTO note (id) VALUES (1)"));
  ASSERT_OK_AND_ASSIGN(auto reader, store_->Begin(TxMode::kReadOnly));
  ASSERT_OK_AND_ASSIGN(Rows before, reader->Query("SELECT COUNT(*) FROM note"));
  ASSERT_OK(ExecCommitted("INSERT INTO note (id) VALUES (2)"));
  ASSERT_OK_AND_ASSIGN(Rows after, reader->Query("SELECT COUNT(*) FROM note"));
  EXPECT_EQ(before[0].Int(0), 1);
  EXPECT_EQ(after[0].Int(0), 1);
  EXPECT_EQ(CountRows("note"), 2);
}

TEST_P(StoreContractTest, ReadOnlyTxCannotWrite) {
  ASSERT_OK(CreateSchema("CREATE TABLE note (id BIGINT PRIMARY KEY)"));
  {
    ASSERT_OK_AND_ASSIGN(auto tx, store_->Begin(TxMode::kReadOnly));
    Result<int64_t> written = tx->Exec("INSERT INTO note (id) VALUES (1)");
    EXPECT_EQ(written.status().code(), StatusCode::kFailedPrecondition) << Describe(written);
    (void)tx->Commit();
  }
  EXPECT_EQ(CountRows("note"), 0);
}

TEST_P(StoreContractTest, AFinishedTxRefusesFurtherUse) {
  ASSERT_OK(CreateSchema("CREATE TABLE note (id BIGINT PRIMARY KEY)"));
  for (bool commit : {true, false}) {
    ASSERT_OK_AND_ASSIGN(auto tx, store_->Begin(TxMode::kReadWrite));
    if (commit) {
      ASSERT_OK(tx->Commit());
    } else {
      tx->Rollback();
    }
    EXPECT_EQ(tx->Exec("INSERT INTO note (id) VALUES (1)").status().code(),
              StatusCode::kFailedPrecondition);
    EXPECT_EQ(tx->Query("SELECT id FROM note").status().code(), StatusCode::kFailedPrecondition);
    EXPECT_EQ(tx->ExecScript("INSERT INTO note (id) VALUES (2)").code(),
              StatusCode::kFailedPrecondition);
    EXPECT_EQ(tx->Commit().code(), StatusCode::kFailedPrecondition);
    tx->Rollback();
  }
  EXPECT_EQ(CountRows("note"), 0);
}

TEST_P(StoreContractTest, StoreKeepsWorkingAfterFailedTransactions) {
  ASSERT_OK(CreateSchema("CREATE TABLE note (id BIGINT PRIMARY KEY)"));
  for (int i = 0; i < 20; ++i) {
    {
      ASSERT_OK_AND_ASSIGN(auto failed, store_->Begin(TxMode::kReadWrite));
      ASSERT_OK(failed->Exec("INSERT INTO note (id) VALUES (?)", {1000 + i}));
      EXPECT_FALSE(failed->Exec("INSERT INTO missing_table (id) VALUES (1)").ok());
    }
    ASSERT_OK(ExecCommitted("INSERT INTO note (id) VALUES (?)", {i}));
  }
  EXPECT_EQ(CountRows("note"), 20);
}

TEST_P(StoreContractTest, ConcurrentIncrementsGiveTheExactTotal) {
  constexpr int kThreads = 8;
  constexpr int kIncrements = 200;
  ASSERT_OK(CreateSchema("CREATE TABLE counter (id BIGINT PRIMARY KEY, n BIGINT NOT NULL)"));
  ASSERT_OK(ExecCommitted("INSERT INTO counter (id, n) VALUES (1, 0)"));
  std::atomic<int> retries{0};
  std::mutex mu;
  std::vector<std::string> errors;  // guarded by mu
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kIncrements; ++i) {
        Status s;
        do {
          s = RunInTransaction(*store_, TxMode::kReadWrite, [](Tx& tx) -> Status {
            return tx.Exec("UPDATE counter SET n = n + 1 WHERE id = ?", {1}).status();
          });
        } while (s.IsConflict() && ++retries < 100'000);
        if (!s.ok()) {
          std::lock_guard lock(mu);
          errors.push_back(s.ToString());
          return;
        }
      }
    });
  }
  for (std::thread& t : threads) {
    t.join();
  }
  EXPECT_THAT(errors, ::testing::IsEmpty());
  ASSERT_OK_AND_ASSIGN(Rows rows, QueryFresh("SELECT n FROM counter WHERE id = 1"));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].Int(0), kThreads * kIncrements);
}

// Read-then-write in one transaction (a duplicate check, a holder count, the audit head) must not
// lose updates on either backend: read-write transactions do not interleave.
TEST_P(StoreContractTest, ReadThenWriteTransactionsDoNotLoseUpdates) {
  constexpr int kThreads = 8;
  constexpr int kIncrements = 50;
  ASSERT_OK(CreateSchema("CREATE TABLE counter (id BIGINT PRIMARY KEY, n BIGINT NOT NULL)"));
  ASSERT_OK(ExecCommitted("INSERT INTO counter (id, n) VALUES (1, 0)"));
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kIncrements; ++i) {
        Status s = RunInTransaction(*store_, TxMode::kReadWrite, [](Tx& tx) -> Status {
          JIANDU_ASSIGN_OR_RETURN(std::optional<Row> row,
                                  tx.QueryOne("SELECT n FROM counter WHERE id = 1"));
          return tx.Exec("UPDATE counter SET n = ? WHERE id = 1", {row->Int(0) + 1}).status();
        });
        failures += !s.ok();
      }
    });
  }
  for (std::thread& t : threads) {
    t.join();
  }
  EXPECT_EQ(failures.load(), 0);
  ASSERT_OK_AND_ASSIGN(Rows rows, QueryFresh("SELECT n FROM counter WHERE id = 1"));
  EXPECT_EQ(rows[0].Int(0), kThreads * kIncrements);
}

// Concurrent writes through RunWrite (which SQLite runs back to back on one thread and commits
// together) mixed with Begin/Commit writers: each write's outcome is its own. A write whose
// function fails, or that swallowed a failed statement, leaves nothing behind and does not
// affect the writes committed with it.
TEST_P(StoreContractTest, ConcurrentWritesKeepTheirOwnOutcomes) {
  constexpr int kThreads = 12;
  constexpr int kWrites = 40;
  ASSERT_OK(CreateSchema("CREATE TABLE w (id BIGINT PRIMARY KEY, t BIGINT NOT NULL)"));
  std::atomic<int> committed{0}, refused{0}, wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kWrites; ++i) {
        const int64_t id = t * 1000 + i;
        const int kind = (t + i) % 4;  // 0, 1 commit; 2 fails in fn; 3 swallows a conflict
        Status s;
        if (kind == 1) {  // the Begin/Commit path, interleaved with the combined one
          Result<std::unique_ptr<Tx>> tx = store_->Begin(TxMode::kReadWrite);
          s = tx.ok() ? (*tx)->Exec("INSERT INTO w (id, t) VALUES (?, ?)", {id, t}).status()
                      : tx.status();
          if (s.ok()) s = (*tx)->Commit();
        } else {
          s = store_->RunWrite([&](Tx& tx) -> Status {
            JIANDU_RETURN_IF_ERROR(tx.Exec("INSERT INTO w (id, t) VALUES (?, ?)", {id, t}).status());
            if (kind == 2) return Status::InvalidArgument("x", "refused after writing");
            if (kind == 3) {  // a duplicate key, ignored by the function: must still roll back
              (void)tx.Exec("INSERT INTO w (id, t) VALUES (?, ?)", {id, t});
            }
            return Status::Ok();
          });
        }
        bool should_commit = kind <= 1;
        if (s.ok() != should_commit) ++wrong;
        (s.ok() ? committed : refused)++;
        if (kind == 2 && s.code() != StatusCode::kInvalidArgument) ++wrong;
        if (kind == 3 && s.code() != StatusCode::kConflict) ++wrong;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_EQ(committed.load(), kThreads * kWrites / 2);
  EXPECT_EQ(CountRows("w"), committed.load());
  ASSERT_OK_AND_ASSIGN(Rows odd, QueryFresh("SELECT COUNT(*) FROM w WHERE (id / 1000 + id % 1000) % 4 >= 2"));
  EXPECT_EQ(odd[0].Int(0), 0);
}

TEST_P(StoreContractTest, AsyncWritesReportEachOutcomeOnceAlongsideSyncWrites) {
  constexpr int kThreads = 8;
  constexpr int kWrites = 50;
  ASSERT_OK(CreateSchema("CREATE TABLE w (id BIGINT PRIMARY KEY, t BIGINT NOT NULL)"));
  // One slot per write (and per chained write): how often its `done` ran, and with what.
  std::vector<std::atomic<int>> calls(kThreads * kWrites * 2);
  std::vector<std::atomic<int>> codes(kThreads * kWrites * 2);
  std::mutex mu;
  std::condition_variable cv;
  int outstanding = 0;  // guarded by mu
  auto started = [&] { std::lock_guard l(mu); ++outstanding; };
  auto finished = [&] {
    std::lock_guard l(mu);
    if (--outstanding == 0) cv.notify_all();
  };
  auto insert = [](int64_t id, int64_t t, bool fail) {
    return [id, t, fail](Tx& tx) -> Status {
      JIANDU_RETURN_IF_ERROR(tx.Exec("INSERT INTO w (id, t) VALUES (?, ?)", {id, t}).status());
      return fail ? Status::InvalidArgument("x", "refused after writing") : Status::Ok();
    };
  };
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kWrites; ++i) {
        const int slot = t * kWrites + i;
        const int64_t id = slot;
        const int kind = (t + i) % 4;  // 0 async commit; 1 async refused; 2 sync; 3 async chain
        if (kind == 2) {
          if (!store_->RunWrite(insert(id, t, false)).ok()) ++wrong;
          continue;
        }
        started();
        store_->RunWriteAsync(insert(id, t, kind == 1), [&, slot, kind, t](Status s) {
          ++calls[slot];
          codes[slot] = static_cast<int>(s.code());
          if (kind == 3 && s.ok()) {
            // A completion that queues the next write (as a server answering and going on).
            const int next = kThreads * kWrites + slot;
            started();
            store_->RunWriteAsync(insert(next, t, false), [&, next](Status s2) {
              ++calls[next];
              codes[next] = static_cast<int>(s2.code());
              finished();
            });
          }
          finished();
        });
      }
    });
  }
  for (std::thread& t : threads) t.join();
  {
    std::unique_lock l(mu);
    ASSERT_TRUE(cv.wait_for(l, std::chrono::seconds(60), [&] { return outstanding == 0; }))
        << outstanding << " completions never ran";
  }
  EXPECT_EQ(wrong.load(), 0);
  int64_t expected_rows = 0;
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kWrites; ++i) {
      const int slot = t * kWrites + i;
      const int kind = (t + i) % 4;
      if (kind == 2) {
        ++expected_rows;
        continue;
      }
      EXPECT_EQ(calls[slot].load(), 1) << slot;
      EXPECT_EQ(codes[slot].load(), static_cast<int>(kind == 1 ? StatusCode::kInvalidArgument
                                                               : StatusCode::kOk))
          << slot;
      if (kind != 1) ++expected_rows;
      if (kind == 3) {
        EXPECT_EQ(calls[kThreads * kWrites + slot].load(), 1) << slot;
        EXPECT_EQ(codes[kThreads * kWrites + slot].load(), static_cast<int>(StatusCode::kOk));
        ++expected_rows;
      }
    }
  }
  EXPECT_EQ(CountRows("w"), expected_rows);
  ASSERT_OK_AND_ASSIGN(
      Rows refused, QueryFresh("SELECT COUNT(*) FROM w WHERE id < 400 AND (id / 50 + id % 50) % 4 = 1"));
  EXPECT_EQ(refused[0].Int(0), 0);
}

TEST_P(StoreContractTest, RunWriteRefusesACommitFromInsideItsFunction) {
  ASSERT_OK(CreateSchema("CREATE TABLE w (id BIGINT PRIMARY KEY)"));
  Status s = store_->RunWrite([](Tx& tx) -> Status {
    JIANDU_RETURN_IF_ERROR(tx.Exec("INSERT INTO w (id) VALUES (1)").status());
    return tx.Commit();
  });
  EXPECT_FALSE(s.ok());
  ASSERT_OK_AND_ASSIGN(Rows ids, QueryFresh("SELECT id FROM w"));
  EXPECT_EQ(ids.size(), 0u) << ids[0].Int(0);
  ASSERT_OK(ExecCommitted("INSERT INTO w (id) VALUES (2)"));
  ASSERT_OK_AND_ASSIGN(Rows after, QueryFresh("SELECT id FROM w ORDER BY id"));
  ASSERT_EQ(after.size(), 1u) << after[0].Int(0);
  EXPECT_EQ(after[0].Int(0), 2);
}

// ---- migrations -------------------------------------------------------------------------------

std::vector<Migration> SeedMigrations() {
  return {
      {.module = "seed",
       .version = 1,
       .name = "table",
       .sql = "CREATE TABLE seed (id BIGINT PRIMARY KEY, note TEXT);"
              "INSERT INTO seed (id, note) VALUES (1, 'first')"},
      {.module = "seed",
       .version = 2,
       .name = "second row",
       .sql = "INSERT INTO seed (id, note) VALUES (2, 'second')"},
  };
}

TEST_P(StoreContractTest, MigrationsApplyOnceAndRerunningIsANoOp) {
  std::vector<Migration> migrations = SeedMigrations();
  for (int run = 0; run < 3; ++run) {
    ASSERT_OK(store_->Migrate(migrations));
    EXPECT_EQ(CountRows("seed"), 2) << "after run " << run;
  }
  ASSERT_OK_AND_ASSIGN(Rows applied, QueryFresh("SELECT version FROM schema_migrations"
                                                " WHERE module = ? ORDER BY version",
                                                {"seed"}));
  ASSERT_EQ(applied.size(), 2u);
  EXPECT_EQ(applied[0].Int(0), 1);
  EXPECT_EQ(applied[1].Int(0), 2);
}

TEST_P(StoreContractTest, MigrationsAddedLaterAreApplied) {
  std::vector<Migration> migrations = SeedMigrations();
  ASSERT_OK(store_->Migrate(std::span<const Migration>(migrations.data(), 1)));
  EXPECT_EQ(CountRows("seed"), 1);
  ASSERT_OK(store_->Migrate(migrations));
  EXPECT_EQ(CountRows("seed"), 2);
}

TEST_P(StoreContractTest, AChangedAppliedMigrationIsRefused) {
  std::vector<Migration> migrations = SeedMigrations();
  ASSERT_OK(store_->Migrate(migrations));
  migrations[1].sql = "INSERT INTO seed (id, note) VALUES (2, 'changed')";
  Status s = store_->Migrate(migrations);
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition) << s.ToString();
  ASSERT_OK_AND_ASSIGN(Rows rows, QueryFresh("SELECT note FROM seed WHERE id = 2"));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].Text(0), "second");
}

TEST_P(StoreContractTest, AFailedMigrationLeavesNoTrace) {
  Migration broken{.module = "broken",
                   .version = 1,
                   .name = "fails halfway",
                   .sql =
                       "CREATE TABLE half (id BIGINT PRIMARY KEY);"
                       "INSERT INTO half (id) VALUES (1);"
                       "INSERT INTO half (id) VALUES (1)"};
  EXPECT_FALSE(store_->Migrate(std::span<const Migration>(&broken, 1)).ok());
  EXPECT_EQ(CountRows("half"), -1) << "the table must not exist";
  ASSERT_OK_AND_ASSIGN(Rows recorded, QueryFresh("SELECT COUNT(*) FROM schema_migrations"
                                                 " WHERE module = ?",
                                                 {"broken"}));
  EXPECT_EQ(recorded[0].Int(0), 0);
}

TEST_P(StoreContractTest, IdTokenGivesIncreasingIds) {
  ASSERT_OK(CreateSchema("CREATE TABLE event (id {{id}}, kind TEXT NOT NULL)"));
  std::vector<int64_t> ids;
  for (const char* kind : {"a", "b", "c", "d"}) {
    ASSERT_OK(ExecCommitted("INSERT INTO event (kind) VALUES (?)", {kind}));
  }
  ASSERT_OK_AND_ASSIGN(Rows rows, QueryFresh("SELECT id, kind FROM event ORDER BY kind"));
  ASSERT_EQ(rows.size(), 4u);
  for (size_t i = 1; i < rows.size(); ++i) {
    EXPECT_GT(rows[i].Int(0), rows[i - 1].Int(0));
  }
  EXPECT_TRUE(rows[0].at(0).is_int());
}

TEST_P(StoreContractTest, BlobTokenStoresBytes) {
  ASSERT_OK(
      CreateSchema("CREATE TABLE attachment (id BIGINT PRIMARY KEY, data {{blob}} NOT NULL)"));
  Blob bytes{AllByteValues() + std::string("\0\0", 2) + AllByteValues()};
  ASSERT_OK(ExecCommitted("INSERT INTO attachment (id, data) VALUES (?, ?)", {1, bytes}));
  ASSERT_OK_AND_ASSIGN(Rows rows, QueryFresh("SELECT data FROM attachment WHERE id = 1"));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].Bytes(0), bytes);
  EXPECT_TRUE(rows[0].at(0).is_blob());
}

INSTANTIATE_TEST_SUITE_P(Sqlite, StoreContractTest,
                         ::testing::Values(testing::Backend{"Sqlite",
                                                            &testing::MakeTempSqliteStore}),
                         testing::BackendName);
INSTANTIATE_TEST_SUITE_P(Postgres, StoreContractTest,
                         ::testing::Values(testing::Backend{"Postgres",
                                                            &testing::MakeTestPostgresStore}),
                         testing::BackendName);

}  // namespace
}  // namespace jiandu::store
