// The rectification engine on both backends: deadlines counted per DOMAIN.md §8, the
// open → plan → progress → final → verify loop (with a reopened round), evidence files, the
// overdue sweep and its escalation, and scope. Every refusal names its code and field and
// leaves nothing written.
//
// Dates are deterministic: the fake clock starts on Monday 2025-03-03 at 09:00 China time and
// is advanced to pass deadlines.
#include "rectify/finding_service.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <tuple>
#include <vector>

#include "audit/audit_log.h"
#include "auth/auth_schema.h"
#include "core/calendar.h"
#include "core/clock.h"
#include "notify/notify.h"
#include "registry/org_service.h"
#include "registry/registry_schema.h"
#include "store/testing/test_store.h"

namespace jiandu::rectify {
namespace {

using auth::Principal;
using auth::Role;
using core::CivilDate;

CivilDate D(std::string_view text) { return CivilDate::Parse(text).value(); }

// Monday 2025-03-03, 09:00 China Standard Time (01:00 UTC).
constexpr int64_t kStartSeconds = 1'740'963'600;

// ---------------------------------------------------------------------------------------------
// DueDate: pure deadline arithmetic on the embedded calendar (DOMAIN.md §8.2, §8.3).

TEST(DueDateTest, WorkingDaysSkipHolidaysAndCountMakeUpDays) {
  const core::Calendar& cal = core::Calendar::Default();
  // Received Fri 2025-09-26, 15 working days, the receipt day excluded: Sun 09-28 and Sat 10-11
  // are make-up workdays, 10-01..10-08 a holiday → Thu 2025-10-23.
  Result<CivilDate> due = DueDate(cal, D("2025-09-26"), {DeadlineUnit::kWorkingDays, 15});
  ASSERT_TRUE(due.ok()) << due.status().ToString();
  EXPECT_EQ(due->ToString(), "2025-10-23");
  // An ordinary fortnight: Mon 2025-03-03 + 15 working days → Mon 2025-03-24.
  EXPECT_EQ(DueDate(cal, D("2025-03-03"), {DeadlineUnit::kWorkingDays, 15})->ToString(),
            "2025-03-24");
}

TEST(DueDateTest, CalendarDaysEndingOnARestDayMoveToTheNextWorkingDay) {
  const core::Calendar& cal = core::Calendar::Default();
  // 2025-09-08 + 30 days = 2025-10-08, the last day of the National Day holiday → 10-09.
  Result<CivilDate> due = DueDate(cal, D("2025-09-08"), {DeadlineUnit::kCalendarDays, 30});
  ASSERT_TRUE(due.ok()) << due.status().ToString();
  EXPECT_EQ(due->ToString(), "2025-10-09");
  // Ending on a working day: unchanged (2025-03-03 + 10 = Thu 2025-03-13).
  EXPECT_EQ(DueDate(cal, D("2025-03-03"), {DeadlineUnit::kCalendarDays, 10})->ToString(),
            "2025-03-13");
}

TEST(DueDateTest, MonthsUseTheLastDayOfAShorterMonth) {
  const core::Calendar& cal = core::Calendar::Default();
  // 民法典 art 202: 2024-10-31 + 6 months → 2025-04-30 (a Wednesday, a working day).
  Result<CivilDate> due = DueDate(cal, D("2024-10-31"), {DeadlineUnit::kMonths, 6});
  ASSERT_TRUE(due.ok()) << due.status().ToString();
  EXPECT_EQ(due->ToString(), "2025-04-30");
  // 2024-10-04 + 6 months = 2025-04-04, the 清明 holiday (04-04..04-06) → Mon 2025-04-07.
  EXPECT_EQ(DueDate(cal, D("2024-10-04"), {DeadlineUnit::kMonths, 6})->ToString(), "2025-04-07");
}

TEST(DueDateTest, AmountsOutOfRangeAndUnknownYearsAreRefused) {
  const core::Calendar& cal = core::Calendar::Default();
  for (Deadline bad :
       {Deadline{DeadlineUnit::kWorkingDays, 0}, Deadline{DeadlineUnit::kCalendarDays, 3651},
        Deadline{DeadlineUnit::kMonths, 121}, Deadline{DeadlineUnit::kMonths, -1}}) {
    Status s = DueDate(cal, D("2025-03-03"), bad).status();
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s.ToString();
    EXPECT_EQ(s.field(), "deadline.amount") << s.ToString();
  }
  // No calendar file for 2030: no silent weekends-only fallback.
  EXPECT_EQ(DueDate(cal, D("2030-01-02"), {DeadlineUnit::kWorkingDays, 5}).status().code(),
            StatusCode::kFailedPrecondition);
}

// ---------------------------------------------------------------------------------------------
// FindingService on both backends.
//
//   十堰市 (region) ── 郧西县 (region) ─┬─ 郧西县人大常委会
//                  │                 ├─ 郧西县财政局   ← the responsible unit
//                  │                 └─ 郧西县教育局   ← a sibling unit
//                  └─ 郧阳区 (region, another county)
//
// Findings are supervised by 郧西县 (its officers verify); escalation goes to the officers of
// the organisation above it, 十堰市.

class FindingServiceTest : public ::testing::TestWithParam<store::testing::Backend> {
 protected:
  void SetUp() override {
    db_ = GetParam().make();
    ASSERT_NE(db_, nullptr);
    std::vector<store::Migration> m;
    for (const auto& part : {audit::Migrations(), auth::Migrations(), registry::Migrations(),
                             notify::Migrations(), rectify::Migrations()}) {
      m.insert(m.end(), part.begin(), part.end());
    }
    ASSERT_TRUE(db_->Migrate(m).ok());
    orgs_ = std::make_unique<registry::OrgService>(*db_, audit_, clock_);
    findings_ = std::make_unique<FindingService>(*db_, audit_, clock_, core::Calendar::Default());

    city_ = MakeOrg(std::nullopt, "420300", "十堰市", "region");
    county_ = MakeOrg(city_.id, "420322", "郧西县", "region");
    committee_ = MakeOrg(county_.id, "420322.rd", "郧西县人大常委会", "standing_committee");
    finance_ = MakeOrg(county_.id, "420322.czj", "郧西县财政局", "government_department");
    education_ = MakeOrg(county_.id, "420322.jyj", "郧西县教育局", "government_department");
    other_county_ = MakeOrg(city_.id, "420304", "郧阳区", "region");

    liaison_ = User("czj_liaison", "财政局联络员", Role::kDepartmentLiaison, finance_);
    sibling_liaison_ = User("jyj_liaison", "教育局联络员", Role::kDepartmentLiaison, education_);
    county_liaison_ = User("xian_liaison", "县联络员", Role::kDepartmentLiaison, county_);
    officer_ = User("xian_officer", "县人大干部", Role::kCongressOfficer, county_);
    city_officer_ = User("shi_officer", "市人大干部", Role::kCongressOfficer, city_);
    stationed_officer_ = User("czj_jijian", "派驻纪检组干部", Role::kDisciplineOfficer, finance_);
    other_officer_ = User("yy_officer", "郧阳区人大干部", Role::kCongressOfficer, other_county_);
  }

