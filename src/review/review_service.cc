#include "review/review_service.h"

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <utility>

#include "core/code_table.h"
#include "notify/notify.h"
#include "registry/org_service.h"
#include "registry/validate.h"

namespace jiandu::review {
namespace {

using registry::CheckText;

constexpr std::array<std::pair<Stage, std::string_view>, 13> kStages{{
    {Stage::kPlanned, "planned"},
    {Stage::kInvestigating, "investigating"},
    {Stage::kReportSubmitted, "report_submitted"},
    {Stage::kHearing, "hearing"},
    {Stage::kVoted, "voted"},
    {Stage::kOpinionsAdopted, "opinions_adopted"},
    {Stage::kDelivered, "delivered"},
    {Stage::kReReporting, "re_reporting"},
    {Stage::kReReported, "re_reported"},
    {Stage::kRectifying, "rectifying"},
    {Stage::kFollowUp, "follow_up"},
    {Stage::kEscalation, "escalation"},
    {Stage::kClosed, "closed"},
}};
constexpr std::array<std::pair<TaskMethod, std::string_view>, 5> kMethods{{
    {TaskMethod::kInterview, "interview"},
    {TaskMethod::kDocumentReview, "document_review"},
    {TaskMethod::kQuestionnaire, "questionnaire"},
    {TaskMethod::kClientFeedback, "client_feedback"},
    {TaskMethod::kOnlineNotice, "online_notice"},
}};
constexpr std::array<std::pair<Recipient, std::string_view>, 5> kRecipients{{
    {Recipient::kOfficial, "official"},
    {Recipient::kUnit, "unit"},
    {Recipient::kPartyCommittee, "party_committee"},
    {Recipient::kGovernment, "government"},
    {Recipient::kOrganizationDepartment, "organization_department"},
}};


constexpr char kReviewSelect[] =
    "SELECT r.id, r.committee_org_id, c.name, c.path, r.appointment_id, a.person_id, p.name, "
    "pos.title, a.org_id, o.name, o.path, r.year, r.stage, r.grade, r.re_vote_grade, "
    "r.follow_up_grade, r.investigation_report, r.work_report, r.work_report_on, r.re_report, "
    "r.re_report_on, r.re_report_due_on, r.adopted_by, r.adopted_on, r.delivered_on, "
    "r.rectify_months, r.published, r.version, r.created_at, r.updated_at "
    "FROM review r JOIN org c ON c.id = r.committee_org_id "
    "JOIN appointment a ON a.id = r.appointment_id JOIN person p ON p.id = a.person_id "
    "JOIN position pos ON pos.id = a.position_id JOIN org o ON o.id = a.org_id ";

core::CivilDate DateOf(std::string_view t) {
  return core::CivilDate::Parse(t).value_or(core::CivilDate());
}
template <typename R>
std::optional<core::CivilDate> OptDate(const R& r, size_t i) {
  return r.IsNull(i) ? std::nullopt : std::optional<core::CivilDate>(DateOf(r.Text(i)));
}
template <typename R>
std::optional<Grade> OptGrade(const R& r, size_t i) {
  return r.IsNull(i) ? std::nullopt : ParseGrade(r.Text(i));
}

template <typename R>
Review ReviewFromRow(const R& r) {
  Review v;
  v.id = r.Int(0);
  v.committee_org_id = r.Int(1);
  v.committee_name = std::string(r.Text(2));
  v.committee_path = std::string(r.Text(3));
  v.appointment_id = r.Int(4);
  v.person_id = r.Int(5);
  v.person_name = std::string(r.Text(6));
  v.position_title = std::string(r.Text(7));
  v.target_org_id = r.Int(8);
  v.target_org_name = std::string(r.Text(9));
  v.target_org_path = std::string(r.Text(10));
  v.year = static_cast<int>(r.Int(11));
  v.stage = ParseStage(r.Text(12)).value_or(Stage::kPlanned);
  v.grade = OptGrade(r, 13);
  v.re_vote_grade = OptGrade(r, 14);
  v.follow_up_grade = OptGrade(r, 15);
  v.investigation_report = std::string(r.Text(16));
  v.work_report = std::string(r.Text(17));
  v.work_report_on = OptDate(r, 18);
  v.re_report = std::string(r.Text(19));
  v.re_report_on = OptDate(r, 20);
  v.re_report_due_on = OptDate(r, 21);
  v.adopted_by = std::string(r.Text(22));
  v.adopted_on = OptDate(r, 23);
  v.delivered_on = OptDate(r, 24);
  v.rectify_months = static_cast<int>(r.Int(25));
  v.published = r.Int(26) != 0;
  v.version = r.Int(27);
  v.created_at = core::Timestamp::FromUnixMicros(r.Int(28));
  v.updated_at = core::Timestamp::FromUnixMicros(r.Int(29));
  return v;
}

Result<std::optional<Review>> LoadReview(store::Tx& tx, int64_t id) {
  JIANDU_ASSIGN_OR_RETURN(std::optional<store::Row> row,
                          tx.QueryOne(std::string(kReviewSelect) + "WHERE r.id = ?", {id}));
  if (!row) {
    return std::optional<Review>();
  }
  return std::optional<Review>(ReviewFromRow(*row));
}

Status WrongStage(const Review& r, std::string_view what) {
  return Status::FailedPrecondition(std::string(what) + "; the review is at stage " +
                                        std::string(StageCode(r.stage)),
                                    "stage");
}

// The standing committee named by `committee_id`, in the caller's scope.
Result<registry::Org> LoadCommittee(store::Tx& tx, const auth::Principal& who,
                                    int64_t committee_id, auth::Permission action,
                                    std::string_view field) {
  JIANDU_ASSIGN_OR_RETURN(std::optional<registry::Org> org,
                          registry::OrgService::Load(tx, committee_id));
  if (action == auth::Permission::kReviewRead) {
    // Named in a query: an absent or out-of-scope committee reads as absent.
    if (!org) {
      return Status::NotFound(auth::kNoSuchRecord);
    }
    JIANDU_RETURN_IF_ERROR(auth::Authorize(who, action, auth::Resource::InOrg(org->path)));
  } else {
    JIANDU_RETURN_IF_ERROR(auth::AuthorizeReference(who, action, org ? &org->path : nullptr,
                                                    field, "standing committee"));
  }
  if (org->kind != registry::OrgKind::kStandingCommittee) {
    return Status::InvalidArgument(field, "is not a standing committee (人大常委会)");
  }
  return *org;
}

// Officials the committee appointed (not elected) and who are in office.
constexpr char kOfficialsSql[] =
    "SELECT a.id, a.person_id, p.name, pos.title, pos.category, a.org_id, o.name, a.appointed_on "
    "FROM appointment a JOIN person p ON p.id = a.person_id "
    "JOIN position pos ON pos.id = a.position_id JOIN org o ON o.id = a.org_id "
    "WHERE a.appointing_body_id = ? AND a.ended_on IS NULL AND a.decision_type <> 'elected' "
    "AND pos.category IN ('head', 'quota_judge', 'quota_prosecutor') "
    "ORDER BY a.appointed_on, a.id";

Status CheckYear(int year, std::string_view field) {
  if (year < 2000 || year > 2100) {
    return Status::InvalidArgument(field, "must be a year between 2000 and 2100");
  }
  return Status::Ok();
}

// A period of whole years, [first_year, last_year].
Status CheckYearRange(int first_year, int last_year) {
  JIANDU_RETURN_IF_ERROR(CheckYear(first_year, "first_year"));
  JIANDU_RETURN_IF_ERROR(CheckYear(last_year, "last_year"));
  if (last_year < first_year) {
    return Status::InvalidArgument("last_year", "must not be before first_year");
  }
  return Status::Ok();
}

// The findings opened from one review's opinions (source_ref "review:<id>", matched exactly).
Result<rectify::FindingStats> ReviewFindingStats(store::Tx& tx, int64_t review_id,
                                                 core::CivilDate today) {
  return rectify::StatsBySourceInTx(tx, rectify::SourceKind::kReviewOpinion,
                                    "review:" + std::to_string(review_id), today);
}

}  // namespace

std::string_view StageCode(Stage s) { return core::CodeOf(kStages, s); }
std::optional<Stage> ParseStage(std::string_view s) { return core::ParseCode(kStages, s); }
std::string_view TaskMethodCode(TaskMethod m) { return core::CodeOf(kMethods, m); }
std::optional<TaskMethod> ParseTaskMethod(std::string_view s) {
  return core::ParseCode(kMethods, s);
}
std::string_view RecipientCode(Recipient r) { return core::CodeOf(kRecipients, r); }
std::optional<Recipient> ParseRecipient(std::string_view s) {
  return core::ParseCode(kRecipients, s);
}

Result<Review> ReviewService::LoadVisible(store::Tx& tx, const auth::Principal& who, int64_t id,
                                          auth::Permission action) {
  JIANDU_RETURN_IF_ERROR(auth::AuthorizeAction(who, action));
  JIANDU_ASSIGN_OR_RETURN(std::optional<Review> r, LoadReview(tx, id));
  if (!r) {
    return Status::NotFound(auth::kNoSuchRecord);
  }
  JIANDU_RETURN_IF_ERROR(
      auth::Authorize(who, action, auth::Resource::InOrgs({r->committee_path, r->target_org_path})));
  return *r;
}

Result<Coverage> ReviewService::GetCoverage(const auth::Principal& who, int64_t committee_id,
                                            int first_year, int last_year) {
  JIANDU_RETURN_IF_ERROR(auth::AuthorizeAction(who, auth::Permission::kReviewRead));
  JIANDU_RETURN_IF_ERROR(CheckYearRange(first_year, last_year));
  return store::RunInTransaction<Coverage>(
      store_, store::TxMode::kReadOnly, [&](store::Tx& tx) -> Result<Coverage> {
        JIANDU_ASSIGN_OR_RETURN(
            registry::Org committee,
            LoadCommittee(tx, who, committee_id, auth::Permission::kReviewRead, "committee_id"));
        Coverage c{committee.id, first_year, last_year, {}, 0, 0};
        std::map<int64_t, size_t> by_appointment;
        JIANDU_RETURN_IF_ERROR(tx.ForEachRow(
            kOfficialsSql, std::vector<store::Value>{committee.id}, [&](const store::RowView& r) {
              CoverageEntry e;
              e.appointment_id = r.Int(0);
              e.person_id = r.Int(1);
              e.person_name = std::string(r.Text(2));
              e.position_title = std::string(r.Text(3));
              e.position_category = std::string(r.Text(4));
              e.org_id = r.Int(5);
              e.org_name = std::string(r.Text(6));
              by_appointment[e.appointment_id] = c.officials.size();
              c.officials.push_back(std::move(e));
              return Status::Ok();
            }));
        JIANDU_RETURN_IF_ERROR(tx.ForEachRow(
            "SELECT id, appointment_id, year, stage, grade FROM review WHERE committee_org_id = ? "
            "AND year >= ? AND year <= ? ORDER BY year, id",
            std::vector<store::Value>{committee.id, static_cast<int64_t>(first_year),
                                      static_cast<int64_t>(last_year)},
            [&](const store::RowView& r) {
              auto it = by_appointment.find(r.Int(1));
              if (it == by_appointment.end()) {
                return Status::Ok();
              }
              CoverageEntry& e = c.officials[it->second];
              e.review_id = r.Int(0);
              e.year = static_cast<int>(r.Int(2));
              e.stage = ParseStage(r.Text(3));
              e.grade = OptGrade(r, 4);
              return Status::Ok();
            }));
        for (const CoverageEntry& e : c.officials) {
          if (e.review_id) {
            ++c.scheduled;
            if (e.stage && *e.stage >= Stage::kVoted) {
              ++c.reviewed;
            }
          }
        }
        return c;
      });
}

Result<Review> ReviewService::Schedule(const auth::Principal& who, const NewReview& in) {
  JIANDU_RETURN_IF_ERROR(auth::AuthorizeAction(who, auth::Permission::kReviewWrite));
  JIANDU_RETURN_IF_ERROR(CheckYear(in.year, "year"));
  if (in.year < clock_.Today().year()) {
    return Status::InvalidArgument("year", "must not be a past year");
  }
  return store::RunInTransaction<Review>(
      store_, store::TxMode::kReadWrite, [&](store::Tx& tx) -> Result<Review> {
        JIANDU_ASSIGN_OR_RETURN(registry::Org committee,
                                LoadCommittee(tx, who, in.committee_id,
                                              auth::Permission::kReviewWrite, "committee_id"));
        JIANDU_ASSIGN_OR_RETURN(
            std::optional<store::Row> a,
            tx.QueryOne("SELECT a.appointing_body_id, a.ended_on, a.decision_type FROM "
                        "appointment a WHERE a.id = ?",
                        {in.appointment_id}));
        if (!a || a->Int(0) != committee.id) {
          return Status::InvalidArgument("appointment_id",
                                         "no such appointment made by this committee");
        }
        if (!a->IsNull(1)) {
          return Status::InvalidArgument("appointment_id", "the appointment has ended");
        }
        JIANDU_ASSIGN_OR_RETURN(
            std::optional<store::Row> dup,
            tx.QueryOne("SELECT id FROM review WHERE appointment_id = ? AND stage <> 'closed'",
                        {in.appointment_id}));
        if (dup) {
          return Status::Conflict("the official already has an open review (" + dup->Text(0) +
                                      ")",
                                  "appointment_id");
        }
        const int64_t now = clock_.Now().unix_micros();
        JIANDU_ASSIGN_OR_RETURN(
            std::optional<store::Row> row,
            tx.QueryOne("INSERT INTO review (committee_org_id, appointment_id, year, stage, "
                        "investigation_report, work_report, re_report, adopted_by, "
                        "rectify_months, published, version, created_at, updated_at) VALUES "
                        "(?, ?, ?, 'planned', '', '', '', '', 6, 0, 1, ?, ?) RETURNING id",
                        {committee.id, in.appointment_id, static_cast<int64_t>(in.year), now,
                         now}));
        JIANDU_ASSIGN_OR_RETURN(std::optional<Review> r, LoadReview(tx, row->Int(0)));
        audit::EventInput ev{.actor = who.AuditActor(), .action = "review.schedule",
                             .entity_type = "review", .entity_id = row->Text(0),
                             .org_path = r->target_org_path};
        ev.change.Created("appointment_id", std::to_string(in.appointment_id));
        ev.change.Created("year", std::to_string(in.year));
        JIANDU_RETURN_IF_ERROR(audit_.Append(tx, ev));
        return *r;
      });
}

Result<std::vector<Review>> ReviewService::GeneratePlan(const auth::Principal& who,
                                                        const PlanRequest& in) {
  JIANDU_RETURN_IF_ERROR(auth::AuthorizeAction(who, auth::Permission::kReviewWrite));
  JIANDU_RETURN_IF_ERROR(CheckYear(in.first_year, "first_year"));
  JIANDU_RETURN_IF_ERROR(CheckYear(in.last_year, "last_year"));
  if (in.last_year < in.first_year || in.last_year - in.first_year > 9) {
    return Status::InvalidArgument("last_year", "must be 0–9 years after first_year");
  }
  if (in.per_year < 1 || in.per_year > 50) {
    return Status::InvalidArgument("per_year", "must be between 1 and 50");
  }
  const int this_year = clock_.Today().year();
  return store::RunInTransaction<std::vector<Review>>(
      store_, store::TxMode::kReadWrite, [&](store::Tx& tx) -> Result<std::vector<Review>> {
        JIANDU_ASSIGN_OR_RETURN(registry::Org committee,
                                LoadCommittee(tx, who, in.committee_id,
                                              auth::Permission::kReviewWrite, "committee_id"));
        std::map<int, int> load;
        std::set<int64_t> scheduled;
        JIANDU_RETURN_IF_ERROR(tx.ForEachRow(
            "SELECT appointment_id, year FROM review WHERE committee_org_id = ? AND year >= ? "
            "AND year <= ?",
            std::vector<store::Value>{committee.id, static_cast<int64_t>(in.first_year),
                                      static_cast<int64_t>(in.last_year)},
            [&](const store::RowView& r) {
              scheduled.insert(r.Int(0));
              ++load[static_cast<int>(r.Int(1))];
              return Status::Ok();
            }));
        std::vector<int64_t> pending;
        JIANDU_RETURN_IF_ERROR(tx.ForEachRow(
            kOfficialsSql, std::vector<store::Value>{committee.id}, [&](const store::RowView& r) {
              if (!scheduled.count(r.Int(0))) {
                pending.push_back(r.Int(0));
              }
              return Status::Ok();
            }));
        std::vector<Review> out;
        const int64_t now = clock_.Now().unix_micros();
        size_t next = 0;
        for (int year = std::max(in.first_year, this_year); year <= in.last_year; ++year) {
          while (load[year] < in.per_year && next < pending.size()) {
            JIANDU_ASSIGN_OR_RETURN(
                std::optional<store::Row> row,
                tx.QueryOne("INSERT INTO review (committee_org_id, appointment_id, year, stage, "
                            "investigation_report, work_report, re_report, adopted_by, "
                            "rectify_months, published, version, created_at, updated_at) VALUES "
                            "(?, ?, ?, 'planned', '', '', '', '', 6, 0, 1, ?, ?) RETURNING id",
                            {committee.id, pending[next], static_cast<int64_t>(year), now, now}));
            JIANDU_ASSIGN_OR_RETURN(std::optional<Review> r, LoadReview(tx, row->Int(0)));
            audit::EventInput ev{.actor = who.AuditActor(), .action = "review.schedule",
                                 .entity_type = "review", .entity_id = row->Text(0),
                                 .org_path = r->target_org_path};
            ev.change.Created("appointment_id", std::to_string(pending[next]));
            ev.change.Created("year", std::to_string(year));
            JIANDU_RETURN_IF_ERROR(audit_.Append(tx, ev));
            out.push_back(*r);
            ++load[year];
            ++next;
          }
        }
        return out;
      });
}

Result<ReviewDetail> ReviewService::Get(const auth::Principal& who, int64_t id) {
  return store::RunInTransaction<ReviewDetail>(
      store_, store::TxMode::kReadOnly, [&](store::Tx& tx) -> Result<ReviewDetail> {
        ReviewDetail d;
        JIANDU_ASSIGN_OR_RETURN(d.review, LoadVisible(tx, who, id, auth::Permission::kReviewRead));
        JIANDU_RETURN_IF_ERROR(tx.ForEachRow(
            "SELECT name, role, affiliation FROM review_team_member WHERE review_id = ? "
            "ORDER BY id",
            std::vector<store::Value>{id}, [&](const store::RowView& r) {
              d.team.push_back({std::string(r.Text(0)), std::string(r.Text(1)),
                                std::string(r.Text(2))});
              return Status::Ok();
            }));
        JIANDU_RETURN_IF_ERROR(tx.ForEachRow(
            "SELECT id, method, title, done_on, summary FROM review_task WHERE review_id = ? "
            "ORDER BY id",
            std::vector<store::Value>{id}, [&](const store::RowView& r) {
              Task t;
              t.id = r.Int(0);
              t.method = ParseTaskMethod(r.Text(1)).value_or(TaskMethod::kInterview);
              t.title = std::string(r.Text(2));
              t.done_on = OptDate(r, 3);
              t.summary = std::string(r.Text(4));
              t.open_to_public = (t.method == TaskMethod::kOnlineNotice ||
                                  t.method == TaskMethod::kQuestionnaire) &&
                                 !t.done_on;
              d.tasks.push_back(std::move(t));
              return Status::Ok();
            }));
        JIANDU_RETURN_IF_ERROR(tx.ForEachRow(
            "SELECT id, seq, body, finding_id FROM review_opinion WHERE review_id = ? "
            "ORDER BY seq",
            std::vector<store::Value>{id}, [&](const store::RowView& r) {
              Opinion o{r.Int(0), static_cast<int>(r.Int(1)), std::string(r.Text(2)), {}};
              if (!r.IsNull(3)) o.finding_id = r.Int(3);
              d.opinions.push_back(std::move(o));
              return Status::Ok();
            }));
        JIANDU_RETURN_IF_ERROR(tx.ForEachRow(
            "SELECT recipient, delivered_on, acknowledged_on, acknowledged_by FROM "
            "review_delivery WHERE review_id = ? ORDER BY id",
            std::vector<store::Value>{id}, [&](const store::RowView& r) {
              d.deliveries.push_back({ParseRecipient(r.Text(0)).value_or(Recipient::kOfficial),
                                      DateOf(r.Text(1)), OptDate(r, 2), std::string(r.Text(3))});
              return Status::Ok();
            }));
        JIANDU_RETURN_IF_ERROR(tx.ForEachRow(
            "SELECT v.purpose, v.sheet_id, v.quorum_met, v.grade, v.members_total, v.present, "
            "v.satisfied, v.basically_satisfied, v.dissatisfied, v.abstain, v.invalid, "
            "v.rate_num, v.rate_den, v.explanation, m.id, m.name, m.held_on FROM vote_result v "
            "JOIN vote_sheet s ON s.id = v.sheet_id JOIN review_meeting m ON m.id = s.meeting_id "
            "WHERE v.review_id = ? ORDER BY v.sheet_id",
            std::vector<store::Value>{id}, [&](const store::RowView& r) {
              VoteOutcome o;
              o.purpose = std::string(r.Text(0));
              o.sheet_id = r.Int(1);
              o.quorum_met = r.Int(2) != 0;
              o.grade = OptGrade(r, 3);
              o.counts = {r.Int(4), r.Int(5), r.Int(6), r.Int(7), r.Int(8), r.Int(9), r.Int(10)};
              o.rate_num = r.Int(11);
              o.rate_den = r.Int(12);
              o.explanation = std::string(r.Text(13));
              o.meeting_id = r.Int(14);
              o.meeting_name = std::string(r.Text(15));
              o.held_on = DateOf(r.Text(16));
              d.votes.push_back(std::move(o));
              return Status::Ok();
            }));
        JIANDU_ASSIGN_OR_RETURN(d.findings,
                                findings_.ListBySourceInTx(tx, rectify::SourceKind::kReviewOpinion,
                                                           "review:" + std::to_string(id)));
        JIANDU_ASSIGN_OR_RETURN(
            std::optional<store::Row> counts,
            tx.QueryOne("SELECT (SELECT COUNT(*) FROM public_opinion WHERE review_id = ?), "
                        "(SELECT COUNT(*) FROM questionnaire_response WHERE review_id = ?)",
                        {id, id}));
        d.public_opinions = counts->Int(0);
        d.questionnaire_responses = counts->Int(1);
        return d;
      });
}

Result<core::Page<Review>> ReviewService::List(const auth::Principal& who, const ReviewFilter& f,
                                               const core::PageRequest& page) {
  JIANDU_RETURN_IF_ERROR(auth::AuthorizeAction(who, auth::Permission::kReviewRead));
  return store::RunInTransaction<core::Page<Review>>(
      store_, store::TxMode::kReadOnly, [&](store::Tx& tx) -> Result<core::Page<Review>> {
        std::string sql = std::string(kReviewSelect) + "WHERE r.id > ?";
        std::vector<store::Value> params{page.after.value_or(0)};
        if (!who.system) {
          sql += " AND (" + store::StartsWith("c.path") + " OR " + store::StartsWith("o.path") +
                 ")";
          store::AppendStartsWith(params, who.org_path);
          store::AppendStartsWith(params, who.org_path);
        }
        if (f.committee_id) {
          sql += " AND r.committee_org_id = ?";
          params.emplace_back(*f.committee_id);
        }
        if (f.year) {
          sql += " AND r.year = ?";
          params.emplace_back(static_cast<int64_t>(*f.year));
        }
        if (f.stage) {
          sql += " AND r.stage = ?";
          params.emplace_back(std::string(StageCode(*f.stage)));
        }
        if (f.person_id) {
          sql += " AND a.person_id = ?";
          params.emplace_back(*f.person_id);
        }
        sql += " ORDER BY r.id LIMIT ?";
        params.emplace_back(static_cast<int64_t>(page.limit + 1));
        std::vector<Review> out;
        JIANDU_RETURN_IF_ERROR(tx.ForEachRow(sql, params, [&](const store::RowView& r) {
          out.push_back(ReviewFromRow(r));
          return Status::Ok();
        }));
        return core::MakePage(std::move(out), page, [](const Review& r) { return r.id; });
      });
}

Result<Review> ReviewService::Transition(
    const auth::Principal& who, int64_t id, std::optional<int64_t> version,
    std::string_view action,
    const std::function<Status(store::Tx&, Review&, audit::ChangeSet&)>& fn,
    auth::Permission permission) {
  return store::RunInTransaction<Review>(
      store_, store::TxMode::kReadWrite, [&](store::Tx& tx) -> Result<Review> {
        JIANDU_ASSIGN_OR_RETURN(Review r, LoadVisible(tx, who, id, permission));
        if (version && *version != r.version) {
          return Status::Conflict("the review was changed by someone else; reload it",
                                  "version");
        }
        const Stage before = r.stage;
        audit::ChangeSet change;
        JIANDU_RETURN_IF_ERROR(fn(tx, r, change));
        if (r.stage != before) {
          change.Set("stage", StageCode(before), StageCode(r.stage));
        }
        JIANDU_RETURN_IF_ERROR(
            tx.Exec("UPDATE review SET stage = ?, version = version + 1, updated_at = ? "
                    "WHERE id = ?",
                    {std::string(StageCode(r.stage)), clock_.Now().unix_micros(), id})
                .status());
        JIANDU_RETURN_IF_ERROR(audit_.Append(
            tx, audit::EventInput{.actor = who.AuditActor(), .action = std::string(action),
                                  .entity_type = "review", .entity_id = std::to_string(id),
                                  .org_path = r.target_org_path, .change = change}));
        JIANDU_ASSIGN_OR_RETURN(std::optional<Review> out, LoadReview(tx, id));
        return *out;
      });
}

Result<Review> ReviewService::StartInvestigation(const auth::Principal& who, int64_t id,
                                                 const InvestigationStart& in) {
  JIANDU_RETURN_IF_ERROR(auth::AuthorizeAction(who, auth::Permission::kReviewWrite));
  if (in.team.empty()) {
    return Status::InvalidArgument("team", "needs at least a leader");
  }
  if (in.team.size() > 30) {
    return Status::InvalidArgument("team", "has more than 30 members");
  }
  int leaders = 0;
  std::vector<TeamMember> team;
  for (size_t i = 0; i < in.team.size(); ++i) {
    const std::string f = "team[" + std::to_string(i) + "]";
    TeamMember m;
    JIANDU_ASSIGN_OR_RETURN(m.name, registry::CheckPersonName(in.team[i].name, f + ".name"));
    if (in.team[i].role != "leader" && in.team[i].role != "member") {
      return Status::InvalidArgument(f + ".role", "must be leader or member");
    }
    m.role = in.team[i].role;
    leaders += m.role == "leader";
    JIANDU_ASSIGN_OR_RETURN(m.affiliation,
                            CheckText(in.team[i].affiliation, f + ".affiliation", 50, false));
    team.push_back(std::move(m));
  }
  if (leaders != 1) {
    return Status::InvalidArgument("team",
                                   "needs exactly one leader (a member of the committee's "
                                   "leadership)");
  }
  if (in.tasks.empty() || in.tasks.size() > 20) {
    return Status::InvalidArgument("tasks", "must list 1 to 20 tasks");
  }
  std::vector<std::pair<TaskMethod, std::string>> tasks;
  for (size_t i = 0; i < in.tasks.size(); ++i) {
    JIANDU_ASSIGN_OR_RETURN(
        std::string title,
        CheckText(in.tasks[i].second, "tasks[" + std::to_string(i) + "].title", 100, true));
    tasks.emplace_back(in.tasks[i].first, std::move(title));
  }
  return Transition(who, id, in.version, "review.investigate",
                    [&](store::Tx& tx, Review& r, audit::ChangeSet& ch) -> Status {
                      if (r.stage != Stage::kPlanned) {
                        return WrongStage(r, "the investigation starts from a planned review");
                      }
                      for (const TeamMember& m : team) {
                        JIANDU_RETURN_IF_ERROR(
                            tx.Exec("INSERT INTO review_team_member (review_id, name, role, "
                                    "affiliation) VALUES (?, ?, ?, ?)",
                                    {id, m.name, m.role, m.affiliation})
                                .status());
                      }
                      for (const auto& [method, title] : tasks) {
                        JIANDU_RETURN_IF_ERROR(
                            tx.Exec("INSERT INTO review_task (review_id, method, title, "
                                    "summary) VALUES (?, ?, ?, '')",
                                    {id, std::string(TaskMethodCode(method)), title})
                                .status());
                      }
                      ch.Created("team", std::to_string(team.size()));
                      ch.Created("tasks", std::to_string(tasks.size()));
                      r.stage = Stage::kInvestigating;
                      return Status::Ok();
                    });
}

Result<Task> ReviewService::CompleteTask(const auth::Principal& who, int64_t review_id,
                                         int64_t task_id, const std::string& summary) {
  JIANDU_RETURN_IF_ERROR(auth::AuthorizeAction(who, auth::Permission::kReviewWrite));
  JIANDU_ASSIGN_OR_RETURN(std::string text, CheckText(summary, "summary", 5000, true, true));
  Task out;
  JIANDU_RETURN_IF_ERROR(
      Transition(who, review_id, std::nullopt, "review.task_done",
                 [&](store::Tx& tx, Review& r, audit::ChangeSet& ch) -> Status {
                   if (r.stage != Stage::kInvestigating && r.stage != Stage::kReportSubmitted) {
                     return WrongStage(r, "tasks are completed during the investigation");
                   }
                   JIANDU_ASSIGN_OR_RETURN(
                       std::optional<store::Row> t,
                       tx.QueryOne("SELECT method, title, done_on FROM review_task WHERE id = ? "
                                   "AND review_id = ?",
                                   {task_id, review_id}));
                   if (!t) {
                     return Status::NotFound(auth::kNoSuchRecord);
                   }
                   if (!t->IsNull(2)) {
                     return Status::FailedPrecondition("the task is already done", "task");
                   }
                   const core::CivilDate today = clock_.Today();
                   JIANDU_RETURN_IF_ERROR(
                       tx.Exec("UPDATE review_task SET done_on = ?, summary = ? WHERE id = ?",
                               {today.ToString(), text, task_id})
                           .status());
                   ch.Created("task_id", std::to_string(task_id));
                   ch.Created("summary", text);
                   out = Task{task_id, ParseTaskMethod(t->Text(0)).value_or(TaskMethod::kInterview),
                              t->Text(1), today, text, false};
                   return Status::Ok();
                 })
          .status());
  return out;
}

Result<Review> ReviewService::RecordInvestigationReport(const auth::Principal& who, int64_t id,
                                                        const std::string& text,
                                                        std::optional<int64_t> version) {
  JIANDU_RETURN_IF_ERROR(auth::AuthorizeAction(who, auth::Permission::kReviewWrite));
  JIANDU_ASSIGN_OR_RETURN(std::string body, CheckText(text, "text", 50000, true, true));
  return Transition(who, id, version, "review.investigation_report",
                    [&](store::Tx& tx, Review& r, audit::ChangeSet& ch) -> Status {
                      if (r.stage != Stage::kInvestigating && r.stage != Stage::kReportSubmitted) {
                        return WrongStage(r, "the 调研报告 is recorded during the investigation");
                      }
                      ch.Set("investigation_report", r.investigation_report, body);
                      return tx.Exec("UPDATE review SET investigation_report = ? WHERE id = ?",
                                     {body, id})
                          .status();
                    });
}

Result<Review> ReviewService::UnitTransition(
    const auth::Principal& who, int64_t id, std::optional<int64_t> version,
    std::string_view action, std::string_view what,
    const std::function<Status(store::Tx&, Review&, audit::ChangeSet&)>& fn) {
  // The unit acts with review.report; officers may act for it with review.write.
  const auth::Permission perm = auth::RoleHasPermission(who.role, auth::Permission::kReviewWrite)
                                    ? auth::Permission::kReviewWrite
                                    : auth::Permission::kReviewReport;
  JIANDU_RETURN_IF_ERROR(auth::AuthorizeAction(who, perm));
  return Transition(
      who, id, version, action,
      [&](store::Tx& tx, Review& r, audit::ChangeSet& ch) -> Status {
        if (perm == auth::Permission::kReviewReport && !who.system &&
            !auth::PathWithin(who.org_path, r.target_org_path)) {
          return Status::PermissionDenied("only the reviewed official's unit (" +
                                          r.target_org_name + ") " + std::string(what));
        }
        return fn(tx, r, ch);
      },
      perm);
}

Result<Review> ReviewService::SubmitReportText(const auth::Principal& who, int64_t id,
                                               const std::string& text,
                                               std::optional<int64_t> version,
                                               const ReportStep& step) {
  JIANDU_ASSIGN_OR_RETURN(std::string body, CheckText(text, "text", 50000, true, true));
  return UnitTransition(
      who, id, version, step.action, step.who_may,
      [&](store::Tx& tx, Review& r, audit::ChangeSet& ch) -> Status {
        if (r.stage != step.from) {
          return WrongStage(r, step.wrong_stage);
        }
        ch.Created(step.text_column, body);
        r.stage = step.to;
        return tx.Exec(std::string("UPDATE review SET ") + step.text_column + " = ?, " +
                           step.date_column + " = ? WHERE id = ?",
                       {body, clock_.Today().ToString(), id})
            .status();
      });
}

Result<Review> ReviewService::SubmitWorkReport(const auth::Principal& who, int64_t id,
                                               const std::string& text,
                                               std::optional<int64_t> version) {
  static const ReportStep kStep{"review.work_report", "submits the work report",
                                Stage::kInvestigating, Stage::kReportSubmitted,
                                "the work report is submitted during the investigation",
                                "work_report", "work_report_on"};
  return SubmitReportText(who, id, text, version, kStep);
}

Result<Opinion> ReviewService::AddOpinion(const auth::Principal& who, int64_t id,
                                          const std::string& text) {
  JIANDU_RETURN_IF_ERROR(auth::AuthorizeAction(who, auth::Permission::kReviewWrite));
  JIANDU_ASSIGN_OR_RETURN(std::string body, CheckText(text, "body", 5000, true, true));
  Opinion out;
  JIANDU_RETURN_IF_ERROR(
      Transition(who, id, std::nullopt, "review.opinion",
                 [&](store::Tx& tx, Review& r, audit::ChangeSet& ch) -> Status {
                   if (r.stage != Stage::kVoted) {
                     return WrongStage(r, "opinions are drafted after the vote, before adoption");
                   }
                   JIANDU_ASSIGN_OR_RETURN(
                       std::optional<store::Row> n,
                       tx.QueryOne("SELECT COUNT(*) FROM review_opinion WHERE review_id = ?",
                                   {id}));
                   if (n->Int(0) >= 30) {
                     return Status::InvalidArgument("body", "a review has at most 30 opinions");
                   }
                   const int seq = static_cast<int>(n->Int(0)) + 1;
                   JIANDU_ASSIGN_OR_RETURN(
                       std::optional<store::Row> row,
                       tx.QueryOne("INSERT INTO review_opinion (review_id, seq, body) VALUES "
                                   "(?, ?, ?) RETURNING id",
                                   {id, static_cast<int64_t>(seq), body}));
                   ch.Created("opinion_" + std::to_string(seq), body);
                   out = Opinion{row->Int(0), seq, body, {}};
                   return Status::Ok();
                 })
          .status());
  return out;
}

Result<Review> ReviewService::AdoptOpinions(const auth::Principal& who, int64_t id,
                                            const std::string& council,
                                            std::optional<core::CivilDate> adopted_on,
                                            std::optional<int64_t> version) {
  JIANDU_RETURN_IF_ERROR(auth::AuthorizeAction(who, auth::Permission::kReviewWrite));
  JIANDU_ASSIGN_OR_RETURN(std::string by,
                          CheckText(council, "chairpersons_council", 100, true));
  const core::CivilDate today = clock_.Today();
  const core::CivilDate on = adopted_on.value_or(today);
  if (on > today) {
    return Status::InvalidArgument("adopted_on", "must not be in the future");
  }
  return Transition(who, id, version, "review.adopt",
                    [&](store::Tx& tx, Review& r, audit::ChangeSet& ch) -> Status {
                      if (r.stage != Stage::kVoted) {
                        return WrongStage(r, "opinions are adopted after the vote");
                      }
                      JIANDU_ASSIGN_OR_RETURN(
                          std::optional<store::Row> n,
                          tx.QueryOne("SELECT COUNT(*) FROM review_opinion WHERE review_id = ?",
                                      {id}));
                      if (n->Int(0) == 0) {
                        return Status::FailedPrecondition(
                            "draft at least one opinion before the 主任会议 adopts them",
                            "opinions");
                      }
                      ch.Created("adopted_by", by);
                      ch.Created("adopted_on", on.ToString());
                      r.stage = Stage::kOpinionsAdopted;
                      return tx.Exec("UPDATE review SET adopted_by = ?, adopted_on = ? WHERE id = ?",
                                     {by, on.ToString(), id})
                          .status();
                    });
}

Result<Review> ReviewService::Deliver(const auth::Principal& who, int64_t id,
                                      const std::vector<Delivered>& to,
                                      std::optional<int64_t> version) {
  JIANDU_RETURN_IF_ERROR(auth::AuthorizeAction(who, auth::Permission::kReviewWrite));
  if (to.empty()) {
    return Status::InvalidArgument("recipients", "name at least one recipient");
  }
  const core::CivilDate today = clock_.Today();
  for (size_t i = 0; i < to.size(); ++i) {
    if (to[i].delivered_on && *to[i].delivered_on > today) {
      return Status::InvalidArgument("recipients[" + std::to_string(i) + "].delivered_on",
                                     "must not be in the future");
    }
  }
  return Transition(
      who, id, version, "review.deliver",
      [&](store::Tx& tx, Review& r, audit::ChangeSet& ch) -> Status {
        if (r.stage != Stage::kOpinionsAdopted) {
          return WrongStage(r, "opinions are delivered once the 主任会议 has adopted them");
        }
        for (size_t i = 0; i < to.size(); ++i) {
          const core::CivilDate on = to[i].delivered_on.value_or(today);
          if (r.adopted_on && on < *r.adopted_on) {
            return Status::InvalidArgument("recipients[" + std::to_string(i) + "].delivered_on",
                                           "is before the opinions were adopted");
          }
          Result<int64_t> n =
              tx.Exec("INSERT INTO review_delivery (review_id, recipient, delivered_on, "
                      "acknowledged_by) VALUES (?, ?, ?, '')",
                      {id, std::string(RecipientCode(to[i].recipient)), on.ToString()});
          if (!n.ok()) {
            if (n.status().code() == StatusCode::kConflict) {
              return Status::Conflict("the opinions were already delivered to this recipient",
                                      "recipients[" + std::to_string(i) + "].recipient");
            }
            return n.status();
          }
          ch.Created(std::string("delivered_to_") + std::string(RecipientCode(to[i].recipient)),
                     on.ToString());
        }
        // Delivered once all five recipients have the opinions (until then later calls record
        // the others); rectification starts from the later of the official's and the unit's
        // dates.
        JIANDU_ASSIGN_OR_RETURN(
            std::optional<store::Row> n,
            tx.QueryOne("SELECT COUNT(*), MAX(CASE WHEN recipient IN ('official', 'unit') THEN "
                        "delivered_on END) FROM review_delivery WHERE review_id = ?",
                        {id}));
        if (n->Int(0) < static_cast<int64_t>(std::size(kAllRecipients))) {
          return Status::Ok();  // not every recipient has received them yet
        }
        const core::CivilDate delivered = DateOf(n->Text(1));
        JIANDU_RETURN_IF_ERROR(tx.Exec("UPDATE review SET delivered_on = ? WHERE id = ?",
                                       {delivered.ToString(), id})
                                   .status());
        std::vector<std::pair<int64_t, std::string>> opinions;
        JIANDU_RETURN_IF_ERROR(tx.ForEachRow(
            "SELECT id, body, seq FROM review_opinion WHERE review_id = ? ORDER BY seq",
            std::vector<store::Value>{id}, [&](const store::RowView& row) {
              opinions.emplace_back(row.Int(0), std::string(row.Text(1)));
              return Status::Ok();
            }));
        int seq = 0;
        for (const auto& [opinion_id, body] : opinions) {
          ++seq;
          std::string title = "评议意见" + std::to_string(seq) + "：" + r.target_org_name;
          rectify::NewFinding nf;
          nf.source_kind = rectify::SourceKind::kReviewOpinion;
          nf.source_ref = "review:" + std::to_string(id);
          nf.title = title;
          nf.detail = body;
          nf.severity = r.grade == Grade::kDissatisfied ? rectify::Severity::kHigh
                                                        : rectify::Severity::kMedium;
          nf.responsible_org_id = r.target_org_id;
          nf.responsible_person_id = r.person_id;
          nf.supervising_org_id = r.committee_org_id;
          nf.deadline = {rectify::DeadlineUnit::kMonths, r.rectify_months};
          nf.opened_on = delivered;
          JIANDU_ASSIGN_OR_RETURN(rectify::Finding f, findings_.OpenInTx(tx, who, nf));
          JIANDU_RETURN_IF_ERROR(
              tx.Exec("UPDATE review_opinion SET finding_id = ? WHERE id = ?", {f.id, opinion_id})
                  .status());
        }
        if (r.grade == Grade::kDissatisfied) {
          JIANDU_ASSIGN_OR_RETURN(core::CivilDate due, calendar_.MonthsDeadline(delivered, 3));
          JIANDU_RETURN_IF_ERROR(tx.Exec("UPDATE review SET re_report_due_on = ? WHERE id = ?",
                                         {due.ToString(), id})
                                     .status());
          ch.Created("re_report_due_on", due.ToString());
          r.stage = Stage::kReReporting;
        } else {
          r.stage = Stage::kRectifying;
        }
        ch.Created("delivered_on", delivered.ToString());
        return notify::Post(tx,
                            {.recipients = {{r.target_org_path, {auth::Role::kDepartmentLiaison},
                                             true}},
                             .kind = "review.opinions_delivered",
                             .title = "评议意见已送达：" + r.person_name,
                             .body = r.stage == Stage::kReReporting
                                         ? "测评结果为不满意，须在三个月内重新报告整改情况"
                                         : "请在规定期限内报告整改情况",
                             .entity_type = "review",
                             .entity_id = std::to_string(id),
                             .dedup_key = "review:" + std::to_string(id) + ":delivered"},
                            clock_.Now())
            .status();
      });
}

Result<Review> ReviewService::Acknowledge(const auth::Principal& who, int64_t id,
                                          Recipient recipient) {
  return UnitTransition(
      who, id, std::nullopt, "review.acknowledge", "or the committee's officers record a receipt",
      [&](store::Tx& tx, Review& r, audit::ChangeSet& ch) -> Status {
        JIANDU_ASSIGN_OR_RETURN(
            std::optional<store::Row> d,
            tx.QueryOne("SELECT id, acknowledged_on FROM review_delivery WHERE review_id = ? "
                        "AND recipient = ?",
                        {id, std::string(RecipientCode(recipient))}));
        if (!d) {
          return Status::FailedPrecondition("the opinions were not delivered to this recipient",
                                            "recipient");
        }
        if (!d->IsNull(1)) {
          return Status::Conflict("the receipt is already recorded", "recipient");
        }
        ch.Created(std::string("acknowledged_") + std::string(RecipientCode(recipient)),
                   clock_.Today().ToString());
        return tx.Exec("UPDATE review_delivery SET acknowledged_on = ?, acknowledged_by = ? "
                       "WHERE id = ?",
                       {clock_.Today().ToString(), who.username, d->Int(0)})
            .status();
      });
}

Result<Review> ReviewService::SubmitReReport(const auth::Principal& who, int64_t id,
                                             const std::string& text,
                                             std::optional<int64_t> version) {
  static const ReportStep kStep{"review.re_report", "submits the re-report",
                                Stage::kReReporting, Stage::kReReported,
                                "a re-report follows a 不满意 grade after delivery", "re_report",
                                "re_report_on"};
  return SubmitReportText(who, id, text, version, kStep);
}

Result<Review> ReviewService::StartFollowUp(const auth::Principal& who, int64_t id,
                                            std::optional<int64_t> version) {
  return Transition(who, id, version, "review.follow_up",
                    [&](store::Tx& tx, Review& r, audit::ChangeSet& ch) -> Status {
                      if (r.stage != Stage::kRectifying) {
                        return WrongStage(r, "回头看 starts while the unit rectifies");
                      }
                      JIANDU_ASSIGN_OR_RETURN(
                          std::vector<rectify::Finding> fs,
                          findings_.ListBySourceInTx(tx, rectify::SourceKind::kReviewOpinion,
                                                     "review:" + std::to_string(id)));
                      for (const rectify::Finding& f : fs) {
                        if (f.state == rectify::FindingState::kOpen ||
                            f.state == rectify::FindingState::kRectifying) {
                          return Status::FailedPrecondition(
                              "回头看 starts once every finding has its final rectification "
                              "report; finding " + std::to_string(f.id) + " is " +
                                  std::string(rectify::Code(f.state)),
                              "findings");
                        }
                      }
                      ch.Touch("follow_up");
                      r.stage = Stage::kFollowUp;
                      return Status::Ok();
                    });
}

Result<Review> ReviewService::Close(const auth::Principal& who, int64_t id,
                                    std::optional<int64_t> version) {
  return Transition(
      who, id, version, "review.close",
      [&](store::Tx& tx, Review& r, audit::ChangeSet& ch) -> Status {
        if (r.stage == Stage::kFollowUp) {
          if (!r.follow_up_grade) {
            return Status::FailedPrecondition("the 回头看 second vote has not been held",
                                              "follow_up_grade");
          }
          JIANDU_ASSIGN_OR_RETURN(
              std::vector<rectify::Finding> fs,
              findings_.ListBySourceInTx(tx, rectify::SourceKind::kReviewOpinion,
                                         "review:" + std::to_string(id)));
          for (const rectify::Finding& f : fs) {
            if (f.state != rectify::FindingState::kClosed) {
              return Status::FailedPrecondition(
                  "every finding must be verified as eliminated first; finding " +
                      std::to_string(f.id) + " is " + std::string(rectify::Code(f.state)),
                  "findings");
            }
          }
        } else if (r.stage == Stage::kEscalation) {
          JIANDU_ASSIGN_OR_RETURN(
              std::optional<store::Row> m,
              tx.QueryOne("SELECT COUNT(*) FROM supervision_measure WHERE review_id = ? AND "
                          "state = 'concluded'",
                          {id}));
          if (m->Int(0) == 0) {
            return Status::FailedPrecondition(
                "a review in escalation closes after a statutory measure has concluded",
                "measures");
          }
        } else {
          return WrongStage(r, "a review closes after 回头看 or after escalation");
        }
        ch.Touch("closed");
        r.stage = Stage::kClosed;
        return Status::Ok();
      });
}

Result<Review> ReviewService::SetPublished(const auth::Principal& who, int64_t id,
                                           bool published) {
  return Transition(who, id, std::nullopt, "review.publish",
                    [&](store::Tx& tx, Review& r, audit::ChangeSet& ch) -> Status {
                      if (published && r.stage < Stage::kVoted) {
                        return WrongStage(r, "a review is published after its vote");
                      }
                      ch.Set("published", r.published ? "1" : "0", published ? "1" : "0");
                      return tx.Exec("UPDATE review SET published = ? WHERE id = ?",
                                     {published ? 1 : 0, id})
                          .status();
                    });
}

Status ReviewService::ApplyVoteInTx(store::Tx& tx, const auth::Principal& who, int64_t review_id,
                                    std::string_view purpose, std::optional<Grade> grade) const {
  JIANDU_ASSIGN_OR_RETURN(std::optional<Review> r, LoadReview(tx, review_id));
  if (!r) {
    return Status::NotFound(auth::kNoSuchRecord);
  }
  const Stage before = r->stage;
  Stage after = before;
  const std::string g = grade ? std::string(GradeCode(*grade)) : "";
  const store::Value gv = grade ? store::Value(g) : store::Value();
  if (purpose == "hearing") {
    if (before != Stage::kHearing) return WrongStage(*r, "a first vote needs a review heard");
    // Without quorum the vote did not take place: the review stays on the agenda.
    if (grade) after = Stage::kVoted;
    JIANDU_RETURN_IF_ERROR(
        tx.Exec("UPDATE review SET grade = ? WHERE id = ?", {gv, review_id}).status());
  } else if (purpose == "re_report") {
    if (before != Stage::kReReported) return WrongStage(*r, "a re-vote follows the re-report");
    if (grade) {
      after = *grade == Grade::kDissatisfied ? Stage::kEscalation : Stage::kRectifying;
    }
    JIANDU_RETURN_IF_ERROR(
        tx.Exec("UPDATE review SET re_vote_grade = ? WHERE id = ?", {gv, review_id}).status());
  } else if (purpose == "follow_up") {
    if (before != Stage::kFollowUp) return WrongStage(*r, "the second vote is part of 回头看");
    JIANDU_RETURN_IF_ERROR(
        tx.Exec("UPDATE review SET follow_up_grade = ? WHERE id = ?", {gv, review_id}).status());
  } else {
    return Status::InvalidArgument("purpose", "unknown vote purpose");
  }
  JIANDU_RETURN_IF_ERROR(tx.Exec("UPDATE review SET stage = ?, version = version + 1, "
                                 "updated_at = ? WHERE id = ?",
                                 {std::string(StageCode(after)), clock_.Now().unix_micros(),
                                  review_id})
                             .status());
  audit::EventInput ev{.actor = who.AuditActor(), .action = "review.vote_result",
                       .entity_type = "review", .entity_id = std::to_string(review_id),
                       .org_path = r->target_org_path};
  ev.change.Created(std::string(purpose) + "_grade", g);
  if (after != before) {
    ev.change.Set("stage", StageCode(before), StageCode(after));
  }
  JIANDU_RETURN_IF_ERROR(audit_.Append(tx, ev));
  if (after == Stage::kEscalation) {
    JIANDU_RETURN_IF_ERROR(
        notify::Post(tx,
                     {.recipients = {{r->committee_path, {auth::Role::kCongressOfficer}}},
                      .kind = "review.escalation",
                      .title = "再次测评仍为不满意：" + r->person_name,
                      .body = "可依法启动询问、质询、特定问题调查或撤职案",
                      .entity_type = "review",
                      .entity_id = std::to_string(review_id),
                      .dedup_key = "review:" + std::to_string(review_id) + ":escalation"},
                     clock_.Now())
            .status());
  }
  return Status::Ok();
}

Result<ReviewStats> ReviewService::Stats(const auth::Principal& who, int64_t committee_id,
                                         int first_year, int last_year) {
  JIANDU_RETURN_IF_ERROR(auth::AuthorizeAction(who, auth::Permission::kReviewRead));
  JIANDU_RETURN_IF_ERROR(CheckYearRange(first_year, last_year));
  return store::RunInTransaction<ReviewStats>(
      store_, store::TxMode::kReadOnly, [&](store::Tx& tx) -> Result<ReviewStats> {
        JIANDU_ASSIGN_OR_RETURN(
            registry::Org committee,
            LoadCommittee(tx, who, committee_id, auth::Permission::kReviewRead, "committee_id"));
        ReviewStats s;
        s.first_year = first_year;
        s.last_year = last_year;
        std::map<int, ReviewStats::Year> years;
        for (int y = first_year; y <= last_year; ++y) years[y].year = y;
        const core::CivilDate today = clock_.Today();
        std::vector<int64_t> ids;
        JIANDU_RETURN_IF_ERROR(tx.ForEachRow(
            "SELECT r.id, r.year, r.grade, (SELECT COUNT(*) FROM review_opinion o WHERE "
            "o.review_id = r.id AND r.adopted_on IS NOT NULL) FROM review r WHERE "
            "r.committee_org_id = ? AND r.year >= ? AND r.year <= ? ORDER BY r.id",
            std::vector<store::Value>{committee.id, static_cast<int64_t>(first_year),
                                      static_cast<int64_t>(last_year)},
            [&](const store::RowView& r) {
              ReviewStats::Year& y = years[static_cast<int>(r.Int(1))];
              ids.push_back(r.Int(0));
              ++y.scheduled;
              ++s.scheduled;
              y.opinions += r.Int(3);
              s.opinions += r.Int(3);
              std::optional<Grade> g = OptGrade(r, 2);
              if (g) {
                ++y.heard;
                ++s.heard;
                if (*g == Grade::kSatisfied) ++y.satisfied, ++s.satisfied;
                if (*g == Grade::kBasicallySatisfied) ++y.basically_satisfied, ++s.basically_satisfied;
                if (*g == Grade::kDissatisfied) ++y.dissatisfied, ++s.dissatisfied;
              }
              return Status::Ok();
            }));
        JIANDU_RETURN_IF_ERROR(tx.ForEachRow(
            "SELECT COALESCE(SUM(v.satisfied + v.basically_satisfied), 0), "
            "COALESCE(SUM(v.satisfied + v.basically_satisfied + v.dissatisfied), 0) "
            "FROM vote_result v JOIN review r ON r.id = v.review_id WHERE v.purpose = 'hearing' "
            "AND v.quorum_met = 1 AND r.committee_org_id = ? AND r.year >= ? AND r.year <= ?",
            std::vector<store::Value>{committee.id, static_cast<int64_t>(first_year),
                                      static_cast<int64_t>(last_year)},
            [&](const store::RowView& r) {
              s.rate_num = r.Int(0);
              s.rate_den = r.Int(1);
              return Status::Ok();
            }));
        for (int64_t id : ids) {
          JIANDU_ASSIGN_OR_RETURN(
              rectify::FindingStats fs,
              ReviewFindingStats(tx, id, today));
          s.findings += fs.total;
          s.findings_closed += fs.closed;
          s.findings_overdue += fs.overdue;
        }
        for (auto& [y, v] : years) s.years.push_back(v);
        return s;
      });
}

Result<std::vector<PublishedResult>> ReviewService::PublishedResults(std::optional<int> year) {
  return store::RunInTransaction<std::vector<PublishedResult>>(
      store_, store::TxMode::kReadOnly,
      [&](store::Tx& tx) -> Result<std::vector<PublishedResult>> {
        std::string sql = std::string(kReviewSelect) + "WHERE r.published = 1";
        std::vector<store::Value> params;
        if (year) {
          sql += " AND r.year = ?";
          params.emplace_back(static_cast<int64_t>(*year));
        }
        sql += " ORDER BY r.year DESC, r.id";
        std::vector<Review> reviews;
        JIANDU_RETURN_IF_ERROR(tx.ForEachRow(sql, params, [&](const store::RowView& r) {
          reviews.push_back(ReviewFromRow(r));
          return Status::Ok();
        }));
        std::vector<PublishedResult> out;
        const core::CivilDate today = clock_.Today();
        for (const Review& r : reviews) {
          PublishedResult p;
          p.review_id = r.id;
          p.year = r.year;
          p.person_name = r.person_name;
          p.position_title = r.position_title;
          p.org_name = r.target_org_name;
          p.grade = r.grade;
          p.follow_up_grade = r.follow_up_grade;
          p.stage = r.stage;
          JIANDU_ASSIGN_OR_RETURN(
              std::optional<store::Row> v,
              tx.QueryOne("SELECT rate_num, rate_den FROM vote_result WHERE review_id = ? AND "
                          "purpose = 'hearing' ORDER BY sheet_id DESC",
                          {r.id}));
          if (v) {
            p.rate_num = v->Int(0);
            p.rate_den = v->Int(1);
          }
          JIANDU_ASSIGN_OR_RETURN(
              std::optional<store::Row> o,
              tx.QueryOne("SELECT COUNT(*) FROM review_opinion WHERE review_id = ?", {r.id}));
          p.opinions = o->Int(0);
          JIANDU_ASSIGN_OR_RETURN(
              rectify::FindingStats fs,
              ReviewFindingStats(tx, r.id, today));
          p.findings = fs.total;
          p.findings_closed = fs.closed;
          out.push_back(std::move(p));
        }
        return out;
      });
}

Result<PublicNotice> ReviewService::GetPublicNotice(int64_t id) {
  return store::RunInTransaction<PublicNotice>(
      store_, store::TxMode::kReadOnly, [&](store::Tx& tx) -> Result<PublicNotice> {
        JIANDU_ASSIGN_OR_RETURN(std::optional<Review> r, LoadReview(tx, id));
        if (!r) {
          return Status::NotFound(auth::kNoSuchRecord);
        }
        PublicNotice n;
        JIANDU_RETURN_IF_ERROR(tx.ForEachRow(
            "SELECT method FROM review_task WHERE review_id = ? AND done_on IS NULL AND method "
            "IN ('online_notice', 'questionnaire')",
            std::vector<store::Value>{id}, [&](const store::RowView& row) {
              if (row.Text(0) == "online_notice") n.accepts_opinions = true;
              if (row.Text(0) == "questionnaire") n.accepts_questionnaire = true;
              return Status::Ok();
            }));
        // Only reviews collecting public input, before their hearing, have a public page.
        if (r->stage != Stage::kInvestigating && r->stage != Stage::kReportSubmitted) {
          n.accepts_opinions = n.accepts_questionnaire = false;
        }
        if (!n.accepts_opinions && !n.accepts_questionnaire) {
          return Status::NotFound(auth::kNoSuchRecord);
        }
        n.review_id = id;
        n.person_name = r->person_name;
        n.position_title = r->position_title;
        n.org_name = r->target_org_name;
        n.committee_name = r->committee_name;
        n.title = r->committee_name + "关于对" + r->target_org_name + r->position_title +
                  r->person_name + "开展工作评议征求意见的公告";
        return n;
      });
}

Status ReviewService::SubmitPublicOpinion(int64_t id, const std::string& body) {
  JIANDU_ASSIGN_OR_RETURN(std::string text, CheckText(body, "body", 2000, true, true));
  JIANDU_ASSIGN_OR_RETURN(PublicNotice n, GetPublicNotice(id));
  if (!n.accepts_opinions) {
    return Status::FailedPrecondition("this review is not collecting opinions", "body");
  }
  return store::RunInTransaction(store_, store::TxMode::kReadWrite, [&](store::Tx& tx) -> Status {
    // Nothing about the sender (address, client) is stored; the opinion keeps only its date.
    JIANDU_ASSIGN_OR_RETURN(std::optional<Review> r, LoadReview(tx, id));
    JIANDU_ASSIGN_OR_RETURN(
        std::optional<store::Row> row,
        tx.QueryOne("INSERT INTO public_opinion (review_id, body, received_on) VALUES (?, ?, ?) "
                    "RETURNING id",
                    {id, text, clock_.Today().ToString()}));
    audit::EventInput ev{.actor = "public", .action = "review.public_opinion",
                         .entity_type = "review", .entity_id = std::to_string(id),
                         .org_path = r ? r->target_org_path : ""};
    ev.change.Created("public_opinion_id", row->Text(0));
    ev.change.Created("body", text);
    return audit_.Append(tx, ev).status();
  });
}

Status ReviewService::SubmitQuestionnaire(int64_t id, const QuestionnaireAnswer& answer) {
  if (answer.ratings.size() != kQuestionnaireCriteria) {
    return Status::InvalidArgument("ratings", "must rate each of the 6 criteria");
  }
  JIANDU_ASSIGN_OR_RETURN(std::string comment,
                          CheckText(answer.comment, "comment", 2000, false, true));
  JIANDU_ASSIGN_OR_RETURN(PublicNotice n, GetPublicNotice(id));
  if (!n.accepts_questionnaire) {
    return Status::FailedPrecondition("this review has no open questionnaire", "ratings");
  }
  std::string encoded;
  for (Grade g : answer.ratings) {
    if (!encoded.empty()) encoded += ',';
    encoded += GradeCode(g);
  }
  return store::RunInTransaction(store_, store::TxMode::kReadWrite, [&](store::Tx& tx) -> Status {
    JIANDU_ASSIGN_OR_RETURN(std::optional<Review> r, LoadReview(tx, id));
    JIANDU_ASSIGN_OR_RETURN(
        std::optional<store::Row> row,
        tx.QueryOne("INSERT INTO questionnaire_response (review_id, ratings, comment, "
                    "received_on) VALUES (?, ?, ?, ?) RETURNING id",
                    {id, encoded, comment, clock_.Today().ToString()}));
    audit::EventInput ev{.actor = "public", .action = "review.questionnaire",
                         .entity_type = "review", .entity_id = std::to_string(id),
                         .org_path = r ? r->target_org_path : ""};
    ev.change.Created("response_id", row->Text(0));
    ev.change.Created("ratings", encoded);
    return audit_.Append(tx, ev).status();
  });
}

Result<std::vector<std::string>> ReviewService::ListPublicOpinions(const auth::Principal& who,
                                                                   int64_t id) {
  return store::RunInTransaction<std::vector<std::string>>(
      store_, store::TxMode::kReadOnly, [&](store::Tx& tx) -> Result<std::vector<std::string>> {
        JIANDU_RETURN_IF_ERROR(LoadVisible(tx, who, id, auth::Permission::kReviewRead).status());
        std::vector<std::string> out;
        JIANDU_RETURN_IF_ERROR(tx.ForEachRow(
            "SELECT body FROM public_opinion WHERE review_id = ? ORDER BY id",
            std::vector<store::Value>{id}, [&](const store::RowView& r) {
              out.emplace_back(r.Text(0));
              return Status::Ok();
            }));
        return out;
      });
}

}  // namespace jiandu::review
