#include "rectify/finding_service.h"

#include <array>
#include <utility>

#include "core/code_table.h"
#include "core/sha256.h"
#include "notify/notify.h"
#include "registry/org_service.h"
#include "registry/validate.h"

namespace jiandu::rectify {
namespace {

using core::CodeOf;
using core::ParseCode;

constexpr std::array<std::pair<SourceKind, std::string_view>, 5> kSourceKinds{{
    {SourceKind::kReviewOpinion, "review_opinion"},
    {SourceKind::kInspection, "inspection"},
    {SourceKind::kWarning, "warning"},
    {SourceKind::kTip, "tip"},
    {SourceKind::kCase, "case"},
}};
constexpr std::array<std::pair<Severity, std::string_view>, 3> kSeverities{{
    {Severity::kLow, "low"}, {Severity::kMedium, "medium"}, {Severity::kHigh, "high"}}};
constexpr std::array<std::pair<DeadlineUnit, std::string_view>, 3> kUnits{{
    {DeadlineUnit::kWorkingDays, "working_days"},
    {DeadlineUnit::kCalendarDays, "calendar_days"},
    {DeadlineUnit::kMonths, "months"}}};
constexpr std::array<std::pair<FindingState, std::string_view>, 4> kStates{{
    {FindingState::kOpen, "open"},
    {FindingState::kRectifying, "rectifying"},
    {FindingState::kReported, "reported"},
    {FindingState::kClosed, "closed"}}};
constexpr std::array<std::pair<Verdict, std::string_view>, 3> kVerdicts{{
    {Verdict::kEliminated, "eliminated"},
    {Verdict::kPartlyEliminated, "partly_eliminated"},
    {Verdict::kNotEliminated, "not_eliminated"}}};
constexpr std::array<std::pair<ReportKind, std::string_view>, 3> kReportKinds{{
    {ReportKind::kPlan, "plan"}, {ReportKind::kProgress, "progress"}, {ReportKind::kFinal, "final"}}};

constexpr char kFindingSelect[] =
    "SELECT f.id, f.source_kind, f.source_ref, f.title, f.detail, f.severity, "
    "f.responsible_org_id, ro.name, ro.path, f.responsible_person_id, p.name, "
    "f.supervising_org_id, so.name, so.path, f.deadline_unit, f.deadline_amount, f.opened_on, "
    "f.due_on, f.state, f.round, f.verdict, f.verified_on, f.overdue_notified_on, "
    "f.escalated_on, f.version, f.created_at, f.updated_at FROM finding f "
    "JOIN org ro ON ro.id = f.responsible_org_id JOIN org so ON so.id = f.supervising_org_id "
    "LEFT JOIN person p ON p.id = f.responsible_person_id ";

core::CivilDate DateOf(std::string_view text) {
  return core::CivilDate::Parse(text).value_or(core::CivilDate());
}

template <typename R>
std::optional<core::CivilDate> OptDate(const R& r, size_t i) {
  return r.IsNull(i) ? std::nullopt : std::optional<core::CivilDate>(DateOf(r.Text(i)));
}

template <typename R>
Finding FindingFromRow(const R& r) {
  Finding f;
  f.id = r.Int(0);
  f.source_kind = ParseSourceKind(r.Text(1)).value_or(SourceKind::kCase);
  f.source_ref = std::string(r.Text(2));
  f.title = std::string(r.Text(3));
  f.detail = std::string(r.Text(4));
  f.severity = ParseSeverity(r.Text(5)).value_or(Severity::kMedium);
  f.responsible_org_id = r.Int(6);
  f.responsible_org_name = std::string(r.Text(7));
  f.responsible_org_path = std::string(r.Text(8));
  if (!r.IsNull(9)) {
    f.responsible_person_id = r.Int(9);
    f.responsible_person_name = std::string(r.Text(10));
  }
  f.supervising_org_id = r.Int(11);
  f.supervising_org_name = std::string(r.Text(12));
  f.supervising_org_path = std::string(r.Text(13));
  f.deadline.unit = ParseDeadlineUnit(r.Text(14)).value_or(DeadlineUnit::kWorkingDays);
  f.deadline.amount = static_cast<int>(r.Int(15));
  f.opened_on = DateOf(r.Text(16));
  f.due_on = DateOf(r.Text(17));
  f.state = ParseFindingState(r.Text(18)).value_or(FindingState::kOpen);
  f.round = static_cast<int>(r.Int(19));
  if (!r.IsNull(20)) {
    f.verdict = ParseVerdict(r.Text(20));
  }
  f.verified_on = OptDate(r, 21);
  f.overdue_notified_on = OptDate(r, 22);
  f.escalated_on = OptDate(r, 23);
  f.version = r.Int(24);
  f.created_at = core::Timestamp::FromUnixMicros(r.Int(25));
  f.updated_at = core::Timestamp::FromUnixMicros(r.Int(26));
  return f;
}

Result<std::optional<Finding>> LoadFinding(store::Tx& tx, int64_t id) {
  JIANDU_ASSIGN_OR_RETURN(std::optional<store::Row> row,
                          tx.QueryOne(std::string(kFindingSelect) + "WHERE f.id = ?", {id}));
  if (!row) {
    return std::optional<Finding>();
  }
  return std::optional<Finding>(FindingFromRow(*row));
}

// Reports and evidence come from the responsible organisation or a unit below it.
Status CheckResponsibleUnit(const auth::Principal& who, const Finding& f, std::string_view what) {
  if (!who.system && !auth::PathWithin(who.org_path, f.responsible_org_path)) {
    return Status::PermissionDenied("only the responsible organisation (" +
                                    f.responsible_org_name + ") or a unit below it may " +
                                    std::string(what));
  }
  return Status::Ok();
}

auth::Resource ResourceOf(const Finding& f) {
  return auth::Resource::InOrgs({f.responsible_org_path, f.supervising_org_path});
}

Status CheckVersion(const std::optional<int64_t>& version, int64_t current) {
  if (version && *version != current) {
    return Status::Conflict("the finding was changed by someone else; reload it", "version");
  }
  return Status::Ok();
}

Status CheckDeadline(const Deadline& d) {
  const int max = d.unit == DeadlineUnit::kMonths ? 120 : 3650;
  if (d.amount < 1 || d.amount > max) {
    return Status::InvalidArgument("deadline.amount",
                                   "must be between 1 and " + std::to_string(max));
  }
  return Status::Ok();
}

// The file types accepted as evidence, recognised from their first bytes.
std::optional<std::string_view> SniffType(std::string_view data) {
  auto starts = [&](std::string_view magic) { return data.substr(0, magic.size()) == magic; };
  if (starts("\xFF\xD8\xFF")) return "image/jpeg";
  if (starts("\x89PNG\r\n\x1A\n")) return "image/png";
  if (starts("%PDF-")) return "application/pdf";
  if (starts("PK\x03\x04")) return "application/zip";  // DOCX, XLSX
  return std::nullopt;
}

std::string Notice(std::string_view title, const Finding& f) {
  return std::string(title) + "：" + f.title;
}

}  // namespace

std::string_view Code(SourceKind v) { return CodeOf(kSourceKinds, v); }
std::string_view Code(Severity v) { return CodeOf(kSeverities, v); }
std::string_view Code(DeadlineUnit v) { return CodeOf(kUnits, v); }
std::string_view Code(FindingState v) { return CodeOf(kStates, v); }
std::string_view Code(Verdict v) { return CodeOf(kVerdicts, v); }
std::string_view Code(ReportKind v) { return CodeOf(kReportKinds, v); }
std::optional<SourceKind> ParseSourceKind(std::string_view s) { return ParseCode(kSourceKinds, s); }
std::optional<Severity> ParseSeverity(std::string_view s) { return ParseCode(kSeverities, s); }
std::optional<DeadlineUnit> ParseDeadlineUnit(std::string_view s) { return ParseCode(kUnits, s); }
std::optional<FindingState> ParseFindingState(std::string_view s) { return ParseCode(kStates, s); }
std::optional<Verdict> ParseVerdict(std::string_view s) { return ParseCode(kVerdicts, s); }
std::optional<ReportKind> ParseReportKind(std::string_view s) { return ParseCode(kReportKinds, s); }

Result<core::CivilDate> DueDate(const core::Calendar& cal, core::CivilDate start, Deadline d) {
  JIANDU_RETURN_IF_ERROR(CheckDeadline(d));
  switch (d.unit) {
    case DeadlineUnit::kWorkingDays:
      return cal.AddWorkingDays(start, d.amount);
    case DeadlineUnit::kCalendarDays:
      return cal.CalendarDaysDeadline(start, d.amount);
    case DeadlineUnit::kMonths:
      return cal.MonthsDeadline(start, d.amount);
  }
  return Status::Internal("unknown deadline unit");
}

Result<Finding> FindingService::OpenInTx(store::Tx& tx, const auth::Principal& who,
                                         const NewFinding& in) const {
  using registry::CheckText;
  JIANDU_ASSIGN_OR_RETURN(std::string ref, CheckText(in.source_ref, "source_ref", 100, true));
  JIANDU_ASSIGN_OR_RETURN(std::string title, CheckText(in.title, "title", 200, true));
  JIANDU_ASSIGN_OR_RETURN(std::string detail, CheckText(in.detail, "detail", 5000, false, true));
  JIANDU_RETURN_IF_ERROR(CheckDeadline(in.deadline));
  const core::CivilDate today = clock_.Today();
  const core::CivilDate opened = in.opened_on.value_or(today);
  if (opened > today) {
    return Status::InvalidArgument("opened_on", "must not be in the future");
  }
  JIANDU_ASSIGN_OR_RETURN(core::CivilDate due, DueDate(calendar_, opened, in.deadline));
  if (due < today) {
    return Status::InvalidArgument("deadline",
                                   "the deadline " + due.ToString() + " is already past");
  }
  JIANDU_ASSIGN_OR_RETURN(std::optional<registry::Org> responsible,
                          registry::OrgService::Load(tx, in.responsible_org_id));
  if (!responsible) {
    return Status::InvalidArgument("responsible_org_id", "no such organisation");
  }
  JIANDU_ASSIGN_OR_RETURN(std::optional<registry::Org> supervising,
                          registry::OrgService::Load(tx, in.supervising_org_id));
  if (!supervising) {
    return Status::InvalidArgument("supervising_org_id", "no such organisation");
  }
  if (in.responsible_person_id) {
    JIANDU_ASSIGN_OR_RETURN(
        std::optional<store::Row> person,
        tx.QueryOne("SELECT id FROM person WHERE id = ?", {*in.responsible_person_id}));
    if (!person) {
      return Status::InvalidArgument("responsible_person_id", "no such person");
    }
  }
  const int64_t now = clock_.Now().unix_micros();
  JIANDU_ASSIGN_OR_RETURN(
      std::optional<store::Row> row,
      tx.QueryOne(
          "INSERT INTO finding (source_kind, source_ref, title, detail, severity, "
          "responsible_org_id, responsible_person_id, supervising_org_id, deadline_unit, "
          "deadline_amount, opened_on, due_on, state, round, version, created_at, updated_at) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', 1, 1, ?, ?) RETURNING id",
          {std::string(Code(in.source_kind)), ref, title, detail,
           std::string(Code(in.severity)), in.responsible_org_id,
           in.responsible_person_id ? store::Value(*in.responsible_person_id) : store::Value(),
           in.supervising_org_id, std::string(Code(in.deadline.unit)),
           static_cast<int64_t>(in.deadline.amount), opened.ToString(), due.ToString(), now,
           now}));
  const int64_t id = row->Int(0);
  audit::EventInput ev{.actor = who.AuditActor(), .action = "finding.open",
                       .entity_type = "finding", .entity_id = std::to_string(id),
                       .org_path = responsible->path};
  ev.change.Created("source", std::string(Code(in.source_kind)) + ":" + ref);
  ev.change.Created("title", title);
  ev.change.Created("detail", detail);
  ev.change.Created("responsible_org_id", std::to_string(in.responsible_org_id));
  ev.change.Created("supervising_org_id", std::to_string(in.supervising_org_id));
  ev.change.Created("due_on", due.ToString());
  JIANDU_RETURN_IF_ERROR(audit_.Append(tx, ev));
  JIANDU_ASSIGN_OR_RETURN(std::optional<Finding> f, LoadFinding(tx, id));
  JIANDU_RETURN_IF_ERROR(
      notify::Post(tx,
                   {.recipients = {{responsible->path, {auth::Role::kDepartmentLiaison}, true}},
                    .kind = "finding.opened",
                    .title = Notice("新的整改事项", *f),
                    .body = "整改期限：" + due.ToString(),
                    .entity_type = "finding",
                    .entity_id = std::to_string(id),
                    .dedup_key = "finding:" + std::to_string(id) + ":opened"},
                   clock_.Now())
          .status());
  return *f;
}

Result<std::vector<Finding>> FindingService::ListBySourceInTx(store::Tx& tx, SourceKind kind,
                                                              std::string_view source_ref) const {
  std::vector<Finding> out;
  JIANDU_RETURN_IF_ERROR(tx.ForEachRow(
      std::string(kFindingSelect) + "WHERE f.source_kind = ? AND f.source_ref = ? ORDER BY f.id",
      std::vector<store::Value>{std::string(Code(kind)), std::string(source_ref)},
      [&](const store::RowView& r) {
        out.push_back(FindingFromRow(r));
        return Status::Ok();
      }));
  return out;
}

Result<Finding> FindingService::Open(const auth::Principal& who, const NewFinding& in) {
  JIANDU_RETURN_IF_ERROR(auth::AuthorizeAction(who, auth::Permission::kFindingWrite));
  // Review opinions become findings through their review (OpenInTx), never directly.
  if (in.source_kind == SourceKind::kReviewOpinion) {
    return Status::InvalidArgument("source_kind", "must be inspection, warning, tip or case");
  }
  return store::RunInTransaction<Finding>(
      store_, store::TxMode::kReadWrite, [&](store::Tx& tx) -> Result<Finding> {
        JIANDU_ASSIGN_OR_RETURN(std::optional<registry::Org> sup,
                                registry::OrgService::Load(tx, in.supervising_org_id));
        JIANDU_RETURN_IF_ERROR(auth::AuthorizeReference(who, auth::Permission::kFindingWrite,
                                                        sup ? &sup->path : nullptr,
                                                        "supervising_org_id", "organisation"));
        JIANDU_ASSIGN_OR_RETURN(std::optional<registry::Org> resp,
                                registry::OrgService::Load(tx, in.responsible_org_id));
        JIANDU_RETURN_IF_ERROR(auth::AuthorizeReference(who, auth::Permission::kFindingWrite,
                                                        resp ? &resp->path : nullptr,
                                                        "responsible_org_id", "organisation"));
        return OpenInTx(tx, who, in);
      });
}

Result<Finding> FindingService::LoadVisible(store::Tx& tx, const auth::Principal& who,
                                           int64_t id, auth::Permission action) {
  JIANDU_RETURN_IF_ERROR(auth::AuthorizeAction(who, action));
  JIANDU_ASSIGN_OR_RETURN(std::optional<Finding> f, LoadFinding(tx, id));
  if (!f) {
    return Status::NotFound(auth::kNoSuchRecord);
  }
  JIANDU_RETURN_IF_ERROR(auth::Authorize(who, action, ResourceOf(*f)));
  return *f;
}

Result<FindingDetail> FindingService::Get(const auth::Principal& who, int64_t id) {
  return store::RunInTransaction<FindingDetail>(
      store_, store::TxMode::kReadOnly, [&](store::Tx& tx) -> Result<FindingDetail> {
        FindingDetail d;
        JIANDU_ASSIGN_OR_RETURN(d.finding,
                                LoadVisible(tx, who, id, auth::Permission::kFindingRead));
        JIANDU_RETURN_IF_ERROR(tx.ForEachRow(
            "SELECT r.id, r.round, r.kind, r.body, r.reported_on, "
            "COALESCE(u.display_name, 'cli'), r.created_at "
            "FROM finding_report r LEFT JOIN app_user u ON u.id = r.reporter_user_id "
            "WHERE r.finding_id = ? ORDER BY r.id",
            std::vector<store::Value>{id}, [&](const store::RowView& r) {
              d.reports.push_back(FindingReport{
                  r.Int(0), id, static_cast<int>(r.Int(1)),
                  ParseReportKind(r.Text(2)).value_or(ReportKind::kProgress),
                  std::string(r.Text(3)), DateOf(r.Text(4)), std::string(r.Text(5)), {},
                  core::Timestamp::FromUnixMicros(r.Int(6))});
              return Status::Ok();
            }));
        JIANDU_RETURN_IF_ERROR(tx.ForEachRow(
            "SELECT id, report_id, name, content_type, sha256, size FROM finding_evidence "
            "WHERE finding_id = ? ORDER BY id",
            std::vector<store::Value>{id}, [&](const store::RowView& r) {
              for (FindingReport& rep : d.reports) {
                if (rep.id == r.Int(1)) {
                  rep.evidence.push_back(EvidenceFile{r.Int(0), std::string(r.Text(2)),
                                                      std::string(r.Text(3)),
                                                      std::string(r.Text(4)), r.Int(5)});
                }
              }
              return Status::Ok();
            }));
        JIANDU_RETURN_IF_ERROR(tx.ForEachRow(
            "SELECT id, round, verdict, note, verified_on, new_due_on, created_at "
            "FROM finding_verification WHERE finding_id = ? ORDER BY id",
            std::vector<store::Value>{id}, [&](const store::RowView& r) {
              d.verifications.push_back(Verification{
                  r.Int(0), static_cast<int>(r.Int(1)),
                  ParseVerdict(r.Text(2)).value_or(Verdict::kNotEliminated),
                  std::string(r.Text(3)), DateOf(r.Text(4)), OptDate(r, 5),
                  core::Timestamp::FromUnixMicros(r.Int(6))});
              return Status::Ok();
            }));
        JIANDU_RETURN_IF_ERROR(tx.ForEachRow(
            "SELECT a.id, a.person_id, p.name, a.measure, a.note, a.decided_on, a.created_at "
            "FROM finding_accountability a LEFT JOIN person p ON p.id = a.person_id "
            "WHERE a.finding_id = ? ORDER BY a.id",
            std::vector<store::Value>{id}, [&](const store::RowView& r) {
              AccountabilityRecord a;
              a.id = r.Int(0);
              if (!r.IsNull(1)) {
                a.person_id = r.Int(1);
                a.person_name = std::string(r.Text(2));
              }
              a.measure = std::string(r.Text(3));
              a.note = std::string(r.Text(4));
              a.decided_on = DateOf(r.Text(5));
              a.created_at = core::Timestamp::FromUnixMicros(r.Int(6));
              d.accountability.push_back(std::move(a));
              return Status::Ok();
            }));
        return d;
      });
}

Result<core::Page<Finding>> FindingService::List(const auth::Principal& who,
                                                 const FindingFilter& f,
                                                 const core::PageRequest& page) {
  JIANDU_RETURN_IF_ERROR(auth::AuthorizeAction(who, auth::Permission::kFindingRead));
  return store::RunInTransaction<core::Page<Finding>>(
      store_, store::TxMode::kReadOnly, [&](store::Tx& tx) -> Result<core::Page<Finding>> {
        std::string sql = std::string(kFindingSelect) + "WHERE f.id < ?";
        std::vector<store::Value> params{page.after.value_or(INT64_MAX)};
        if (!who.system) {
          sql += " AND (" + store::StartsWith("ro.path") + " OR " + store::StartsWith("so.path") +
                 ")";
          store::AppendStartsWith(params, who.org_path);
          store::AppendStartsWith(params, who.org_path);
        }
        if (f.state) {
          sql += " AND f.state = ?";
          params.emplace_back(std::string(Code(*f.state)));
        }
        if (f.source_kind) {
          sql += " AND f.source_kind = ?";
          params.emplace_back(std::string(Code(*f.source_kind)));
        }
        if (f.source_ref) {
          sql += " AND f.source_ref = ?";
          params.emplace_back(*f.source_ref);
        }
        if (f.responsible_org_id) {
          JIANDU_ASSIGN_OR_RETURN(std::optional<registry::Org> org,
                                  registry::OrgService::Load(tx, *f.responsible_org_id));
          if (!org) {
            return Status::NotFound(auth::kNoSuchRecord);
          }
          JIANDU_RETURN_IF_ERROR(auth::Authorize(who, auth::Permission::kFindingRead,
                                                 auth::Resource::InOrg(org->path)));
          sql += " AND " + store::StartsWith("ro.path");
          store::AppendStartsWith(params, org->path);
        }
        if (f.overdue_only) {
          sql += " AND f.state IN ('open', 'rectifying') AND f.due_on < ?";
          params.emplace_back(clock_.Today().ToString());
        }
        sql += " ORDER BY f.id DESC LIMIT ?";
        params.emplace_back(static_cast<int64_t>(page.limit + 1));
        std::vector<Finding> out;
        JIANDU_RETURN_IF_ERROR(tx.ForEachRow(sql, params, [&](const store::RowView& r) {
          out.push_back(FindingFromRow(r));
          return Status::Ok();
        }));
        return core::MakePage(std::move(out), page, [](const Finding& x) { return x.id; });
      });
}

Result<FindingReport> FindingService::Report(const auth::Principal& who, int64_t id,
                                             const NewReport& in) {
  JIANDU_RETURN_IF_ERROR(auth::AuthorizeAction(who, auth::Permission::kFindingReport));
  JIANDU_ASSIGN_OR_RETURN(std::string body,
                          registry::CheckText(in.body, "body", 20000, true, true));
  return store::RunInTransaction<FindingReport>(
      store_, store::TxMode::kReadWrite, [&](store::Tx& tx) -> Result<FindingReport> {
        JIANDU_ASSIGN_OR_RETURN(Finding f,
                                LoadVisible(tx, who, id, auth::Permission::kFindingReport));
        JIANDU_RETURN_IF_ERROR(CheckResponsibleUnit(who, f, "report on this finding"));
        JIANDU_RETURN_IF_ERROR(CheckVersion(in.version, f.version));
        FindingState next = FindingState::kRectifying;
        switch (in.kind) {
          case ReportKind::kPlan:
            if (f.state != FindingState::kOpen) {
              return Status::FailedPrecondition(
                  "a rectification plan is submitted once, while the finding is open; it is " +
                  std::string(Code(f.state)),
                  "kind");
            }
            break;
          case ReportKind::kProgress:
            if (f.state != FindingState::kOpen && f.state != FindingState::kRectifying) {
              return Status::FailedPrecondition(
                  "progress is reported while the finding is open or being rectified; it is " +
                  std::string(Code(f.state)),
                  "kind");
            }
            break;
          case ReportKind::kFinal:
            if (f.state != FindingState::kOpen && f.state != FindingState::kRectifying) {
              return Status::FailedPrecondition(
                  "the final report is submitted while the finding is open or being rectified; "
                  "it is " + std::string(Code(f.state)),
                  "kind");
            }
            next = FindingState::kReported;
            break;
        }
        const core::CivilDate today = clock_.Today();
        const int64_t now = clock_.Now().unix_micros();
        JIANDU_ASSIGN_OR_RETURN(
            std::optional<store::Row> row,
            tx.QueryOne("INSERT INTO finding_report (finding_id, round, kind, body, reported_on, "
                        "reporter_user_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                        {id, static_cast<int64_t>(f.round), std::string(Code(in.kind)), body,
                         today.ToString(), who.user_id == 0 ? store::Value() : store::Value(who.user_id),
                         now}));
        JIANDU_RETURN_IF_ERROR(
            tx.Exec("UPDATE finding SET state = ?, version = version + 1, updated_at = ? "
                    "WHERE id = ?",
                    {std::string(Code(next)), now, id})
                .status());
        audit::EventInput ev{.actor = who.AuditActor(),
                             .action = "finding.report",
                             .entity_type = "finding",
                             .entity_id = std::to_string(id),
                             .org_path = f.responsible_org_path};
        ev.change.Created("report_id", row->Text(0));
        ev.change.Created("kind", Code(in.kind));
        ev.change.Created("body", body);
        ev.change.Set("state", Code(f.state), Code(next));
        JIANDU_RETURN_IF_ERROR(audit_.Append(tx, ev));
        if (in.kind == ReportKind::kFinal) {
          JIANDU_RETURN_IF_ERROR(
              notify::Post(tx,
                           {.recipients = {{f.supervising_org_path,
                                            {auth::Role::kCongressOfficer,
                                             auth::Role::kDisciplineOfficer}}},
                            .kind = "finding.reported",
                            .title = Notice("整改情况已报告，待回头看", f),
                            .entity_type = "finding",
                            .entity_id = std::to_string(id),
                            .dedup_key = "finding:" + std::to_string(id) + ":reported:" +
                                         std::to_string(f.round)},
                           clock_.Now())
                  .status());
        }
        // The reporter as Get shows it: the user's display name ("cli" for the operator).
        std::string reporter = who.username;
        if (who.user_id != 0) {
          JIANDU_ASSIGN_OR_RETURN(
              std::optional<store::Row> user,
              tx.QueryOne("SELECT display_name FROM app_user WHERE id = ?", {who.user_id}));
          if (user) {
            reporter = user->Text(0);
          }
        }
        return FindingReport{row->Int(0), id, f.round, in.kind, body, today, reporter, {},
                             clock_.Now()};
      });
}