  registry::Org MakeOrg(std::optional<int64_t> parent, const std::string& code,
                        const std::string& name, const std::string& kind) {
    Result<registry::Org> o =
        orgs_->CreateOrg(Principal::System(), {parent, code, name, kind, code.substr(0, 6)});
    EXPECT_TRUE(o.ok()) << o.status().ToString();
    return o.ok() ? *o : registry::Org{};
  }

  // A signed-in user: an app_user row (notices are addressed to rows) and its principal.
  Principal User(const std::string& username, const std::string& display_name, Role role,
                 const registry::Org& org) {
    Result<int64_t> id = store::RunInTransaction<int64_t>(
        *db_, store::TxMode::kReadWrite, [&](store::Tx& tx) -> Result<int64_t> {
          JIANDU_ASSIGN_OR_RETURN(
              std::optional<store::Row> row,
              tx.QueryOne(
                  "INSERT INTO app_user (username, display_name, role, org_id, org_path, "
                  "password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'x', 0, "
                  "0) RETURNING id",
                  {username, display_name, std::string(auth::RoleName(role)), org.id, org.path}));
          return row->Int(0);
        });
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    Principal p;
    p.user_id = id.value_or(0);
    p.username = username;
    p.role = role;
    p.org_id = org.id;
    p.org_path = org.path;
    return p;
  }

  NewFinding Valid() {
    NewFinding f;
    f.source_kind = SourceKind::kInspection;
    f.source_ref = "inspection:2025-01";
    f.title = "专项资金拨付滞后";
    f.detail = "2024年度农村道路专项资金拨付平均滞后47天。";
    f.severity = Severity::kHigh;
    f.responsible_org_id = finance_.id;
    f.supervising_org_id = county_.id;
    f.deadline = {DeadlineUnit::kWorkingDays, 15};
    return f;
  }

  Finding OpenValid() {
    Result<Finding> f = findings_->Open(officer_, Valid());
    EXPECT_TRUE(f.ok()) << f.status().ToString();
    return f.ok() ? *f : Finding{};
  }

