#include "bench/ballot/ballot_county.h"

#include <atomic>
#include <cstdio>
#include <mutex>
#include <thread>

#include "bench/audit/test_people.h"
#include "bench/common/system.h"

namespace jiandu::bench {
namespace {

constexpr char kRegion[] = "420322";
constexpr char kSession[] = "郧西县第十九届人民代表大会第一次会议";
// Test people: members are TestPerson(0 … N-1), officials TestPerson(kOfficialBase + …).
constexpr int64_t kOfficialBase = 1'000'000;

std::string Date(int y, int m, int d) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  return buf;
}

Result<Account> SignIn(app::App& app, const std::string& username, const std::string& password,
                       int64_t person_id) {
  // Each login from its own client key: 500 members signing in from one address would hit the
  // per-client login rate limit, which is there for password guessing, not for this.
  JIANDU_ASSIGN_OR_RETURN(auth::LoginResult r,
                          app.sessions().Login(username, password, "bench-" + username));
  if (r.session.principal.stage != auth::SessionStage::kActive) {
    return Status::FailedPrecondition(username + ": the session is not active after sign-in");
  }
  Account a;
  a.username = username;
  a.person_id = person_id;
  a.cookie = "jiandu_session=" + r.token;
  a.csrf = r.session.csrf_token;
  a.principal = r.session.principal;
  return a;
}

}  // namespace

Result<BallotCounty> BallotCounty::Build(app::App& app, const CountyOptions& o) {
  const auth::Principal system = auth::Principal::System();
  auto say = [&](const std::string& s) {
    if (o.progress) o.progress(s);
  };
  BallotCounty c;
  JIANDU_ASSIGN_OR_RETURN(registry::Org county,
                          app.orgs().CreateOrg(system, {std::nullopt, kRegion, "郧西县", "region",
                                                        kRegion}));
  c.county_ = county.id;
  JIANDU_ASSIGN_OR_RETURN(registry::Org congress,
                          app.orgs().CreateOrg(system, {county.id, "420322.rd",
                                                        "郧西县人民代表大会", "peoples_congress",
                                                        kRegion}));
  c.congress_ = congress.id;
  JIANDU_ASSIGN_OR_RETURN(registry::Org committee,
                          app.orgs().CreateOrg(system, {county.id, "420322.rdcwh",
                                                        "郧西县人大常委会", "standing_committee",
                                                        kRegion}));
  c.committee_ = committee.id;
  JIANDU_ASSIGN_OR_RETURN(registry::Org gov,
                          app.orgs().CreateOrg(system, {county.id, "420322.zf", "郧西县人民政府",
                                                        "government", kRegion}));
  c.government_ = gov.id;
  JIANDU_ASSIGN_OR_RETURN(registry::Position seat,
                          app.appointments().CreatePosition(
                              system, {committee.id, "委员", "commission_member"}));

  // The members: person, election to a seat, linked deputy account, sign-in. In parallel:
  // each account costs two Argon2id hashes (creation and sign-in).
  c.voters_.resize(static_cast<size_t>(o.members));
  const std::string term_end = Date(app.clock().Today().year() + 1, 12, 31);
  std::atomic<int> next{0}, done{0};
  std::mutex mu;
  Status first_error = Status::Ok();
  const int64_t t0 = NowNs();
  auto work = [&] {
    for (;;) {
      const int i = next.fetch_add(1);
      if (i >= o.members) {
        return;
      }
      Status s = [&]() -> Status {
        JIANDU_ASSIGN_OR_RETURN(registry::Person p,
                                app.people().Create(system, TestPerson(i, committee.id)));
        registry::NewAppointment a;
        a.person_id = p.id;
        a.position_id = seat.id;
        a.appointing_body_id = congress.id;
        a.decision_type = "elected";
        a.meeting = kSession;
        a.appointed_on = "2021-12-28";
        a.term_end = term_end;
        a.pre.exam_exemption = "re_appointed";
        a.pre.statement_on = a.appointed_on;
        a.pre.oath_on = a.appointed_on;
        JIANDU_RETURN_IF_ERROR(app.appointments().Create(system, a).status());
        char username[32];
        std::snprintf(username, sizeof username, "member%04d", i + 1);
        JIANDU_RETURN_IF_ERROR(app.users()
                                   .CreateUser(system, {username, "常委会委员 " + p.name,
                                                        auth::Role::kDeputy, county.id,
                                                        o.password, p.id})
                                   .status());
        JIANDU_ASSIGN_OR_RETURN(c.voters_[static_cast<size_t>(i)],
                                SignIn(app, username, o.password, p.id));
        return Status::Ok();
      }();
      if (!s.ok()) {
        std::lock_guard<std::mutex> l(mu);
        if (first_error.ok()) first_error = s.WithContext("member " + std::to_string(i + 1));
        next = o.members;  // stop the others
        return;
      }
      const int d = done.fetch_add(1) + 1;
      if (d % 100 == 0 || d == o.members) {
        char line[96];
        std::snprintf(line, sizeof line, "  %d/%d members registered and signed in (%.1f s)", d,
                      o.members, static_cast<double>(NowNs() - t0) / 1e9);
        std::lock_guard<std::mutex> l(mu);
        say(line);
      }
    }
  };
  std::vector<std::thread> pool;
  for (int t = 0; t < std::max(1, o.threads); ++t) {
    pool.emplace_back(work);
  }
  for (std::thread& t : pool) {
    t.join();
  }
  JIANDU_RETURN_IF_ERROR(first_error);

  // The officer who watches the tally and closes the ballot (a 人事任免工委 official).
  JIANDU_RETURN_IF_ERROR(app.users()
                             .CreateUser(system, {"bench_officer", "人大常委会 工作人员",
                                                  auth::Role::kCongressOfficer, county.id,
                                                  o.password, std::nullopt})
                             .status());
  JIANDU_ASSIGN_OR_RETURN(c.officer_, SignIn(app, "bench_officer", o.password, 0));
  return c;
}