Result<EvidenceFile> FindingService::AttachEvidence(const auth::Principal& who,
                                                    int64_t finding_id, int64_t report_id,
                                                    const NewEvidence& in) {
  JIANDU_RETURN_IF_ERROR(auth::AuthorizeAction(who, auth::Permission::kFindingReport));
  JIANDU_ASSIGN_OR_RETURN(std::string name, registry::CheckText(in.name, "name", 120, true));
  if (in.data.empty()) {
    return Status::InvalidArgument("file", "is empty");
  }
  if (static_cast<int64_t>(in.data.size()) > kMaxEvidenceBytes) {
    return Status::InvalidArgument("file", "is larger than 8 MiB");
  }
  std::optional<std::string_view> sniffed = SniffType(in.data);
  if (!sniffed) {
    return Status::InvalidArgument(
        "file", "is not an accepted type (JPEG, PNG, PDF, or an Office document)");
  }
  if (in.content_type != *sniffed &&
      !(*sniffed == "application/zip" &&
        in.content_type.starts_with("application/vnd.openxmlformats-officedocument."))) {
    return Status::InvalidArgument("content_type",
                                   "does not match the file's contents (" +
                                       std::string(*sniffed) + ")");
  }
  return store::RunInTransaction<EvidenceFile>(
      store_, store::TxMode::kReadWrite, [&](store::Tx& tx) -> Result<EvidenceFile> {
        JIANDU_ASSIGN_OR_RETURN(
            Finding f, LoadVisible(tx, who, finding_id, auth::Permission::kFindingReport));
        JIANDU_RETURN_IF_ERROR(CheckResponsibleUnit(who, f, "attach evidence to this finding"));
        JIANDU_ASSIGN_OR_RETURN(
            std::optional<store::Row> rep,
            tx.QueryOne("SELECT round FROM finding_report WHERE id = ? AND finding_id = ?",
                        {report_id, finding_id}));
        if (!rep) {
          return Status::NotFound(auth::kNoSuchRecord);
        }
        if (rep->Int(0) != f.round || f.state == FindingState::kClosed) {
          return Status::FailedPrecondition(
              "evidence is attached to a report of the current round of an unclosed finding",
              "report_id");
        }
        const std::string digest = core::Sha256Hex(in.data);
        JIANDU_ASSIGN_OR_RETURN(
            std::optional<store::Row> row,
            tx.QueryOne("INSERT INTO finding_evidence (finding_id, report_id, name, "
                        "content_type, sha256, size, data, created_at) VALUES "
                        "(?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                        {finding_id, report_id, name, in.content_type, digest,
                         static_cast<int64_t>(in.data.size()), store::Value(store::Blob{in.data}),
                         clock_.Now().unix_micros()}));
        audit::EventInput ev{.actor = who.AuditActor(),
                             .action = "finding.evidence",
                             .entity_type = "finding",
                             .entity_id = std::to_string(finding_id),
                             .org_path = f.responsible_org_path};
        ev.change.Created("evidence_id", row->Text(0));
        ev.change.Created("sha256", digest);
        JIANDU_RETURN_IF_ERROR(audit_.Append(tx, ev));
        return EvidenceFile{row->Int(0), name, in.content_type, digest,
                            static_cast<int64_t>(in.data.size())};
      });
}

