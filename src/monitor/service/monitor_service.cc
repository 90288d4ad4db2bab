#include "monitor/service/monitor_service.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <map>
#include <tuple>
#include <set>

#include "core/civil_date.h"
#include "core/code_table.h"
#include "core/sha256.h"
#include "core/text.h"
#include "monitor/engine/native_executor.h"
#include "monitor/engine/rule.h"
#include "monitor/engine/rule_library.h"
#include "monitor/import/schema_toml.h"
#include "registry/org_service.h"
#include "registry/validate.h"

namespace jiandu::monitor {
namespace {

constexpr std::pair<WarningState, std::string_view> kStates[] = {
    {WarningState::kNew, "new"},
    {WarningState::kAssigned, "assigned"},
    {WarningState::kVerified, "verified"},
    {WarningState::kDismissed, "dismissed"},
};

// At most this many evidence rows per dataset are stored with a warning (and the total).
constexpr size_t kEvidenceRowsKept = 20;

std::string KeyValueText(const KeyValue& v) {
  if (v.null) return "";
  switch (v.type) {
    case ColumnType::kIdNumber:
      return IdNumberText(v.number);
    case ColumnType::kDate:
      return core::CivilDate::FromDayNumber(static_cast<int32_t>(v.number)).ToString();
    case ColumnType::kMoney: {
      int64_t fen = v.number < 0 ? -v.number : v.number;
      char buf[48];
      std::snprintf(buf, sizeof buf, "%s%lld.%02lld", v.number < 0 ? "-" : "",
                    static_cast<long long>(fen / 100), static_cast<long long>(fen % 100));
      return buf;
    }
    case ColumnType::kInt:
      return std::to_string(v.number);
    default:
      return v.text;
  }
}

// Subjects are stored one per line as "role\ttype\tvalue" (values in full; masked on read).
std::string EncodeSubjects(const std::vector<Subject>& subjects) {
  std::string out;
  for (const Subject& s : subjects) {
    std::string value = KeyValueText(s.value);
    std::replace(value.begin(), value.end(), '\t', ' ');
    std::replace(value.begin(), value.end(), '\n', ' ');
    out += s.role + "\t" + std::string(ColumnTypeName(s.value.type)) + "\t" + value + "\n";
  }
  return out;
}

std::vector<WarningSubject> DecodeSubjects(std::string_view text, bool reveal) {
  std::vector<WarningSubject> out;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    size_t t1 = line.find('\t');
    size_t t2 = t1 == std::string_view::npos ? t1 : line.find('\t', t1 + 1);
    if (t2 == std::string_view::npos) continue;
    std::string_view type = line.substr(t1 + 1, t2 - t1 - 1);
    std::string value(line.substr(t2 + 1));
    if (!reveal && type == "id_number") value = core::MaskIdNumber(value);
    out.push_back({std::string(line.substr(0, t1)), std::move(value)});
  }
  return out;
}

std::string EncodeEvidence(const std::vector<Evidence>& evidence) {
  std::string out = "{";
  for (const Evidence& e : evidence) {
    if (out.size() > 1) out += ",";
    out += "\"" + e.dataset + "\":{\"rows\":[";
    for (size_t i = 0; i < e.rows.size() && i < kEvidenceRowsKept; ++i) {
      out += (i ? "," : "") + std::to_string(e.rows[i] + 1);  // 1-based imported row
    }
    out += "],\"total\":" + std::to_string(e.rows.size()) + "}";
  }
  return out + "}";
}

constexpr char kWarningColumns[] =
    "w.id, w.rule_id, w.rule_version, w.rule_title, w.level, w.stable_key, w.org_id, o.path, "
    "w.summary, w.subjects, w.evidence, w.state, w.assignee_user_id, w.reason, w.finding_id, "
    "w.first_run_id, w.last_run_id, w.times_seen, w.created_at, w.updated_at, o.name";

WarningRecord WarningFromRow(const store::Row& r, bool reveal) {
  WarningRecord w;
  w.id = r.Int(0);
  w.rule_id = r.Text(1);
  w.rule_version = r.Int(2);
  w.rule_title = r.Text(3);
  w.level = r.Text(4);
  w.stable_key = r.Text(5);
  w.org_id = r.Int(6);
  w.org_path = r.Text(7);
  w.summary = r.Text(8);
  w.subjects = DecodeSubjects(r.Text(9), reveal);
  w.evidence_json = r.Text(10);
  w.state = ParseWarningState(r.Text(11)).value_or(WarningState::kNew);
  w.assignee_user_id = r.OptInt(12);
  w.reason = r.Text(13);
  w.finding_id = r.OptInt(14);
  w.first_run_id = r.Int(15);
  w.last_run_id = r.Int(16);
  w.times_seen = r.Int(17);
  w.created_at = r.Text(18);
  w.updated_at = r.Text(19);
  w.org_name = r.Text(20);
  return w;
}

bool MayReveal(const auth::Principal& who) {
  return auth::AuthorizeAction(who, auth::Permission::kPersonReveal).ok();
}

DatasetVersion VersionFromRow(const store::Row& r) {
  DatasetVersion v;
  v.id = r.Int(0);
  v.dataset = r.Text(1);
  v.version = r.Int(2);
  v.org_id = r.Int(3);
  v.file_name = r.Text(4);
  v.format = r.Text(5);
  v.encoding = r.Text(6);
  v.sha256_hex = r.Text(7);
  v.mode = r.Text(8);
  v.bytes = r.Int(9);
  v.rows = r.Int(10);
  v.bad_rows = r.Int(11);
  v.imported_by = r.Int(12);
  v.imported_at = r.Text(13);
  return v;
}

constexpr char kVersionColumns[] =
    "v.id, v.dataset, v.version, v.org_id, v.file_name, v.format, v.encoding, v.sha256, v.mode, "
    "v.byte_count, v.row_count, v.bad_rows, v.imported_by, v.imported_at";

// The organisation `org_id` if `who` may do `action` in it. An organisation that is missing or
// out of scope is not_found when it was named in the URL (`field` empty), and invalid_argument
// naming `field` when a request body named it — the same answer either way, so nothing leaks.
Result<registry::Org> OrgInScope(store::Tx& tx, const auth::Principal& who, int64_t org_id,
                                 auth::Permission action, std::string_view field) {
  JIANDU_RETURN_IF_ERROR(auth::AuthorizeAction(who, action));
  auto missing = [&] {
    return field.empty() ? Status::NotFound(auth::kNoSuchRecord)
                         : Status::InvalidArgument(field, "no such organisation");
  };
  JIANDU_ASSIGN_OR_RETURN(std::optional<registry::Org> org, registry::OrgService::Load(tx, org_id));
  if (!org) return missing();
  Status s = auth::Authorize(who, action, auth::Resource::InOrg(org->path));
  if (s.IsNotFound()) return missing();
  JIANDU_RETURN_IF_ERROR(s);
  return *org;
}

// The path whose subtree a reader asked for: `org_id`'s (not_found when outside the caller's
// scope), else the caller's whole scope.
Result<std::string> ViewedSubtree(store::Tx& tx, const auth::Principal& who,
                                  std::optional<int64_t> org_id) {
  if (!org_id) {
    JIANDU_RETURN_IF_ERROR(auth::AuthorizeAction(who, auth::Permission::kWarningRead));
    return who.system ? std::string("/") : who.org_path;
  }
  JIANDU_ASSIGN_OR_RETURN(registry::Org org,
                          OrgInScope(tx, who, *org_id, auth::Permission::kWarningRead, ""));
  return org.path;
}

// The warning if `who` may do `action` on it; not_found otherwise.
Result<WarningRecord> LoadWarning(store::Tx& tx, const auth::Principal& who, int64_t id,
                                  auth::Permission action) {
  JIANDU_RETURN_IF_ERROR(auth::AuthorizeAction(who, action));
  JIANDU_ASSIGN_OR_RETURN(
      std::optional<store::Row> row,
      tx.QueryOne(std::string("SELECT ") + kWarningColumns +
                      " FROM monitor_warning w JOIN org o ON o.id = w.org_id WHERE w.id = ?",
                  {id}));
  if (!row) return Status::NotFound(auth::kNoSuchRecord);
  WarningRecord w = WarningFromRow(*row, MayReveal(who));
  Status s = auth::Authorize(who, action, auth::Resource::InOrg(w.org_path));
  if (!s.ok()) return s.code() == StatusCode::kPermissionDenied ? s : Status::NotFound(auth::kNoSuchRecord);
  return w;
}

Status RequireOpen(const WarningRecord& w) {
  if (w.state == WarningState::kVerified || w.state == WarningState::kDismissed) {
    return Status::FailedPrecondition(
        "the warning is already " + std::string(Code(w.state)) + "; it cannot change any more",
        "state");
  }
  return Status::Ok();
}

}  // namespace

