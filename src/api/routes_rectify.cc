// /api/v1/findings and /api/v1/notifications: thin handlers over the rectification engine and
// the inbox.
#include "api/render.h"
#include "api/routes.h"

namespace jiandu::api {

Result<rectify::Deadline> ReadDeadline(JsonReader& d, const std::string& field) {
  rectify::Deadline out;
  JIANDU_ASSIGN_OR_RETURN(std::string unit, d.String("unit"));
  std::optional<rectify::DeadlineUnit> u = rectify::ParseDeadlineUnit(unit);
  if (!u) {
    return Status::InvalidArgument(field + ".unit",
                                   "must be working_days, calendar_days or months");
  }
  out.unit = *u;
  JIANDU_ASSIGN_OR_RETURN(std::optional<int> amount, d.OptInt("amount", 1, 3650));
  if (!amount) {
    return Status::InvalidArgument(field + ".amount", "is required");
  }
  out.amount = *amount;
  JIANDU_RETURN_IF_ERROR(d.Finish());
  return out;
}

namespace {

Result<HttpResponse> ListFindings(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(core::PageRequest page, c.Page());
  rectify::FindingFilter f;
  if (std::optional<std::string> s = c.Query("state")) {
    f.state = rectify::ParseFindingState(*s);
    if (!f.state) return Status::InvalidArgument("state", "unknown state");
  }
  if (std::optional<std::string> s = c.Query("source_kind")) {
    f.source_kind = rectify::ParseSourceKind(*s);
    if (!f.source_kind) return Status::InvalidArgument("source_kind", "unknown source kind");
  }
  f.source_ref = c.Query("source_ref");
  JIANDU_ASSIGN_OR_RETURN(f.responsible_org_id, c.QueryInt("org_id"));
  JIANDU_ASSIGN_OR_RETURN(std::optional<bool> overdue, c.QueryBool("overdue"));
  f.overdue_only = overdue.value_or(false);
  JIANDU_ASSIGN_OR_RETURN(core::Page<rectify::Finding> out,
                          c.app().findings().List(c.who(), f, page));
  return PageResponse(out.items, out.next_cursor);
}

Result<HttpResponse> OpenFinding(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(JsonReader body, c.Body());
  rectify::NewFinding in;
  JIANDU_ASSIGN_OR_RETURN(std::string kind, body.String("source_kind"));
  std::optional<rectify::SourceKind> k = rectify::ParseSourceKind(kind);
  if (!k) {
    return Status::InvalidArgument("source_kind", "must be inspection, warning, tip or case");
  }
  in.source_kind = *k;
  JIANDU_ASSIGN_OR_RETURN(in.source_ref, body.String("source_ref"));
  JIANDU_ASSIGN_OR_RETURN(in.title, body.String("title"));
  JIANDU_ASSIGN_OR_RETURN(std::optional<std::string> detail, body.OptString("detail"));
  in.detail = detail.value_or("");
  JIANDU_ASSIGN_OR_RETURN(std::optional<std::string> severity, body.OptString("severity"));
  if (severity) {
    std::optional<rectify::Severity> s = rectify::ParseSeverity(*severity);
    if (!s) return Status::InvalidArgument("severity", "must be low, medium or high");
    in.severity = *s;
  }
  JIANDU_ASSIGN_OR_RETURN(in.responsible_org_id, body.Int("responsible_org_id"));
  JIANDU_ASSIGN_OR_RETURN(in.responsible_person_id, body.OptInt64("responsible_person_id"));
  JIANDU_ASSIGN_OR_RETURN(in.supervising_org_id, body.Int("supervising_org_id"));
  JIANDU_ASSIGN_OR_RETURN(std::optional<JsonReader> deadline, body.OptObject("deadline"));
  if (!deadline) return Status::InvalidArgument("deadline", "is required");
  JIANDU_ASSIGN_OR_RETURN(in.deadline, ReadDeadline(*deadline, "deadline"));
  JIANDU_ASSIGN_OR_RETURN(in.opened_on, OptDate(body, "opened_on"));
  JIANDU_RETURN_IF_ERROR(body.Finish());
  JIANDU_ASSIGN_OR_RETURN(rectify::Finding f, c.app().findings().Open(c.who(), in));
  return RecordResponse(f, 201);
}

Result<HttpResponse> GetFinding(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(int64_t id, c.PathId("id"));
  JIANDU_ASSIGN_OR_RETURN(rectify::FindingDetail d, c.app().findings().Get(c.who(), id));
  return RecordResponse(d);
}

Result<HttpResponse> ReportFinding(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(int64_t id, c.PathId("id"));
  JIANDU_ASSIGN_OR_RETURN(JsonReader body, c.Body());
  rectify::NewReport in;
  JIANDU_ASSIGN_OR_RETURN(std::string kind, body.String("kind"));
  std::optional<rectify::ReportKind> k = rectify::ParseReportKind(kind);
  if (!k) return Status::InvalidArgument("kind", "must be plan, progress or final");
  in.kind = *k;
  JIANDU_ASSIGN_OR_RETURN(in.body, body.String("body"));
  JIANDU_ASSIGN_OR_RETURN(in.version, body.OptInt64("version"));
  JIANDU_RETURN_IF_ERROR(body.Finish());
  JIANDU_ASSIGN_OR_RETURN(rectify::FindingReport r, c.app().findings().Report(c.who(), id, in));
  return RecordResponse(r, 201);
}

Result<HttpResponse> UploadEvidence(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(int64_t id, c.PathId("id"));
  JIANDU_ASSIGN_OR_RETURN(int64_t report_id, c.PathId("report_id"));
  rectify::NewEvidence in;
  std::optional<std::string> name = c.Query("name");
  if (!name) return Status::InvalidArgument("name", "give the file name as ?name=");
  in.name = *name;
  std::string_view type = c.req().Header("content-type");
  in.content_type = std::string(type.substr(0, type.find(';')));
  in.data = c.req().body;
  JIANDU_ASSIGN_OR_RETURN(rectify::EvidenceFile f,
                          c.app().findings().AttachEvidence(c.who(), id, report_id, in));
  return RecordResponse(f, 201);
}

Result<HttpResponse> DownloadEvidence(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(int64_t id, c.PathId("id"));
  JIANDU_ASSIGN_OR_RETURN(int64_t file_id, c.PathId("file_id"));
  JIANDU_ASSIGN_OR_RETURN(auto file, c.app().findings().ReadEvidence(c.who(), id, file_id));
  HttpResponse r;
  r.status = 200;
  r.content_type = file.first.content_type;
  r.body = std::move(file.second);
  // Served as a download, never rendered in the application's origin.
  r.headers.emplace_back("Content-Disposition",
                         "attachment; filename=\"evidence-" + std::to_string(file_id) + "\"");
  r.headers.emplace_back("Cache-Control", "private, no-store");
  return r;
}

Result<HttpResponse> VerifyFinding(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(int64_t id, c.PathId("id"));
  JIANDU_ASSIGN_OR_RETURN(JsonReader body, c.Body());
  rectify::NewVerification in;
  JIANDU_ASSIGN_OR_RETURN(std::string verdict, body.String("verdict"));
  std::optional<rectify::Verdict> v = rectify::ParseVerdict(verdict);
  if (!v) {
    return Status::InvalidArgument("verdict",
                                   "must be eliminated, partly_eliminated or not_eliminated");
  }
  in.verdict = *v;
  JIANDU_ASSIGN_OR_RETURN(in.note, body.String("note"));
  JIANDU_ASSIGN_OR_RETURN(std::optional<JsonReader> deadline, body.OptObject("new_deadline"));
  if (deadline) {
    JIANDU_ASSIGN_OR_RETURN(in.new_deadline, ReadDeadline(*deadline, "new_deadline"));
  }
  JIANDU_ASSIGN_OR_RETURN(in.version, body.OptInt64("version"));
  JIANDU_RETURN_IF_ERROR(body.Finish());
  JIANDU_ASSIGN_OR_RETURN(rectify::Finding f, c.app().findings().Verify(c.who(), id, in));
  return RecordResponse(f);
}

Result<HttpResponse> AddAccountability(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(int64_t id, c.PathId("id"));
  JIANDU_ASSIGN_OR_RETURN(JsonReader body, c.Body());
  rectify::NewAccountability in;
  JIANDU_ASSIGN_OR_RETURN(in.person_id, body.OptInt64("person_id"));
  JIANDU_ASSIGN_OR_RETURN(in.measure, body.String("measure"));
  JIANDU_ASSIGN_OR_RETURN(std::optional<std::string> note, body.OptString("note"));
  in.note = note.value_or("");
  JIANDU_ASSIGN_OR_RETURN(in.decided_on, OptDate(body, "decided_on"));
  JIANDU_RETURN_IF_ERROR(body.Finish());
  JIANDU_ASSIGN_OR_RETURN(rectify::AccountabilityRecord a,
                          c.app().findings().AddAccountability(c.who(), id, in));
  return RecordResponse(a, 201);
}

Result<HttpResponse> SweepFindings(Context& c) {
  JIANDU_RETURN_IF_ERROR(auth::AuthorizeAction(c.who(), auth::Permission::kFindingWrite));
  JIANDU_ASSIGN_OR_RETURN(JsonReader body, c.Body());
  JIANDU_RETURN_IF_ERROR(body.Finish());
  JIANDU_ASSIGN_OR_RETURN(rectify::SweepResult r, c.app().findings().SweepOverdue());
  JsonWriter w;
  w.BeginObject()
      .Field("overdue", r.overdue)
      .Field("due_soon", r.due_soon)
      .Field("escalated", r.escalated)
      .Field("notified", r.notified)
      .EndObject();
  return HttpResponse::Json(200, w.Take());
}

Result<HttpResponse> ListNotifications(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(core::PageRequest page, c.Page());
  JIANDU_ASSIGN_OR_RETURN(std::optional<bool> unread, c.QueryBool("unread"));
  JIANDU_ASSIGN_OR_RETURN(core::Page<notify::Notification> out,
                          c.app().inbox().List(c.who(), unread.value_or(false), page));
  return PageResponse(out.items, out.next_cursor);
}

Result<HttpResponse> CountNotifications(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(int64_t n, c.app().inbox().UnreadCount(c.who()));
  JsonWriter w;
  w.BeginObject().Field("unread", n).EndObject();
  return HttpResponse::Json(200, w.Take());
}

Result<HttpResponse> ReadNotification(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(int64_t id, c.PathId("id"));
  JIANDU_ASSIGN_OR_RETURN(JsonReader body, c.Body());
  JIANDU_RETURN_IF_ERROR(body.Finish());
  JIANDU_RETURN_IF_ERROR(c.app().inbox().MarkRead(c.who(), id));
  return HttpResponse::NoContent();
}

Result<HttpResponse> ReadAllNotifications(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(JsonReader body, c.Body());
  JIANDU_RETURN_IF_ERROR(body.Finish());
  JIANDU_ASSIGN_OR_RETURN(int64_t n, c.app().inbox().MarkAllRead(c.who()));
  JsonWriter w;
  w.BeginObject().Field("marked", n).EndObject();
  return HttpResponse::Json(200, w.Take());
}

}  // namespace

void AddRectifyRoutes(Router& r) {
  const std::string v1 = "/api/v1";
  r.Add("GET", v1 + "/findings",
        {.summary = "Findings in scope, newest first", .tag = "rectification",
         .permission = "finding.read", .response_schema = "Finding", .paged = true,
         .query = WithPaging({{"state", "string", "open, rectifying, reported or closed"},
                              {"source_kind", "string", "review_opinion, inspection, ..."},
                              {"source_ref", "string", "one source, e.g. review:12"},
                              {"org_id", "integer", "responsible organisation or below"},
                              {"overdue", "boolean", "only overdue findings"}})},
        ListFindings);
  r.Add("POST", v1 + "/findings",
        {.summary = "Open a finding (inspection, warning, tip or case)", .tag = "rectification",
         .permission = "finding.write", .request_schema = "NewFinding",
         .response_schema = "Finding", .success_status = 201},
        OpenFinding);
  r.Add("POST", v1 + "/findings/sweep",
        {.summary = "Notify due and overdue findings and escalate (also run hourly)",
         .tag = "rectification", .permission = "finding.write", .request_schema = "Empty",
         .response_schema = "SweepResult"},
        SweepFindings);
  r.Add("GET", v1 + "/findings/{id}",
        {.summary = "A finding with its reports, verifications and accountability",
         .tag = "rectification", .permission = "finding.read",
         .response_schema = "FindingDetail"},
        GetFinding);
  r.Add("POST", v1 + "/findings/{id}/reports",
        {.summary = "Report a plan, progress or the final rectification report",
         .tag = "rectification", .permission = "finding.report",
         .request_schema = "NewFindingReport", .response_schema = "FindingReport",
         .success_status = 201},
        ReportFinding);
  r.Add("POST", v1 + "/findings/{id}/reports/{report_id}/evidence",
        {.summary = "Attach an evidence file (raw body: JPEG, PNG, PDF or Office, ≤ 8 MiB)",
         .tag = "rectification", .permission = "finding.report",
         .response_schema = "EvidenceFile", .success_status = 201,
         .query = {{"name", "string", "the file name (required)"}}, .upload = true},
        UploadEvidence);
  r.Add("GET", v1 + "/findings/{id}/evidence/{file_id}",
        {.summary = "Download an evidence file", .tag = "rectification",
         .permission = "finding.read", .binary_response = true},
        DownloadEvidence);
  r.Add("POST", v1 + "/findings/{id}/verify",
        {.summary = "回头看: verdict on a reported finding", .tag = "rectification",
         .permission = "finding.write", .request_schema = "FindingVerification",
         .response_schema = "Finding"},
        VerifyFinding);
  r.Add("POST", v1 + "/findings/{id}/accountability",
        {.summary = "Record an accountability measure (问责)", .tag = "rectification",
         .permission = "finding.write", .request_schema = "NewAccountability",
         .response_schema = "Accountability", .success_status = 201},
        AddAccountability);

  r.Add("GET", v1 + "/notifications",
        {.summary = "The caller's notifications, newest first", .tag = "notifications",
         .permission = "session", .response_schema = "Notification", .paged = true,
         .query = WithPaging({{"unread", "boolean", "only unread ones"}})},
        ListNotifications);
  r.Add("GET", v1 + "/notifications/count",
        {.summary = "Number of unread notifications", .tag = "notifications",
         .permission = "session", .response_schema = "UnreadCount"},
        CountNotifications);
  r.Add("POST", v1 + "/notifications/read-all",
        {.summary = "Mark every notification read", .tag = "notifications",
         .permission = "session", .request_schema = "Empty", .response_schema = "Marked"},
        ReadAllNotifications);
  r.Add("POST", v1 + "/notifications/{id}/read",
        {.summary = "Mark one notification read", .tag = "notifications", .permission = "session",
         .request_schema = "Empty", .success_status = 204},
        ReadNotification);
}

}  // namespace jiandu::api