Result<std::pair<EvidenceFile, std::string>> FindingService::ReadEvidence(
    const auth::Principal& who, int64_t finding_id, int64_t file_id) {
  using Out = std::pair<EvidenceFile, std::string>;
  return store::RunInTransaction<Out>(
      store_, store::TxMode::kReadOnly, [&](store::Tx& tx) -> Result<Out> {
        JIANDU_RETURN_IF_ERROR(
            LoadVisible(tx, who, finding_id, auth::Permission::kFindingRead).status());
        JIANDU_ASSIGN_OR_RETURN(
            std::optional<store::Row> row,
            tx.QueryOne("SELECT id, name, content_type, sha256, size, data FROM "
                        "finding_evidence WHERE id = ? AND finding_id = ?",
                        {file_id, finding_id}));
        if (!row) {
          return Status::NotFound(auth::kNoSuchRecord);
        }
        return Out{EvidenceFile{row->Int(0), row->Text(1), row->Text(2), row->Text(3),
                                row->Int(4)},
                   row->Bytes(5).bytes};
      });
}

Result<Finding> FindingService::Verify(const auth::Principal& who, int64_t id,
                                       const NewVerification& in) {
  JIANDU_RETURN_IF_ERROR(auth::AuthorizeAction(who, auth::Permission::kFindingWrite));
  JIANDU_ASSIGN_OR_RETURN(std::string note,
                          registry::CheckText(in.note, "note", 5000, true, true));
  if (in.verdict == Verdict::kEliminated && in.new_deadline) {
    return Status::InvalidArgument("new_deadline", "is only given when the problem remains");
  }
  if (in.verdict != Verdict::kEliminated && !in.new_deadline) {
    return Status::InvalidArgument("new_deadline",
                                   "is required when the problem is not eliminated");
  }
  return store::RunInTransaction<Finding>(
      store_, store::TxMode::kReadWrite, [&](store::Tx& tx) -> Result<Finding> {
        JIANDU_ASSIGN_OR_RETURN(Finding f,
                                LoadVisible(tx, who, id, auth::Permission::kFindingWrite));
        if (!who.system && !auth::PathWithin(f.supervising_org_path, who.org_path)) {
          return Status::PermissionDenied(
              "only the supervising organisation (" + f.supervising_org_name +
              ") or one above it verifies this finding");
        }
        JIANDU_RETURN_IF_ERROR(CheckVersion(in.version, f.version));
        if (f.state != FindingState::kReported) {
          return Status::FailedPrecondition(
              "a finding is verified after its final report; it is " +
                  std::string(Code(f.state)),
              "state");
        }
        const core::CivilDate today = clock_.Today();
        std::optional<core::CivilDate> new_due;
        if (in.new_deadline) {
          JIANDU_ASSIGN_OR_RETURN(new_due, DueDate(calendar_, today, *in.new_deadline));
        }
        const int64_t now = clock_.Now().unix_micros();
        JIANDU_RETURN_IF_ERROR(
            tx.Exec("INSERT INTO finding_verification (finding_id, round, verdict, note, "
                    "verified_on, new_due_on, verifier_user_id, created_at) VALUES "
                    "(?, ?, ?, ?, ?, ?, ?, ?)",
                    {id, static_cast<int64_t>(f.round), std::string(Code(in.verdict)), note,
                     today.ToString(),
                     new_due ? store::Value(new_due->ToString()) : store::Value(),
                     who.user_id == 0 ? store::Value() : store::Value(who.user_id), now})
                .status());
        const FindingState next =
            in.verdict == Verdict::kEliminated ? FindingState::kClosed : FindingState::kRectifying;
        if (new_due) {
          JIANDU_RETURN_IF_ERROR(
              tx.Exec("UPDATE finding SET state = ?, verdict = ?, verified_on = ?, "
                      "round = round + 1, due_on = ?, deadline_unit = ?, deadline_amount = ?, "
                      "overdue_notified_on = NULL, escalated_on = NULL, version = version + 1, "
                      "updated_at = ? WHERE id = ?",
                      {std::string(Code(next)), std::string(Code(in.verdict)), today.ToString(),
                       new_due->ToString(), std::string(Code(in.new_deadline->unit)),
                       static_cast<int64_t>(in.new_deadline->amount), now, id})
                  .status());
        } else {
          JIANDU_RETURN_IF_ERROR(
              tx.Exec("UPDATE finding SET state = ?, verdict = ?, verified_on = ?, "
                      "version = version + 1, updated_at = ? WHERE id = ?",
                      {std::string(Code(next)), std::string(Code(in.verdict)), today.ToString(),
                       now, id})
                  .status());
        }
        audit::EventInput ev{.actor = who.AuditActor(),
                             .action = "finding.verify",
                             .entity_type = "finding",
                             .entity_id = std::to_string(id),
                             .org_path = f.responsible_org_path};
        ev.change.Created("verdict", Code(in.verdict));
        ev.change.Created("note", note);
        ev.change.Set("state", Code(f.state), Code(next));
        if (new_due) {
          ev.change.Set("due_on", f.due_on.ToString(), new_due->ToString());
        }
        JIANDU_RETURN_IF_ERROR(audit_.Append(tx, ev));
        if (new_due) {
          JIANDU_RETURN_IF_ERROR(
              notify::Post(tx,
                           {.recipients = {{f.responsible_org_path,
                                            {auth::Role::kDepartmentLiaison}, true}},
                            .kind = "finding.reopened",
                            .title = Notice("回头看未通过，需继续整改", f),
                            .body = "新的整改期限：" + new_due->ToString(),
                            .entity_type = "finding",
                            .entity_id = std::to_string(id),
                            .dedup_key = "finding:" + std::to_string(id) + ":reopened:" +
                                         std::to_string(f.round)},
                           clock_.Now())
                  .status());
        }
        JIANDU_ASSIGN_OR_RETURN(std::optional<Finding> out, LoadFinding(tx, id));
        return *out;
      });
}

