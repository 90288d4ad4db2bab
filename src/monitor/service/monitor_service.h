// MonitorService: the monitoring workflow over the store — dataset versions, rule runs and the
// warning lifecycle (issue 5; DESIGN.md §4). The engine (monitor/engine) and the file readers
// (monitor/import) know nothing of the store; this is where they meet it, with authorization,
// organisation scope and audit events.
//
//   JIANDU_ASSIGN_OR_RETURN(DatasetVersion v, monitor.Import(who, {.dataset = "payments",
//                           .org_id = county, .file_name = "2024.csv", .bytes = bytes}, &report));
//   JIANDU_ASSIGN_OR_RETURN(RunSummary run, monitor.RunRules(who, county, {}));
//   JIANDU_ASSIGN_OR_RETURN(core::Page<WarningRecord> page, monitor.ListWarnings(who, filter));
//   monitor.Verify(who, warning_id, {.responsible_org_id = unit, .deadline = {...}});
//
// Datasets belong to an organisation (the body that brought them together, e.g. a county's
// 纪委监委): each import is a new version holding the original bytes (at most
// kMaxDatasetBytes), their SHA-256 and the import report; the latest version of each dataset
// is what rules run on. A refused import (kReject with a bad row, a bad header, an undecodable
// file) writes nothing. Warnings are stored per organisation and deduplicated by (rule, stable
// key): a case raised again by a later run is counted, not duplicated, and keeps its state.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "auth/authorizer.h"
#include "core/calendar.h"
#include "core/clock.h"
#include "core/page.h"
#include "monitor/engine/rule.h"
#include "monitor/engine/warning.h"
#include "monitor/import/importer.h"
#include "monitor/table.h"
#include "rectify/finding_service.h"
#include "store/store.h"