  int64_t Count(const std::string& sql) {
    return store::RunInTransaction<int64_t>(*db_, store::TxMode::kReadOnly,
                                            [&](store::Tx& tx) -> Result<int64_t> {
                                              JIANDU_ASSIGN_OR_RETURN(auto r, tx.QueryOne(sql));
                                              return r->Int(0);
                                            })
        .value_or(-1);
  }
  int64_t Events() { return Count("SELECT COUNT(*) FROM audit_event"); }

  // The kinds of the notices a user received, sorted.
  std::vector<std::string> Notices(const Principal& user) {
    std::vector<std::string> kinds;
    Status s = store::RunInTransaction(*db_, store::TxMode::kReadOnly, [&](store::Tx& tx) {
      return tx.ForEachRow("SELECT kind FROM notification WHERE user_id = ? ORDER BY kind, id",
                           std::vector<store::Value>{user.user_id}, [&](const store::RowView& r) {
                             kinds.emplace_back(r.Text(0));
                             return Status::Ok();
                           });
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return kinds;
  }

  // The finding's state and version as stored, to show that a refusal changed nothing.
  std::string Snapshot(int64_t id) {
    Result<FindingDetail> d = findings_->Get(Principal::System(), id);
    if (!d.ok()) return d.status().ToString();
    const Finding& f = d->finding;
    return std::string(Code(f.state)) + " r" + std::to_string(f.round) + " v" +
           std::to_string(f.version) + " due " + f.due_on.ToString() + " reports " +
           std::to_string(d->reports.size()) + " verifications " +
           std::to_string(d->verifications.size());
  }

  // Expects `s` to be a refusal with `code` naming `field` that wrote no audit event.
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

  core::FakeClock clock_{core::Timestamp::FromUnixSeconds(kStartSeconds)};
  audit::AuditLog audit_{clock_};
  std::unique_ptr<store::Store> db_;
  std::unique_ptr<registry::OrgService> orgs_;
  std::unique_ptr<FindingService> findings_;
  registry::Org city_, county_, committee_, finance_, education_, other_county_;
  Principal liaison_, sibling_liaison_, county_liaison_, officer_, city_officer_,
      stationed_officer_, other_officer_;
};

constexpr char kPng[] = "\x89PNG\r\n\x1A\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x02\0\0\0\xFF";
constexpr char kJpeg[] = "\xFF\xD8\xFF\xE0\0\x10JFIF\0\x01\x01\0\0\x01\0\x01\0\0\xFF\xD9";
constexpr char kPdf[] = "%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n";

std::string Bytes(const char* data, size_t size_with_nul) {
  return std::string(data, size_with_nul - 1);
}

TEST_P(FindingServiceTest, OpenCountsTheDeadlineAndTellsTheUnit) {
  ASSERT_EQ(clock_.Today().ToString(), "2025-03-03");
  const int64_t before = Events();
  Finding f = OpenValid();
  ASSERT_NE(f.id, 0);
  EXPECT_EQ(f.state, FindingState::kOpen);
  EXPECT_EQ(f.round, 1);
  EXPECT_EQ(f.opened_on.ToString(), "2025-03-03");
  EXPECT_EQ(f.due_on.ToString(), "2025-03-24");  // 15 working days, the start day excluded
  EXPECT_EQ(f.responsible_org_name, "郧西县财政局");
  EXPECT_EQ(f.supervising_org_name, "郧西县");
  EXPECT_FALSE(f.IsOverdue(clock_.Today()));
  EXPECT_EQ(Events(), before + 1);
  // The unit's liaison is told; liaisons of other units, and the county's, are not.
  EXPECT_EQ(Notices(liaison_), std::vector<std::string>{"finding.opened"});
  EXPECT_TRUE(Notices(sibling_liaison_).empty());
  EXPECT_TRUE(Notices(county_liaison_).empty());

  // An opening date in the past counts from that date.
  NewFinding earlier = Valid();
  earlier.opened_on = D("2025-02-27");  // Thu + 15 working days → Thu 2025-03-20
  Result<Finding> e = findings_->Open(officer_, earlier);
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(e->due_on.ToString(), "2025-03-20");
}

TEST_P(FindingServiceTest, OpenRefusesBadInputsAndWritesNothing) {
  const int64_t before = Events();
  const int64_t notices = Count("SELECT COUNT(*) FROM notification");

  NewFinding past = Valid();
  past.opened_on = D("2025-01-02");  // + 15 working days → 2025-01-23, before today
  ExpectRefused(findings_->Open(officer_, past).status(), StatusCode::kInvalidArgument, "deadline",
                before);

  NewFinding future = Valid();
  future.opened_on = D("2025-03-04");
  ExpectRefused(findings_->Open(officer_, future).status(), StatusCode::kInvalidArgument,
                "opened_on", before);

  NewFinding zero = Valid();
  zero.deadline.amount = 0;
  ExpectRefused(findings_->Open(officer_, zero).status(), StatusCode::kInvalidArgument,
                "deadline.amount", before);

  NewFinding untitled = Valid();
  untitled.title = "  ";
  ExpectRefused(findings_->Open(officer_, untitled).status(), StatusCode::kInvalidArgument, "title",
                before);

  NewFinding nowhere = Valid();
  nowhere.responsible_org_id = 999999;
  ExpectRefused(findings_->Open(officer_, nowhere).status(), StatusCode::kInvalidArgument,
                "responsible_org_id", before);

  NewFinding foreign = Valid();
  foreign.supervising_org_id = other_county_.id;  // outside the officer's county
  ExpectRefused(findings_->Open(officer_, foreign).status(), StatusCode::kInvalidArgument,
                "supervising_org_id", before);

  // A liaison answers findings; it does not open them.
  EXPECT_EQ(findings_->Open(liaison_, Valid()).status().code(), StatusCode::kPermissionDenied);

  EXPECT_EQ(Events(), before);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM finding"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM notification"), notices);
}

TEST_P(FindingServiceTest, FullLoopReopensWithANewDeadlineAndThenCloses) {
  Finding f = OpenValid();
  ASSERT_NE(f.id, 0);

  Result<FindingReport> plan =
      findings_->Report(liaison_, f.id, {ReportKind::kPlan, "整改方案：三个月内完成拨付。", {}});
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  EXPECT_EQ(plan->round, 1);
  EXPECT_EQ(findings_->Get(officer_, f.id)->finding.state, FindingState::kRectifying);

  Result<FindingReport> progress =
      findings_->Report(liaison_, f.id, {ReportKind::kProgress, "已拨付60%。", {}});
  ASSERT_TRUE(progress.ok()) << progress.status().ToString();
  Result<EvidenceFile> scan = findings_->AttachEvidence(
      liaison_, f.id, progress->id, {"拨付凭证.pdf", "application/pdf", Bytes(kPdf, sizeof kPdf)});
  ASSERT_TRUE(scan.ok()) << scan.status().ToString();

  Result<FindingReport> final1 =
      findings_->Report(liaison_, f.id, {ReportKind::kFinal, "已全部拨付。", {}});
  ASSERT_TRUE(final1.ok()) << final1.status().ToString();
  EXPECT_EQ(findings_->Get(officer_, f.id)->finding.state, FindingState::kReported);
  // The supervisors are told the report awaits 回头看.
  EXPECT_EQ(Notices(officer_), std::vector<std::string>{"finding.reported"});

  // 回头看 the next day: not eliminated, 10 more working days from Tue 2025-03-04 → 03-18.
  SetDay("2025-03-04");
  Result<Finding> reopened = findings_->Verify(officer_, f.id,
                                               {Verdict::kNotEliminated,
                                                "抽查发现仍有两个乡镇未到位。",
                                                Deadline{DeadlineUnit::kWorkingDays, 10},
                                                {}});
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
  EXPECT_EQ(reopened->state, FindingState::kRectifying);
  EXPECT_EQ(reopened->round, 2);
  EXPECT_EQ(reopened->verdict, Verdict::kNotEliminated);
  EXPECT_EQ(reopened->due_on.ToString(), "2025-03-18");
  EXPECT_EQ(reopened->verified_on->ToString(), "2025-03-04");
  EXPECT_EQ(Notices(liaison_), (std::vector<std::string>{"finding.opened", "finding.reopened"}));

  // Round 2: the final report again, then eliminated closes it.
  Result<FindingReport> final2 =
      findings_->Report(liaison_, f.id, {ReportKind::kFinal, "两个乡镇已补拨到位。", {}});
  ASSERT_TRUE(final2.ok()) << final2.status().ToString();
  EXPECT_EQ(final2->round, 2);
  Result<Finding> closed =
      findings_->Verify(officer_, f.id, {Verdict::kEliminated, "已整改到位。", std::nullopt, {}});
  ASSERT_TRUE(closed.ok()) << closed.status().ToString();
  EXPECT_EQ(closed->state, FindingState::kClosed);
  EXPECT_EQ(closed->round, 2);
  EXPECT_EQ(closed->due_on.ToString(), "2025-03-18");

  Result<FindingDetail> d = findings_->Get(officer_, f.id);
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  std::vector<std::pair<ReportKind, int>> reports;
  for (const FindingReport& r : d->reports) reports.emplace_back(r.kind, r.round);
  EXPECT_EQ(reports, (std::vector<std::pair<ReportKind, int>>{{ReportKind::kPlan, 1},
                                                              {ReportKind::kProgress, 1},
                                                              {ReportKind::kFinal, 1},
                                                              {ReportKind::kFinal, 2}}));
  ASSERT_EQ(d->reports.size(), 4u);
  ASSERT_EQ(d->reports[1].evidence.size(), 1u);
  EXPECT_EQ(d->reports[1].evidence[0].name, "拨付凭证.pdf");
  EXPECT_EQ(d->reports[0].reporter, "财政局联络员");  // the display name (header contract)
  EXPECT_EQ(plan->reporter, d->reports[0].reporter);
  ASSERT_EQ(d->verifications.size(), 2u);
  EXPECT_EQ(d->verifications[0].round, 1);
  EXPECT_EQ(d->verifications[0].verdict, Verdict::kNotEliminated);
  ASSERT_TRUE(d->verifications[0].new_due_on.has_value());
  EXPECT_EQ(d->verifications[0].new_due_on->ToString(), "2025-03-18");
  EXPECT_EQ(d->verifications[1].round, 2);
  EXPECT_EQ(d->verifications[1].verdict, Verdict::kEliminated);
  EXPECT_FALSE(d->verifications[1].new_due_on.has_value());

  // A closed finding takes no more reports or evidence, and is not verified again.
  const int64_t before = Events();
  ExpectRefused(findings_->Report(liaison_, f.id, {ReportKind::kProgress, "补充。", {}}).status(),
                StatusCode::kFailedPrecondition, "kind", before);
  ExpectRefused(findings_
                    ->AttachEvidence(liaison_, f.id, final2->id,
                                     {"a.pdf", "application/pdf", Bytes(kPdf, sizeof kPdf)})
                    .status(),
                StatusCode::kFailedPrecondition, "report_id", before);
  ExpectRefused(
      findings_->Verify(officer_, f.id, {Verdict::kEliminated, "再次确认。", std::nullopt, {}})
          .status(),
      StatusCode::kFailedPrecondition, "state", before);

  // Accountability may still be recorded.
  Result<AccountabilityRecord> acc =
      findings_->AddAccountability(officer_, f.id, {std::nullopt, "诫勉谈话", "拨付滞后", {}});
  ASSERT_TRUE(acc.ok()) << acc.status().ToString();
  EXPECT_EQ(findings_->Get(officer_, f.id)->accountability.size(), 1u);
}

TEST_P(FindingServiceTest, OnlyTheResponsibleUnitReportsAndOnlySupervisorsVerify) {
  Finding f = OpenValid();
  ASSERT_NE(f.id, 0);
  const std::string untouched = Snapshot(f.id);
  int64_t before = Events();

  // A sibling department cannot even see the finding; the county's liaison sees it but is not
  // the responsible unit; an officer has no finding.report.
  ExpectRefused(
      findings_->Report(sibling_liaison_, f.id, {ReportKind::kPlan, "方案。", {}}).status(),
      StatusCode::kNotFound, "", before);
  ExpectRefused(
      findings_->Report(county_liaison_, f.id, {ReportKind::kPlan, "方案。", {}}).status(),
      StatusCode::kPermissionDenied, "", before);
  ExpectRefused(findings_->Report(officer_, f.id, {ReportKind::kPlan, "方案。", {}}).status(),
                StatusCode::kPermissionDenied, "", before);
  ExpectRefused(findings_->Report(liaison_, f.id, {ReportKind::kPlan, "", {}}).status(),
                StatusCode::kInvalidArgument, "body", before);
  ExpectRefused(
      findings_->Report(liaison_, f.id, {ReportKind::kPlan, "方案。", f.version + 7}).status(),
      StatusCode::kConflict, "version", before);
  // Verifying before the final report.
  ExpectRefused(
      findings_->Verify(officer_, f.id, {Verdict::kEliminated, "已整改。", std::nullopt, {}})
          .status(),
      StatusCode::kFailedPrecondition, "state", before);
  EXPECT_EQ(Snapshot(f.id), untouched);

  // The plan is submitted once.
  ASSERT_TRUE(findings_->Report(liaison_, f.id, {ReportKind::kPlan, "方案。", {}}).ok());
  const std::string planned = Snapshot(f.id);
  before = Events();
  ExpectRefused(findings_->Report(liaison_, f.id, {ReportKind::kPlan, "新方案。", {}}).status(),
                StatusCode::kFailedPrecondition, "kind", before);
  EXPECT_EQ(Snapshot(f.id), planned);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM finding_report"), 1);

  ASSERT_TRUE(findings_->Report(liaison_, f.id, {ReportKind::kFinal, "已整改。", {}}).ok());
  const std::string reported = Snapshot(f.id);
  before = Events();
  // Progress after the final report.
  ExpectRefused(findings_->Report(liaison_, f.id, {ReportKind::kProgress, "补充。", {}}).status(),
                StatusCode::kFailedPrecondition, "kind", before);
  // A discipline officer stationed in the responsible bureau (below the supervising county)
  // sees the finding but does not verify it; a liaison has no finding.write.
  ExpectRefused(
      findings_
          ->Verify(stationed_officer_, f.id, {Verdict::kEliminated, "已整改。", std::nullopt, {}})
          .status(),
      StatusCode::kPermissionDenied, "", before);
  ExpectRefused(
      findings_->Verify(liaison_, f.id, {Verdict::kEliminated, "已整改。", std::nullopt, {}})
          .status(),
      StatusCode::kPermissionDenied, "", before);
  // A remaining problem needs a new deadline; an eliminated one takes none.
  ExpectRefused(
      findings_->Verify(officer_, f.id, {Verdict::kPartlyEliminated, "部分。", std::nullopt, {}})
          .status(),
      StatusCode::kInvalidArgument, "new_deadline", before);
  ExpectRefused(
      findings_
          ->Verify(officer_, f.id,
                   {Verdict::kEliminated, "已整改。", Deadline{DeadlineUnit::kWorkingDays, 5}, {}})
          .status(),
      StatusCode::kInvalidArgument, "new_deadline", before);
  ExpectRefused(
      findings_->Verify(officer_, f.id, {Verdict::kEliminated, "已整改。", std::nullopt, f.version})
          .status(),
      StatusCode::kConflict, "version", before);
  EXPECT_EQ(Snapshot(f.id), reported);

  // The officer above the supervising county may verify.
  Result<Finding> closed =
      findings_->Verify(city_officer_, f.id, {Verdict::kEliminated, "已整改。", std::nullopt, {}});
  ASSERT_TRUE(closed.ok()) << closed.status().ToString();
  EXPECT_EQ(closed->state, FindingState::kClosed);
}

TEST_P(FindingServiceTest, ReportsByTheOperatorAreKept) {
  Finding f = OpenValid();
  ASSERT_NE(f.id, 0);
  // The CLI acts as the system (no user row): its report must still be listed.
  Result<FindingReport> r =
      findings_->Report(Principal::System(), f.id, {ReportKind::kPlan, "代为录入的整改方案。", {}});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  Result<FindingDetail> d = findings_->Get(officer_, f.id);
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  ASSERT_EQ(d->reports.size(), 1u);
  EXPECT_EQ(d->reports[0].id, r->id);
  EXPECT_EQ(d->reports[0].body, "代为录入的整改方案。");
  EXPECT_EQ(d->reports[0].reporter, "cli");
  EXPECT_EQ(r->reporter, d->reports[0].reporter);
  EXPECT_EQ(d->finding.state, FindingState::kRectifying);
}

TEST_P(FindingServiceTest, EvidenceIsRecognisedByItsBytesAndReadBackIdentically) {
  Finding f = OpenValid();
  ASSERT_NE(f.id, 0);
  Result<FindingReport> rep =
      findings_->Report(liaison_, f.id, {ReportKind::kProgress, "进展。", {}});
  ASSERT_TRUE(rep.ok()) << rep.status().ToString();

  const std::string png = Bytes(kPng, sizeof kPng);  // contains NUL bytes
  const std::string jpeg = Bytes(kJpeg, sizeof kJpeg);
  const std::string pdf = Bytes(kPdf, sizeof kPdf);
  ASSERT_NE(png.find('\0'), std::string::npos);
  std::vector<int64_t> ids;
  for (const auto& [name, type, data] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"现场照片.png", "image/png", png},
           {"现场照片.jpg", "image/jpeg", jpeg},
           {"拨付凭证.pdf", "application/pdf", pdf}}) {
    Result<EvidenceFile> e = findings_->AttachEvidence(liaison_, f.id, rep->id, {name, type, data});
    ASSERT_TRUE(e.ok()) << name << ": " << e.status().ToString();
    EXPECT_EQ(e->size, static_cast<int64_t>(data.size()));
    EXPECT_EQ(e->content_type, type);
    ids.push_back(e->id);
    // Read back by a supervisor: the very same bytes.
    Result<std::pair<EvidenceFile, std::string>> back =
        findings_->ReadEvidence(officer_, f.id, e->id);
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_EQ(back->second, data) << name;
    EXPECT_EQ(back->first.name, name);
    EXPECT_EQ(back->first.sha256, e->sha256);
    EXPECT_EQ(back->first.sha256.size(), 64u);
  }

