// /api/v1/datasets, /dataset-versions, /rules, /rule-runs and /warnings: thin handlers over the
// monitoring service (issue 5). Uploads are raw bodies (the file's bytes) with the metadata in
// the query, as for evidence files.
#include "api/render.h"
#include "api/routes.h"
#include "monitor/engine/rule_library.h"
#include "monitor/import/schema_toml.h"
#include "monitor/service/monitor_service.h"
#include "publish/spreadsheet.h"

namespace jiandu::api {

void Write(JsonWriter& w, const monitor::DatasetVersion& v) {
  w.BeginObject()
      .Field("id", v.id)
      .Field("dataset", v.dataset)
      .Field("version", v.version)
      .Field("org_id", v.org_id)
      .Field("file_name", v.file_name)
      .Field("format", v.format)
      .Field("encoding", v.encoding)
      .Field("sha256", v.sha256_hex)
      .Field("mode", v.mode)
      .Field("bytes", v.bytes)
      .Field("rows", v.rows)
      .Field("bad_rows", v.bad_rows)
      .Field("imported_by", v.imported_by)
      .Field("imported_at", v.imported_at)
      .EndObject();
}

void Write(JsonWriter& w, const monitor::RowError& e) {
  w.BeginObject()
      .Field("line", e.line)
      .Field("column", e.column)
      .Field("reason", e.reason)
      .EndObject();
}

void Write(JsonWriter& w, const monitor::WarningRecord& r) {
  w.BeginObject()
      .Field("id", r.id)
      .Field("rule_id", r.rule_id)
      .Field("rule_version", r.rule_version)
      .Field("rule_title", r.rule_title)
      .Field("level", r.level)
      .Field("stable_key", r.stable_key)
      .Field("org_id", r.org_id)
      .Field("org_name", r.org_name)
      .Field("summary", r.summary);
  w.Key("subjects").BeginArray();
  for (const monitor::WarningSubject& s : r.subjects) {
    w.BeginObject().Field("role", s.role).Field("value", s.value).EndObject();
  }
  w.EndArray();
  w.Key("evidence").Raw(r.evidence_json.empty() ? "{}" : r.evidence_json);
  w.Field("state", monitor::Code(r.state))
      .Field("assignee_user_id", r.assignee_user_id)
      .Field("reason", r.reason)
      .Field("finding_id", r.finding_id)
      .Field("first_run_id", r.first_run_id)
      .Field("last_run_id", r.last_run_id)
      .Field("times_seen", r.times_seen)
      .Field("created_at", r.created_at)
      .Field("updated_at", r.updated_at)
      .EndObject();
}

void Write(JsonWriter& w, const monitor::RuleInfo& i) {
  const monitor::Rule& r = i.rule;
  w.BeginObject()
      .Field("id", r.id)
      .Field("version", r.version)
      .Field("title", r.title)
      .Field("legal_basis", r.legal_basis)
      .Field("level", monitor::WarningLevelName(r.level))
      .Field("owner", r.owner)
      .Field("kind", monitor::RuleKindName(r.kind));
  w.Key("datasets").BeginArray();
  for (const monitor::RuleInput& in : r.inputs) w.String(in.dataset);
  w.EndArray();
  w.Field("source", i.custom ? "custom" : "builtin")
      .Field("enabled", i.enabled)
      .Field("toml", i.toml)
      .EndObject();
}

void Write(JsonWriter& w, const monitor::WarningStat& s) {
  w.BeginObject()
      .Field("org_id", s.org_id)
      .Field("org_name", s.org_name)
      .Field("rule_id", s.rule_id)
      .Field("level", s.level)
      .Field("state", s.state)
      .Field("month", s.month)
      .Field("count", s.count)
      .EndObject();
}

namespace {

Result<HttpResponse> ListDatasets(Context& c) {
  JIANDU_RETURN_IF_ERROR(auth::AuthorizeAction(c.who(), auth::Permission::kDatasetRead));
  JsonWriter w;
  w.BeginObject().Key("items").BeginArray();
  for (std::string_view name : monitor::BuiltinSchemaNames()) {
    const monitor::DatasetSchema* schema = monitor::FindBuiltinSchema(name);
    if (schema == nullptr) {
      return Status::Internal("built-in schema failed to load: " + std::string(name));
    }
    const monitor::DatasetSchema& s = *schema;
    w.BeginObject().Field("name", s.name).Field("title", s.title);
    w.Key("columns").BeginArray();
    for (const monitor::ColumnSpec& col : s.columns) {
      w.BeginObject()
          .Field("name", col.name)
          .Field("title", col.title)
          .Field("type", monitor::ColumnTypeName(col.type))
          .Field("required", col.required)
          .EndObject();
    }
    w.EndArray().EndObject();
  }
  w.EndArray().EndObject();
  return HttpResponse::Json(200, w.Take());
}


Result<HttpResponse> ImportDataset(Context& c) {
  monitor::ImportRequest in;
  std::optional<std::string> dataset = c.Query("dataset");
  if (!dataset) return Status::InvalidArgument("dataset", "give the dataset as ?dataset=");
  in.dataset = *dataset;
  JIANDU_ASSIGN_OR_RETURN(in.org_id, c.RequiredQueryInt("org_id"));
  std::optional<std::string> name = c.Query("name");
  if (!name) return Status::InvalidArgument("name", "give the file name as ?name=");
  in.file_name = *name;
  std::optional<std::string> mode = c.Query("mode");
  if (mode && *mode != "reject" && *mode != "quarantine") {
    return Status::InvalidArgument("mode", "must be reject or quarantine");
  }
  in.options.mode = mode == "quarantine" ? monitor::ImportMode::kQuarantine
                                         : monitor::ImportMode::kReject;
  in.options.encoding = c.Query("encoding").value_or("");
  in.options.sheet = c.Query("sheet").value_or("");
  if (std::optional<std::string> format = c.Query("format")) {
    Result<monitor::FileFormat> f = monitor::ParseFileFormat(*format);
    if (!f.ok()) return Status::InvalidArgument("format", f.status().message());
    in.options.format = *f;
  }
  in.bytes = c.req().body;
  monitor::ImportReport report;
  JIANDU_ASSIGN_OR_RETURN(monitor::DatasetVersion v,
                          c.app().monitor().Import(c.who(), in, &report));
  return RecordResponse(v, 201);
}

Result<HttpResponse> ListVersions(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(std::optional<int64_t> org, c.QueryInt("org_id"));
  JIANDU_ASSIGN_OR_RETURN(std::vector<monitor::DatasetVersion> v,
                          c.app().monitor().ListVersions(c.who(), org));
  return PageResponse(v);
}

Result<HttpResponse> VersionErrors(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(int64_t id, c.PathId("id"));
  JIANDU_ASSIGN_OR_RETURN(std::vector<monitor::RowError> e,
                          c.app().monitor().VersionErrors(c.who(), id));
  return PageResponse(e);
}

Result<HttpResponse> ListRules(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(std::optional<int64_t> org, c.QueryInt("org_id"));
  JIANDU_ASSIGN_OR_RETURN(std::vector<monitor::RuleInfo> rules,
                          c.app().monitor().ListRules(c.who(), org.value_or(c.who().org_id)));
  return PageResponse(rules);
}

Result<HttpResponse> SaveRule(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(JsonReader body, c.Body());
  JIANDU_ASSIGN_OR_RETURN(int64_t org, body.Int("org_id"));
  JIANDU_ASSIGN_OR_RETURN(std::string toml, body.String("toml"));
  JIANDU_RETURN_IF_ERROR(body.Finish());
  JIANDU_ASSIGN_OR_RETURN(monitor::RuleInfo r, c.app().monitor().SaveRule(c.who(), org, toml));
  return RecordResponse(r, 201);
}

Result<HttpResponse> SetRuleEnabled(Context& c) {
  const std::string id = c.PathParam("id");
  JIANDU_ASSIGN_OR_RETURN(JsonReader body, c.Body());
  JIANDU_ASSIGN_OR_RETURN(int64_t org, body.Int("org_id"));
  JIANDU_ASSIGN_OR_RETURN(std::optional<bool> enabled, body.OptBool("enabled"));
  if (!enabled) return Status::InvalidArgument("enabled", "is required (true or false)");
  JIANDU_RETURN_IF_ERROR(body.Finish());
  JIANDU_ASSIGN_OR_RETURN(monitor::RuleInfo r,
                          c.app().monitor().SetRuleEnabled(c.who(), org, id, *enabled));
  return RecordResponse(r);
}

Result<HttpResponse> RunRules(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(JsonReader body, c.Body());
  JIANDU_ASSIGN_OR_RETURN(int64_t org, body.Int("org_id"));
  JIANDU_ASSIGN_OR_RETURN(std::vector<std::string> rules, body.StringArray("rules"));
  JIANDU_RETURN_IF_ERROR(body.Finish());
  JIANDU_ASSIGN_OR_RETURN(monitor::RunSummary s, c.app().monitor().RunRules(c.who(), org, rules));
  JsonWriter w;
  w.BeginObject()
      .Field("run_id", s.run_id)
      .Field("org_id", s.org_id)
      .Field("raised", s.raised)
      .Field("fresh", s.fresh)
      .Field("elapsed_ms", s.elapsed_ms);
  w.Key("rules").BeginArray();
  for (const monitor::RuleRunCount& r : s.rules) {
    w.BeginObject()
        .Field("rule_id", r.rule_id)
        .Field("raised", r.raised)
        .Field("fresh", r.fresh)
        .EndObject();
  }
  w.EndArray().Key("skipped").BeginArray();
  for (const std::string& skipped : s.skipped) w.String(skipped);
  w.EndArray().EndObject();
  return HttpResponse::Json(201, w.Take());
}

Result<monitor::WarningFilter> ReadFilter(Context& c) {
  monitor::WarningFilter f;
  JIANDU_ASSIGN_OR_RETURN(f.org_id, c.QueryInt("org_id"));
  f.rule_id = c.Query("rule_id");
  f.level = c.Query("level");
  if (f.level && *f.level != "red" && *f.level != "orange" && *f.level != "yellow" &&
      *f.level != "info") {
    return Status::InvalidArgument("level", "must be red, orange, yellow or info");
  }
  if (std::optional<std::string> s = c.Query("state")) {
    f.state = monitor::ParseWarningState(*s);
    if (!f.state) return Status::InvalidArgument("state", "must be new, assigned, verified or dismissed");
  }
  return f;
}

Result<HttpResponse> ListWarnings(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(monitor::WarningFilter f, ReadFilter(c));
  JIANDU_ASSIGN_OR_RETURN(core::PageRequest page, c.Page());
  f.limit = page.limit;
  if (page.after) f.cursor = core::EncodeCursor(*page.after);
  JIANDU_ASSIGN_OR_RETURN(core::Page<monitor::WarningRecord> out,
                          c.app().monitor().ListWarnings(c.who(), f));
  return PageResponse(out.items, out.next_cursor);
}

Result<HttpResponse> GetWarning(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(int64_t id, c.PathId("id"));
  JIANDU_ASSIGN_OR_RETURN(monitor::WarningRecord w, c.app().monitor().GetWarning(c.who(), id));
  return RecordResponse(w);
}

Result<HttpResponse> WarningStats(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(std::optional<int64_t> org, c.QueryInt("org_id"));
  JIANDU_ASSIGN_OR_RETURN(monitor::WarningStats s, c.app().monitor().Stats(c.who(), org));
  JsonWriter w;
  w.BeginObject().Field("org_id", s.org_id).Field("org_name", s.org_name);
  w.Key("items").BeginArray();
  for (const monitor::WarningStat& item : s.items) Write(w, item);
  w.EndArray().EndObject();
  return HttpResponse::Json(200, w.Take());
}

Result<HttpResponse> AssignWarning(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(int64_t id, c.PathId("id"));
  JIANDU_ASSIGN_OR_RETURN(JsonReader body, c.Body());
  JIANDU_ASSIGN_OR_RETURN(int64_t user, body.Int("user_id"));
  JIANDU_RETURN_IF_ERROR(body.Finish());
  JIANDU_ASSIGN_OR_RETURN(monitor::WarningRecord w, c.app().monitor().Assign(c.who(), id, user));
  return RecordResponse(w);
}

Result<HttpResponse> DismissWarning(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(int64_t id, c.PathId("id"));
  JIANDU_ASSIGN_OR_RETURN(JsonReader body, c.Body());
  JIANDU_ASSIGN_OR_RETURN(std::string reason, body.String("reason"));
  JIANDU_RETURN_IF_ERROR(body.Finish());
  JIANDU_ASSIGN_OR_RETURN(monitor::WarningRecord w,
                          c.app().monitor().Dismiss(c.who(), id, reason));
  return RecordResponse(w);
}

Result<HttpResponse> VerifyWarning(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(int64_t id, c.PathId("id"));
  JIANDU_ASSIGN_OR_RETURN(JsonReader body, c.Body());
  monitor::VerifyRequest in;
  JIANDU_ASSIGN_OR_RETURN(in.note, body.String("note"));
  JIANDU_ASSIGN_OR_RETURN(in.responsible_org_id, body.OptInt64("responsible_org_id"));
  JIANDU_ASSIGN_OR_RETURN(std::optional<JsonReader> deadline, body.OptObject("deadline"));
  if (deadline) {
    JIANDU_ASSIGN_OR_RETURN(in.deadline, ReadDeadline(*deadline, "deadline"));
  }
  JIANDU_RETURN_IF_ERROR(body.Finish());
  JIANDU_ASSIGN_OR_RETURN(monitor::WarningRecord w, c.app().monitor().Verify(c.who(), id, in));
  return RecordResponse(w);
}

Result<HttpResponse> ExportWarnings(Context& c) {
  JIANDU_ASSIGN_OR_RETURN(monitor::WarningFilter f, ReadFilter(c));
  using publish::Cell;
  publish::Sheet sheet{"预警", {"编号", "组织", "规则", "规则名称", "等级", "状态", "摘要",
                                "涉及对象", "首次预警", "预警次数"}, {}};
  f.limit = core::kMaxPageSize;
  for (size_t pages = 0; pages < 500; ++pages) {  // at most 100,000 rows
    JIANDU_ASSIGN_OR_RETURN(core::Page<monitor::WarningRecord> p,
                            c.app().monitor().ListWarnings(c.who(), f));
    for (const monitor::WarningRecord& w : p.items) {
      std::string subjects;
      for (const monitor::WarningSubject& s : w.subjects) {
        subjects += (subjects.empty() ? "" : "; ") + s.role + " " + s.value;
      }
      sheet.rows.push_back({Cell::Number(static_cast<double>(w.id)), Cell::Text(w.org_name),
                            Cell::Text(w.rule_id),
                            Cell::Text(w.rule_title), Cell::Text(w.level),
                            Cell::Text(std::string(monitor::Code(w.state))), Cell::Text(w.summary),
                            Cell::Text(subjects), Cell::Text(w.created_at),
                            Cell::Number(static_cast<double>(w.times_seen))});
    }
    if (!p.next_cursor) break;
    f.cursor = p.next_cursor;
  }
  JIANDU_ASSIGN_OR_RETURN(std::string xlsx, publish::WriteXlsx({sheet}));
  HttpResponse r;
  r.status = 200;
  r.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  r.body = std::move(xlsx);
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"warnings.xlsx\"");
  r.headers.emplace_back("Cache-Control", "private, no-store");
  return r;
}

}  // namespace