namespace jiandu::monitor {

inline constexpr size_t kMaxDatasetBytes = 256u << 20;

struct DatasetVersion {
  int64_t id = 0;
  std::string dataset;  // "payments"
  int64_t version = 0;  // 1, 2, … per organisation and dataset
  int64_t org_id = 0;
  std::string file_name;
  std::string format;    // "csv", "xlsx", "jsonl"
  std::string encoding;  // "UTF-8", "GB18030", "" for XLSX
  std::string sha256_hex;
  std::string mode;      // "reject" or "quarantine"
  int64_t bytes = 0;
  int64_t rows = 0;      // rows imported
  int64_t bad_rows = 0;  // rows quarantined (kQuarantine only)
  int64_t imported_by = 0;
  std::string imported_at;  // RFC 3339 UTC
};

struct ImportRequest {
  std::string dataset;  // a built-in dataset schema name
  int64_t org_id = 0;
  std::string file_name;
  std::string bytes;
  ImportOptions options;
};

// A rule as an organisation sees it: built in (enabled unless the organisation disabled it) or
// its own (written in the rule format, docs/monitor-rules.md).
struct RuleInfo {
  Rule rule;
  bool custom = false;
  bool enabled = true;
  std::string toml;  // the rule's text
};

struct RuleRunCount {
  std::string rule_id;
  int64_t raised = 0;  // warnings the rule raised in this run
  int64_t fresh = 0;   // of which not seen before
};

struct RunSummary {
  int64_t run_id = 0;
  int64_t org_id = 0;
  std::vector<RuleRunCount> rules;
  std::vector<std::string> skipped;  // rules not run, with the reason ("R04: no dataset vehicles")
  int64_t raised = 0;
  int64_t fresh = 0;
  int64_t elapsed_ms = 0;
};

enum class WarningState { kNew, kAssigned, kVerified, kDismissed };
std::string_view Code(WarningState s);
std::optional<WarningState> ParseWarningState(std::string_view s);

struct WarningSubject {
  std::string role;   // "payee", "official", …
  std::string value;  // masked unless the reader has person.reveal
};

struct WarningRecord {
  int64_t id = 0;
  std::string rule_id;
  int64_t rule_version = 0;
  std::string rule_title;
  std::string level;  // "red", "orange", "yellow", "info"
  std::string stable_key;
  int64_t org_id = 0;
  std::string org_path;
  std::string org_name;
  std::string summary;
  std::vector<WarningSubject> subjects;
  std::string evidence_json;  // {"payments":{"rows":[…],"total":n},…} — row numbers only
  WarningState state = WarningState::kNew;
  std::optional<int64_t> assignee_user_id;
  std::string reason;  // why it was dismissed / the verification note
  std::optional<int64_t> finding_id;
  int64_t first_run_id = 0;
  int64_t last_run_id = 0;
  int64_t times_seen = 0;
  std::string created_at;
  std::string updated_at;
};

struct WarningFilter {
  // The organisation whose warnings are listed, with those of every organisation below it.
  // Default: the caller's scope.
  std::optional<int64_t> org_id;
  std::optional<std::string> rule_id;
  std::optional<std::string> level;
  std::optional<WarningState> state;
  std::optional<int> limit;
  std::optional<std::string> cursor;
};

struct WarningStat {
  // Where the warnings were raised, rolled up one level below the organisation viewed: that
  // organisation itself, or the child whose subtree holds the warning's organisation.
  int64_t org_id = 0;
  std::string org_name;
  std::string rule_id;
  std::string level;
  std::string state;
  std::string month;  // "2026-11" (first raised)
  int64_t count = 0;
};

// Warning counts over one organisation's subtree, for the dashboard: a province sees its
// cities, a city its counties, and drills down by asking again for a child.
struct WarningStats {
  int64_t org_id = 0;  // the organisation viewed; 0 for the whole tree (CLI / system)
  std::string org_name;
  std::vector<WarningStat> items;  // grouped by org, rule, level, state and month
};

struct VerifyRequest {
  std::string note;  // what the check found (1..2000 characters)
  // Opens a finding in the rectification engine when set (the responsible unit rectifies).
  std::optional<int64_t> responsible_org_id;
  rectify::Deadline deadline{rectify::DeadlineUnit::kWorkingDays, 30};
};

class MonitorService {
 public:
  MonitorService(store::Store& store, const audit::AuditLog& audit, const core::Clock& clock,
                 const core::Calendar& calendar, const rectify::FindingService& findings);
  ~MonitorService();

  // dataset.import in the organisation's scope (not_found for an organisation missing or out
  // of scope). invalid_argument (field "dataset", "file", or the import's own message, with the
  // report filled) when nothing was imported.
  Result<DatasetVersion> Import(const auth::Principal& who, const ImportRequest& in,
                                ImportReport* report = nullptr);
  // dataset.read: the versions in scope, newest first (of one organisation when given).
  Result<std::vector<DatasetVersion>> ListVersions(const auth::Principal& who,
                                                   std::optional<int64_t> org_id);
  // dataset.read: the stored row errors of a version (quarantined rows), file order.
  Result<std::vector<RowError>> VersionErrors(const auth::Principal& who, int64_t version_id);

  // rule.run: the built-in rules and the organisation's own, with their enabled state.
  // An organisation missing or out of scope is not_found.
  Result<std::vector<RuleInfo>> ListRules(const auth::Principal& who, int64_t org_id);
  // rule.run: adds the organisation's own rule, or replaces its rule with the same id. The text
  // is parsed and validated against the dataset schemas first: invalid_argument naming "toml"
  // with the rule, line and key; an id of a built-in rule is refused. Organisation: "org_id".
  Result<RuleInfo> SaveRule(const auth::Principal& who, int64_t org_id, const std::string& toml);
  // rule.run: enables or disables a built-in rule or the organisation's own one for it.
  // not_found for an unknown rule id; organisation: "org_id".
  Result<RuleInfo> SetRuleEnabled(const auth::Principal& who, int64_t org_id,
                                  const std::string& rule_id, bool enabled);