std::string_view Code(WarningState s) { return core::CodeOf(kStates, s); }
std::optional<WarningState> ParseWarningState(std::string_view s) {
  return core::ParseCode(kStates, s);
}

struct MonitorService::Loaded {
  Table table;
};

MonitorService::MonitorService(store::Store& store, const audit::AuditLog& audit,
                               const core::Clock& clock, const core::Calendar& calendar,
                               const rectify::FindingService& findings)
    : store_(store), audit_(audit), clock_(clock), calendar_(calendar), findings_(findings) {}

MonitorService::~MonitorService() = default;

Result<DatasetVersion> MonitorService::Import(const auth::Principal& who, const ImportRequest& in,
                                              ImportReport* report) {
  const DatasetSchema* schema = FindBuiltinSchema(in.dataset);
  if (schema == nullptr) {
    std::string known;
    for (std::string_view n : BuiltinSchemaNames()) known += (known.empty() ? "" : ", ") + std::string(n);
    return Status::InvalidArgument("dataset", "unknown dataset '" + in.dataset + "' (" + known + ")");
  }
  JIANDU_ASSIGN_OR_RETURN(std::string file_name,
                          registry::CheckText(in.file_name, "file", 200, /*required=*/true));
  if (in.bytes.empty()) return Status::InvalidArgument("file", "the file is empty");
  if (in.bytes.size() > kMaxDatasetBytes) {
    return Status::InvalidArgument("file", "the file is larger than " +
                                               std::to_string(kMaxDatasetBytes >> 20) + " MiB");
  }
  // Scope first, so an unauthorised caller learns nothing about the file.
  std::string org_path;
  JIANDU_RETURN_IF_ERROR(store::RunInTransaction(store_, store::TxMode::kReadOnly,
                                                 [&](store::Tx& tx) -> Status {
    JIANDU_ASSIGN_OR_RETURN(registry::Org org, OrgInScope(tx, who, in.org_id,
                                                          auth::Permission::kDatasetImport, ""));
    org_path = org.path;
    return Status::Ok();
  }));
  ImportReport local;
  ImportReport& rep = report ? *report : local;
  JIANDU_ASSIGN_OR_RETURN(ImportResult imported, ImportFile(*schema, in.bytes, in.options, &rep));
  if (in.options.progress != nullptr) in.options.progress->Start("storing", 0);
  const std::string now = clock_.Now().ToRfc3339();
  Result<DatasetVersion> stored = store::RunInTransaction<DatasetVersion>(
      store_, store::TxMode::kReadWrite, [&](store::Tx& tx) -> Result<DatasetVersion> {
        JIANDU_ASSIGN_OR_RETURN(
            std::optional<store::Row> last,
            tx.QueryOne("SELECT COALESCE(MAX(version), 0) FROM monitor_dataset_version WHERE "
                        "org_id = ? AND dataset = ?",
                        {in.org_id, in.dataset}));
        const int64_t version = (last ? last->Int(0) : 0) + 1;
        const std::string mode = in.options.mode == ImportMode::kReject ? "reject" : "quarantine";
        JIANDU_ASSIGN_OR_RETURN(
            std::optional<store::Row> id,
            tx.QueryOne("INSERT INTO monitor_dataset_version (org_id, dataset, version, "
                        "file_name, format, encoding, sha256, mode, byte_count, row_count, "
                        "bad_rows, content, imported_by, imported_at) VALUES (?, ?, ?, ?, ?, ?, "
                        "?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                        {in.org_id, in.dataset, version, file_name,
                         std::string(FileFormatName(rep.format)), rep.encoding, rep.sha256_hex,
                         mode, static_cast<int64_t>(in.bytes.size()),
                         static_cast<int64_t>(imported.table.rows),
                         static_cast<int64_t>(rep.bad_rows), store::Value(store::Blob{in.bytes}),
                         who.user_id, now}));
        const int64_t version_id = id->Int(0);
        int64_t seq = 0;
        for (const RowError& e : rep.errors) {
          JIANDU_RETURN_IF_ERROR(
              tx.Exec("INSERT INTO monitor_import_error (version_id, seq, line, column_name, "
                      "reason) VALUES (?, ?, ?, ?, ?)",
                      {version_id, ++seq, e.line, e.column, e.reason})
                  .status());
        }
        audit::EventInput ev{.actor = who.AuditActor(), .action = "dataset.import",
                             .entity_type = "dataset_version",
                             .entity_id = std::to_string(version_id), .org_path = org_path};
        ev.change.Created("dataset", in.dataset);
        ev.change.Created("version", std::to_string(version));
        ev.change.Created("sha256", rep.sha256_hex);
        ev.change.Created("rows", std::to_string(imported.table.rows));
        ev.change.Created("bad_rows", std::to_string(rep.bad_rows));
        JIANDU_RETURN_IF_ERROR(audit_.Append(tx, ev).status());
        JIANDU_ASSIGN_OR_RETURN(
            std::optional<store::Row> row,
            tx.QueryOne(std::string("SELECT ") + kVersionColumns +
                            " FROM monitor_dataset_version v WHERE v.id = ?",
                        {version_id}));
        return VersionFromRow(*row);
      });
  if (stored.ok()) {
    {
      std::lock_guard lock(import_mu_);
      ++imports_;
      last_import_ = std::chrono::steady_clock::now();
    }
    import_cv_.notify_all();
  }
  return stored;
}

