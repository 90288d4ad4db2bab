// Reviews (工作评议) end to end on both backends, in a small county built with the registry:
// the term plan's review of an appointed department head, the investigation, the hearing with a
// drawn questioner, the secret ballot (electronic and paper) graded by the default rule, opinions,
// delivery opening findings, 回头看, the 不满意 path through the re-report to the statutory
// measures (质询, 撤职案, 特定问题调查), quorum, and the year's statistics.
//
// Expected grades, dates and figures are recomputed in the test from what it did, never read
// back from the module. The fake clock starts on Monday 2025-03-03 at 09:00 China time.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <latch>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "audit/audit_log.h"
#include "auth/auth_schema.h"
#include "auth/secret_key.h"
#include "core/calendar.h"
#include "core/clock.h"
#include "core/resident_id.h"
#include "notify/notify.h"
#include "rectify/finding_service.h"
#include "registry/appointment_service.h"
#include "registry/org_service.h"
#include "registry/person_service.h"
#include "registry/registry_schema.h"
#include "review/grading_rule.h"
#include "review/measure_service.h"
#include "review/meeting_service.h"
#include "review/review_service.h"
#include "store/testing/test_store.h"

namespace jiandu::review {
namespace {

using auth::Principal;
using auth::Role;
using core::CivilDate;

// Monday 2025-03-03, 09:00 China Standard Time (01:00 UTC).
constexpr int64_t kStartSeconds = 1'740'963'600;
constexpr int kMembers = 15;  // 县级常委会: 15–35 members (地方组织法 art 47)

CivilDate D(std::string_view text) { return CivilDate::Parse(text).value(); }

std::string Id(const std::string& first17) {
  return first17 + core::ComputeResidentIdCheckChar(first17);
}

template <typename T>
T Must(Result<T> r, std::string_view what) {
  EXPECT_TRUE(r.ok()) << what << ": " << r.status().ToString();
  return r.ok() ? std::move(*r) : T{};
}

// The ballots of one review on one sheet.
struct Tally {
  int satisfied = 0;
  int basically = 0;
  int dissatisfied = 0;
  int abstain = 0;
  int ballots() const { return satisfied + basically + dissatisfied + abstain; }
  // One choice per voter, in voting order.
  std::vector<Choice> Choices() const {
    std::vector<Choice> out;
    out.insert(out.end(), satisfied, Choice::kSatisfied);
    out.insert(out.end(), basically, Choice::kBasicallySatisfied);
    out.insert(out.end(), dissatisfied, Choice::kDissatisfied);
    out.insert(out.end(), abstain, Choice::kAbstain);
    return out;
  }
};

// The default rule (DOMAIN.md §2.1, 镇海 2022), recomputed independently: the vote counts when
// more than half of ALL members are present; 满意 when satisfied ≥ half of all members;
// 基本满意 when satisfied + basically > half of all members; otherwise 不满意.
std::optional<Grade> ExpectedGrade(int64_t members, int64_t present, const Tally& t) {
  if (!(present * 2 > members)) return std::nullopt;
  if (t.satisfied * 2 >= members) return Grade::kSatisfied;
  if ((t.satisfied + t.basically) * 2 > members) return Grade::kBasicallySatisfied;
  return Grade::kDissatisfied;
}

std::string GradeName(const std::optional<Grade>& g) {
  return g ? std::string(GradeCode(*g)) : "none";
}

class ReviewFlowTest : public ::testing::TestWithParam<store::testing::Backend> {
 protected:
  void SetUp() override {
    db_ = GetParam().make();
    ASSERT_NE(db_, nullptr);
    std::vector<store::Migration> m;
    for (const auto& part : {audit::Migrations(), auth::Migrations(), registry::Migrations(),
                             notify::Migrations(), rectify::Migrations(), review::Migrations()}) {
      m.insert(m.end(), part.begin(), part.end());
    }
    ASSERT_TRUE(db_->Migrate(m).ok());
    const core::Calendar& cal = core::Calendar::Default();
    orgs_ = std::make_unique<registry::OrgService>(*db_, audit_, clock_);
    people_ = std::make_unique<registry::PersonService>(*db_, audit_, key_, clock_);
    appts_ = std::make_unique<registry::AppointmentService>(*db_, audit_, clock_);
    findings_ = std::make_unique<rectify::FindingService>(*db_, audit_, clock_, cal);
    reviews_ = std::make_unique<ReviewService>(*db_, audit_, clock_, cal, *findings_);
    meetings_ = std::make_unique<MeetingService>(*db_, audit_, clock_, *reviews_);
    measures_ = std::make_unique<MeasureService>(*db_, audit_, clock_, *appts_);

    // 十堰市 → {郧西县 → {人民代表大会, 人大常委会, 财政局, 教育局, 住建局}, 郧阳区}
    city_ = MakeOrg(std::nullopt, "420300", "十堰市", "region");
    county_ = MakeOrg(city_.id, "420322", "郧西县", "region");
    congress_ = MakeOrg(county_.id, "420322.rd", "郧西县人民代表大会", "peoples_congress");
    committee_ = MakeOrg(county_.id, "420322.rdcwh", "郧西县人大常委会", "standing_committee");
    finance_ = MakeOrg(county_.id, "420322.czj", "郧西县财政局", "government_department");
    education_ = MakeOrg(county_.id, "420322.jyj", "郧西县教育局", "government_department");
    housing_ = MakeOrg(county_.id, "420322.zjj", "郧西县住房和城乡建设局", "government_department");
    other_county_ = MakeOrg(city_.id, "420304", "郧阳区", "region");

    // The standing committee: 15 members elected by the congress to positions of the committee.
    const char* names[kMembers] = {"王建国", "李秀英", "张伟", "刘洋", "陈静",
                                   "杨帆",   "赵磊",   "黄敏", "周强", "吴丽",
                                   "徐涛",   "孙燕",   "胡军", "朱红", "高峰"};
    registry::Position seat =
        Must(appts_->CreatePosition(Principal::System(), {committee_.id, "委员", "other"}), "seat");
    for (int i = 0; i < kMembers; ++i) {
      registry::Person p = MakePerson(names[i], i + 1, committee_);
      Appoint(p, seat, congress_, "elected");
      members_.push_back(p);
    }
    // Department heads appointed by the committee: the officials under review.
    fin_head_ = AppointHead("郑明", 31, finance_);
    edu_head_ = AppointHead("冯玉", 32, education_);
    housing_head_ = AppointHead("韩冰", 33, housing_);

    officer_ = User("rd_officer_a", "人大干部甲", Role::kCongressOfficer, committee_);
    officer_b_ = User("rd_officer_b", "人大干部乙", Role::kCongressOfficer, committee_);
    fin_liaison_ = User("czj_liaison", "财政局联络员", Role::kDepartmentLiaison, finance_);
    edu_liaison_ = User("jyj_liaison", "教育局联络员", Role::kDepartmentLiaison, education_);
    // Each member votes through a deputy account linked to their person record.
    for (int i = 0; i < kMembers; ++i) {
      voters_.push_back(User("member" + std::to_string(i + 1), members_[i].name, Role::kDeputy,
                             county_, members_[i].id));
    }
  }

  registry::Org MakeOrg(std::optional<int64_t> parent, const std::string& code,
                        const std::string& name, const std::string& kind) {
    return Must(
        orgs_->CreateOrg(Principal::System(), {parent, code, name, kind, code.substr(0, 6)}),
        "org " + name);
  }

  registry::Person MakePerson(const std::string& name, int seq, const registry::Org& org) {
    return Must(people_->Create(Principal::System(),
                                {name, Id("42032219800101" + std::to_string(100 + seq)), "汉族",
                                 "13912345678", org.id, ""}),
                "person " + name);
  }

  registry::Appointment Appoint(const registry::Person& p, const registry::Position& pos,
                                const registry::Org& body, const std::string& decision) {
    registry::NewAppointment a;
    a.person_id = p.id;
    a.position_id = pos.id;
    a.appointing_body_id = body.id;
    a.decision_type = decision;
    a.meeting = "县第十九届人民代表大会第一次会议";
    a.appointed_on = "2021-10-15";
    a.term_end = "2026-10-14";
    a.pre.exam_score = 88;
    a.pre.exam_pass_mark = 60;
    a.pre.exam_taken_on = "2021-10-10";
    a.pre.statement_on = "2021-10-15";
    a.pre.oath_on = "2021-10-15";
    return Must(appts_->Create(Principal::System(), a), "appointment of " + p.name);
  }

  registry::Appointment AppointHead(const std::string& name, int seq, const registry::Org& unit) {
    registry::Person p = MakePerson(name, seq, unit);
    registry::Position head =
        Must(appts_->CreatePosition(Principal::System(), {unit.id, "局长", "head"}), "head");
    return Appoint(p, head, committee_, "appointed");
  }

  // A signed-in user: an app_user row (notices, tellers) and its principal.
  Principal User(const std::string& username, const std::string& display_name, Role role,
                 const registry::Org& org, int64_t person_id = 0) {
    Result<int64_t> id = store::RunInTransaction<int64_t>(
        *db_, store::TxMode::kReadWrite, [&](store::Tx& tx) -> Result<int64_t> {
          JIANDU_ASSIGN_OR_RETURN(
              std::optional<store::Row> row,
              tx.QueryOne("INSERT INTO app_user (username, display_name, role, org_id, org_path, "
                          "password_hash, created_at, updated_at, person_id) VALUES (?, ?, ?, ?, "
                          "?, 'x', 0, 0, ?) RETURNING id",
                          {username, display_name, std::string(auth::RoleName(role)), org.id,
                           org.path, person_id ? store::Value(person_id) : store::Value()}));
          return row->Int(0);
        });
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    Principal p;
    p.user_id = id.value_or(0);
    p.username = username;
    p.role = role;
    p.org_id = org.id;
    p.org_path = org.path;
    p.person_id = person_id;
    return p;
  }