void AddMonitorRoutes(Router& r) {
  const std::string v1 = "/api/v1";
  r.Add("GET", v1 + "/datasets",
        {.summary = "The built-in dataset schemas", .tag = "monitor",
         .permission = "dataset.read", .response_schema = "DatasetSchema", .paged = true},
        ListDatasets);
  r.Add("GET", v1 + "/dataset-versions",
        {.summary = "Imported dataset versions in scope, newest first", .tag = "monitor",
         .permission = "dataset.read", .response_schema = "DatasetVersion", .paged = true,
         .query = {{"org_id", "integer", "one organisation only"}}},
        ListVersions);
  r.Add("POST", v1 + "/dataset-versions",
        {.summary = "Import a dataset file (CSV, XLSX or JSON lines) as a new version",
         .tag = "monitor", .permission = "dataset.import", .response_schema = "DatasetVersion",
         .success_status = 201,
         .query = {{"dataset", "string", "dataset name (required)"},
                   {"org_id", "integer", "organisation the data belongs to (required)"},
                   {"name", "string", "the file name (required)"},
                   {"mode", "string", "reject (default) or quarantine"},
                   {"encoding", "string", "utf-8 or gb18030 (default: detected)"},
                   {"format", "string", "csv, xlsx or jsonl (default: detected)"},
                   {"sheet", "string", "XLSX sheet (default: the first)"}},
         .upload = true, .upload_limit = kDatasetUploadLimit},
        ImportDataset);
  r.Add("GET", v1 + "/dataset-versions/{id}/errors",
        {.summary = "The quarantined rows of a version, with line, column and reason",
         .tag = "monitor", .permission = "dataset.read", .response_schema = "RowError",
         .paged = true},
        VersionErrors);
  r.Add("GET", v1 + "/rules",
        {.summary = "The comparison rules of an organisation: built-in and its own",
         .tag = "monitor", .permission = "rule.run", .response_schema = "Rule", .paged = true,
         .query = {{"org_id", "integer", "the organisation (default: the caller's)"}}},
        ListRules);
  r.Add("POST", v1 + "/rules",
        {.summary = "Add or replace an organisation's own rule (TOML rule format)",
         .tag = "monitor", .permission = "rule.run", .request_schema = "RuleSaveRequest",
         .response_schema = "Rule", .success_status = 201},
        SaveRule);
  r.Add("POST", v1 + "/rules/{id}/enabled",
        {.summary = "Enable or disable a rule for an organisation", .tag = "monitor",
         .permission = "rule.run", .request_schema = "RuleEnableRequest",
         .response_schema = "Rule"},
        SetRuleEnabled);
  r.Add("POST", v1 + "/rule-runs",
        {.summary = "Run rules over an organisation's latest dataset versions", .tag = "monitor",
         .permission = "rule.run", .request_schema = "RuleRunRequest",
         .response_schema = "RuleRun", .success_status = 201},
        RunRules);
  r.Add("GET", v1 + "/warnings",
        {.summary = "Warnings in scope, newest first", .tag = "monitor",
         .permission = "warning.read", .response_schema = "Warning", .paged = true,
         .query = WithPaging({{"org_id", "integer", "this organisation and those below it"},
                              {"rule_id", "string", "one rule only"},
                              {"level", "string", "red, orange, yellow or info"},
                              {"state", "string", "new, assigned, verified or dismissed"}})},
        ListWarnings);
  r.Add("GET", v1 + "/warnings/stats",
        {.summary = "Warning counts by organisation (one level down), rule, level, state and month",
         .tag = "monitor", .permission = "warning.read", .response_schema = "WarningStats",
         .query = {{"org_id", "integer",
                    "the organisation viewed (default: the caller's); its subtree is counted"}}},
        WarningStats);
  r.Add("GET", v1 + "/warnings/export",
        {.summary = "Warnings as an XLSX file (formulas neutralised)", .tag = "monitor",
         .permission = "warning.read",
         .query = {{"org_id", "integer", "one organisation only"},
                   {"rule_id", "string", "one rule only"},
                   {"level", "string", "red, orange, yellow or info"},
                   {"state", "string", "new, assigned, verified or dismissed"}},
         .binary_response = true},
        ExportWarnings);
  r.Add("GET", v1 + "/warnings/{id}",
        {.summary = "One warning", .tag = "monitor", .permission = "warning.read",
         .response_schema = "Warning"},
        GetWarning);
  r.Add("POST", v1 + "/warnings/{id}/assign",
        {.summary = "Assign a warning to a user of its organisation or below", .tag = "monitor",
         .permission = "warning.write", .request_schema = "AssignRequest",
         .response_schema = "Warning"},
        AssignWarning);
  r.Add("POST", v1 + "/warnings/{id}/dismiss",
        {.summary = "Dismiss a warning with a reason", .tag = "monitor",
         .permission = "warning.write", .request_schema = "DismissRequest",
         .response_schema = "Warning"},
        DismissWarning);
  r.Add("POST", v1 + "/warnings/{id}/verify",
        {.summary = "Confirm a warning; optionally open a rectification finding", .tag = "monitor",
         .permission = "warning.write", .request_schema = "VerifyWarningRequest",
         .response_schema = "Warning"},
        VerifyWarning);
}

}  // namespace jiandu::api