Result<AccountabilityRecord> FindingService::AddAccountability(const auth::Principal& who,
                                                               int64_t id,
                                                               const NewAccountability& in) {
  JIANDU_RETURN_IF_ERROR(auth::AuthorizeAction(who, auth::Permission::kFindingWrite));
  JIANDU_ASSIGN_OR_RETURN(std::string measure,
                          registry::CheckText(in.measure, "measure", 100, true));
  JIANDU_ASSIGN_OR_RETURN(std::string note,
                          registry::CheckText(in.note, "note", 5000, false, true));
  const core::CivilDate today = clock_.Today();
  const core::CivilDate decided = in.decided_on.value_or(today);
  if (decided > today) {
    return Status::InvalidArgument("decided_on", "must not be in the future");
  }
  return store::RunInTransaction<AccountabilityRecord>(
      store_, store::TxMode::kReadWrite, [&](store::Tx& tx) -> Result<AccountabilityRecord> {
        JIANDU_ASSIGN_OR_RETURN(Finding f,
                                LoadVisible(tx, who, id, auth::Permission::kFindingWrite));
        AccountabilityRecord a;
        if (in.person_id) {
          JIANDU_ASSIGN_OR_RETURN(
              std::optional<store::Row> p,
              tx.QueryOne("SELECT name FROM person WHERE id = ?", {*in.person_id}));
          if (!p) {
            return Status::InvalidArgument("person_id", "no such person");
          }
          a.person_id = in.person_id;
          a.person_name = p->Text(0);
        }
        const int64_t now = clock_.Now().unix_micros();
        JIANDU_ASSIGN_OR_RETURN(
            std::optional<store::Row> row,
            tx.QueryOne("INSERT INTO finding_accountability (finding_id, person_id, measure, "
                        "note, decided_on, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                        {id, in.person_id ? store::Value(*in.person_id) : store::Value(),
                         measure, note, decided.ToString(), now}));
        audit::EventInput ev{.actor = who.AuditActor(),
                             .action = "finding.accountability",
                             .entity_type = "finding",
                             .entity_id = std::to_string(id),
                             .org_path = f.responsible_org_path};
        ev.change.Created("accountability_id", row->Text(0));
        ev.change.Created("measure", measure);
        ev.change.Created("person_id", in.person_id ? std::to_string(*in.person_id) : "");
        JIANDU_RETURN_IF_ERROR(audit_.Append(tx, ev));
        a.id = row->Int(0);
        a.measure = measure;
        a.note = note;
        a.decided_on = decided;
        a.created_at = core::Timestamp::FromUnixMicros(now);
        return a;
      });
}