  // rule.run: runs rules over the latest dataset versions of the organisation and stores the
  // warnings: the enabled ones (built-in and the organisation's own) when `rule_ids` is empty,
  // else those named, enabled or not. A rule whose datasets are not all imported is skipped
  // and named in the summary; an unknown rule id is invalid_argument ("rules"); an
  // organisation missing or out of scope is invalid_argument ("org_id").
  Result<RunSummary> RunRules(const auth::Principal& who, int64_t org_id,
                              const std::vector<std::string>& rule_ids);

  // The scheduled run (the server calls it at start, hourly, and after imports: see
  // WaitForImports): for every organisation with a dataset version imported since its last rule
  // run (or never run), runs its enabled rules as the system. Returns the runs made; one
  // organisation's failure is reported and the others go on.
  struct ScheduledRun {
    int64_t org_id = 0;
    Result<RunSummary> result = Status::Internal("not run");
  };
  std::vector<ScheduledRun> RunPending();

  // For the server's rule runner: blocks until a dataset version was imported through this
  // service since the previous call and then no other import came for `quiet` (an analyst
  // uploading related files one after another gets one run over all of them), or until
  // `max_wait` passes or `stop` is requested. True when imports arrived. Imports by other
  // server processes are not seen here; the hourly run covers them.
  bool WaitForImports(std::stop_token stop, std::chrono::milliseconds quiet,
                      std::chrono::milliseconds max_wait);

  // warning.read.
  Result<core::Page<WarningRecord>> ListWarnings(const auth::Principal& who,
                                                 const WarningFilter& filter);
  Result<WarningRecord> GetWarning(const auth::Principal& who, int64_t id);
  // Over the subtree of `org_id` (default: the caller's organisation).
  Result<WarningStats> Stats(const auth::Principal& who, std::optional<int64_t> org_id);

  // warning.write. Assign: to a user of the warning's organisation or below (new/assigned →
  // assigned). Dismiss: with a reason (→ dismissed). Verify: confirmed by the check (→ verified),
  // optionally opening a finding (also needs finding.write). Finished warnings (verified,
  // dismissed) refuse every transition with failed_precondition naming the state.
  Result<WarningRecord> Assign(const auth::Principal& who, int64_t id, int64_t user_id);
  Result<WarningRecord> Dismiss(const auth::Principal& who, int64_t id, const std::string& reason);
  Result<WarningRecord> Verify(const auth::Principal& who, int64_t id, const VerifyRequest& in);

 private:
  struct Loaded;
  // The organisation's rules in `tx` (built-in first, in library order).
  Result<std::vector<RuleInfo>> RulesOf(store::Tx& tx, int64_t org_id) const;
  // The in-memory table of a stored version, built once and kept while it is the latest
  // version of its organisation's dataset (loading a newer one drops the older).
  Result<std::shared_ptr<const Loaded>> LoadTable(int64_t org_id, int64_t version_id,
                                                  const std::string& dataset);

  store::Store& store_;
  const audit::AuditLog& audit_;
  const core::Clock& clock_;
  const core::Calendar& calendar_;
  const rectify::FindingService& findings_;
  std::mutex import_mu_;
  std::condition_variable_any import_cv_;
  uint64_t imports_ = 0;        // successful imports so far; guarded by import_mu_
  uint64_t imports_seen_ = 0;   // as of the last WaitForImports; guarded by import_mu_
  std::chrono::steady_clock::time_point last_import_;  // guarded by import_mu_
  std::mutex cache_mu_;
  // (org, dataset) → the version id and its table; guarded by cache_mu_.
  std::map<std::pair<int64_t, std::string>,
           std::pair<int64_t, std::shared_ptr<const Loaded>>> cache_;
};

std::vector<store::Migration> Migrations();

}  // namespace jiandu::monitor