  // Schedules the official's review for this year and takes it to report_submitted: the
  // investigation (one leader), its report, and the unit's work report.
  int64_t Prepare(const registry::Appointment& a, const Principal& unit) {
    Review r = Must(reviews_->Schedule(officer_, {committee_.id, a.id, clock_.Today().year()}),
                    "schedule");
    InvestigationStart in;
    in.team = {{"王建国", "leader", "常委会副主任"},
               {"李秀英", "member", "常委会委员"},
               {"陈静", "member", "人大代表"}};
    in.tasks = {{TaskMethod::kInterview, "走访服务对象"},
                {TaskMethod::kDocumentReview, "查阅近三年工作台账"}};
    Must(reviews_->StartInvestigation(officer_, r.id, in), "investigation");
    Must(reviews_->RecordInvestigationReport(
             officer_, r.id, "调研报告：总体履职较好，存在三方面问题。", std::nullopt),
         "investigation report");
    Must(reviews_->SubmitWorkReport(unit, r.id, "述职报告：一年来的主要工作和存在的不足。",
                                    std::nullopt),
         "work report");
    return r.id;
  }

  std::vector<int64_t> Present(int n) const {
    std::vector<int64_t> ids;
    for (int i = 0; i < n; ++i) ids.push_back(members_[i].id);
    return ids;
  }

  // A meeting with `items` on its agenda, the first `present` members present, the ballot open.
  Meeting Convene(const std::string& name,
                  const std::vector<std::pair<int64_t, std::string>>& items, int present) {
    Meeting m = Must(meetings_->Create(officer_, {committee_.id, name, std::nullopt}), "meeting");
    for (const auto& [review_id, purpose] : items) {
      Must(meetings_->AddItem(officer_, m.id, review_id, purpose), "agenda " + purpose);
    }
    Must(meetings_->SetAttendance(officer_, m.id, Present(present)), "attendance");
    Sheet s = Must(meetings_->OpenSheet(officer_, m.id, ""), "open sheet");
    m.sheet_id = s.id;
    return m;
  }

  // The first voters cast: voter v chooses tallies[k].Choices()[v] for review_ids[k].
  void CastAll(int64_t sheet_id, const std::vector<int64_t>& review_ids,
               const std::vector<Tally>& tallies, int first_voter = 0) {
    ASSERT_EQ(review_ids.size(), tallies.size());
    std::vector<std::vector<Choice>> choices;
    for (const Tally& t : tallies) {
      ASSERT_EQ(t.ballots(), tallies[0].ballots());
      choices.push_back(t.Choices());
    }
    for (int v = 0; v < tallies[0].ballots(); ++v) {
      std::vector<BallotChoice> ballot;
      for (size_t k = 0; k < review_ids.size(); ++k) {
        ballot.push_back({review_ids[k], choices[k][v]});
      }
      Result<std::string> receipt = meetings_->Cast(voters_[first_voter + v], sheet_id, ballot);
      ASSERT_TRUE(receipt.ok()) << "voter " << first_voter + v << ": "
                                << receipt.status().ToString();
    }
  }

  // A meeting hearing one review: `present` members present, the first of them voting `t`.
  Sheet HoldVote(int64_t review_id, const std::string& purpose, int present, const Tally& t) {
    Meeting m =
        Convene("郧西县人大常委会专题评议会议（" + purpose + "）", {{review_id, purpose}}, present);
    CastAll(*m.sheet_id, {review_id}, {t});
    return Must(meetings_->CloseSheet(officer_, *m.sheet_id), "close sheet");
  }

  // Checks an item's result against the counts the test cast and the independently computed
  // grade and 满意率 (satisfied + basically over valid ballots).
  void ExpectResult(const ItemResult& r, int64_t present, const Tally& t) {
    SCOPED_TRACE("review " + std::to_string(r.review_id));
    const TallyCounts want{kMembers,  present, t.satisfied, t.basically, t.dissatisfied,
                           t.abstain, 0};
    EXPECT_EQ(r.counts, want);
    EXPECT_EQ(r.quorum_met, present * 2 > kMembers);
    EXPECT_EQ(GradeName(r.grade), GradeName(ExpectedGrade(kMembers, present, t)));
    EXPECT_EQ(r.rate_num, t.satisfied + t.basically);
    EXPECT_EQ(r.rate_den, t.satisfied + t.basically + t.dissatisfied);
  }

  Review Load(int64_t id) { return Must(reviews_->Get(Principal::System(), id), "get").review; }
  ReviewDetail Detail(int64_t id) { return Must(reviews_->Get(officer_, id), "detail"); }

  int64_t Count(const std::string& sql) {
    return store::RunInTransaction<int64_t>(*db_, store::TxMode::kReadOnly,
                                            [&](store::Tx& tx) -> Result<int64_t> {
                                              JIANDU_ASSIGN_OR_RETURN(auto r, tx.QueryOne(sql));
                                              return r->Int(0);
                                            })
        .value_or(-1);
  }
  int64_t Events() { return Count("SELECT COUNT(*) FROM audit_event"); }
  // Ballots counted on a sheet, summed over its reviews and choices.
  int64_t Counted(int64_t sheet_id) {
    return Count("SELECT COALESCE(SUM(n), 0) FROM vote_count WHERE sheet_id = " +
                 std::to_string(sheet_id));
  }
  int64_t Notices(const std::string& kind, const Principal& user) {
    return Count("SELECT COUNT(*) FROM notification WHERE kind = '" + kind +
                 "' AND user_id = " + std::to_string(user.user_id));
  }

  // Expects a refusal with `code` naming `field` that appended no audit event.
  void ExpectRefused(const Status& s, StatusCode code, const std::string& field,
                     int64_t events_before) {
    EXPECT_EQ(s.code(), code) << s.ToString();
    EXPECT_EQ(s.field(), field) << s.ToString();
    EXPECT_EQ(Events(), events_before) << "a refusal left an audit event: " << s.ToString();
  }