Result<std::vector<DatasetVersion>> MonitorService::ListVersions(const auth::Principal& who,
                                                                 std::optional<int64_t> org_id) {
  return store::RunInTransaction<std::vector<DatasetVersion>>(
      store_, store::TxMode::kReadOnly, [&](store::Tx& tx) -> Result<std::vector<DatasetVersion>> {
        JIANDU_RETURN_IF_ERROR(auth::AuthorizeAction(who, auth::Permission::kDatasetRead));
        if (org_id) {
          JIANDU_RETURN_IF_ERROR(
              OrgInScope(tx, who, *org_id, auth::Permission::kDatasetRead, "").status());
        }
        std::string sql = std::string("SELECT ") + kVersionColumns +
                          " FROM monitor_dataset_version v JOIN org o ON o.id = v.org_id WHERE " +
                          store::StartsWith("o.path");
        std::vector<store::Value> params;
        store::AppendStartsWith(params, who.system ? "/" : who.org_path);
        if (org_id) {
          sql += " AND v.org_id = ?";
          params.emplace_back(*org_id);
        }
        sql += " ORDER BY v.id DESC LIMIT 500";
        JIANDU_ASSIGN_OR_RETURN(store::Rows rows, tx.Query(sql, params));
        std::vector<DatasetVersion> out;
        for (const store::Row& r : rows) out.push_back(VersionFromRow(r));
        return out;
      });
}

Result<std::vector<RowError>> MonitorService::VersionErrors(const auth::Principal& who,
                                                            int64_t version_id) {
  return store::RunInTransaction<std::vector<RowError>>(
      store_, store::TxMode::kReadOnly, [&](store::Tx& tx) -> Result<std::vector<RowError>> {
        JIANDU_RETURN_IF_ERROR(auth::AuthorizeAction(who, auth::Permission::kDatasetRead));
        JIANDU_ASSIGN_OR_RETURN(
            std::optional<store::Row> v,
            tx.QueryOne("SELECT o.path FROM monitor_dataset_version v JOIN org o ON o.id = "
                        "v.org_id WHERE v.id = ?",
                        {version_id}));
        if (!v || !auth::Authorize(who, auth::Permission::kDatasetRead,
                                   auth::Resource::InOrg(v->Text(0)))
                       .ok()) {
          return Status::NotFound(auth::kNoSuchRecord);
        }
        JIANDU_ASSIGN_OR_RETURN(store::Rows rows,
                                tx.Query("SELECT line, column_name, reason FROM "
                                         "monitor_import_error WHERE version_id = ? ORDER BY seq",
                                         {version_id}));
        std::vector<RowError> out;
        for (const store::Row& r : rows) out.push_back({r.Int(0), r.Text(1), r.Text(2)});
        return out;
      });
}

Result<std::shared_ptr<const MonitorService::Loaded>> MonitorService::LoadTable(
    int64_t org_id, int64_t version_id, const std::string& dataset) {
  {
    std::lock_guard<std::mutex> l(cache_mu_);
    auto it = cache_.find({org_id, dataset});
    if (it != cache_.end() && it->second.first == version_id) return it->second.second;
  }
  const DatasetSchema* schema = FindBuiltinSchema(dataset);
  if (schema == nullptr) return Status::Internal("stored dataset has no schema: " + dataset);
  JIANDU_ASSIGN_OR_RETURN(
      store::Rows rows,
      store::RunInTransaction<store::Rows>(store_, store::TxMode::kReadOnly, [&](store::Tx& tx) {
        return tx.Query("SELECT content, format, encoding FROM monitor_dataset_version WHERE id = ?",
                        {version_id});
      }));
  if (rows.empty()) return Status::NotFound(auth::kNoSuchRecord);
  ImportOptions options;
  options.mode = ImportMode::kQuarantine;  // the stored version holds its good rows
  JIANDU_ASSIGN_OR_RETURN(options.format, ParseFileFormat(rows[0].Text(1)));
  options.encoding = rows[0].Text(2);
  JIANDU_ASSIGN_OR_RETURN(ImportResult imported,
                          ImportFile(*schema, rows[0].Bytes(0).bytes, options));
  auto loaded = std::make_shared<Loaded>();
  loaded->table = std::move(imported.table);
  std::lock_guard<std::mutex> l(cache_mu_);
  auto& slot = cache_[{org_id, dataset}];
  if (slot.first <= version_id) {  // an older version in the cache is no longer run on
    slot = {version_id, loaded};
  }
  return std::shared_ptr<const Loaded>(loaded);
}