Result<SweepResult> FindingService::SweepOverdue(int warn_days) {
  const core::CivilDate today = clock_.Today();
  const core::Timestamp now = clock_.Now();
  return store::RunInTransaction<SweepResult>(
      store_, store::TxMode::kReadWrite, [&](store::Tx& tx) -> Result<SweepResult> {
        SweepResult out;
        std::vector<Finding> open;
        JIANDU_RETURN_IF_ERROR(tx.ForEachRow(
            std::string(kFindingSelect) +
                "WHERE f.state IN ('open', 'rectifying') AND f.due_on <= ? ORDER BY f.id",
            std::vector<store::Value>{today.AddDays(warn_days).ToString()},
            [&](const store::RowView& r) {
              open.push_back(FindingFromRow(r));
              return Status::Ok();
            }));
        const auto officers = std::vector<auth::Role>{auth::Role::kCongressOfficer,
                                                      auth::Role::kDisciplineOfficer};
        for (const Finding& f : open) {
          const std::string key = "finding:" + std::to_string(f.id) + ":r" +
                                  std::to_string(f.round);
          if (!f.IsOverdue(today)) {
            ++out.due_soon;
            JIANDU_ASSIGN_OR_RETURN(
                int64_t n,
                notify::Post(tx,
                             {.recipients = {{f.responsible_org_path,
                                              {auth::Role::kDepartmentLiaison}, true}},
                              .kind = "finding.due_soon",
                              .title = Notice("整改即将到期", f),
                              .body = "整改期限：" + f.due_on.ToString(),
                              .entity_type = "finding",
                              .entity_id = std::to_string(f.id),
                              .dedup_key = key + ":due_soon"},
                             now));
            out.notified += n;
            continue;
          }
          ++out.overdue;
          if (!f.overdue_notified_on) {
            JIANDU_ASSIGN_OR_RETURN(
                int64_t n,
                notify::Post(tx,
                             {.recipients = {{f.responsible_org_path,
                                              {auth::Role::kDepartmentLiaison}, true},
                                             {f.supervising_org_path, officers}},
                              .kind = "finding.overdue",
                              .title = Notice("整改逾期", f),
                              .body = "整改期限：" + f.due_on.ToString(),
                              .entity_type = "finding",
                              .entity_id = std::to_string(f.id),
                              .dedup_key = key + ":overdue"},
                             now));
            out.notified += n;
          }
          // Escalation: to the officers whose organisation lies above the supervising one.
          std::string parent_path;
          const std::string& sp = f.supervising_org_path;
          if (sp.size() > 1) {
            const size_t cut = sp.rfind('/', sp.size() - 2);
            parent_path = sp.substr(0, cut + 1);
          }
          const bool escalate = !f.escalated_on && parent_path.size() > 1;
          if (escalate) {
            JIANDU_ASSIGN_OR_RETURN(
                int64_t n,
                notify::Post(tx,
                             {.recipients = {{parent_path, officers}},
                              .kind = "finding.escalated",
                              .title = Notice("整改逾期，已提级督办", f),
                              .body = "整改期限：" + f.due_on.ToString() + "；责任单位：" +
                                      f.responsible_org_name,
                              .entity_type = "finding",
                              .entity_id = std::to_string(f.id),
                              .dedup_key = key + ":escalated"},
                             now));
            out.notified += n;
            ++out.escalated;
          }
          if (!f.overdue_notified_on || escalate) {
            JIANDU_RETURN_IF_ERROR(
                tx.Exec("UPDATE finding SET overdue_notified_on = COALESCE(overdue_notified_on, "
                        "?), escalated_on = ? WHERE id = ?",
                        {today.ToString(),
                         escalate ? store::Value(today.ToString())
                                  : (f.escalated_on ? store::Value(f.escalated_on->ToString())
                                                    : store::Value()),
                         f.id})
                    .status());
            audit::EventInput ev{.actor = "system",
                                 .action = escalate ? "finding.escalate" : "finding.overdue",
                                 .entity_type = "finding",
                                 .entity_id = std::to_string(f.id),
                                 .org_path = f.responsible_org_path};
            ev.change.Created("overdue_since", f.due_on.AddDays(1).ToString());
            if (escalate) {
              ev.change.Created("escalated_to", parent_path);
            }
            JIANDU_RETURN_IF_ERROR(audit_.Append(tx, ev));
          }
        }
        return out;
      });
}