  void SetDay(const std::string& date) {
    const int64_t days = D(date).day_number() - D("2025-03-03").day_number();
    clock_.SetNowForTest(core::Timestamp::FromUnixSeconds(kStartSeconds + days * 86'400));
    ASSERT_EQ(clock_.Today().ToString(), date);
  }

  const std::vector<Delivered> kAllFive = {{Recipient::kOfficial, std::nullopt},
                                           {Recipient::kUnit, std::nullopt},
                                           {Recipient::kPartyCommittee, std::nullopt},
                                           {Recipient::kGovernment, std::nullopt},
                                           {Recipient::kOrganizationDepartment, std::nullopt}};

  core::FakeClock clock_{core::Timestamp::FromUnixSeconds(kStartSeconds)};
  audit::AuditLog audit_{clock_};
  auth::SecretKey key_ = auth::SecretKey::Random();
  std::unique_ptr<store::Store> db_;
  std::unique_ptr<registry::OrgService> orgs_;
  std::unique_ptr<registry::PersonService> people_;
  std::unique_ptr<registry::AppointmentService> appts_;
  std::unique_ptr<rectify::FindingService> findings_;
  std::unique_ptr<ReviewService> reviews_;
  std::unique_ptr<MeetingService> meetings_;
  std::unique_ptr<MeasureService> measures_;
  registry::Org city_, county_, congress_, committee_, finance_, education_, housing_,
      other_county_;
  std::vector<registry::Person> members_;
  registry::Appointment fin_head_, edu_head_, housing_head_;
  Principal officer_, officer_b_, fin_liaison_, edu_liaison_;
  std::vector<Principal> voters_;
};

TEST_P(ReviewFlowTest, SatisfiedReviewRunsTheWholeLoop) {
  ASSERT_EQ(members_.size(), static_cast<size_t>(kMembers));
  // Planned → investigating → report_submitted.
  Result<Review> planned =
      reviews_->Schedule(officer_, {committee_.id, fin_head_.id, clock_.Today().year()});
  ASSERT_TRUE(planned.ok()) << planned.status().ToString();
  const int64_t id = planned->id;
  EXPECT_EQ(planned->stage, Stage::kPlanned);
  EXPECT_EQ(planned->year, 2025);
  EXPECT_EQ(planned->person_name, "郑明");
  EXPECT_EQ(planned->position_title, "局长");
  EXPECT_EQ(planned->target_org_id, finance_.id);
  InvestigationStart in;
  in.team = {{"王建国", "leader", "常委会副主任"}, {"李秀英", "member", "常委会委员"}};
  in.tasks = {{TaskMethod::kInterview, "走访服务对象"}, {TaskMethod::kQuestionnaire, "问卷调查"}};
  ASSERT_EQ(Must(reviews_->StartInvestigation(officer_, id, in), "start").stage,
            Stage::kInvestigating);
  ASSERT_TRUE(reviews_->RecordInvestigationReport(officer_, id, "调研报告。", std::nullopt).ok());
  Review submitted =
      Must(reviews_->SubmitWorkReport(fin_liaison_, id, "述职报告。", std::nullopt), "work report");
  EXPECT_EQ(submitted.stage, Stage::kReportSubmitted);
  EXPECT_EQ(submitted.work_report_on->ToString(), "2025-03-03");
  ReviewDetail detail = Detail(id);
  EXPECT_EQ(detail.team.size(), 2u);
  EXPECT_EQ(detail.tasks.size(), 2u);

  // The hearing: on the agenda, 12 of 15 present.
  Meeting m =
      Must(meetings_->Create(officer_, {committee_.id, "2025年第一次工作评议会议", {}}), "meeting");
  EXPECT_EQ(m.held_on.ToString(), "2025-03-03");
  EXPECT_EQ(m.members.size(), static_cast<size_t>(kMembers));
  ASSERT_EQ(Must(meetings_->AddItem(officer_, m.id, id, "hearing"), "agenda").agenda.size(), 1u);
  EXPECT_EQ(Load(id).stage, Stage::kHearing);
  const std::vector<int64_t> present = Present(12);
  ASSERT_EQ(Must(meetings_->SetAttendance(officer_, m.id, present), "attendance").present, present);

  // The questioner is drawn reproducibly among the members present.
  Draw d = Must(meetings_->DrawQuestioner(officer_, m.id, id), "draw");
  EXPECT_EQ(d.seed_hex.size(), 64u);
  EXPECT_EQ(d.candidates, present);
  ASSERT_FALSE(d.candidates.empty());
  EXPECT_EQ(d.chosen_person_id, d.candidates[DrawIndex(d.seed_hex, d.candidates)]);
  EXPECT_NE(std::find(present.begin(), present.end(), d.chosen_person_id), present.end());
  // A second draw for the same item excludes the member already drawn.
  Draw d2 = Must(meetings_->DrawQuestioner(officer_, m.id, id), "second draw");
  EXPECT_EQ(d2.candidates.size(), present.size() - 1);
  EXPECT_EQ(std::count(d2.candidates.begin(), d2.candidates.end(), d.chosen_person_id), 0);
  EXPECT_NE(d2.chosen_person_id, d.chosen_person_id);
  EXPECT_EQ(d2.chosen_person_id, d2.candidates[DrawIndex(d2.seed_hex, d2.candidates)]);
  Question q =
      Must(meetings_->AddQuestion(officer_, m.id, id, d.chosen_person_id, "专项资金为何拨付滞后？",
                                  "审核环节多，已压缩流程。", d.id),
           "question");
  EXPECT_FALSE(q.asker_name.empty());
  int64_t before = Events();
  ExpectRefused(
      meetings_->AddQuestion(officer_, m.id, id, members_[12].id, "提问。", "", {}).status(),
      StatusCode::kInvalidArgument, "asker_person_id", before);
  ExpectRefused(
      meetings_->AddQuestion(officer_, m.id, id, d2.chosen_person_id, "提问。", "", d.id).status(),
      StatusCode::kInvalidArgument, "draw_id", before);
  Meeting stored = Must(meetings_->Get(officer_, m.id), "get meeting");
  ASSERT_EQ(stored.draws.size(), 2u);
  EXPECT_EQ(stored.draws[0].seed_hex, d.seed_hex);
  EXPECT_EQ(stored.draws[0].candidates, d.candidates);
  EXPECT_EQ(stored.draws[0].chosen_person_id, d.chosen_person_id);
  EXPECT_EQ(stored.questions.size(), 1u);

  // The ballot: opened for the 12 present, who are told through their accounts.
  Sheet s = Must(meetings_->OpenSheet(officer_, m.id, ""), "open");
  EXPECT_EQ(s.state, SheetState::kOpen);
  EXPECT_EQ(s.members_total, kMembers);
  EXPECT_EQ(s.present, 12);
  EXPECT_EQ(s.voted, 0);
  EXPECT_EQ(s.rule_text, Encode(DefaultGradingRule()));
  EXPECT_TRUE(s.results.empty());
  EXPECT_EQ(Notices("ballot.opened", voters_[0]), 1);
  EXPECT_EQ(Notices("ballot.opened", voters_[12]), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM notification WHERE kind = 'ballot.opened'"), 12);

  // 8 satisfied, 3 basically, 1 dissatisfied of 15 members: 8 × 2 = 16 ≥ 15 → 满意.
  const Tally t{8, 3, 1, 0};
  ASSERT_EQ(ExpectedGrade(kMembers, 12, t), Grade::kSatisfied);
  CastAll(s.id, {id}, {t});
  Sheet open = Must(meetings_->GetSheet(officer_, s.id), "sheet while open");
  EXPECT_EQ(open.voted, 12);
  EXPECT_TRUE(open.results.empty()) << "per-review counts must not show while voting is open";
  Sheet mine = Must(meetings_->GetSheet(voters_[0], s.id), "sheet as a member");
  EXPECT_TRUE(mine.eligible);
  EXPECT_TRUE(mine.has_voted);
  Sheet absent = Must(meetings_->GetSheet(voters_[13], s.id), "sheet as an absent member");
  EXPECT_FALSE(absent.eligible);
  EXPECT_FALSE(absent.has_voted);

  Sheet closed = Must(meetings_->CloseSheet(officer_, s.id), "close");
  EXPECT_EQ(closed.state, SheetState::kClosed);
  ASSERT_EQ(closed.results.size(), 1u);
  ExpectResult(closed.results[0], 12, t);
  EXPECT_EQ(closed.results[0].purpose, "hearing");
  Review voted = Load(id);
  EXPECT_EQ(voted.stage, Stage::kVoted);
  EXPECT_EQ(GradeName(voted.grade), "satisfied");

  // Opinions drafted, adopted by the 主任会议.
  Opinion o1 = Must(reviews_->AddOpinion(officer_, id, "加快专项资金拨付进度。"), "opinion 1");
  Opinion o2 = Must(reviews_->AddOpinion(officer_, id, "完善预算绩效评价制度。"), "opinion 2");
  EXPECT_EQ(o1.seq, 1);
  EXPECT_EQ(o2.seq, 2);
  Review adopted = Must(reviews_->AdoptOpinions(officer_, id, "县人大常委会第十二次主任会议",
                                                std::nullopt, std::nullopt),
                        "adopt");
  EXPECT_EQ(adopted.stage, Stage::kOpinionsAdopted);
  EXPECT_EQ(adopted.adopted_on->ToString(), "2025-03-03");

  // Delivered on Tue 2025-04-01, first to the official and the unit, then to the others. The
  // review is delivered once all five have the opinions (review_service.h).
  SetDay("2025-04-01");
  Review partly = Must(
      reviews_->Deliver(officer_, id,
                        {{Recipient::kOfficial, std::nullopt}, {Recipient::kUnit, std::nullopt}},
                        std::nullopt),
      "deliver to the official and the unit");
  EXPECT_EQ(partly.stage, Stage::kOpinionsAdopted);
  EXPECT_TRUE(Detail(id).findings.empty());
  Review delivered = Must(reviews_->Deliver(officer_, id,
                                            {{Recipient::kPartyCommittee, std::nullopt},
                                             {Recipient::kGovernment, std::nullopt},
                                             {Recipient::kOrganizationDepartment, std::nullopt}},
                                            std::nullopt),
                          "deliver to the others");
  EXPECT_EQ(delivered.stage, Stage::kRectifying);
  ASSERT_TRUE(delivered.delivered_on.has_value());
  EXPECT_EQ(delivered.delivered_on->ToString(), "2025-04-01");
  EXPECT_FALSE(delivered.re_report_due_on.has_value());

  // One finding per opinion, due 6 months after delivery: 2025-10-01 falls in the National Day
  // holiday (10-01..10-08), so the deadline is Thu 2025-10-09 (DOMAIN.md §8.2).
  detail = Detail(id);
  EXPECT_EQ(detail.deliveries.size(), 5u);
  ASSERT_EQ(detail.findings.size(), 2u);
  ASSERT_EQ(detail.opinions.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    const rectify::Finding& f = detail.findings[i];
    SCOPED_TRACE("finding " + std::to_string(i));
    EXPECT_EQ(f.state, rectify::FindingState::kOpen);
    EXPECT_EQ(f.source_kind, rectify::SourceKind::kReviewOpinion);
    EXPECT_EQ(f.opened_on.ToString(), "2025-04-01");
    EXPECT_EQ(f.due_on.ToString(), "2025-10-09");
    EXPECT_EQ(f.severity, rectify::Severity::kMedium);
    EXPECT_EQ(f.responsible_org_id, finance_.id);
    EXPECT_EQ(f.responsible_person_name, "郑明");
    EXPECT_EQ(f.supervising_org_id, committee_.id);
    EXPECT_EQ(detail.opinions[i].finding_id, f.id);
    EXPECT_EQ(f.detail, detail.opinions[i].body);
  }
  EXPECT_EQ(Notices("review.opinions_delivered", fin_liaison_), 1);
  EXPECT_EQ(Notices("finding.opened", fin_liaison_), 2);

  // 回头看 waits for every final report.
  before = Events();
  ExpectRefused(reviews_->StartFollowUp(officer_, id, std::nullopt).status(),
                StatusCode::kFailedPrecondition, "findings", before);
  EXPECT_EQ(Load(id).stage, Stage::kRectifying);
  for (const rectify::Finding& f : detail.findings) {
    ASSERT_TRUE(
        findings_->Report(fin_liaison_, f.id, {rectify::ReportKind::kFinal, "已整改。", {}}).ok());
  }
  ASSERT_EQ(Must(reviews_->StartFollowUp(officer_, id, std::nullopt), "follow up").stage,
            Stage::kFollowUp);

  // The second satisfaction vote.
  const Tally second{10, 2, 0, 0};
  Sheet follow = HoldVote(id, "follow_up", 12, second);
  ASSERT_EQ(follow.results.size(), 1u);
  ExpectResult(follow.results[0], 12, second);
  Review after = Load(id);
  EXPECT_EQ(after.stage, Stage::kFollowUp);
  EXPECT_EQ(GradeName(after.follow_up_grade), GradeName(ExpectedGrade(kMembers, 12, second)));
  EXPECT_EQ(GradeName(after.grade), "satisfied");  // the first grade is kept

  // Closing needs every finding verified as eliminated.
  before = Events();
  ExpectRefused(reviews_->Close(officer_, id, std::nullopt).status(),
                StatusCode::kFailedPrecondition, "findings", before);
  for (const rectify::Finding& f : detail.findings) {
    ASSERT_TRUE(
        findings_
            ->Verify(officer_, f.id,
                     {rectify::Verdict::kEliminated, "回头看：已整改到位。", std::nullopt, {}})
            .ok());
  }
  EXPECT_EQ(Must(reviews_->Close(officer_, id, std::nullopt), "close").stage, Stage::kClosed);
  detail = Detail(id);
  ASSERT_EQ(detail.votes.size(), 2u);
  EXPECT_EQ(detail.votes[0].purpose, "hearing");
  EXPECT_EQ(detail.votes[1].purpose, "follow_up");
  for (const rectify::Finding& f : detail.findings) {
    EXPECT_EQ(f.state, rectify::FindingState::kClosed);
  }
}

TEST_P(ReviewFlowTest, DissatisfiedReviewIsReReportedThenEscalatedToStatutoryMeasures) {
  const int64_t id = Prepare(edu_head_, edu_liaison_);
  ASSERT_NE(id, 0);
  const int64_t official = edu_head_.person_id;

  // Before escalation no statutory measure is offered.
  std::vector<MeasureOption> options = Must(measures_->Options(officer_, id), "options");
  ASSERT_EQ(options.size(), 5u);
  for (const MeasureOption& o : options) {
    EXPECT_FALSE(o.available) << MeasureKindCode(o.kind);
    EXPECT_FALSE(o.reason.empty());
  }
  int64_t before = Events();
  ExpectRefused(measures_
                    ->Propose(officer_, id,
                              {MeasureKind::kInquiry,
                               Proposer::kChairpersonsCouncil,
                               {},
                               {},
                               "就教育经费使用情况询问。"})
                    .status(),
                StatusCode::kFailedPrecondition, "kind", before);

  // The first vote: most members dissatisfied. 2 × 2 = 4 < 15; (2 + 3) × 2 = 10 ≤ 15 → 不满意.
  const Tally first{2, 3, 7, 0};
  ASSERT_EQ(ExpectedGrade(kMembers, 12, first), Grade::kDissatisfied);
  Sheet s1 = HoldVote(id, "hearing", 12, first);
  ASSERT_EQ(s1.results.size(), 1u);
  ExpectResult(s1.results[0], 12, first);
  EXPECT_EQ(GradeName(Load(id).grade), "dissatisfied");
  EXPECT_EQ(Load(id).stage, Stage::kVoted);
  before = Events();
  ExpectRefused(
      measures_
          ->Propose(officer_, id,
                    {MeasureKind::kInterpellation, Proposer::kMembers, Present(3), {}, "质询案。"})
          .status(),
      StatusCode::kFailedPrecondition, "kind", before);

  ASSERT_TRUE(reviews_->AddOpinion(officer_, id, "切实解决农村学校师资不足问题。").ok());
  ASSERT_TRUE(
      reviews_
          ->AdoptOpinions(officer_, id, "县人大常委会第十三次主任会议", std::nullopt, std::nullopt)
          .ok());
  SetDay("2025-04-01");
  Review delivered = Must(reviews_->Deliver(officer_, id, kAllFive, std::nullopt), "deliver");
  // 不满意: a re-report within 3 months of delivery (2025-07-01, a Tuesday), and rectification.
  EXPECT_EQ(delivered.stage, Stage::kReReporting);
  ASSERT_TRUE(delivered.re_report_due_on.has_value());
  EXPECT_EQ(delivered.re_report_due_on->ToString(), "2025-07-01");
  ReviewDetail detail = Detail(id);
  ASSERT_EQ(detail.findings.size(), 1u);
  EXPECT_EQ(detail.findings[0].severity, rectify::Severity::kHigh);
  EXPECT_EQ(detail.findings[0].due_on.ToString(), "2025-10-09");
  EXPECT_EQ(Notices("review.opinions_delivered", edu_liaison_), 1);

  // The re-report: by the unit (another unit cannot see the review).
  SetDay("2025-06-30");
  before = Events();
  ExpectRefused(reviews_->SubmitReReport(fin_liaison_, id, "再报告。", std::nullopt).status(),
                StatusCode::kNotFound, "", before);
  Review rereported = Must(
      reviews_->SubmitReReport(edu_liaison_, id, "整改情况再报告。", std::nullopt), "re-report");
  EXPECT_EQ(rereported.stage, Stage::kReReported);
  EXPECT_EQ(rereported.re_report_on->ToString(), "2025-06-30");

  // The re-vote at a second meeting is still 不满意 → escalation.
  const Tally again{1, 2, 9, 0};
  ASSERT_EQ(ExpectedGrade(kMembers, 12, again), Grade::kDissatisfied);
  Sheet s2 = HoldVote(id, "re_report", 12, again);
  ASSERT_EQ(s2.results.size(), 1u);
  ExpectResult(s2.results[0], 12, again);
  EXPECT_EQ(s2.results[0].purpose, "re_report");
  Review escalated = Load(id);
  EXPECT_EQ(escalated.stage, Stage::kEscalation);
  EXPECT_EQ(GradeName(escalated.re_vote_grade), "dissatisfied");
  EXPECT_EQ(GradeName(escalated.grade), "dissatisfied");
  EXPECT_EQ(Notices("review.escalation", officer_), 1);
  EXPECT_EQ(Notices("review.escalation", officer_b_), 1);

  // The options now: 质询 needs 3 cosigners at county level (监督法 art 51); 特定问题调查 and
  // 撤职案 one fifth of the 15 members, i.e. 3.
  options = Must(measures_->Options(officer_, id), "options");
  ASSERT_EQ(options.size(), 5u);
  for (const MeasureOption& o : options) {
    EXPECT_TRUE(o.available) << MeasureKindCode(o.kind) << ": " << o.reason;
    if (o.kind == MeasureKind::kInterpellation) {
      EXPECT_EQ(o.cosigners_needed, 3);
      EXPECT_EQ(o.cosigners_needed, InterpellationThreshold(CommitteeLevel::kCounty));
    }
    if (o.kind == MeasureKind::kSpecialInvestigation || o.kind == MeasureKind::kDismissalMotion) {
      EXPECT_EQ(o.cosigners_needed, (kMembers + 4) / 5);
    }
  }

  // 质询: 2 cosigners are too few, 3 suffice ("三人以上" includes three).
  const int64_t none = Count("SELECT COUNT(*) FROM supervision_measure");
  ASSERT_EQ(none, 0);
  before = Events();
  const std::string question = "质询对象：县教育局；问题：农村学校师资长期不足。";
  ExpectRefused(
      measures_
          ->Propose(officer_, id,
                    {MeasureKind::kInterpellation, Proposer::kMembers, Present(2), {}, question})
          .status(),
      StatusCode::kInvalidArgument, "cosigners", before);
  ExpectRefused(measures_
                    ->Propose(officer_, id,
                              {MeasureKind::kInterpellation,
                               Proposer::kChairpersonsCouncil,
                               Present(3),
                               {},
                               question})
                    .status(),
                StatusCode::kInvalidArgument, "proposer", before);
  ExpectRefused(measures_
                    ->Propose(officer_, id,
                              {MeasureKind::kInterpellation,
                               Proposer::kMembers,
                               {members_[0].id, members_[1].id, official},
                               {},
                               question})
                    .status(),
                StatusCode::kInvalidArgument, "cosigners[2]", before);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM supervision_measure"), 0);
  Measure interpellation =
      Must(measures_->Propose(
               officer_, id,
               {MeasureKind::kInterpellation, Proposer::kMembers, Present(3), {}, question}),
           "interpellation");
  EXPECT_EQ(interpellation.kind, MeasureKind::kInterpellation);
  EXPECT_EQ(interpellation.state, "proposed");
  EXPECT_EQ(interpellation.cosigners, Present(3));
  EXPECT_EQ(interpellation.members_total, kMembers);

  // 撤职案 by members: 2 × 5 = 10 < 15 is less than one fifth; 3 × 5 = 15 ≥ 15 is enough.
  const std::string reason = "撤职理由：履职不力，整改不到位。";
  before = Events();
  ExpectRefused(
      measures_
          ->Propose(officer_, id,
                    {MeasureKind::kDismissalMotion, Proposer::kMembers, Present(2), {}, reason})
          .status(),
      StatusCode::kInvalidArgument, "cosigners", before);
  Measure motion =
      Must(measures_->Propose(
               officer_, id,
               {MeasureKind::kDismissalMotion, Proposer::kMembers, Present(3), {}, reason}),
           "dismissal motion");
  // Adopted only with more than half of ALL 15 members: 7 × 2 = 14 is not > 15.
  ASSERT_FALSE(7 * 2 > kMembers);
  Measure rejected = Must(
      measures_->RecordDismissalVote(officer_, motion.id, {"本人申辩意见。", 7, 6, 2}), "vote 7");
  EXPECT_EQ(rejected.state, "concluded");
  EXPECT_EQ(rejected.votes_for, 7);
  EXPECT_TRUE(rejected.outcome.starts_with("rejected")) << rejected.outcome;
  before = Events();
  ExpectRefused(
      measures_->RecordDismissalVote(officer_, motion.id, {"再次申辩。", 9, 4, 2}).status(),
      StatusCode::kFailedPrecondition, "state", before);
  ExpectRefused(
      measures_->RecordDismissalVote(officer_, interpellation.id, {"申辩。", 9, 4, 2}).status(),
      StatusCode::kFailedPrecondition, "kind", before);
  // Another motion, by the 主任会议: 8 × 2 = 16 > 15 → adopted.
  ASSERT_TRUE(8 * 2 > kMembers);
  Measure motion2 =
      Must(measures_->Propose(
               officer_, id,
               {MeasureKind::kDismissalMotion, Proposer::kChairpersonsCouncil, {}, {}, reason}),
           "second motion");
  before = Events();
  ExpectRefused(measures_->RecordDismissalVote(officer_, motion2.id, {"申辩。", 10, 6, 0}).status(),
                StatusCode::kInvalidArgument, "votes_for", before);  // 16 votes from 15 members
  Measure adopted = Must(
      measures_->RecordDismissalVote(officer_, motion2.id, {"本人申辩意见。", 8, 5, 2}), "vote 8");
  EXPECT_TRUE(adopted.outcome.starts_with("adopted")) << adopted.outcome;
  // The adopted motion removed the official from the post, in the same transaction.
  const int64_t appointment = Must(reviews_->Get(officer_, id), "review").review.appointment_id;
  registry::Appointment ended = Must(appts_->Get(officer_, appointment), "appointment");
  ASSERT_TRUE(ended.ended_on.has_value());
  EXPECT_EQ(*ended.ended_on, clock_.Today());
  EXPECT_EQ(ended.end_reason, registry::EndReason::kDismissed);

  // 特定问题调查: the official concerned may not sit on the committee (art 57).
  before = Events();
  ExpectRefused(measures_
                    ->Propose(officer_, id,
                              {MeasureKind::kSpecialInvestigation,
                               Proposer::kChairpersonsCouncil,
                               {},
                               {members_[2].id, official},
                               "组织特定问题调查委员会。"})
                    .status(),
                StatusCode::kInvalidArgument, "committee", before);
  ExpectRefused(measures_
                    ->Propose(officer_, id,
                              {MeasureKind::kSpecialInvestigation,
                               Proposer::kMembers,
                               Present(2),
                               {members_[5].id},
                               "组织特定问题调查委员会。"})
                    .status(),
                StatusCode::kInvalidArgument, "cosigners", before);
  Measure investigation = Must(measures_->Propose(officer_, id,
                                                  {MeasureKind::kSpecialInvestigation,
                                                   Proposer::kChairpersonsCouncil,
                                                   {},
                                                   {members_[2].id, members_[3].id, members_[4].id},
                                                   "组织特定问题调查委员会。"}),
                               "special investigation");
  EXPECT_EQ(investigation.committee.size(), 3u);

  // The 质询 is answered in writing; a concluded measure lets the review close.
  Measure answered =
      Must(measures_->Conclude(officer_, interpellation.id,
                               {"written_answer", "县教育局书面答复。", "答复已印发。"}),
           "conclude");
  EXPECT_EQ(answered.state, "concluded");
  EXPECT_EQ(Must(measures_->List(officer_, id), "list").size(), 4u);
  EXPECT_EQ(Must(reviews_->Close(officer_, id, std::nullopt), "close").stage, Stage::kClosed);
}

TEST_P(ReviewFlowTest, SecretBallotKeepsVotersAndChoicesApart) {
  const int64_t id = Prepare(fin_head_, fin_liaison_);
  const int64_t elsewhere = Prepare(edu_head_, edu_liaison_);  // not on this ballot
  Meeting m =
      Must(meetings_->Create(officer_, {committee_.id, "2025年第二次工作评议会议", {}}), "meeting");
  ASSERT_TRUE(meetings_->AddItem(officer_, m.id, id, "hearing").ok());
  ASSERT_TRUE(meetings_->SetAttendance(officer_, m.id, Present(12)).ok());

  // Before the ballot opens there is no sheet to vote on.
  EXPECT_FALSE(Must(meetings_->Get(officer_, m.id), "meeting").sheet_id.has_value());
  int64_t before = Events();
  ExpectRefused(meetings_->Cast(voters_[0], 999999, {{id, Choice::kSatisfied}}).status(),
                StatusCode::kNotFound, "", before);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM vote_participation"), 0);

  Sheet s = Must(meetings_->OpenSheet(officer_, m.id, ""), "open");
  Result<std::string> receipt = meetings_->Cast(voters_[0], s.id, {{id, Choice::kSatisfied}});
  ASSERT_TRUE(receipt.ok()) << receipt.status().ToString();
  // Four groups of four from the 31-character alphabet (no 0/O, 1/I/L).
  EXPECT_THAT(*receipt, ::testing::MatchesRegex(
                            "[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}"));

  // Refusals, none of which counts or records anything.
  before = Events();
  auto unchanged = [&](const char* what) {
    SCOPED_TRACE(what);
    EXPECT_EQ(Counted(s.id), 1);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM vote_participation"), 1);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM vote_receipt"), 1);
    EXPECT_EQ(Events(), before);
  };
  ExpectRefused(meetings_->Cast(voters_[0], s.id, {{id, Choice::kDissatisfied}}).status(),
                StatusCode::kConflict, "sheet", before);
  unchanged("voting twice");
  ExpectRefused(meetings_->Cast(voters_[12], s.id, {{id, Choice::kSatisfied}}).status(),
                StatusCode::kPermissionDenied, "", before);
  unchanged("an absent member");
  ExpectRefused(meetings_->Cast(voters_[1], s.id, {{elsewhere, Choice::kSatisfied}}).status(),
                StatusCode::kInvalidArgument, "choices[0].review_id", before);
  unchanged("a review not on the sheet");
  ExpectRefused(
      meetings_->Cast(voters_[1], s.id, {{id, Choice::kSatisfied}, {id, Choice::kAbstain}})
          .status(),
      StatusCode::kInvalidArgument, "choices[1].review_id", before);
  unchanged("a review twice");
  ExpectRefused(meetings_->Cast(voters_[1], s.id, {}).status(), StatusCode::kInvalidArgument,
                "choices", before);
  unchanged("a review missing");
  Principal unlinked = voters_[1];
  unlinked.person_id = 0;
  ExpectRefused(meetings_->Cast(unlinked, s.id, {{id, Choice::kSatisfied}}).status(),
                StatusCode::kPermissionDenied, "", before);
  unchanged("an account without a person");
  ExpectRefused(meetings_->Cast(officer_, s.id, {{id, Choice::kSatisfied}}).status(),
                StatusCode::kPermissionDenied, "", before);
  unchanged("an officer");
  Principal outsider = voters_[1];
  outsider.org_id = other_county_.id;
  outsider.org_path = other_county_.path;
  ExpectRefused(meetings_->Cast(outsider, s.id, {{id, Choice::kSatisfied}}).status(),
                StatusCode::kNotFound, "", before);
  unchanged("an account of another county");

  // The receipt proves the ballot was counted without saying how.
  EXPECT_TRUE(Must(meetings_->CheckReceipt(voters_[0], s.id, *receipt), "receipt"));
  std::string spelled;
  for (char c : *receipt) {
    if (c != '-') spelled += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  EXPECT_TRUE(Must(meetings_->CheckReceipt(officer_, s.id, spelled), "receipt, retyped"));
  EXPECT_FALSE(Must(meetings_->CheckReceipt(voters_[0], s.id, "AAAA-BBBB-CCCC-DDDD"), "made up"));
  EXPECT_EQ(meetings_->CheckReceipt(voters_[0], s.id, "ABC").status().field(), "receipt");

  // Who voted and what was voted live in tables that share no linking column: vote_count has
  // exactly (sheet_id, review_id, choice, n) — no person — and vote_participation exactly
  // (sheet_id, person_id, channel) — no review or choice.
  Status shape = store::RunInTransaction(*db_, store::TxMode::kReadOnly, [&](store::Tx& tx) {
    JIANDU_ASSIGN_OR_RETURN(store::Rows counts, tx.Query("SELECT * FROM vote_count"));
    EXPECT_FALSE(counts.empty());
    for (const store::Row& r : counts) EXPECT_EQ(r.size(), 4u);
    EXPECT_TRUE(tx.Query("SELECT sheet_id, review_id, choice, n FROM vote_count").ok());
    JIANDU_ASSIGN_OR_RETURN(store::Rows voters, tx.Query("SELECT * FROM vote_participation"));
    EXPECT_EQ(voters.size(), 1u);
    for (const store::Row& r : voters) EXPECT_EQ(r.size(), 3u);
    EXPECT_TRUE(tx.Query("SELECT sheet_id, person_id, channel FROM vote_participation").ok());
    JIANDU_ASSIGN_OR_RETURN(store::Rows receipts, tx.Query("SELECT * FROM vote_receipt"));
    for (const store::Row& r : receipts) EXPECT_EQ(r.size(), 2u);
    return Status::Ok();
  });
  EXPECT_TRUE(shape.ok()) << shape.ToString();
  for (const char* sql :
       {"SELECT person_id FROM vote_count", "SELECT choice FROM vote_participation",
        "SELECT review_id FROM vote_participation", "SELECT person_id FROM vote_receipt"}) {
    Status s2 = store::RunInTransaction(*db_, store::TxMode::kReadOnly,
                                        [&](store::Tx& tx) { return tx.Query(sql).status(); });
    EXPECT_FALSE(s2.ok()) << sql << " should name a column that does not exist";
  }
  // The audit event of a cast names the sheet, never a choice.
  Status audit = store::RunInTransaction(*db_, store::TxMode::kReadOnly, [&](store::Tx& tx) {
    JIANDU_ASSIGN_OR_RETURN(
        store::Rows rows,
        tx.Query("SELECT entity_type, entity_id, summary FROM audit_event WHERE action = "
                 "'ballot.cast'"));
    EXPECT_EQ(rows.size(), 1u);
    for (const store::Row& r : rows) {
      EXPECT_EQ(r.Text(0), "vote_sheet");
      EXPECT_EQ(r.Text(1), std::to_string(s.id));
      EXPECT_EQ(r.Text(2).find("satisfied"), std::string::npos) << r.Text(2);
    }
    return Status::Ok();
  });
  EXPECT_TRUE(audit.ok()) << audit.ToString();

  // The tally: nothing per review while open; after closing, exactly what was cast.
  CastAll(s.id, {id}, {Tally{0, 8, 0, 0}}, /*first_voter=*/1);
  Sheet open = Must(meetings_->GetSheet(officer_, s.id), "open sheet");
  EXPECT_EQ(open.voted, 9);
  EXPECT_TRUE(open.results.empty());
  Sheet closed = Must(meetings_->CloseSheet(officer_, s.id), "close");
  ASSERT_EQ(closed.results.size(), 1u);
  const Tally cast{1, 8, 0, 0};
  ExpectResult(closed.results[0], 12, cast);
  EXPECT_EQ(GradeName(closed.results[0].grade), "basically_satisfied");  // 1×2 < 15; 9×2 > 15

  // After the close nobody votes any more.
  before = Events();
  ExpectRefused(meetings_->Cast(voters_[10], s.id, {{id, Choice::kSatisfied}}).status(),
                StatusCode::kFailedPrecondition, "sheet", before);
  EXPECT_EQ(Counted(s.id), 9);
  ExpectRefused(meetings_->CloseSheet(officer_, s.id).status(), StatusCode::kFailedPrecondition,
                "sheet", before);
}

TEST_P(ReviewFlowTest, ConcurrentDoubleVotesCountOnce) {
  const int64_t id = Prepare(fin_head_, fin_liaison_);
  Meeting m = Convene("2025年第三次工作评议会议", {{id, "hearing"}}, 12);
  ASSERT_TRUE(m.sheet_id.has_value());
  const int kRounds = 4;
  for (int v = 0; v < kRounds; ++v) {
    std::latch start(2);
    Status results[2];
    std::thread threads[2];
    for (int k = 0; k < 2; ++k) {
      threads[k] = std::thread([&, k] {
        start.arrive_and_wait();
        results[k] = meetings_
                         ->Cast(voters_[v], *m.sheet_id,
                                {{id, k == 0 ? Choice::kSatisfied : Choice::kDissatisfied}})
                         .status();
      });
    }
    for (std::thread& t : threads) t.join();
    SCOPED_TRACE("voter " + std::to_string(v));
    const int ok = results[0].ok() + results[1].ok();
    EXPECT_EQ(ok, 1) << results[0].ToString() << " / " << results[1].ToString();
    for (const Status& s : results) {
      if (!s.ok()) {
        EXPECT_EQ(s.code(), StatusCode::kConflict) << s.ToString();
      }
    }
  }
  EXPECT_EQ(Counted(*m.sheet_id), kRounds);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM vote_participation"), kRounds);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM vote_receipt"), kRounds);
  EXPECT_EQ(Must(meetings_->GetSheet(officer_, *m.sheet_id), "sheet").voted, kRounds);
}

TEST_P(ReviewFlowTest, PaperBallotsAreAddedOnlyWhenTwoTellersAgree) {
  const int64_t id = Prepare(fin_head_, fin_liaison_);
  Meeting m = Convene("2025年第四次工作评议会议", {{id, "hearing"}}, 12);
  const int64_t sheet = *m.sheet_id;
  // Nine members vote on their phones: 6 satisfied, 2 basically, 1 dissatisfied.
  CastAll(sheet, {id}, {Tally{6, 2, 1, 0}});
  ASSERT_EQ(Counted(sheet), 9);

  int64_t before = Events();
  ExpectRefused(meetings_->MarkPaperVoters(officer_, sheet, {members_[12].id}).status(),
                StatusCode::kInvalidArgument, "person_ids[0]", before);
  ExpectRefused(meetings_->MarkPaperVoters(officer_, sheet, {members_[0].id}).status(),
                StatusCode::kConflict, "person_ids[0]", before);
  Sheet marked = Must(meetings_->MarkPaperVoters(
                          officer_, sheet, {members_[9].id, members_[10].id, members_[11].id}),
                      "paper voters");
  EXPECT_EQ(marked.voted, 12);
  // A member voting on paper cannot also vote electronically.
  before = Events();
  ExpectRefused(meetings_->Cast(voters_[9], sheet, {{id, Choice::kSatisfied}}).status(),
                StatusCode::kConflict, "sheet", before);
  // The sheet cannot close before the paper counts are confirmed.
  ExpectRefused(meetings_->CloseSheet(officer_, sheet).status(), StatusCode::kFailedPrecondition,
                "counts", before);

  const PaperCounts paper{id, 2, 1, 0, 0, 0};
  ASSERT_TRUE(meetings_->EnterPaperCounts(officer_, sheet, {paper}).ok());  // teller A
  EXPECT_EQ(Counted(sheet), 9) << "one teller's entry must not be counted";
  before = Events();
  ExpectRefused(meetings_->EnterPaperCounts(officer_, sheet, {paper}).status(),
                StatusCode::kFailedPrecondition, "counts", before);
  ExpectRefused(meetings_->EnterPaperCounts(officer_b_, sheet, {{id, 2, 1, 0, 0, 1}}).status(),
                StatusCode::kInvalidArgument, "counts[0]", before);  // 4 ballots, 3 voters
  // Teller B counts differently: both entries are discarded and nothing is added.
  Status mismatch = meetings_->EnterPaperCounts(officer_b_, sheet, {{id, 3, 0, 0, 0, 0}}).status();
  EXPECT_EQ(mismatch.code(), StatusCode::kConflict) << mismatch.ToString();
  EXPECT_EQ(mismatch.field(), "counts");
  EXPECT_EQ(Counted(sheet), 9);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM vote_paper_entry"), 0);

  // Counted again: A then B agree → added.
  ASSERT_TRUE(meetings_->EnterPaperCounts(officer_, sheet, {paper}).ok());
  Sheet confirmed = Must(meetings_->EnterPaperCounts(officer_b_, sheet, {paper}), "teller B");
  EXPECT_EQ(Counted(sheet), 12);
  EXPECT_TRUE(confirmed.results.empty());
  before = Events();
  ExpectRefused(meetings_->MarkPaperVoters(officer_, sheet, {members_[8].id}).status(),
                StatusCode::kFailedPrecondition, "person_ids", before);

  Sheet closed = Must(meetings_->CloseSheet(officer_, sheet), "close");
  ASSERT_EQ(closed.results.size(), 1u);
  const Tally all{6 + 2, 2 + 1, 1, 0};
  ExpectResult(closed.results[0], 12, all);
  EXPECT_EQ(GradeName(Load(id).grade), GradeName(ExpectedGrade(kMembers, 12, all)));
}

TEST_P(ReviewFlowTest, WithoutQuorumTheReviewStaysAtHearingAndIsHeardAgain) {
  const int64_t id = Prepare(fin_head_, fin_liaison_);
  // 7 of 15 present: 7 × 2 = 14 is not more than 15.
  const Tally seven{7, 0, 0, 0};
  ASSERT_FALSE(ExpectedGrade(kMembers, 7, seven).has_value());
  Sheet s = HoldVote(id, "hearing", 7, seven);
  ASSERT_EQ(s.results.size(), 1u);
  EXPECT_FALSE(s.results[0].quorum_met);
  EXPECT_FALSE(s.results[0].grade.has_value());
  ExpectResult(s.results[0], 7, seven);
  Review r = Load(id);
  EXPECT_EQ(r.stage, Stage::kHearing);
  EXPECT_FALSE(r.grade.has_value());
  ReviewDetail d = Detail(id);
  ASSERT_EQ(d.votes.size(), 1u);
  EXPECT_FALSE(d.votes[0].quorum_met);
  // Not heard, so no opinions yet.
  int64_t before = Events();
  ExpectRefused(reviews_->AddOpinion(officer_, id, "意见。").status(),
                StatusCode::kFailedPrecondition, "stage", before);

  // The vote did not take place: the review goes on the agenda of a later meeting, once.
  Meeting again = Convene("2025年第五次工作评议会议", {{id, "hearing"}}, 8);
  ASSERT_TRUE(again.sheet_id.has_value());
  Meeting third = Must(meetings_->Create(officer_, {committee_.id, "第六次会议", {}}), "third");
  before = Events();
  ExpectRefused(meetings_->AddItem(officer_, third.id, id, "hearing").status(),
                StatusCode::kFailedPrecondition, "stage", before);
  const Tally eight{8, 0, 0, 0};
  CastAll(*again.sheet_id, {id}, {eight});
  Sheet heard = Must(meetings_->CloseSheet(officer_, *again.sheet_id), "close");
  ASSERT_EQ(heard.results.size(), 1u);
  ExpectResult(heard.results[0], 8, eight);  // 8 × 2 = 16 > 15; 8 × 2 ≥ 15 → 满意
  EXPECT_EQ(Load(id).stage, Stage::kVoted);
  EXPECT_EQ(GradeName(Load(id).grade), "satisfied");
  // Only the vote with quorum counts in the statistics.
  ReviewStats stats = Must(reviews_->Stats(officer_, committee_.id, 2025, 2025), "stats");
  EXPECT_EQ(stats.heard, 1);
  EXPECT_EQ(stats.rate_num, 8);
  EXPECT_EQ(stats.rate_den, 8);
}

TEST_P(ReviewFlowTest, IllegalTransitionsAreRefusedAndWriteNothing) {
  Review r = Must(reviews_->Schedule(officer_, {committee_.id, fin_head_.id, 2025}), "schedule");
  const int64_t id = r.id;
  Meeting m =
      Must(meetings_->Create(officer_, {committee_.id, "2025年第七次工作评议会议", {}}), "meeting");
  int64_t before = Events();
  const auto same = [&](const char* what) {
    SCOPED_TRACE(what);
    Review now = Load(id);
    EXPECT_EQ(now.stage, r.stage);
    EXPECT_EQ(now.version, r.version);
  };

  // At planned.
  ExpectRefused(
      reviews_->AdoptOpinions(officer_, id, "主任会议", std::nullopt, std::nullopt).status(),
      StatusCode::kFailedPrecondition, "stage", before);
  ExpectRefused(reviews_->Deliver(officer_, id, kAllFive, std::nullopt).status(),
                StatusCode::kFailedPrecondition, "stage", before);
  ExpectRefused(reviews_->AddOpinion(officer_, id, "意见。").status(),
                StatusCode::kFailedPrecondition, "stage", before);
  ExpectRefused(reviews_->SubmitWorkReport(fin_liaison_, id, "述职。", std::nullopt).status(),
                StatusCode::kFailedPrecondition, "stage", before);
  ExpectRefused(reviews_->SubmitReReport(fin_liaison_, id, "再报告。", std::nullopt).status(),
                StatusCode::kFailedPrecondition, "stage", before);
  ExpectRefused(reviews_->StartFollowUp(officer_, id, std::nullopt).status(),
                StatusCode::kFailedPrecondition, "stage", before);
  ExpectRefused(reviews_->Close(officer_, id, std::nullopt).status(),
                StatusCode::kFailedPrecondition, "stage", before);
  ExpectRefused(meetings_->AddItem(officer_, m.id, id, "hearing").status(),
                StatusCode::kFailedPrecondition, "stage", before);
  ExpectRefused(meetings_->AddItem(officer_, m.id, id, "re_report").status(),
                StatusCode::kFailedPrecondition, "stage", before);
  ExpectRefused(meetings_->AddItem(officer_, m.id, id, "debate").status(),
                StatusCode::kInvalidArgument, "purpose", before);
  ExpectRefused(
      reviews_->AdoptOpinions(officer_, id, "主任会议", std::nullopt, r.version + 3).status(),
      StatusCode::kConflict, "version", before);
  same("at planned");

  // Scheduling inputs.
  ExpectRefused(reviews_->Schedule(officer_, {committee_.id, fin_head_.id, 2025}).status(),
                StatusCode::kConflict, "appointment_id", before);
  ExpectRefused(reviews_->Schedule(officer_, {committee_.id, edu_head_.id, 2024}).status(),
                StatusCode::kInvalidArgument, "year", before);
  ExpectRefused(reviews_->Schedule(officer_, {finance_.id, edu_head_.id, 2025}).status(),
                StatusCode::kInvalidArgument, "committee_id", before);
  registry::Appointment seat =
      Must(appts_->List(Principal::System(), {.person_id = members_[0].id}, {}), "seat")
          .items.at(0);
  ExpectRefused(reviews_->Schedule(officer_, {committee_.id, seat.id, 2025}).status(),
                StatusCode::kInvalidArgument, "appointment_id", before);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM review"), 1);

  // Investigation inputs.
  InvestigationStart bad;
  bad.tasks = {{TaskMethod::kInterview, "座谈"}};
  bad.team = {{"王建国", "member", "常委会委员"}};
  ExpectRefused(reviews_->StartInvestigation(officer_, id, bad).status(),
                StatusCode::kInvalidArgument, "team", before);
  bad.team = {{"王建国", "leader", "副主任"}, {"李秀英", "leader", "副主任"}};
  ExpectRefused(reviews_->StartInvestigation(officer_, id, bad).status(),
                StatusCode::kInvalidArgument, "team", before);
  bad.team = {{"王建国", "chair", "副主任"}};
  ExpectRefused(reviews_->StartInvestigation(officer_, id, bad).status(),
                StatusCode::kInvalidArgument, "team[0].role", before);
  bad.team = {{"王建国", "leader", "副主任"}};
  bad.tasks.clear();
  ExpectRefused(reviews_->StartInvestigation(officer_, id, bad).status(),
                StatusCode::kInvalidArgument, "tasks", before);
  same("after bad investigation inputs");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM review_team_member"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM review_task"), 0);