Result<std::vector<RuleInfo>> MonitorService::RulesOf(store::Tx& tx, int64_t org_id) const {
  std::vector<RuleInfo> out;
  JIANDU_ASSIGN_OR_RETURN(std::vector<Rule> library, LoadBuiltinRules(FindBuiltinSchema));
  std::map<std::string, std::string_view> texts;
  for (const RuleFile& f : BuiltinRuleFiles()) texts[std::string(f.path)] = f.text;
  for (Rule& r : library) {
    RuleInfo info;
    info.toml = std::string(texts[r.source]);
    info.rule = std::move(r);
    out.push_back(std::move(info));
  }
  JIANDU_ASSIGN_OR_RETURN(
      store::Rows rows,
      tx.Query("SELECT rule_id, toml, enabled FROM monitor_rule WHERE org_id = ? ORDER BY rule_id",
               {org_id}));
  for (const store::Row& r : rows) {
    const std::string id = r.Text(0);
    auto it = std::find_if(out.begin(), out.end(),
                           [&](const RuleInfo& i) { return !i.custom && i.rule.id == id; });
    if (r.Text(1).empty()) {  // a built-in rule switched on or off for this organisation
      if (it != out.end()) it->enabled = r.Int(2) != 0;
      continue;
    }
    RuleInfo info;
    info.custom = true;
    info.enabled = r.Int(2) != 0;
    info.toml = r.Text(1);
    Result<Rule> rule = LoadRule(info.toml, id + ".toml", FindBuiltinSchema);
    if (!rule.ok()) {
      // Saved rules were valid when saved; a schema change since is a defect to report.
      return Status::Internal("stored rule " + id + " no longer loads: " +
                              std::string(rule.status().message()));
    }
    info.rule = std::move(*rule);
    out.push_back(std::move(info));
  }
  return out;
}

Result<std::vector<RuleInfo>> MonitorService::ListRules(const auth::Principal& who,
                                                        int64_t org_id) {
  return store::RunInTransaction<std::vector<RuleInfo>>(
      store_, store::TxMode::kReadOnly, [&](store::Tx& tx) -> Result<std::vector<RuleInfo>> {
        JIANDU_RETURN_IF_ERROR(OrgInScope(tx, who, org_id, auth::Permission::kRuleRun, "").status());
        return RulesOf(tx, org_id);
      });
}

