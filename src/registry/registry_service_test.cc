// The registry services on both backends: organisations, people, appointments, trails; every
// refusal names its field and leaves nothing written.
#include <gtest/gtest.h>

#include "auth/auth_schema.h"
#include "core/resident_id.h"
#include "registry/appointment_service.h"
#include "registry/org_service.h"
#include "registry/person_service.h"
#include "registry/registry_schema.h"
#include "registry/trail_service.h"
#include "store/testing/test_store.h"

namespace jiandu::registry {
namespace {

using auth::Principal;
using auth::Role;

std::string Id(const std::string& first17) {
  return first17 + core::ComputeResidentIdCheckChar(first17);
}

class RegistryTest : public ::testing::TestWithParam<store::testing::Backend> {
 protected:
  void SetUp() override {
    db_ = GetParam().make();
    ASSERT_NE(db_, nullptr);
    std::vector<store::Migration> m = audit::Migrations();
    for (auto* part : {new std::vector(auth::Migrations()), new std::vector(Migrations())}) {
      m.insert(m.end(), part->begin(), part->end());
      delete part;
    }
    ASSERT_TRUE(db_->Migrate(m).ok());
    orgs_ = std::make_unique<OrgService>(*db_, audit_, clock_);
    people_ = std::make_unique<PersonService>(*db_, audit_, key_, clock_);
    appts_ = std::make_unique<AppointmentService>(*db_, audit_, clock_);
    trail_ = std::make_unique<TrailService>(*db_, audit_, clock_);
    // 十堰市 → {郧西县 → {人大常委会, 财政局, 教育局}, 郧阳区}
    city_ = MakeOrg(std::nullopt, "420300", "十堰市", "region");
    county_ = MakeOrg(city_.id, "420322", "郧西县", "region");
    committee_ = MakeOrg(county_.id, "420322.rd", "郧西县人大常委会", "standing_committee");
    finance_ = MakeOrg(county_.id, "420322.czj", "郧西县财政局", "government_department");
    education_ = MakeOrg(county_.id, "420322.jyj", "郧西县教育局", "government_department");
    other_county_ = MakeOrg(city_.id, "420304", "郧阳区", "region");
    officer_ = At(Role::kCongressOfficer, county_);
  }

  Org MakeOrg(std::optional<int64_t> parent, const std::string& code, const std::string& name,
              const std::string& kind) {
    Result<Org> o = orgs_->CreateOrg(Principal::System(), {parent, code, name, kind,
                                                           code.substr(0, 6)});
    EXPECT_TRUE(o.ok()) << o.status().ToString();
    return o.ok() ? *o : Org{};
  }

  static Principal At(Role role, const Org& org) {
    Principal p;
    p.user_id = 7;
    p.role = role;
    p.org_id = org.id;
    p.org_path = org.path;
    return p;
  }

  NewPerson Valid(const std::string& name = "李明", int seq = 11) {
    return {name, Id("42032219800101" + std::to_string(100 + seq)), "汉族", "13912345678",
            committee_.id, ""};
  }

  int64_t Events() {
    return store::RunInTransaction<int64_t>(*db_, store::TxMode::kReadOnly,
                                            [](store::Tx& tx) -> Result<int64_t> {
      JIANDU_ASSIGN_OR_RETURN(auto r, tx.QueryOne("SELECT COUNT(*) FROM audit_event"));
      return r->Int(0);
    }).value_or(-1);
  }

  // Expects `s` to be a refusal naming `field` that wrote nothing.
  void ExpectRefused(const Status& s, StatusCode code, const std::string& field, int64_t before) {
    EXPECT_EQ(s.code(), code) << s.ToString();
    EXPECT_EQ(s.field(), field) << s.ToString();
    EXPECT_EQ(Events(), before) << "a refused write left an audit event";
  }