  // Investigating, then the work report without an investigation report yet.
  bad.tasks = {{TaskMethod::kInterview, "座谈"}};
  r = Must(reviews_->StartInvestigation(officer_, id, bad), "investigate");
  before = Events();
  ExpectRefused(meetings_->AddItem(officer_, m.id, id, "hearing").status(),
                StatusCode::kFailedPrecondition, "stage", before);
  r = Must(reviews_->SubmitWorkReport(fin_liaison_, id, "述职报告。", std::nullopt), "report");
  before = Events();
  ExpectRefused(meetings_->AddItem(officer_, m.id, id, "hearing").status(),
                StatusCode::kFailedPrecondition, "investigation_report", before);
  ExpectRefused(meetings_->OpenSheet(officer_, m.id, "").status(), StatusCode::kFailedPrecondition,
                "agenda", before);
  same("report submitted");
  ASSERT_TRUE(reviews_->RecordInvestigationReport(officer_, id, "调研报告。", std::nullopt).ok());

  // Voted: opinions are adopted before they are delivered, and there must be some.
  const Tally t{9, 2, 1, 0};
  HoldVote(id, "hearing", 12, t);
  r = Load(id);
  ASSERT_EQ(r.stage, Stage::kVoted);
  before = Events();
  ExpectRefused(reviews_->Deliver(officer_, id, kAllFive, std::nullopt).status(),
                StatusCode::kFailedPrecondition, "stage", before);
  ExpectRefused(
      reviews_->AdoptOpinions(officer_, id, "主任会议", std::nullopt, std::nullopt).status(),
      StatusCode::kFailedPrecondition, "opinions", before);
  ExpectRefused(
      reviews_->AdoptOpinions(officer_, id, "主任会议", D("2025-03-04"), std::nullopt).status(),
      StatusCode::kInvalidArgument, "adopted_on", before);
  same("voted");
  ASSERT_TRUE(reviews_->AddOpinion(officer_, id, "意见。").ok());
  ASSERT_TRUE(reviews_->AdoptOpinions(officer_, id, "主任会议", std::nullopt, std::nullopt).ok());
  r = Load(id);
  before = Events();
  ExpectRefused(reviews_->AddOpinion(officer_, id, "迟到的意见。").status(),
                StatusCode::kFailedPrecondition, "stage", before);
  ExpectRefused(
      reviews_->Deliver(officer_, id, {{Recipient::kOfficial, D("2025-03-04")}}, std::nullopt)
          .status(),
      StatusCode::kInvalidArgument, "recipients[0].delivered_on", before);
  ExpectRefused(
      reviews_->Deliver(officer_, id, {{Recipient::kOfficial, D("2025-03-02")}}, std::nullopt)
          .status(),
      StatusCode::kInvalidArgument, "recipients[0].delivered_on", before);
  ExpectRefused(reviews_->Deliver(officer_, id, {}, std::nullopt).status(),
                StatusCode::kInvalidArgument, "recipients", before);
  same("opinions adopted");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM review_delivery"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM finding"), 0);

  // Delivered: rectifying. 回头看 only once every finding has its final report; nothing goes
  // back to an earlier stage.
  r = Must(reviews_->Deliver(officer_, id, kAllFive, std::nullopt), "deliver");
  ASSERT_EQ(r.stage, Stage::kRectifying);
  before = Events();
  ExpectRefused(reviews_->StartFollowUp(officer_, id, std::nullopt).status(),
                StatusCode::kFailedPrecondition, "findings", before);
  ExpectRefused(reviews_->Deliver(officer_, id, kAllFive, std::nullopt).status(),
                StatusCode::kFailedPrecondition, "stage", before);
  ExpectRefused(
      reviews_->AdoptOpinions(officer_, id, "主任会议", std::nullopt, std::nullopt).status(),
      StatusCode::kFailedPrecondition, "stage", before);
  ExpectRefused(reviews_->Close(officer_, id, std::nullopt).status(),
                StatusCode::kFailedPrecondition, "stage", before);
  ExpectRefused(
      measures_
          ->Propose(officer_, id,
                    {MeasureKind::kInquiry, Proposer::kChairpersonsCouncil, {}, {}, "询问。"})
          .status(),
      StatusCode::kFailedPrecondition, "kind", before);
  same("rectifying");
}