  const int64_t before = Events();
  const int64_t files = Count("SELECT COUNT(*) FROM finding_evidence");
  ASSERT_EQ(files, 3);
  // A text file is not an accepted type, whatever it claims to be.
  ExpectRefused(
      findings_->AttachEvidence(liaison_, f.id, rep->id, {"说明.txt", "text/plain", "已整改。"})
          .status(),
      StatusCode::kInvalidArgument, "file", before);
  ExpectRefused(
      findings_->AttachEvidence(liaison_, f.id, rep->id, {"假图片.png", "image/png", "hello"})
          .status(),
      StatusCode::kInvalidArgument, "file", before);
  ExpectRefused(
      findings_->AttachEvidence(liaison_, f.id, rep->id, {"空.pdf", "application/pdf", ""})
          .status(),
      StatusCode::kInvalidArgument, "file", before);
  // A PNG declared as a JPEG.
  ExpectRefused(
      findings_->AttachEvidence(liaison_, f.id, rep->id, {"照片.jpg", "image/jpeg", png}).status(),
      StatusCode::kInvalidArgument, "content_type", before);
  // Only the responsible unit attaches evidence; a sibling unit does not see the finding.
  ExpectRefused(
      findings_->AttachEvidence(county_liaison_, f.id, rep->id, {"a.png", "image/png", png})
          .status(),
      StatusCode::kPermissionDenied, "", before);
  ExpectRefused(
      findings_->AttachEvidence(sibling_liaison_, f.id, rep->id, {"a.png", "image/png", png})
          .status(),
      StatusCode::kNotFound, "", before);
  // A report of another finding.
  Finding other = OpenValid();
  ExpectRefused(
      findings_->AttachEvidence(liaison_, other.id, rep->id, {"a.png", "image/png", png}).status(),
      StatusCode::kNotFound, "", before + 1 /* the second finding's opening */);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM finding_evidence"), files);