  core::FakeClock clock_{core::Timestamp::FromUnixSeconds(1'790'000'000)};  // 2026-09
  audit::AuditLog audit_{clock_};
  auth::SecretKey key_ = auth::SecretKey::Random();
  std::unique_ptr<store::Store> db_;
  std::unique_ptr<OrgService> orgs_;
  std::unique_ptr<PersonService> people_;
  std::unique_ptr<AppointmentService> appts_;
  std::unique_ptr<TrailService> trail_;
  Org city_, county_, committee_, finance_, education_, other_county_;
  Principal officer_;
};

TEST_P(RegistryTest, OrgTreeHasMaterializedPaths) {
  EXPECT_EQ(county_.path, city_.path + std::to_string(county_.id) + "/");
  EXPECT_EQ(finance_.depth, 2);
  Result<std::vector<Org>> children = orgs_->ListChildren(officer_, county_.id);
  ASSERT_TRUE(children.ok());
  EXPECT_EQ(children->size(), 3u);
  // The county officer sees its own county but not the city above or the district beside it.
  Result<OrgWithAncestors> fin = orgs_->GetOrg(officer_, finance_.id);
  ASSERT_TRUE(fin.ok());
  ASSERT_EQ(fin->ancestors.size(), 1u);
  EXPECT_EQ(fin->ancestors[0].id, county_.id);
  EXPECT_TRUE(orgs_->GetOrg(officer_, city_.id).status().IsNotFound());
  EXPECT_TRUE(orgs_->GetOrg(officer_, other_county_.id).status().IsNotFound());
  Result<std::vector<Org>> found = orgs_->Search(officer_, "财政");
  ASSERT_TRUE(found.ok());
  ASSERT_EQ(found->size(), 1u);
}

TEST_P(RegistryTest, OrgInputsAreChecked) {
  const int64_t before = Events();
  Principal admin = At(Role::kSysAdmin, county_);
  ExpectRefused(orgs_->CreateOrg(admin, {county_.id, "420322.czj", "重复", "government_department",
                                         "420322"}).status(),
                StatusCode::kConflict, "code", before);
  ExpectRefused(orgs_->CreateOrg(admin, {county_.id, "x1", "某局", "ministry", "420322"}).status(),
                StatusCode::kInvalidArgument, "kind", before);
  ExpectRefused(orgs_->CreateOrg(admin, {county_.id, "x2", "某局", "other", "999999"}).status(),
                StatusCode::kInvalidArgument, "region_code", before);
  ExpectRefused(orgs_->CreateOrg(admin, {other_county_.id, "x3", "某局", "other", "420304"})
                    .status(),
                StatusCode::kInvalidArgument, "parent_id", before);
  EXPECT_TRUE(orgs_->CreateOrg(officer_, {county_.id, "x4", "某局", "other", "420322"})
                  .status()
                  .IsPermissionDenied());
}

TEST_P(RegistryTest, RegistersAPersonWithMaskedAndSealedId) {
  Result<Person> p = people_->Create(officer_, Valid());
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->id_number_masked, "4203**********" + Valid().id_number.substr(14));
  EXPECT_EQ(p->gender, "male");
  EXPECT_EQ(p->birth_date.ToString(), "1980-01-01");
  EXPECT_EQ(p->phone_masked, "139****5678");
  // The plaintext number is nowhere in the table.
  auto raw = store::RunInTransaction<std::string>(*db_, store::TxMode::kReadOnly,
                                                  [](store::Tx& tx) -> Result<std::string> {
    JIANDU_ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT * FROM person"));
    std::string all;
    for (auto& r : rows) for (size_t i = 0; i < r.size(); ++i) all += r.Text(i) + "|";
    return all;
  });
  ASSERT_TRUE(raw.ok());
  EXPECT_EQ(raw->find(Valid().id_number), std::string::npos);
  EXPECT_EQ(raw->find("13912345678"), std::string::npos);
}

TEST_P(RegistryTest, BadPeopleAreRefusedAndNothingIsWritten) {
  ASSERT_TRUE(people_->Create(officer_, Valid()).ok());
  const int64_t before = Events();
  NewPerson p = Valid("王芳", 12);
  p.id_number.back() = p.id_number.back() == '0' ? '1' : '0';
  ExpectRefused(people_->Create(officer_, p).status(), StatusCode::kInvalidArgument, "id_number",
                before);
  p = Valid("王芳", 12);
  p.id_number = Id("10010119800101123");  // no province 10
  ExpectRefused(people_->Create(officer_, p).status(), StatusCode::kInvalidArgument, "id_number",
                before);
  p.id_number = Id("42032220990101123");  // born in 2099
  ExpectRefused(people_->Create(officer_, p).status(), StatusCode::kInvalidArgument, "id_number",
                before);
  ExpectRefused(people_->Create(officer_, Valid("李明", 11)).status(), StatusCode::kConflict,
                "id_number", before);
  p = Valid("李'; DROP TABLE person;--", 13);
  ExpectRefused(people_->Create(officer_, p).status(), StatusCode::kInvalidArgument, "name",
                before);
  p = Valid("王芳", 13);
  p.org_id = other_county_.id;
  ExpectRefused(people_->Create(officer_, p).status(), StatusCode::kInvalidArgument, "org_id",
                before);
  p.org_id = 9999;
  ExpectRefused(people_->Create(officer_, p).status(), StatusCode::kInvalidArgument, "org_id",
                before);
  p = Valid("王芳", 13);
  p.phone = "12345";
  ExpectRefused(people_->Create(officer_, p).status(), StatusCode::kInvalidArgument, "phone",
                before);
}

TEST_P(RegistryTest, FullWidthAndLowerCaseIdsAreTheSamePerson) {
  NewPerson p = Valid();
  p.id_number = "42032219800101111X";
  p.id_number = Id("42032219800101111");
  ASSERT_TRUE(people_->Create(officer_, p).ok());
  std::string full_width;
  for (char c : p.id_number) {
    full_width += c == 'X' ? "ｘ" : std::string("０").replace(2, 1, 1, static_cast<char>(
                                                                          0x90 + (c - '0')));
  }
  NewPerson again = Valid("王芳");
  again.id_number = full_width;
  EXPECT_EQ(people_->Create(officer_, again).status().code(), StatusCode::kConflict);
  Result<core::Page<Person>> found =
      people_->List(officer_, {.id_number = full_width}, core::PageRequest{});
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  EXPECT_EQ(found->items.size(), 1u);
}

TEST_P(RegistryTest, SearchesShortNamesAndPagesThroughAll) {
  for (int i = 0; i < 7; ++i) {
    ASSERT_TRUE(people_->Create(officer_, Valid(i % 2 ? "王芳" : "欧阳明月", 20 + i)).ok());
  }
  Result<core::Page<Person>> two = people_->List(officer_, {.name_contains = "王芳"}, {});
  ASSERT_TRUE(two.ok());
  EXPECT_EQ(two->items.size(), 3u);
  Result<core::Page<Person>> one_char = people_->List(officer_, {.name_contains = "芳"}, {});
  EXPECT_EQ(one_char->items.size(), 3u);
  // '%' and '_' are literal characters in a search, not wildcards.
  EXPECT_EQ(people_->List(officer_, {.name_contains = "%"}, {}).status().code(), StatusCode::kOk);
  EXPECT_EQ(people_->List(officer_, {.name_contains = "%"}, {})->items.size(), 0u);

  std::set<int64_t> seen;
  core::PageRequest page{.limit = 3};
  for (int guard = 0; guard < 10; ++guard) {
    Result<core::Page<Person>> r = people_->List(officer_, {}, page);
    ASSERT_TRUE(r.ok());
    for (const Person& p : r->items) EXPECT_TRUE(seen.insert(p.id).second);
    if (!r->next_cursor) break;
    page.after = *core::DecodeCursor(*r->next_cursor);
  }
  EXPECT_EQ(seen.size(), 7u);
}

TEST_P(RegistryTest, OtherBranchesSeeNothing) {
  Result<Person> p = people_->Create(officer_, Valid());
  ASSERT_TRUE(p.ok());
  Principal liaison = At(Role::kDepartmentLiaison, finance_);
  Principal elsewhere = At(Role::kCongressOfficer, other_county_);
  EXPECT_TRUE(people_->Get(liaison, p->id).status().IsNotFound());
  EXPECT_TRUE(people_->Get(elsewhere, p->id).status().IsNotFound());
  // Absent and out of scope are indistinguishable.
  EXPECT_EQ(people_->Get(elsewhere, p->id).status().ToString(),
            people_->Get(elsewhere, 999999).status().ToString());
  EXPECT_TRUE(people_->List(elsewhere, {}, {})->items.empty());
  EXPECT_TRUE(trail_->EntityTrail(elsewhere, "person", std::to_string(p->id), {})
                  .status()
                  .IsNotFound());
}

TEST_P(RegistryTest, AppointmentMakesThePersonVisibleToTheUnit) {
  Result<Person> p = people_->Create(officer_, Valid());
  ASSERT_TRUE(p.ok());
  Result<Position> head = appts_->CreatePosition(officer_, {finance_.id, "局长", "head"});
  ASSERT_TRUE(head.ok()) << head.status().ToString();
  NewAppointment a{p->id, head->id, committee_.id, "appointed", "县人大常委会第五次会议",
                   "2022-03-01", "2026-12-31", {}};
  a.pre.exam_score = 86;
  a.pre.exam_pass_mark = 60;
  a.pre.exam_taken_on = "2022-02-20";
  a.pre.statement_on = "2022-03-01";
  a.pre.oath_on = "2022-03-01";
  Result<Appointment> made = appts_->Create(officer_, a);
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  EXPECT_EQ(made->org_name, "郧西县财政局");
  EXPECT_EQ(made->appointing_body_name, "郧西县人大常委会");
  Principal liaison = At(Role::kDepartmentLiaison, finance_);
  EXPECT_TRUE(people_->Get(liaison, p->id).ok());
  EXPECT_TRUE(people_->Get(At(Role::kDepartmentLiaison, education_), p->id).status()
                  .IsNotFound());

  const int64_t before = Events();
  NewPerson second = Valid("王芳", 30);
  Result<Person> p2 = people_->Create(officer_, second);
  ASSERT_TRUE(p2.ok());
  const int64_t after_person = Events();
  a.person_id = p2->id;
  ExpectRefused(appts_->Create(officer_, a).status(), StatusCode::kConflict, "position_id",
                after_person);
  a.person_id = p->id;
  ExpectRefused(appts_->Create(officer_, a).status(), StatusCode::kConflict, "person_id",
                after_person);
  NewAppointment bad = a;
  bad.person_id = p2->id;
  bad.term_end = "2021-12-31";
  ExpectRefused(appts_->Create(officer_, bad).status(), StatusCode::kInvalidArgument, "term_end",
                after_person);
  bad = a;
  bad.appointing_body_id = finance_.id;
  ExpectRefused(appts_->Create(officer_, bad).status(), StatusCode::kInvalidArgument,
                "appointing_body_id", after_person);
  bad = a;
  bad.position_id = 99999;
  ExpectRefused(appts_->Create(officer_, bad).status(), StatusCode::kInvalidArgument,
                "position_id", after_person);
  bad = a;
  bad.appointed_on = "2027-01-01";
  ExpectRefused(appts_->Create(officer_, bad).status(), StatusCode::kInvalidArgument,
                "appointed_on", after_person);
  EXPECT_GT(after_person, before);

  // Ending frees the head position.
  Result<Appointment> ended =
      appts_->End(officer_, made->id, {made->version, "2026-06-30", "removed", "调任"});
  ASSERT_TRUE(ended.ok()) << ended.status().ToString();
  EXPECT_EQ(appts_->End(officer_, made->id, {std::nullopt, "2026-07-01", "removed", ""})
                .status()
                .code(),
            StatusCode::kFailedPrecondition);
  a.person_id = p2->id;
  EXPECT_TRUE(appts_->Create(officer_, a).ok());

  // The person's trail shows registration and appointment.
  Result<core::Page<TrailEntry>> trail =
      trail_->EntityTrail(officer_, "person", std::to_string(p->id), {});
  ASSERT_TRUE(trail.ok()) << trail.status().ToString();
  std::vector<std::string> actions;
  for (const TrailEntry& t : trail->items) actions.push_back(t.event.action);
  EXPECT_EQ(actions, (std::vector<std::string>{"person.appointed", "person.create"}));
}

TEST_P(RegistryTest, UpdatesAreVersionedAndRevealsAudited) {
  Result<Person> p = people_->Create(officer_, Valid());
  ASSERT_TRUE(p.ok());
  Result<Person> u = people_->Update(officer_, p->id, {.version = p->version, .name = "李敏"});
  ASSERT_TRUE(u.ok()) << u.status().ToString();
  EXPECT_EQ(u->version, p->version + 1);
  EXPECT_EQ(people_->Update(officer_, p->id, {.version = p->version, .name = "李勇"})
                .status()
                .field(),
            "version");
  Result<RevealedFields> r = people_->Reveal(officer_, p->id, {"id_number", "phone"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->id_number, Valid().id_number);
  EXPECT_EQ(r->phone, "13912345678");
  EXPECT_TRUE(people_->Reveal(At(Role::kDeputy, county_), p->id, {"id_number"})
                  .status()
                  .IsPermissionDenied());
  Result<core::Page<TrailEntry>> trail =
      trail_->EntityTrail(officer_, "person", std::to_string(p->id), {});
  ASSERT_TRUE(trail.ok());
  EXPECT_EQ(trail->items.front().event.action, "person.reveal");
  EXPECT_EQ(trail->items.front().event.summary, "id_number,phone");
  Result<audit::VerifyReport> v = audit_.Verify(*db_);
  EXPECT_TRUE(v.ok() && v->ok);
}

INSTANTIATE_TEST_SUITE_P(Backends, RegistryTest,
                         ::testing::ValuesIn(store::testing::AllBackends()),
                         store::testing::BackendName);

}  // namespace
}  // namespace jiandu::registry