TEST_P(ReviewFlowTest, StatisticsAreComputedFromTheRecords) {
  const int64_t fin = Prepare(fin_head_, fin_liaison_);
  const int64_t edu = Prepare(edu_head_, edu_liaison_);
  Must(reviews_->Schedule(officer_, {committee_.id, housing_head_.id, 2025}), "third review");

  // Both heard at one meeting on one two-item ballot.
  const Tally fin_votes{8, 3, 1, 0};
  const Tally edu_votes{2, 3, 7, 0};
  Meeting m = Convene("2025年度工作评议会议", {{fin, "hearing"}, {edu, "hearing"}}, 12);
  CastAll(*m.sheet_id, {fin, edu}, {fin_votes, edu_votes});
  Sheet s = Must(meetings_->CloseSheet(officer_, *m.sheet_id), "close");
  ASSERT_EQ(s.results.size(), 2u);
  for (const ItemResult& item : s.results) {
    ExpectResult(item, 12, item.review_id == fin ? fin_votes : edu_votes);
  }

  // Opinions: 2 for the finance head, 1 for the education head; all delivered.
  const int fin_opinions = 2, edu_opinions = 1;
  for (int i = 0; i < fin_opinions; ++i) {
    ASSERT_TRUE(reviews_->AddOpinion(officer_, fin, "财政意见" + std::to_string(i + 1)).ok());
  }
  for (int i = 0; i < edu_opinions; ++i) {
    ASSERT_TRUE(reviews_->AddOpinion(officer_, edu, "教育意见" + std::to_string(i + 1)).ok());
  }
  for (int64_t id : {fin, edu}) {
    ASSERT_TRUE(reviews_->AdoptOpinions(officer_, id, "主任会议", std::nullopt, std::nullopt).ok());
    ASSERT_TRUE(reviews_->Deliver(officer_, id, kAllFive, std::nullopt).ok());
  }
  // One finding rectified and verified.
  ReviewDetail fd = Detail(fin);
  ASSERT_EQ(fd.findings.size(), static_cast<size_t>(fin_opinions));
  const int64_t done = fd.findings[0].id;
  ASSERT_TRUE(
      findings_->Report(fin_liaison_, done, {rectify::ReportKind::kFinal, "已整改。", {}}).ok());
  ASSERT_TRUE(
      findings_
          ->Verify(officer_, done, {rectify::Verdict::kEliminated, "已整改。", std::nullopt, {}})
          .ok());

  // The expected figures, from what this test did.
  int64_t heard = 0, satisfied = 0, basically = 0, dissatisfied = 0, rate_num = 0, rate_den = 0;
  for (const Tally& t : {fin_votes, edu_votes}) {
    std::optional<Grade> g = ExpectedGrade(kMembers, 12, t);
    ASSERT_TRUE(g.has_value());
    ++heard;
    satisfied += *g == Grade::kSatisfied;
    basically += *g == Grade::kBasicallySatisfied;
    dissatisfied += *g == Grade::kDissatisfied;
    rate_num += t.satisfied + t.basically;
    rate_den += t.satisfied + t.basically + t.dissatisfied;
  }
  ReviewStats st = Must(reviews_->Stats(officer_, committee_.id, 2025, 2025), "stats");
  EXPECT_EQ(st.scheduled, 3);
  EXPECT_EQ(st.heard, heard);
  EXPECT_EQ(st.satisfied, satisfied);
  EXPECT_EQ(st.basically_satisfied, basically);
  EXPECT_EQ(st.dissatisfied, dissatisfied);
  EXPECT_EQ(st.opinions, fin_opinions + edu_opinions);
  EXPECT_EQ(st.findings, fin_opinions + edu_opinions);
  EXPECT_EQ(st.findings_closed, 1);
  EXPECT_EQ(st.findings_overdue, 0);
  EXPECT_EQ(st.rate_num, rate_num);  // (8 + 3) + (2 + 3) = 16
  EXPECT_EQ(st.rate_den, rate_den);  // 12 + 12 = 24
  ASSERT_EQ(st.years.size(), 1u);
  EXPECT_EQ(st.years[0].year, 2025);
  EXPECT_EQ(st.years[0].scheduled, 3);
  EXPECT_EQ(st.years[0].heard, heard);
  EXPECT_EQ(st.years[0].satisfied, satisfied);
  EXPECT_EQ(st.years[0].dissatisfied, dissatisfied);
  EXPECT_EQ(st.years[0].opinions, fin_opinions + edu_opinions);

  // Past the deadline (delivered 2025-03-03 + 6 months = Wed 2025-09-03), the two open
  // findings are overdue.
  SetDay("2025-09-04");
  ReviewStats later = Must(reviews_->Stats(officer_, committee_.id, 2025, 2025), "later");
  EXPECT_EQ(later.findings_overdue, fin_opinions + edu_opinions - 1);

  // Another year is empty; another county's officer cannot read this committee.
  ReviewStats next = Must(reviews_->Stats(officer_, committee_.id, 2026, 2026), "2026");
  EXPECT_EQ(next.scheduled, 0);
  EXPECT_EQ(next.heard, 0);
  EXPECT_EQ(next.rate_den, 0);
  Principal outsider = officer_;
  outsider.org_id = other_county_.id;
  outsider.org_path = other_county_.path;
  Status refused = reviews_->Stats(outsider, committee_.id, 2025, 2025).status();
  EXPECT_EQ(refused.code(), StatusCode::kNotFound) << refused.ToString();
  // Out of scope reads exactly like absent.
  EXPECT_EQ(refused.ToString(), reviews_->Stats(officer_, 999999, 2025, 2025).status().ToString());
}