  // Files are read only by those who may read the finding, and only under their finding.
  EXPECT_EQ(findings_->ReadEvidence(other_officer_, f.id, ids[0]).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(findings_->ReadEvidence(officer_, other.id, ids[0]).status().code(),
            StatusCode::kNotFound);
}

TEST_P(FindingServiceTest, SweepNotifiesOverdueFindingsAndEscalatesOnce) {
  Finding late = OpenValid();  // due Mon 2025-03-24
  NewFinding later = Valid();
  later.title = "政府采购程序不规范";
  later.deadline = {DeadlineUnit::kMonths, 6};  // due 2025-09-03
  Result<Finding> distant = findings_->Open(officer_, later);
  ASSERT_TRUE(distant.ok()) << distant.status().ToString();
  ASSERT_EQ(late.due_on.ToString(), "2025-03-24");
  ASSERT_EQ(distant->due_on.ToString(), "2025-09-03");

  // On the due date itself the finding is not yet overdue (only due soon).
  SetDay("2025-03-24");
  Result<SweepResult> on_due = findings_->SweepOverdue();
  ASSERT_TRUE(on_due.ok()) << on_due.status().ToString();
  EXPECT_EQ(on_due->overdue, 0);
  EXPECT_EQ(on_due->due_soon, 1);
  EXPECT_EQ(on_due->escalated, 0);
  EXPECT_EQ(Notices(liaison_),
            (std::vector<std::string>{"finding.due_soon", "finding.opened", "finding.opened"}));

  // The day after: overdue. A third finding opened that day is due soon (5 calendar days from
  // Tue 03-25 end on Sun 03-30 → Mon 03-31).
  SetDay("2025-03-25");
  NewFinding soon = Valid();
  soon.title = "台账资料不完整";
  soon.deadline = {DeadlineUnit::kCalendarDays, 5};
  Result<Finding> near = findings_->Open(officer_, soon);
  ASSERT_TRUE(near.ok()) << near.status().ToString();
  EXPECT_EQ(near->due_on.ToString(), "2025-03-31");

  Result<SweepResult> first = findings_->SweepOverdue();
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->overdue, 1);
  EXPECT_EQ(first->escalated, 1);
  EXPECT_EQ(first->due_soon, 1);
  // The unit's liaison, and the officers over the supervising county, hear it is overdue; the
  // officers of the city above are told of the escalation (they also cover the county).
  std::vector<std::string> liaison_kinds = Notices(liaison_);
  EXPECT_EQ(std::count(liaison_kinds.begin(), liaison_kinds.end(), "finding.overdue"), 1);
  EXPECT_EQ(std::count(liaison_kinds.begin(), liaison_kinds.end(), "finding.due_soon"), 2);
  EXPECT_EQ(Notices(officer_), std::vector<std::string>{"finding.overdue"});
  EXPECT_EQ(Notices(city_officer_),
            (std::vector<std::string>{"finding.escalated", "finding.overdue"}));
  EXPECT_TRUE(Notices(sibling_liaison_).empty());
  EXPECT_TRUE(Notices(county_liaison_).empty());
  EXPECT_TRUE(Notices(stationed_officer_).empty());
  EXPECT_TRUE(Notices(other_officer_).empty());
  // liaison: overdue + due_soon (the third finding); officer: overdue; city officer: overdue +
  // escalated.
  EXPECT_EQ(first->notified, 5);