Result<Ballot> BallotCounty::PrepareBallot(app::App& app, int officials,
                                           const std::string& label) {
  const auth::Principal system = auth::Principal::System();
  const int round = ++rounds_;
  const int year = app.clock().Today().year();
  Ballot b;
  for (int j = 0; j < officials; ++j) {
    char code[40], name[96];
    std::snprintf(code, sizeof code, "420322.zf.r%02dd%02d", round, j + 1);
    std::snprintf(name, sizeof name, "郧西县基准测试第%d轮第%d局", round, j + 1);
    JIANDU_ASSIGN_OR_RETURN(registry::Org dept,
                            app.orgs().CreateOrg(system, {government_, code, name,
                                                          "government_department", kRegion}));
    JIANDU_ASSIGN_OR_RETURN(registry::Position head, app.appointments().CreatePosition(
                                                         system, {dept.id, "局长", "head"}));
    JIANDU_ASSIGN_OR_RETURN(
        registry::Person p,
        app.people().Create(system, TestPerson(kOfficialBase + round * 100 + j, dept.id)));
    registry::NewAppointment a;
    a.person_id = p.id;
    a.position_id = head.id;
    a.appointing_body_id = committee_;
    a.decision_type = "appointed";
    a.meeting = "郧西县第十九届人民代表大会常务委员会第3次会议";
    a.appointed_on = Date(2022, 3, 10 + j);
    a.term_end = Date(year + 1, 12, 31);
    a.pre.exam_score = 80 + j;
    a.pre.exam_pass_mark = 60;
    a.pre.exam_taken_on = Date(2022, 3, 1);
    a.pre.statement_on = a.appointed_on;
    a.pre.oath_on = a.appointed_on;
    JIANDU_ASSIGN_OR_RETURN(registry::Appointment appt, app.appointments().Create(system, a));

    JIANDU_ASSIGN_OR_RETURN(review::Review r,
                            app.reviews().Schedule(system, {committee_, appt.id, year}));
    review::InvestigationStart in;
    in.team = {{"常委会副主任", "leader", "常委会组成人员"},
               {"常委会委员", "member", "常委会委员"},
               {"人大代表", "member", "人大代表"}};
    in.tasks = {{review::TaskMethod::kInterview, "座谈走访服务对象"},
                {review::TaskMethod::kDocumentReview, "查阅近三年工作资料"}};
    JIANDU_RETURN_IF_ERROR(app.reviews().StartInvestigation(system, r.id, in).status());
    JIANDU_RETURN_IF_ERROR(app.reviews()
                               .RecordInvestigationReport(
                                   system, r.id, "调研报告：总体履职较好，存在三方面问题。",
                                   std::nullopt)
                               .status());
    JIANDU_RETURN_IF_ERROR(app.reviews()
                               .SubmitWorkReport(system, r.id,
                                                 "述职报告：一年来的主要工作和存在的不足。",
                                                 std::nullopt)
                               .status());
    b.review_ids.push_back(r.id);
  }
  JIANDU_ASSIGN_OR_RETURN(
      review::Meeting m,
      app.meetings().Create(system, {committee_, "郧西县人大常委会专题评议会议（" + label + "）",
                                     std::nullopt}));
  b.meeting_id = m.id;
  for (int64_t id : b.review_ids) {
    JIANDU_RETURN_IF_ERROR(app.meetings().AddItem(system, m.id, id, "hearing").status());
  }
  std::vector<int64_t> present;
  for (const Account& v : voters_) {
    present.push_back(v.person_id);
  }
  JIANDU_RETURN_IF_ERROR(app.meetings().SetAttendance(system, m.id, present).status());
  JIANDU_ASSIGN_OR_RETURN(review::Sheet s, app.meetings().OpenSheet(system, m.id, ""));
  if (s.state != review::SheetState::kOpen) {
    return Status::FailedPrecondition("the sheet did not open");
  }
  b.sheet_id = s.id;
  return b;
}

}  // namespace jiandu::bench