Result<RuleInfo> MonitorService::SaveRule(const auth::Principal& who, int64_t org_id,
                                          const std::string& toml) {
  if (toml.size() > 64 * 1024) {
    return Status::InvalidArgument("toml", "a rule is at most 64 KiB of text");
  }
  Result<Rule> parsed = ParseRule(toml, "rule.toml");
  if (!parsed.ok()) return Status::InvalidArgument("toml", parsed.status().message());
  const std::string id = parsed->id;
  const bool id_ok = !id.empty() && id.size() <= 32 && id[0] >= 'A' && id[0] <= 'Z' &&
                     std::all_of(id.begin(), id.end(), [](char ch) {
                       return (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-';
                     });
  if (!id_ok) {
    return Status::InvalidArgument(
        "toml", "id: a rule id is 1 to 32 characters: an upper-case letter, then upper-case "
                "letters, digits or '-' (X01, ZJ-LOWBAO-2)");
  }
  parsed->source = id + ".toml";  // validation messages name the rule's own file
  if (Status valid = ValidateRule(*parsed, FindBuiltinSchema); !valid.ok()) {
    return Status::InvalidArgument("toml", valid.message());
  }
  return store::RunInTransaction<RuleInfo>(
      store_, store::TxMode::kReadWrite, [&](store::Tx& tx) -> Result<RuleInfo> {
        JIANDU_ASSIGN_OR_RETURN(registry::Org org,
                                OrgInScope(tx, who, org_id, auth::Permission::kRuleRun, "org_id"));
        JIANDU_ASSIGN_OR_RETURN(std::vector<RuleInfo> rules, RulesOf(tx, org_id));
        for (const RuleInfo& r : rules) {
          if (!r.custom && r.rule.id == id) {
            return Status::InvalidArgument(
                "toml", "rule " + id + " is a built-in rule; give your rule another id");
          }
        }
        const std::string now = clock_.Now().ToRfc3339();
        JIANDU_ASSIGN_OR_RETURN(
            int64_t updated,
            tx.Exec("UPDATE monitor_rule SET toml = ?, updated_by = ?, updated_at = ? WHERE "
                    "org_id = ? AND rule_id = ?",
                    {toml, who.user_id, now, org_id, id}));
        if (updated == 0) {
          JIANDU_RETURN_IF_ERROR(
              tx.Exec("INSERT INTO monitor_rule (org_id, rule_id, toml, enabled, updated_by, "
                      "updated_at) VALUES (?, ?, ?, 1, ?, ?)",
                      {org_id, id, toml, who.user_id, now})
                  .status());
        }
        audit::EventInput ev{.actor = who.AuditActor(), .action = "rule.save",
                             .entity_type = "monitor_rule", .entity_id = id,
                             .org_path = org.path};
        ev.change.Created("toml_sha256", core::Sha256Hex(toml));
        JIANDU_RETURN_IF_ERROR(audit_.Append(tx, ev).status());
        JIANDU_ASSIGN_OR_RETURN(std::vector<RuleInfo> after, RulesOf(tx, org_id));
        for (RuleInfo& r : after) {
          if (r.custom && r.rule.id == id) return std::move(r);
        }
        return Status::Internal("the saved rule is missing");
      });
}

Result<RuleInfo> MonitorService::SetRuleEnabled(const auth::Principal& who, int64_t org_id,
                                                const std::string& rule_id, bool enabled) {
  return store::RunInTransaction<RuleInfo>(
      store_, store::TxMode::kReadWrite, [&](store::Tx& tx) -> Result<RuleInfo> {
        JIANDU_ASSIGN_OR_RETURN(registry::Org org,
                                OrgInScope(tx, who, org_id, auth::Permission::kRuleRun, "org_id"));
        JIANDU_ASSIGN_OR_RETURN(std::vector<RuleInfo> rules, RulesOf(tx, org_id));
        auto it = std::find_if(rules.begin(), rules.end(),
                               [&](const RuleInfo& r) { return r.rule.id == rule_id; });
        if (it == rules.end()) return Status::NotFound(auth::kNoSuchRecord);
        const std::string now = clock_.Now().ToRfc3339();
        JIANDU_ASSIGN_OR_RETURN(
            int64_t updated,
            tx.Exec("UPDATE monitor_rule SET enabled = ?, updated_by = ?, updated_at = ? WHERE "
                    "org_id = ? AND rule_id = ?",
                    {enabled ? 1 : 0, who.user_id, now, org_id, rule_id}));
        if (updated == 0) {  // a built-in rule's first switch for this organisation
          JIANDU_RETURN_IF_ERROR(
              tx.Exec("INSERT INTO monitor_rule (org_id, rule_id, toml, enabled, updated_by, "
                      "updated_at) VALUES (?, ?, '', ?, ?, ?)",
                      {org_id, rule_id, enabled ? 1 : 0, who.user_id, now})
                  .status());
        }
        audit::EventInput ev{.actor = who.AuditActor(), .action = "rule.enable",
                             .entity_type = "monitor_rule", .entity_id = rule_id,
                             .org_path = org.path};
        ev.change.Set("enabled", it->enabled ? "true" : "false", enabled ? "true" : "false");
        JIANDU_RETURN_IF_ERROR(audit_.Append(tx, ev).status());
        it->enabled = enabled;
        return std::move(*it);
      });
}

Result<RunSummary> MonitorService::RunRules(const auth::Principal& who, int64_t org_id,
                                            const std::vector<std::string>& rule_ids) {
  const auto started = std::chrono::steady_clock::now();
  std::string org_path;
  std::map<std::string, int64_t> latest;  // dataset → version id
  std::vector<RuleInfo> library;
  JIANDU_RETURN_IF_ERROR(store::RunInTransaction(
      store_, store::TxMode::kReadOnly, [&](store::Tx& tx) -> Status {
        JIANDU_ASSIGN_OR_RETURN(registry::Org org,
                                OrgInScope(tx, who, org_id, auth::Permission::kRuleRun, "org_id"));
        org_path = org.path;
        JIANDU_ASSIGN_OR_RETURN(
            store::Rows rows,
            tx.Query("SELECT dataset, MAX(id) FROM monitor_dataset_version WHERE org_id = ? "
                     "GROUP BY dataset",
                     {org_id}));
        for (const store::Row& r : rows) latest[r.Text(0)] = r.Int(1);
        JIANDU_ASSIGN_OR_RETURN(library, RulesOf(tx, org_id));
        return Status::Ok();
      }));
  std::vector<const Rule*> selected;
  for (const std::string& id : rule_ids) {
    auto it = std::find_if(library.begin(), library.end(),
                           [&](const RuleInfo& r) { return r.rule.id == id; });
    if (it == library.end()) {
      return Status::InvalidArgument("rules", "no rule '" + id + "' for this organisation");
    }
    selected.push_back(&it->rule);
  }
  if (rule_ids.empty()) {
    for (const RuleInfo& r : library) {
      if (r.enabled) selected.push_back(&r.rule);
    }
  }
  RunSummary summary;
  summary.org_id = org_id;
  std::vector<std::pair<const Rule*, std::vector<Warning>>> raised;
  std::vector<std::shared_ptr<const Loaded>> keep;  // tables alive while rules run
  const int32_t today = clock_.Today().day_number();
  for (const Rule* rule : selected) {
    if (today < rule->valid_from || (rule->valid_to && today > *rule->valid_to)) {
      summary.skipped.push_back(rule->id + ": not valid today");
      continue;
    }
    TableSet tables;
    std::string missing;
    for (const RuleInput& input : rule->inputs) {
      auto it = latest.find(input.dataset);
      if (it == latest.end()) {
        missing = input.dataset;
        break;
      }
      JIANDU_ASSIGN_OR_RETURN(std::shared_ptr<const Loaded> t,
                              LoadTable(org_id, it->second, input.dataset));
      tables[input.dataset] = &t->table;
      keep.push_back(std::move(t));
    }
    if (!missing.empty()) {
      summary.skipped.push_back(rule->id + ": no dataset " + missing + " imported");
      continue;
    }
    ExecOptions options;
    options.calendar = &calendar_;
    JIANDU_ASSIGN_OR_RETURN(std::vector<Warning> warnings, RunRule(*rule, tables, options));
    raised.emplace_back(rule, std::move(warnings));
  }
  const std::string now = clock_.Now().ToRfc3339();
  const std::string month = now.substr(0, 7);
  JIANDU_RETURN_IF_ERROR(store::RunInTransaction(
      store_, store::TxMode::kReadWrite, [&](store::Tx& tx) -> Status {
        summary.rules.clear();
        summary.raised = summary.fresh = 0;
        std::string rule_list;
        for (const auto& [rule, w] : raised) rule_list += (rule_list.empty() ? "" : ",") + rule->id;
        JIANDU_ASSIGN_OR_RETURN(
            std::optional<store::Row> run,
            tx.QueryOne("INSERT INTO monitor_run (org_id, started_at, elapsed_ms, run_by, rules, "
                        "raised, fresh) VALUES (?, ?, 0, ?, ?, 0, 0) RETURNING id",
                        {org_id, now, who.user_id, rule_list}));
        summary.run_id = run->Int(0);
        for (const auto& [rule, warnings] : raised) {
          RuleRunCount count{.rule_id = rule->id};
          for (const Warning& w : warnings) {
            ++count.raised;
            const std::string key = w.KeyHex();
            JIANDU_ASSIGN_OR_RETURN(
                int64_t updated,
                tx.Exec("UPDATE monitor_warning SET last_run_id = ?, times_seen = times_seen + 1 "
                        "WHERE org_id = ? AND rule_id = ? AND stable_key = ?",
                        {summary.run_id, org_id, rule->id, key}));
            if (updated > 0) continue;
            ++count.fresh;
            JIANDU_RETURN_IF_ERROR(
                tx.Exec("INSERT INTO monitor_warning (org_id, rule_id, rule_version, rule_title, "
                        "level, stable_key, summary, subjects, evidence, state, reason, "
                        "first_run_id, last_run_id, times_seen, created_at, updated_at, month) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'new', '', ?, ?, 1, ?, ?, ?)",
                        {org_id, rule->id, w.rule_version, rule->title,
                         std::string(WarningLevelName(w.level)), key, w.summary,
                         EncodeSubjects(w.subjects), EncodeEvidence(w.evidence), summary.run_id,
                         summary.run_id, now, now, month})
                    .status());
          }
          summary.raised += count.raised;
          summary.fresh += count.fresh;
          summary.rules.push_back(std::move(count));
        }
        summary.elapsed_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                 std::chrono::steady_clock::now() - started)
                                 .count();
        JIANDU_RETURN_IF_ERROR(
            tx.Exec("UPDATE monitor_run SET elapsed_ms = ?, raised = ?, fresh = ? WHERE id = ?",
                    {summary.elapsed_ms, summary.raised, summary.fresh, summary.run_id})
                .status());
        audit::EventInput ev{.actor = who.AuditActor(), .action = "rules.run",
                             .entity_type = "monitor_run",
                             .entity_id = std::to_string(summary.run_id), .org_path = org_path};
        ev.change.Created("rules", rule_list);
        ev.change.Created("raised", std::to_string(summary.raised));
        ev.change.Created("fresh", std::to_string(summary.fresh));
        return audit_.Append(tx, ev).status();
      }));
  return summary;
}