  Result<FindingDetail> d = findings_->Get(officer_, late.id);
  ASSERT_TRUE(d.ok());
  EXPECT_TRUE(d->finding.IsOverdue(clock_.Today()));
  ASSERT_TRUE(d->finding.overdue_notified_on.has_value());
  EXPECT_EQ(d->finding.overdue_notified_on->ToString(), "2025-03-25");
  ASSERT_TRUE(d->finding.escalated_on.has_value());
  EXPECT_EQ(d->finding.escalated_on->ToString(), "2025-03-25");

  Result<core::Page<Finding>> overdue = findings_->List(officer_, {.overdue_only = true}, {});
  ASSERT_TRUE(overdue.ok()) << overdue.status().ToString();
  ASSERT_EQ(overdue->items.size(), 1u);
  EXPECT_EQ(overdue->items[0].id, late.id);
  EXPECT_EQ(findings_->List(officer_, {}, {})->items.size(), 3u);

  // Sweeping again, the same day or later, escalates nothing new and repeats no notice.
  const int64_t notices = Count("SELECT COUNT(*) FROM notification");
  Result<SweepResult> again = findings_->SweepOverdue();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->overdue, 1);
  EXPECT_EQ(again->escalated, 0);
  EXPECT_EQ(again->notified, 0);
  SetDay("2025-03-26");
  Result<SweepResult> next_day = findings_->SweepOverdue();
  ASSERT_TRUE(next_day.ok());
  EXPECT_EQ(next_day->escalated, 0);
  EXPECT_EQ(next_day->notified, 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM notification"), notices);
  EXPECT_EQ(Notices(city_officer_),
            (std::vector<std::string>{"finding.escalated", "finding.overdue"}));

  // Reported late: no longer overdue.
  ASSERT_TRUE(findings_->Report(liaison_, late.id, {ReportKind::kFinal, "已整改。", {}}).ok());
  EXPECT_TRUE(findings_->List(officer_, {.overdue_only = true}, {})->items.empty());
  EXPECT_EQ(findings_->SweepOverdue()->overdue, 0);
}