Result<FindingStats> StatsBySourceInTx(store::Tx& tx, SourceKind kind,
                                       std::string_view source_ref, core::CivilDate today) {
  JIANDU_ASSIGN_OR_RETURN(
      std::optional<store::Row> row,
      tx.QueryOne("SELECT COUNT(*), "
                  "COALESCE(SUM(CASE WHEN state = 'closed' THEN 1 ELSE 0 END), 0), "
                  "COALESCE(SUM(CASE WHEN state = 'reported' THEN 1 ELSE 0 END), 0), "
                  "COALESCE(SUM(CASE WHEN state IN ('open', 'rectifying') AND due_on < ? "
                  "THEN 1 ELSE 0 END), 0) FROM finding WHERE source_kind = ? AND "
                  "source_ref = ?",
                  {today.ToString(), std::string(Code(kind)), std::string(source_ref)}));
  return FindingStats{row->Int(0), row->Int(1), row->Int(2), row->Int(3)};
}

std::vector<store::Migration> Migrations() {
  return {{"rectify", 1, "findings and their rectification", R"sql(
CREATE TABLE finding (
  id {{id}},
  source_kind TEXT NOT NULL,
  source_ref TEXT NOT NULL,
  title TEXT NOT NULL,
  detail TEXT NOT NULL,
  severity TEXT NOT NULL,
  responsible_org_id BIGINT NOT NULL REFERENCES org (id),
  responsible_person_id BIGINT REFERENCES person (id),
  supervising_org_id BIGINT NOT NULL REFERENCES org (id),
  deadline_unit TEXT NOT NULL,
  deadline_amount BIGINT NOT NULL,
  opened_on TEXT NOT NULL,
  due_on TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('open', 'rectifying', 'reported', 'closed')),
  round BIGINT NOT NULL,
  verdict TEXT,
  verified_on TEXT,
  overdue_notified_on TEXT,
  escalated_on TEXT,
  version BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX finding_source ON finding (source_kind, source_ref);
CREATE INDEX finding_due ON finding (state, due_on);
CREATE TABLE finding_report (
  id {{id}},
  finding_id BIGINT NOT NULL REFERENCES finding (id),
  round BIGINT NOT NULL,
  kind TEXT NOT NULL,
  body TEXT NOT NULL,
  reported_on TEXT NOT NULL,
  reporter_user_id BIGINT REFERENCES app_user (id),
  created_at BIGINT NOT NULL
);
CREATE INDEX finding_report_finding ON finding_report (finding_id, id);
CREATE TABLE finding_evidence (
  id {{id}},
  finding_id BIGINT NOT NULL REFERENCES finding (id),
  report_id BIGINT NOT NULL REFERENCES finding_report (id),
  name TEXT NOT NULL,
  content_type TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  size BIGINT NOT NULL,
  data {{blob}} NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX finding_evidence_finding ON finding_evidence (finding_id, id);
CREATE TABLE finding_verification (
  id {{id}},
  finding_id BIGINT NOT NULL REFERENCES finding (id),
  round BIGINT NOT NULL,
  verdict TEXT NOT NULL,
  note TEXT NOT NULL,
  verified_on TEXT NOT NULL,
  new_due_on TEXT,
  verifier_user_id BIGINT REFERENCES app_user (id),
  created_at BIGINT NOT NULL
);
CREATE INDEX finding_verification_finding ON finding_verification (finding_id, id);
CREATE TABLE finding_accountability (
  id {{id}},
  finding_id BIGINT NOT NULL REFERENCES finding (id),
  person_id BIGINT REFERENCES person (id),
  measure TEXT NOT NULL,
  note TEXT NOT NULL,
  decided_on TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX finding_accountability_finding ON finding_accountability (finding_id, id);
)sql"}};
}

}  // namespace jiandu::rectify