bool MonitorService::WaitForImports(std::stop_token stop, std::chrono::milliseconds quiet,
                                    std::chrono::milliseconds max_wait) {
  using Clock = std::chrono::steady_clock;
  std::unique_lock lock(import_mu_);
  const Clock::time_point give_up = Clock::now() + max_wait;
  if (!import_cv_.wait_until(lock, stop, give_up, [&] { return imports_ != imports_seen_; })) {
    return false;
  }
  // Then wait for a quiet spell: every further import starts it again.
  while (!stop.stop_requested()) {
    const Clock::time_point quiet_until = last_import_ + quiet;
    if (Clock::now() >= quiet_until) break;
    import_cv_.wait_until(lock, stop, quiet_until, [] { return false; });
  }
  imports_seen_ = imports_;
  return !stop.stop_requested();
}

std::vector<MonitorService::ScheduledRun> MonitorService::RunPending() {
  std::vector<ScheduledRun> out;
  Result<store::Rows> pending = store::RunInTransaction<store::Rows>(
      store_, store::TxMode::kReadOnly, [](store::Tx& tx) {
        return tx.Query(
            "SELECT v.org_id FROM monitor_dataset_version v GROUP BY v.org_id HAVING "
            "MAX(v.imported_at) > COALESCE((SELECT MAX(r.started_at) FROM monitor_run r WHERE "
            "r.org_id = v.org_id), '') ORDER BY v.org_id");
      });
  if (!pending.ok()) {
    out.push_back({0, pending.status()});
    return out;
  }
  for (const store::Row& r : *pending) {
    out.push_back({r.Int(0), RunRules(auth::Principal::System(), r.Int(0), {})});
  }
  return out;
}

Result<core::Page<WarningRecord>> MonitorService::ListWarnings(const auth::Principal& who,
                                                               const WarningFilter& f) {
  JIANDU_ASSIGN_OR_RETURN(core::PageRequest req, core::PageRequest::Make(f.limit, f.cursor));
  return store::RunInTransaction<core::Page<WarningRecord>>(
      store_, store::TxMode::kReadOnly, [&](store::Tx& tx) -> Result<core::Page<WarningRecord>> {
        JIANDU_ASSIGN_OR_RETURN(const std::string root, ViewedSubtree(tx, who, f.org_id));
        std::string sql = std::string("SELECT ") + kWarningColumns +
                          " FROM monitor_warning w JOIN org o ON o.id = w.org_id WHERE " +
                          store::StartsWith("o.path");
        std::vector<store::Value> params;
        store::AppendStartsWith(params, root);
        if (f.rule_id) {
          sql += " AND w.rule_id = ?";
          params.emplace_back(*f.rule_id);
        }
        if (f.level) {
          sql += " AND w.level = ?";
          params.emplace_back(*f.level);
        }
        if (f.state) {
          sql += " AND w.state = ?";
          params.emplace_back(std::string(Code(*f.state)));
        }
        if (req.after) {
          sql += " AND w.id < ?";
          params.emplace_back(*req.after);
        }
        sql += " ORDER BY w.id DESC LIMIT ?";
        params.emplace_back(req.limit + 1);
        JIANDU_ASSIGN_OR_RETURN(store::Rows rows, tx.Query(sql, params));
        const bool reveal = MayReveal(who);
        std::vector<WarningRecord> out;
        for (const store::Row& r : rows) out.push_back(WarningFromRow(r, reveal));
        return core::MakePage(std::move(out), req, [](const WarningRecord& w) { return w.id; });
      });
}