TEST_P(FindingServiceTest, OtherBranchesSeeNothing) {
  Finding f = OpenValid();
  ASSERT_NE(f.id, 0);
  // An officer of another county: absent and out of scope look the same.
  Status s = findings_->Get(other_officer_, f.id).status();
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_EQ(s.ToString(), findings_->Get(other_officer_, 999999).status().ToString());
  EXPECT_TRUE(findings_->List(other_officer_, {}, {})->items.empty());
  const int64_t before = Events();
  ExpectRefused(
      findings_->Verify(other_officer_, f.id, {Verdict::kEliminated, "已整改。", std::nullopt, {}})
          .status(),
      StatusCode::kNotFound, "", before);
  // A sibling department neither.
  EXPECT_EQ(findings_->Get(sibling_liaison_, f.id).status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(findings_->List(sibling_liaison_, {}, {})->items.empty());
  // The unit, the supervisors and the city above see it.
  EXPECT_TRUE(findings_->Get(liaison_, f.id).ok());
  EXPECT_TRUE(findings_->Get(officer_, f.id).ok());
  EXPECT_TRUE(findings_->Get(city_officer_, f.id).ok());
  EXPECT_EQ(findings_->List(liaison_, {}, {})->items.size(), 1u);
  // Filters.
  EXPECT_EQ(findings_->List(officer_, {.responsible_org_id = finance_.id}, {})->items.size(), 1u);
  EXPECT_TRUE(findings_->List(officer_, {.responsible_org_id = education_.id}, {})->items.empty());
  EXPECT_EQ(findings_->List(officer_, {.source_kind = SourceKind::kInspection}, {})->items.size(),
            1u);
  EXPECT_TRUE(findings_->List(officer_, {.state = FindingState::kClosed}, {})->items.empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, FindingServiceTest,
                         ::testing::ValuesIn(store::testing::AllBackends()),
                         store::testing::BackendName);

}  // namespace
}  // namespace jiandu::rectify
