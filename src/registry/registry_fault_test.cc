// Fault injection: fail the N-th database call of a registration and an appointment for every N
// until they succeed; after each failure nothing partial is visible and the audit chain verifies.
#include <gtest/gtest.h>

#include "auth/auth_schema.h"
#include "core/resident_id.h"
#include "registry/appointment_service.h"
#include "registry/org_service.h"
#include "registry/person_service.h"
#include "registry/registry_schema.h"
#include "store/testing/fault_injecting_store.h"
#include "store/testing/test_store.h"

namespace jiandu::registry {
namespace {

class RegistryFaultTest : public ::testing::TestWithParam<store::testing::Backend> {};

int64_t Count(store::Store& db, const std::string& table) {
  return store::RunInTransaction<int64_t>(db, store::TxMode::kReadOnly,
                                          [&](store::Tx& tx) -> Result<int64_t> {
    JIANDU_ASSIGN_OR_RETURN(auto r, tx.QueryOne("SELECT COUNT(*) FROM " + table));
    return r->Int(0);
  }).value_or(-1);
}

TEST_P(RegistryFaultTest, NoPartialWritesAtAnyFailurePoint) {
  std::unique_ptr<store::Store> db = GetParam().make();
  ASSERT_NE(db, nullptr);
  std::vector<store::Migration> m = audit::Migrations();
  for (auto& x : auth::Migrations()) m.push_back(x);
  for (auto& x : Migrations()) m.push_back(x);
  ASSERT_TRUE(db->Migrate(m).ok());
  core::FakeClock clock(core::Timestamp::FromUnixSeconds(1'790'000'000));
  audit::AuditLog audit(clock);
  auth::SecretKey key = auth::SecretKey::Random();
  OrgService orgs(*db, audit, clock);
  auto sys = auth::Principal::System();
  Result<Org> county = orgs.CreateOrg(sys, {std::nullopt, "420322", "郧西县", "region", "420322"});
  ASSERT_TRUE(county.ok());
  Result<Org> rd = orgs.CreateOrg(sys, {county->id, "rd", "人大常委会", "standing_committee",
                                        "420322"});
  ASSERT_TRUE(rd.ok());

  store::testing::FaultInjectingStore faulty(*db);
  PersonService people(faulty, audit, key, clock);
  AppointmentService appts(faulty, audit, clock);
  int64_t events_before = Count(*db, "audit_event");

  int failures = 0;
  for (int n = 1; n < 200; ++n) {
    faulty.FailCall(n);
    std::string first17 = "42032219800101123";
    Result<Person> p = people.Create(
        sys, {"李明", first17 + core::ComputeResidentIdCheckChar(first17), "", "", rd->id, ""});
    Status s = p.status();
    Result<Position> pos = Status::Internal("not reached");
    if (s.ok()) {
      pos = appts.CreatePosition(sys, {rd->id, "主任", "head"});
      s = pos.status();
    }
    if (s.ok()) {
      NewAppointment a{p->id, pos->id, rd->id, "appointed", "第一次会议", "2022-01-05",
                       "2026-12-31", {}};
      a.pre.exam_exemption = "re_appointed";
      s = appts.Create(sys, a).status();
    }
    if (!faulty.fired()) {
      ASSERT_TRUE(s.ok()) << s.ToString();
      break;
    }
    ++failures;
    ASSERT_FALSE(s.ok()) << "call " << n << " failed but the operation reported success";
    // A failure leaves the step it hit unwritten; the steps before it in this round are
    // complete, each with exactly one audit event.
    faulty.FailCall(0);
    const int64_t people_now = Count(*db, "person");
    const int64_t positions_now = Count(*db, "position");
    EXPECT_LE(people_now, 1);
    EXPECT_EQ(Count(*db, "appointment"), 0) << "call " << n;
    EXPECT_EQ(Count(*db, "audit_event") - events_before, people_now + positions_now)
        << "audit events out of step at call " << n;
    Result<audit::VerifyReport> v = audit.Verify(*db);
    ASSERT_TRUE(v.ok());
    EXPECT_TRUE(v->ok) << "call " << n << ": " << v->reason;
    // Start the next round from nothing.
    ASSERT_TRUE(store::RunInTransaction(*db, store::TxMode::kReadWrite, [](store::Tx& tx) {
                  return tx.ExecScript("DELETE FROM appointment; DELETE FROM position; "
                                       "DELETE FROM person");
                }).ok());
    events_before = Count(*db, "audit_event");
  }
  EXPECT_GT(failures, 10);
  EXPECT_EQ(Count(*db, "appointment"), 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, RegistryFaultTest,
                         ::testing::ValuesIn(store::testing::AllBackends()),
                         store::testing::BackendName);

}  // namespace
}  // namespace jiandu::registry