Result<WarningRecord> MonitorService::GetWarning(const auth::Principal& who, int64_t id) {
  return store::RunInTransaction<WarningRecord>(
      store_, store::TxMode::kReadOnly,
      [&](store::Tx& tx) { return LoadWarning(tx, who, id, auth::Permission::kWarningRead); });
}

Result<WarningStats> MonitorService::Stats(const auth::Principal& who,
                                           std::optional<int64_t> org_id) {
  return store::RunInTransaction<WarningStats>(
      store_, store::TxMode::kReadOnly, [&](store::Tx& tx) -> Result<WarningStats> {
        WarningStats out;
        std::optional<registry::Org> root;
        if (org_id || !who.system) {
          JIANDU_ASSIGN_OR_RETURN(root, OrgInScope(tx, who, org_id.value_or(who.org_id),
                                                   auth::Permission::kWarningRead, ""));
          out.org_id = root->id;
          out.org_name = root->name;
        } else {
          JIANDU_RETURN_IF_ERROR(auth::AuthorizeAction(who, auth::Permission::kWarningRead));
        }
        const std::string root_path = root ? root->path : "/";
        // The organisations counted under: the one viewed and its children.
        std::map<int64_t, std::string> names;
        if (root) names.emplace(root->id, root->name);
        JIANDU_ASSIGN_OR_RETURN(
            store::Rows children,
            root ? tx.Query("SELECT id, name FROM org WHERE parent_id = ?", {root->id})
                 : tx.Query("SELECT id, name FROM org WHERE parent_id IS NULL"));
        for (const store::Row& r : children) names.emplace(r.Int(0), r.Text(1));

        std::string sql =
            "SELECT o.path, w.rule_id, w.level, w.state, w.month, COUNT(*) FROM monitor_warning "
            "w JOIN org o ON o.id = w.org_id WHERE " + store::StartsWith("o.path") +
            " GROUP BY o.path, w.rule_id, w.level, w.state, w.month";
        std::vector<store::Value> params;
        store::AppendStartsWith(params, root_path);
        JIANDU_ASSIGN_OR_RETURN(store::Rows rows, tx.Query(sql, params));
        // Roll each organisation up to its bucket: the id that follows the root's path in its
        // own ("/1/2/" under "/1/" → 2; the root's own path → the root).
        std::map<std::tuple<int64_t, std::string, std::string, std::string, std::string>, int64_t>
            counts;
        for (const store::Row& r : rows) {
          const std::string path = r.Text(0);
          int64_t bucket = out.org_id;
          if (path.size() > root_path.size()) {
            const std::string_view rest = std::string_view(path).substr(root_path.size());
            const std::string_view id = rest.substr(0, rest.find('/'));
            if (std::from_chars(id.data(), id.data() + id.size(), bucket).ec != std::errc()) {
              return Status::Internal("malformed organisation path " + path);
            }
          }
          counts[{bucket, r.Text(1), r.Text(2), r.Text(3), r.Text(4)}] += r.Int(5);
        }
        for (const auto& [key, count] : counts) {
          const auto& [bucket, rule_id, level, state, month] = key;
          auto name = names.find(bucket);
          out.items.push_back({bucket, name == names.end() ? "" : name->second, rule_id, level,
                               state, month, count});
        }
        std::stable_sort(out.items.begin(), out.items.end(),
                         [](const WarningStat& a, const WarningStat& b) {
                           return std::tie(a.month, a.rule_id) < std::tie(b.month, b.rule_id);
                         });
        return out;
      });
}

namespace {

// Writes a state change of a warning and its audit event.
Status SaveTransition(store::Tx& tx, const audit::AuditLog& audit, const auth::Principal& who,
                      const WarningRecord& before, WarningState state,
                      std::optional<int64_t> assignee, const std::string& reason,
                      std::optional<int64_t> finding_id, const std::string& now) {
  JIANDU_RETURN_IF_ERROR(
      tx.Exec("UPDATE monitor_warning SET state = ?, assignee_user_id = ?, reason = ?, "
              "finding_id = ?, updated_at = ? WHERE id = ?",
              {std::string(Code(state)), store::Value(assignee), reason, store::Value(finding_id),
               now, before.id})
          .status());
  audit::EventInput ev{.actor = who.AuditActor(), .action = "warning." + std::string(Code(state)),
                       .entity_type = "monitor_warning", .entity_id = std::to_string(before.id),
                       .org_path = before.org_path};
  ev.change.Set("state", Code(before.state), Code(state));
  if (assignee != before.assignee_user_id) {
    ev.change.Set("assignee_user_id",
                  before.assignee_user_id ? std::to_string(*before.assignee_user_id) : "",
                  assignee ? std::to_string(*assignee) : "");
  }
  if (reason != before.reason) ev.change.Set("reason", before.reason, reason);
  if (finding_id) ev.change.Created("finding_id", std::to_string(*finding_id));
  return audit.Append(tx, ev).status();
}

}  // namespace

Result<WarningRecord> MonitorService::Assign(const auth::Principal& who, int64_t id,
                                             int64_t user_id) {
  return store::RunInTransaction<WarningRecord>(
      store_, store::TxMode::kReadWrite, [&](store::Tx& tx) -> Result<WarningRecord> {
        JIANDU_ASSIGN_OR_RETURN(WarningRecord w,
                                LoadWarning(tx, who, id, auth::Permission::kWarningWrite));
        JIANDU_RETURN_IF_ERROR(RequireOpen(w));
        JIANDU_ASSIGN_OR_RETURN(
            std::optional<store::Row> user,
            tx.QueryOne("SELECT org_path, disabled FROM app_user WHERE id = ?", {user_id}));
        if (!user || user->Int(1) != 0 || !user->Text(0).starts_with(w.org_path)) {
          return Status::InvalidArgument(
              "user_id", "must be an active user of the warning's organisation or one below it");
        }
        JIANDU_RETURN_IF_ERROR(SaveTransition(tx, audit_, who, w, WarningState::kAssigned, user_id,
                                              w.reason, w.finding_id, clock_.Now().ToRfc3339()));
        return LoadWarning(tx, who, id, auth::Permission::kWarningRead);
      });
}