TEST_P(ReviewFlowTest, EachReviewCountsOnlyItsOwnFindings) {
  // Findings name their review as "review:<id>". Schedule reviews until one id is a decimal
  // prefix of another ("review:1" and "review:10"): each must still count only its own.
  const int64_t first = Prepare(fin_head_, fin_liaison_);
  const std::string prefix = std::to_string(first);
  const char* han[] = {"甲", "乙", "丙", "丁", "戊", "己", "庚", "辛", "壬", "癸", "子",
                       "丑", "寅", "卯", "辰", "巳", "午", "未", "申", "酉", "戌", "亥"};
  int64_t later = 0;
  for (int i = 0; i < 22 && later == 0; ++i) {
    registry::Org unit = MakeOrg(county_.id, "420322.d" + std::to_string(i),
                                 std::string("郧西县") + han[i] + "局", "government_department");
    registry::Appointment head = AppointHead(std::string("孔") + han[i], 40 + i, unit);
    Review r = Must(reviews_->Schedule(officer_, {committee_.id, head.id, 2025}), "schedule");
    const std::string id = std::to_string(r.id);
    if (id.size() > prefix.size() && id.starts_with(prefix)) later = r.id;
  }
  ASSERT_NE(later, 0);
  InvestigationStart in;
  in.team = {{"王建国", "leader", "常委会副主任"}};
  in.tasks = {{TaskMethod::kInterview, "座谈"}};
  ASSERT_TRUE(reviews_->StartInvestigation(officer_, later, in).ok());
  ASSERT_TRUE(
      reviews_->RecordInvestigationReport(officer_, later, "调研报告。", std::nullopt).ok());
  ASSERT_TRUE(reviews_->SubmitWorkReport(officer_, later, "述职报告。", std::nullopt).ok());

  const Tally t{9, 2, 1, 0};
  Meeting m = Convene("2025年度工作评议会议", {{first, "hearing"}, {later, "hearing"}}, 12);
  CastAll(*m.sheet_id, {first, later}, {t, t});
  ASSERT_TRUE(meetings_->CloseSheet(officer_, *m.sheet_id).ok());
  const int first_opinions = 1, later_opinions = 2;
  ASSERT_TRUE(reviews_->AddOpinion(officer_, first, "意见一。").ok());
  for (int i = 0; i < later_opinions; ++i) {
    ASSERT_TRUE(reviews_->AddOpinion(officer_, later, "意见" + std::to_string(i + 1)).ok());
  }
  for (int64_t id : {first, later}) {
    ASSERT_TRUE(reviews_->AdoptOpinions(officer_, id, "主任会议", std::nullopt, std::nullopt).ok());
    ASSERT_TRUE(reviews_->Deliver(officer_, id, kAllFive, std::nullopt).ok());
    ASSERT_TRUE(reviews_->SetPublished(officer_, id, true).ok());
  }
  EXPECT_EQ(Detail(first).findings.size(), static_cast<size_t>(first_opinions));
  EXPECT_EQ(Detail(later).findings.size(), static_cast<size_t>(later_opinions));

  ReviewStats st = Must(reviews_->Stats(officer_, committee_.id, 2025, 2025), "stats");
  EXPECT_EQ(st.heard, 2);
  EXPECT_EQ(st.opinions, first_opinions + later_opinions);
  EXPECT_EQ(st.findings, first_opinions + later_opinions);
  std::vector<PublishedResult> published = Must(reviews_->PublishedResults(2025), "published");
  ASSERT_EQ(published.size(), 2u);
  for (const PublishedResult& p : published) {
    const int64_t want = p.review_id == first ? first_opinions : later_opinions;
    EXPECT_EQ(p.opinions, want) << "review " << p.review_id;
    EXPECT_EQ(p.findings, want) << "review " << p.review_id;
    EXPECT_EQ(p.rate_num, t.satisfied + t.basically);
    EXPECT_EQ(p.rate_den, t.satisfied + t.basically + t.dissatisfied);
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, ReviewFlowTest,
                         ::testing::ValuesIn(store::testing::AllBackends()),
                         store::testing::BackendName);

}  // namespace
}  // namespace jiandu::review
