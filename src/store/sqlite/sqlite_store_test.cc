// SQLite-specific behaviour: durability settings and group commit. The portable contract is in
// store_contract_test.cc.
#include "store/sqlite/sqlite_store.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <thread>

namespace jiandu::store {
namespace {

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("jiandu_sqlite_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::unique_ptr<Store> Open(bool durable = true) {
    auto s = OpenSqliteStore({.path = (dir_ / "t.db").string(), .durable = durable});
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? std::move(*s) : nullptr;
  }

  std::filesystem::path dir_;
};

TEST_F(SqliteStoreTest, UsesWalFullSyncAndForeignKeys) {
  auto db = Open();
  auto tx = db->Begin(TxMode::kReadWrite);
  ASSERT_TRUE(tx.ok());
  EXPECT_EQ((*tx)->QueryOne("PRAGMA journal_mode")->value().Text(0), "wal");
  EXPECT_EQ((*tx)->QueryOne("PRAGMA synchronous")->value().Int(0), 2);  // FULL
  EXPECT_EQ((*tx)->QueryOne("PRAGMA foreign_keys")->value().Int(0), 1);
  EXPECT_GT((*tx)->QueryOne("PRAGMA busy_timeout")->value().Int(0), 0);
}

TEST_F(SqliteStoreTest, RefusesInMemoryDatabases) {
  EXPECT_TRUE(OpenSqliteStore({.path = ":memory:"}).status().IsInvalidArgument());
}

TEST_F(SqliteStoreTest, GroupCommitKeepsEveryCommittedTxAndDropsFailedOnes) {
  auto db = Open();
  ASSERT_TRUE(RunInTransaction(*db, TxMode::kReadWrite, [](Tx& tx) {
                return tx.ExecScript("CREATE TABLE t (k BIGINT PRIMARY KEY, v TEXT NOT NULL)");
              }).ok());
  constexpr int kThreads = 16, kPerThread = 50;
  std::atomic<int> committed{0}, refused{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        // Every fifth transaction writes a row, then a duplicate key, and must vanish whole
        // without harming the others sharing its batch.
        const int key = t * 1000 + i;
        Status s = RunInTransaction(*db, TxMode::kReadWrite, [&](Tx& tx) -> Status {
          JIANDU_RETURN_IF_ERROR(tx.Exec("INSERT INTO t VALUES (?, 'x')", {key}));
          if (i % 5 == 0) {
            return tx.Exec("INSERT INTO t VALUES (?, 'dup')", {key}).status();
          }
          return Status::Ok();
        });
        (s.ok() ? committed : refused)++;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(committed.load(), kThreads * kPerThread * 4 / 5);
  EXPECT_EQ(refused.load(), kThreads * kPerThread / 5);
  // Reopen: everything committed is durable, nothing refused is there.
  db.reset();
  db = Open();
  auto tx = db->Begin(TxMode::kReadOnly);
  ASSERT_TRUE(tx.ok());
  EXPECT_EQ((*tx)->QueryOne("SELECT COUNT(*) FROM t")->value().Int(0), committed.load());
  EXPECT_EQ((*tx)->QueryOne("SELECT COUNT(*) FROM t WHERE k % 1000 % 5 = 0")->value().Int(0),
            0);
}

TEST_F(SqliteStoreTest, ReadersDoNotBlockOnAnOpenWriter) {
  auto db = Open();
  ASSERT_TRUE(RunInTransaction(*db, TxMode::kReadWrite, [](Tx& tx) {
                return tx.ExecScript("CREATE TABLE t (v BIGINT); INSERT INTO t VALUES (1)");
              }).ok());
  auto writer = db->Begin(TxMode::kReadWrite);
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE((*writer)->Exec("UPDATE t SET v = 2").ok());
  auto reader = db->Begin(TxMode::kReadOnly);
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ((*reader)->QueryOne("SELECT v FROM t")->value().Int(0), 1);  // snapshot before
  EXPECT_FALSE((*reader)->Exec("UPDATE t SET v = 3").ok());               // read-only
  ASSERT_TRUE((*writer)->Commit().ok());
}

}  // namespace
}  // namespace jiandu::store