Result<WarningRecord> MonitorService::Dismiss(const auth::Principal& who, int64_t id,
                                              const std::string& reason) {
  JIANDU_ASSIGN_OR_RETURN(std::string why,
                          registry::CheckText(reason, "reason", 2000, true, /*multiline=*/true));
  return store::RunInTransaction<WarningRecord>(
      store_, store::TxMode::kReadWrite, [&](store::Tx& tx) -> Result<WarningRecord> {
        JIANDU_ASSIGN_OR_RETURN(WarningRecord w,
                                LoadWarning(tx, who, id, auth::Permission::kWarningWrite));
        JIANDU_RETURN_IF_ERROR(RequireOpen(w));
        JIANDU_RETURN_IF_ERROR(SaveTransition(tx, audit_, who, w, WarningState::kDismissed,
                                              w.assignee_user_id, why,
                                              std::nullopt, clock_.Now().ToRfc3339()));
        return LoadWarning(tx, who, id, auth::Permission::kWarningRead);
      });
}

Result<WarningRecord> MonitorService::Verify(const auth::Principal& who, int64_t id,
                                             const VerifyRequest& in) {
  JIANDU_ASSIGN_OR_RETURN(std::string note,
                          registry::CheckText(in.note, "note", 2000, true, /*multiline=*/true));
  if (in.responsible_org_id) {
    JIANDU_RETURN_IF_ERROR(auth::AuthorizeAction(who, auth::Permission::kFindingWrite));
  }
  return store::RunInTransaction<WarningRecord>(
      store_, store::TxMode::kReadWrite, [&](store::Tx& tx) -> Result<WarningRecord> {
        JIANDU_ASSIGN_OR_RETURN(WarningRecord w,
                                LoadWarning(tx, who, id, auth::Permission::kWarningWrite));
        JIANDU_RETURN_IF_ERROR(RequireOpen(w));
        std::optional<int64_t> finding_id;
        if (in.responsible_org_id) {
          rectify::NewFinding f{
              .source_kind = rectify::SourceKind::kWarning,
              .source_ref = "warning:" + std::to_string(w.id),
              .title = w.rule_id + " " + w.rule_title,
              .detail = note,
              .severity = w.level == "red"      ? rectify::Severity::kHigh
                          : w.level == "orange" ? rectify::Severity::kMedium
                                                : rectify::Severity::kLow,
              .responsible_org_id = *in.responsible_org_id,
              .supervising_org_id = w.org_id,
              .deadline = in.deadline};
          JIANDU_ASSIGN_OR_RETURN(rectify::Finding opened, findings_.OpenInTx(tx, who, f));
          finding_id = opened.id;
        }
        JIANDU_RETURN_IF_ERROR(SaveTransition(tx, audit_, who, w, WarningState::kVerified,
                                              w.assignee_user_id, note,
                                              finding_id, clock_.Now().ToRfc3339()));
        return LoadWarning(tx, who, id, auth::Permission::kWarningRead);
      });
}

std::vector<store::Migration> Migrations() {
  return {{"monitor", 1, "dataset versions, rule runs and warnings", R"sql(
CREATE TABLE monitor_dataset_version (
  id {{id}},
  org_id BIGINT NOT NULL REFERENCES org(id),
  dataset TEXT NOT NULL,
  version BIGINT NOT NULL,
  file_name TEXT NOT NULL,
  format TEXT NOT NULL,
  encoding TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  mode TEXT NOT NULL CHECK (mode IN ('reject', 'quarantine')),
  byte_count BIGINT NOT NULL,
  row_count BIGINT NOT NULL,
  bad_rows BIGINT NOT NULL,
  content {{blob}} NOT NULL,
  imported_by BIGINT NOT NULL,
  imported_at TEXT NOT NULL,
  UNIQUE (org_id, dataset, version)
);
CREATE TABLE monitor_import_error (
  version_id BIGINT NOT NULL REFERENCES monitor_dataset_version(id),
  seq BIGINT NOT NULL,
  line BIGINT NOT NULL,
  column_name TEXT NOT NULL,
  reason TEXT NOT NULL,
  PRIMARY KEY (version_id, seq)
);
CREATE TABLE monitor_run (
  id {{id}},
  org_id BIGINT NOT NULL REFERENCES org(id),
  started_at TEXT NOT NULL,
  elapsed_ms BIGINT NOT NULL,
  run_by BIGINT NOT NULL,
  rules TEXT NOT NULL,
  raised BIGINT NOT NULL,
  fresh BIGINT NOT NULL
);
CREATE TABLE monitor_warning (
  id {{id}},
  org_id BIGINT NOT NULL REFERENCES org(id),
  rule_id TEXT NOT NULL,
  rule_version BIGINT NOT NULL,
  rule_title TEXT NOT NULL,
  level TEXT NOT NULL CHECK (level IN ('red', 'orange', 'yellow', 'info')),
  stable_key TEXT NOT NULL,
  summary TEXT NOT NULL,
  subjects TEXT NOT NULL,
  evidence TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('new', 'assigned', 'verified', 'dismissed')),
  assignee_user_id BIGINT,
  reason TEXT NOT NULL,
  finding_id BIGINT,
  first_run_id BIGINT NOT NULL REFERENCES monitor_run(id),
  last_run_id BIGINT NOT NULL REFERENCES monitor_run(id),
  times_seen BIGINT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  month TEXT NOT NULL,
  UNIQUE (org_id, rule_id, stable_key)
);
CREATE INDEX monitor_warning_org_state ON monitor_warning (org_id, state);
)sql"},
          {"monitor", 2, "organisations' own rules and enabled built-in rules", R"sql(
CREATE TABLE monitor_rule (
  id {{id}},
  org_id BIGINT NOT NULL REFERENCES org(id),
  rule_id TEXT NOT NULL,
  toml TEXT NOT NULL,
  enabled BIGINT NOT NULL,
  updated_by BIGINT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (org_id, rule_id)
);
)sql"}};
}

}  // namespace jiandu::monitor
