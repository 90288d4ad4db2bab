#include "audit/audit_log.h"

#include <gtest/gtest.h>

#include <thread>

#include "audit/event_encoding.h"
#include "core/sha256.h"
#include "store/testing/test_store.h"

namespace jiandu::audit {
namespace {

using store::testing::Backend;

class AuditLogTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    db_ = GetParam().make();
    ASSERT_NE(db_, nullptr);
    std::vector<store::Migration> m = Migrations();
    ASSERT_TRUE(db_->Migrate(m).ok());
  }

  void AppendEvents(int n) {
    for (int i = 0; i < n; ++i) {
      Status s = store::RunInTransaction(*db_, store::TxMode::kReadWrite, [&](store::Tx& tx) {
        EventInput e{.actor = "user:1", .action = "person.create", .entity_type = "person",
                     .entity_id = std::to_string(i + 1), .org_path = "/1/"};
        e.change.Created("name", "李明" + std::to_string(i));
        return log_.Append(tx, e).status();
      });
      ASSERT_TRUE(s.ok()) << s.ToString();
    }
  }

  void Tamper(const std::string& sql) {
    Status s = store::RunInTransaction(*db_, store::TxMode::kReadWrite,
                                       [&](store::Tx& tx) { return tx.ExecScript(sql); });
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  VerifyReport Verify() {
    Result<VerifyReport> r = log_.Verify(*db_);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : VerifyReport{};
  }

  core::FakeClock clock_{core::Timestamp::FromUnixSeconds(1'760'000'000)};
  AuditLog log_{clock_};
  std::unique_ptr<store::Store> db_;
};

TEST_P(AuditLogTest, EmptyLogVerifies) {
  VerifyReport r = Verify();
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.events_checked, 0);
}

TEST_P(AuditLogTest, AppendedEventsVerifyAndChain) {
  AppendEvents(5);
  VerifyReport r = Verify();
  EXPECT_TRUE(r.ok) << r.reason;
  EXPECT_EQ(r.events_checked, 5);
  Result<std::vector<Event>> events = store::RunInTransaction<std::vector<Event>>(
      *db_, store::TxMode::kReadOnly, [&](store::Tx& tx) { return log_.List(tx, {.limit = 10}); });
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 5u);
  // Newest first; each event links to the one before.
  for (size_t i = 0; i + 1 < events->size(); ++i) {
    EXPECT_EQ((*events)[i].seq, (*events)[i + 1].seq + 1);
    EXPECT_EQ((*events)[i].prev_hash, (*events)[i + 1].hash);
  }
  EXPECT_EQ(events->back().prev_hash, kZeroHashHex);
  EXPECT_EQ(events->front().summary, "name");
}

TEST_P(AuditLogTest, DetectsEditedEvent) {
  AppendEvents(5);
  Tamper("UPDATE audit_event SET action = 'person.delete' WHERE seq = 3");
  VerifyReport r = Verify();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_broken_seq, 3);
}

TEST_P(AuditLogTest, DetectsEditedTimestampOrDigest) {
  AppendEvents(4);
  Tamper("UPDATE audit_event SET at = at + 1 WHERE seq = 2");
  EXPECT_EQ(Verify().first_broken_seq, 2);
}

TEST_P(AuditLogTest, DetectsEditWithRecomputedOwnHash) {
  // An attacker who recomputes the edited event's hash still breaks the next link.
  AppendEvents(4);
  Result<std::vector<Event>> events = store::RunInTransaction<std::vector<Event>>(
      *db_, store::TxMode::kReadOnly,
      [&](store::Tx& tx) { return log_.List(tx, {.entity_id = "2", .limit = 1}); });
  ASSERT_TRUE(events.ok());
  Event e = events->front();
  e.actor = "user:99";
  std::string forged = ChainHashHex(e.prev_hash, LeafHash(e));
  Tamper("UPDATE audit_event SET actor = 'user:99', hash = '" + forged + "' WHERE seq = 2");
  EXPECT_EQ(Verify().first_broken_seq, 3);
}

TEST_P(AuditLogTest, DetectsDeletedEvent) {
  AppendEvents(5);
  Tamper("DELETE FROM audit_event WHERE seq = 2");
  VerifyReport r = Verify();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_broken_seq, 2);
}

TEST_P(AuditLogTest, DetectsDeletedLastEvent) {
  AppendEvents(5);
  Tamper("DELETE FROM audit_event WHERE seq = 5");
  EXPECT_EQ(Verify().first_broken_seq, 5);
}

TEST_P(AuditLogTest, DetectsInsertedEvent) {
  AppendEvents(3);
  Tamper(
      "INSERT INTO audit_event (seq, at, actor, action, entity_type, entity_id, org_path, "
      "summary, change_digest, prev_hash, hash) SELECT 4, at, actor, action, entity_type, "
      "entity_id, org_path, summary, change_digest, hash, hash FROM audit_event WHERE seq = 3");
  VerifyReport r = Verify();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_broken_seq, 4);
}

TEST_P(AuditLogTest, DetectsReorderedEvents) {
  AppendEvents(5);
  // Swap the contents of events 2 and 3, keeping the sequence numbers in place.
  Tamper("UPDATE audit_event SET seq = -2 WHERE seq = 2;"
         "UPDATE audit_event SET seq = 2 WHERE seq = 3;"
         "UPDATE audit_event SET seq = 3 WHERE seq = -2");
  EXPECT_EQ(Verify().first_broken_seq, 2);
}

TEST_P(AuditLogTest, DetectsEditedHead) {
  AppendEvents(3);
  Tamper("UPDATE audit_head SET hash = '" + std::string(kZeroHashHex) + "' WHERE id = 1");
  EXPECT_EQ(Verify().first_broken_seq, 3);
}

TEST_P(AuditLogTest, RolledBackAppendLeavesNoTrace) {
  AppendEvents(2);
  {
    Result<std::unique_ptr<store::Tx>> tx = db_->Begin(store::TxMode::kReadWrite);
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE(log_.Append(**tx, {.actor = "cli", .action = "org.create", .entity_type = "org",
                                   .entity_id = "1"})
                    .ok());
    (*tx)->Rollback();
  }
  AppendEvents(1);
  VerifyReport r = Verify();
  EXPECT_TRUE(r.ok) << r.reason;
  EXPECT_EQ(r.events_checked, 3);
}

TEST_P(AuditLogTest, ConcurrentAppendsStayConsecutive) {
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] { AppendEvents(25); });
  }
  for (auto& t : threads) {
    t.join();
  }
  VerifyReport r = Verify();
  EXPECT_TRUE(r.ok) << r.reason;
  EXPECT_EQ(r.events_checked, 100);
}

TEST_P(AuditLogTest, RefusesIncompleteEvent) {
  Status s = store::RunInTransaction(*db_, store::TxMode::kReadWrite, [&](store::Tx& tx) {
    return log_.Append(tx, {.actor = "", .action = "x", .entity_type = "y", .entity_id = "1"})
        .status();
  });
  EXPECT_TRUE(s.IsInvalidArgument());
}

INSTANTIATE_TEST_SUITE_P(Backends, AuditLogTest,
                         ::testing::ValuesIn(store::testing::AllBackends()),
                         store::testing::BackendName);

// The encoding is a stored format: a change here breaks every existing chain.
TEST(EventEncodingTest, LeafHashIsStable) {
  Event e;
  e.seq = 7;
  e.at = core::Timestamp::FromUnixMicros(1'700'000'000'000'000);
  e.actor = "user:3";
  e.action = "person.create";
  e.entity_type = "person";
  e.entity_id = "42";
  e.org_path = "/1/2/";
  e.summary = "name";
  e.change_digest = "ab";
  std::string enc = EncodeEvent(e);
  EXPECT_EQ(enc.substr(0, 5), std::string("JDAE\x01", 5));
  EXPECT_EQ(enc.size(), 5u + 8 + 8 + 7 * 4 + 6 + 13 + 6 + 2 + 5 + 4 + 2);
  // Golden values, recomputed independently from docs/audit-format.md.
  EXPECT_EQ(core::HexEncode(LeafHash(e)),
            "a3bf9c8785c5aaf8a6d3517b6556415cbe9d740ae6046afb9a6e6ed812d66390");
  EXPECT_EQ(ChainHashHex(kZeroHashHex, LeafHash(e)),
            "9c46b2bff2ff6e193c545a539df407121d0aa5f1e8e88142ab19d12f78152a2e");
  // Changing any field changes the leaf.
  Event f = e;
  f.entity_id = "43";
  EXPECT_NE(LeafHash(e), LeafHash(f));
}

TEST(ChangeSetTest, RecordsOnlyChangedFieldsSorted) {
  ChangeSet c;
  c.Set("phone", "1", "1");
  c.Set("name", "a", "b");
  c.Touch("id_number");
  EXPECT_EQ(c.Summary(), "id_number,name");
  ChangeSet d;
  d.Set("name", "a", "c");
  d.Touch("id_number");
  EXPECT_NE(c.Digest(), d.Digest());
}

}  // namespace
}  // namespace jiandu::audit
