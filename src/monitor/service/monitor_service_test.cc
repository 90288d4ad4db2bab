// MonitorService on both backends: imports become versions (or nothing when refused), rule runs
// store warnings deduplicated by stable key, the lifecycle moves them on (a verified warning
// opens a finding in the rectification engine), and scope, permissions and masking hold.
#include "monitor/service/monitor_service.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "audit/audit_log.h"
#include "auth/auth_schema.h"
#include "core/resident_id.h"
#include "core/text.h"
#include "notify/notify.h"
#include "registry/org_service.h"
#include "registry/registry_schema.h"
#include "store/testing/test_store.h"

namespace jiandu::monitor {
namespace {

using auth::Principal;
using auth::Role;

// 2025-03-03 09:00 China time.
constexpr int64_t kStartSeconds = 1'740'963'600;

std::string Id(std::string first17) { return first17 + core::ComputeResidentIdCheckChar(first17); }

class MonitorServiceTest : public ::testing::TestWithParam<store::testing::Backend> {
 protected:
  void SetUp() override {
    db_ = GetParam().make();
    ASSERT_NE(db_, nullptr);
    std::vector<store::Migration> m;
    for (const auto& part : {audit::Migrations(), auth::Migrations(), registry::Migrations(),
                             notify::Migrations(), rectify::Migrations(), Migrations()}) {
      m.insert(m.end(), part.begin(), part.end());
    }
    ASSERT_TRUE(db_->Migrate(m).ok());
    orgs_ = std::make_unique<registry::OrgService>(*db_, audit_, clock_);
    findings_ = std::make_unique<rectify::FindingService>(*db_, audit_, clock_,
                                                          core::Calendar::Default());
    monitor_ = std::make_unique<MonitorService>(*db_, audit_, clock_, core::Calendar::Default(),
                                                *findings_);
    county_ = MakeOrg(std::nullopt, "420322", "郧西县", "region");
    finance_ = MakeOrg(county_.id, "420322.czj", "郧西县财政局", "government_department");
    other_ = MakeOrg(std::nullopt, "420304", "郧阳区", "region");
    analyst_ = User("analyst", Role::kAnalyst, county_);
    officer_ = User("jiwei", Role::kDisciplineOfficer, county_);
    other_officer_ = User("yy_jiwei", Role::kDisciplineOfficer, other_);
    congress_ = User("congress", Role::kCongressOfficer, county_);
  }

  registry::Org MakeOrg(std::optional<int64_t> parent, const std::string& code,
                        const std::string& name, const std::string& kind) {
    Result<registry::Org> o =
        orgs_->CreateOrg(Principal::System(), {parent, code, name, kind, code.substr(0, 6)});
    EXPECT_TRUE(o.ok()) << o.status().ToString();
    return o.ok() ? *o : registry::Org{};
  }

  Principal User(const std::string& username, Role role, const registry::Org& org) {
    Result<int64_t> id = store::RunInTransaction<int64_t>(
        *db_, store::TxMode::kReadWrite, [&](store::Tx& tx) -> Result<int64_t> {
          JIANDU_ASSIGN_OR_RETURN(
              std::optional<store::Row> row,
              tx.QueryOne("INSERT INTO app_user (username, display_name, role, org_id, org_path, "
                          "password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'x', 0, "
                          "0) RETURNING id",
                          {username, username, std::string(auth::RoleName(role)), org.id,
                           org.path}));
          return row->Int(0);
        });
    EXPECT_TRUE(id.ok());
    Principal p;
    p.user_id = id.value_or(0);
    p.username = username;
    p.role = role;
    p.org_id = org.id;
    p.org_path = org.path;
    return p;
  }

  int64_t Count(const std::string& sql) {
    Result<store::Rows> r = store::RunInTransaction<store::Rows>(
        *db_, store::TxMode::kReadOnly, [&](store::Tx& tx) { return tx.Query(sql); });
    return r.ok() ? (*r)[0].Int(0) : -1;
  }

  Result<DatasetVersion> Import(const std::string& dataset, const std::string& csv,
                                ImportMode mode = ImportMode::kReject,
                                ImportReport* report = nullptr, int64_t org_id = 0) {
    ImportRequest in{.dataset = dataset, .org_id = org_id ? org_id : county_.id,
                     .file_name = dataset + ".csv", .bytes = csv};
    in.options.mode = mode;
    return monitor_->Import(analyst_, in, report);
  }

  // Three people, one of them (kDead) died 2024-03-10; payments to each, two to the dead one
  // after the death (so R01 raises one warning for that person). At the county by default.
  void ImportScenario(int64_t org_id = 0) {
    std::string people = "id_number,name,death_date\n" + kAlive + ",张三,\n" + kDead +
                         ",李四,2024-03-10\n" + kOther + ",王五,\n";
    ASSERT_TRUE(Import("people", people, ImportMode::kReject, nullptr, org_id).ok());
    std::string payments = "payee_id,item,period,amount,paid_on,payer_org\n" + kAlive +
                           ",低保金,2024-04-01,300.00,2024-04-05,民政局\n" + kDead +
                           ",低保金,2024-03-01,300.00,2024-03-05,民政局\n" + kDead +
                           ",低保金,2024-04-01,300.00,2024-04-05,民政局\n" + kDead +
                           ",高龄津贴,2024-05-01,100.00,2024-05-06,民政局\n";
    ASSERT_TRUE(Import("payments", payments, ImportMode::kReject, nullptr, org_id).ok());
  }

  const std::string kAlive = Id("42032219800101001");
  const std::string kDead = Id("42032219400101002");
  const std::string kOther = Id("42032219700101003");

  core::FakeClock clock_{core::Timestamp::FromUnixSeconds(kStartSeconds)};
  audit::AuditLog audit_{clock_};
  std::unique_ptr<store::Store> db_;
  std::unique_ptr<registry::OrgService> orgs_;
  std::unique_ptr<rectify::FindingService> findings_;
  std::unique_ptr<MonitorService> monitor_;
  registry::Org county_, finance_, other_;
  Principal analyst_, officer_, other_officer_, congress_;
};

TEST_P(MonitorServiceTest, AnImportBecomesAVersionWithItsHashAndAudit) {
  ImportReport report;
  std::string csv = "id_number,name,death_date\r\n" + kAlive + ",张三,\r\n";
  Result<DatasetVersion> v = Import("people", csv, ImportMode::kReject, &report);
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(v->version, 1);
  EXPECT_EQ(v->rows, 1);
  EXPECT_EQ(v->format, "csv");
  EXPECT_EQ(v->sha256_hex.size(), 64u);
  EXPECT_EQ(v->sha256_hex, report.sha256_hex);
  Result<DatasetVersion> v2 = Import("people", csv);
  ASSERT_TRUE(v2.ok());
  EXPECT_EQ(v2->version, 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_event WHERE action = 'dataset.import'"), 2);
  Result<std::vector<DatasetVersion>> list = monitor_->ListVersions(analyst_, std::nullopt);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].version, 2);  // newest first
  // Another county sees none of them.
  EXPECT_TRUE(monitor_->ListVersions(other_officer_, std::nullopt)->empty());
}

TEST_P(MonitorServiceTest, ARefusedImportWritesNothingAndAQuarantinedOneKeepsItsErrors) {
  std::string csv = "id_number,name,death_date\n" + kAlive + ",张三,\n" +
                    "420322194001010021,李四,\n" + kOther + ",王五,2023-02-30\n";
  ImportReport report;
  Result<DatasetVersion> refused = Import("people", csv, ImportMode::kReject, &report);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(report.bad_rows, 2u);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM monitor_dataset_version"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM monitor_import_error"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_event WHERE action = 'dataset.import'"), 0);

  Result<DatasetVersion> kept = Import("people", csv, ImportMode::kQuarantine);
  ASSERT_TRUE(kept.ok()) << kept.status().ToString();
  EXPECT_EQ(kept->rows, 1);
  EXPECT_EQ(kept->bad_rows, 2);
  Result<std::vector<RowError>> errors = monitor_->VersionErrors(analyst_, kept->id);
  ASSERT_TRUE(errors.ok());
  ASSERT_EQ(errors->size(), 2u);
  EXPECT_EQ((*errors)[0].line, 3);
  EXPECT_EQ((*errors)[0].column, "id_number");
  EXPECT_EQ((*errors)[1].line, 4);
  EXPECT_EQ((*errors)[1].reason, "2023-02-30 is not a date");
  EXPECT_EQ(monitor_->VersionErrors(other_officer_, kept->id).status().code(),
            StatusCode::kNotFound);
}

TEST_P(MonitorServiceTest, BadRequestsNameTheirField) {
  EXPECT_EQ(Import("nonsense", "a\n1\n").status().field(), "dataset");
  EXPECT_EQ(Import("people", "").status().field(), "file");
  Status header = Import("people", "编号,备注\n1,2\n").status();
  EXPECT_EQ(header.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(header.message().find("header column 1 '编号'"), std::string_view::npos)
      << header.ToString();
  // Permission and scope: a congress officer may not import; nobody imports outside scope.
  ImportRequest in{.dataset = "people", .org_id = county_.id, .file_name = "p.csv",
                   .bytes = "id_number,name\n" + kAlive + ",张三\n"};
  EXPECT_EQ(monitor_->Import(congress_, in).status().code(), StatusCode::kPermissionDenied);
  EXPECT_NE(monitor_->Import(other_officer_, in).status().code(), StatusCode::kOk);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM monitor_dataset_version"), 0);
}

TEST_P(MonitorServiceTest, RunsStoreWarningsOnceAndCountRepeats) {
  ImportScenario();
  Result<RunSummary> run = monitor_->RunRules(analyst_, county_.id, {"R01"});
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  ASSERT_EQ(run->rules.size(), 1u);
  EXPECT_EQ(run->rules[0].raised, 1);  // one case: the dead payee (two payments after death)
  EXPECT_EQ(run->fresh, 1);
  Result<RunSummary> again = monitor_->RunRules(analyst_, county_.id, {"R01"});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->raised, 1);
  EXPECT_EQ(again->fresh, 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM monitor_warning"), 1);
  EXPECT_EQ(Count("SELECT times_seen FROM monitor_warning"), 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_event WHERE action = 'rules.run'"), 2);

  // All rules: those without their datasets are skipped and named.
  Result<RunSummary> all = monitor_->RunRules(analyst_, county_.id, {});
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  EXPECT_FALSE(all->skipped.empty());
  EXPECT_NE(std::find_if(all->skipped.begin(), all->skipped.end(),
                         [](const std::string& s) { return s.starts_with("R02: no dataset"); }),
            all->skipped.end());
  EXPECT_EQ(monitor_->RunRules(analyst_, county_.id, {"R99"}).status().field(), "rules");
  EXPECT_NE(monitor_->RunRules(other_officer_, county_.id, {}).status().code(), StatusCode::kOk);
}

TEST_P(MonitorServiceTest, TheScheduledRunTakesOnlyOrganisationsWithNewData) {
  EXPECT_TRUE(monitor_->RunPending().empty());
  ImportScenario();
  std::vector<MonitorService::ScheduledRun> runs = monitor_->RunPending();
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].org_id, county_.id);
  ASSERT_TRUE(runs[0].result.ok()) << runs[0].result.status().ToString();
  EXPECT_EQ(Count("SELECT COUNT(*) FROM monitor_warning WHERE rule_id = 'R01'"), 1);
  clock_.Advance(std::chrono::minutes(1));
  EXPECT_TRUE(monitor_->RunPending().empty()) << "nothing new since the run";
  ASSERT_TRUE(Import("people", "id_number,name,death_date\n" + kAlive + ",张三,\n").ok());
  clock_.Advance(std::chrono::minutes(1));
  ASSERT_EQ(monitor_->RunPending().size(), 1u);
}

// R01's text with another id and title: an organisation's own rule.
std::string OwnRule(const std::string& id) {
  return "id = \"" + id + "\"\nversion = 1\ntitle = \"本县死亡人员领取补贴\"\n"
         "legal_basis = \"本县规定\"\nlevel = \"orange\"\nowner = \"县纪委监委\"\n"
         "valid_from = 2015-01-01\nkind = \"match\"\n\n[inputs.left]\n"
         "dataset = \"payments\"\nkey = \"payee_id\"\ndate = \"paid_on\"\n\n"
         "[inputs.right]\ndataset = \"people\"\nkey = \"id_number\"\n"
         "date = \"death_date\"\n\n[params]\nrelation = \"after\"\ngrace_days = 0\n";
}

TEST_P(MonitorServiceTest, OrganisationsWriteTheirOwnRulesAndSwitchBuiltInOnesOff) {
  ImportScenario();
  Result<RuleInfo> saved = monitor_->SaveRule(analyst_, county_.id, OwnRule("X01"));
  ASSERT_TRUE(saved.ok()) << saved.status().ToString();
  EXPECT_TRUE(saved->custom);
  EXPECT_TRUE(saved->enabled);
  EXPECT_EQ(saved->rule.title, "本县死亡人员领取补贴");
  // Refused: a built-in id, a bad id, an unknown column (with its line), bad TOML.
  Status builtin = monitor_->SaveRule(analyst_, county_.id, OwnRule("R01")).status();
  EXPECT_EQ(builtin.field(), "toml");
  EXPECT_NE(builtin.message().find("built-in"), std::string_view::npos) << builtin.ToString();
  EXPECT_EQ(monitor_->SaveRule(analyst_, county_.id, OwnRule("x 1")).status().field(), "toml");
  std::string bad_column = OwnRule("X02");
  bad_column.replace(bad_column.find("\"payee_id\""), 10, "\"payee_idd\"");
  Status column = monitor_->SaveRule(analyst_, county_.id, bad_column).status();
  EXPECT_EQ(column.field(), "toml");
  EXPECT_NE(column.message().find("X02.toml:12"), std::string_view::npos) << column.ToString();
  EXPECT_NE(column.message().find("payee_idd"), std::string_view::npos) << column.ToString();
  EXPECT_EQ(monitor_->SaveRule(analyst_, county_.id, "id = ").status().field(), "toml");
  EXPECT_NE(monitor_->SaveRule(other_officer_, county_.id, OwnRule("X03")).status().code(),
            StatusCode::kOk);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM monitor_rule"), 1);

  // R01 switched off: a run of the enabled rules raises X01's warning, not R01's.
  Result<RuleInfo> off = monitor_->SetRuleEnabled(analyst_, county_.id, "R01", false);
  ASSERT_TRUE(off.ok()) << off.status().ToString();
  EXPECT_FALSE(off->enabled);
  EXPECT_EQ(monitor_->SetRuleEnabled(analyst_, county_.id, "R99", false).status().code(),
            StatusCode::kNotFound);
  Result<RunSummary> run = monitor_->RunRules(analyst_, county_.id, {});
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  std::set<std::string> ran;
  for (const RuleRunCount& r : run->rules) ran.insert(r.rule_id);
  EXPECT_FALSE(ran.contains("R01"));
  ASSERT_TRUE(ran.contains("X01"));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM monitor_warning WHERE rule_id = 'X01' AND level = "
                  "'orange'"),
            1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM monitor_warning WHERE rule_id = 'R01'"), 0);
  // Named explicitly, a disabled rule still runs.
  ASSERT_TRUE(monitor_->RunRules(analyst_, county_.id, {"R01"}).ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM monitor_warning WHERE rule_id = 'R01'"), 1);
  Result<std::vector<RuleInfo>> listed = monitor_->ListRules(analyst_, county_.id);
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->back().rule.id, "X01");
  EXPECT_EQ(monitor_->ListRules(other_officer_, county_.id).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_event WHERE action IN ('rule.save', "
                  "'rule.enable')"),
            2);
}

TEST_P(MonitorServiceTest, WarningsAreMaskedUnlessRevealedAndScoped) {
  ImportScenario();
  ASSERT_TRUE(monitor_->RunRules(analyst_, county_.id, {"R01"}).ok());
  Result<core::Page<WarningRecord>> seen = monitor_->ListWarnings(analyst_, {});
  ASSERT_TRUE(seen.ok());
  ASSERT_EQ(seen->items.size(), 1u);
  const WarningRecord& w = seen->items[0];
  EXPECT_EQ(w.rule_id, "R01");
  EXPECT_EQ(w.level, "red");
  ASSERT_FALSE(w.subjects.empty());
  EXPECT_EQ(w.subjects[0].value, core::MaskIdNumber(kDead));
  Result<WarningRecord> revealed = monitor_->GetWarning(officer_, w.id);
  ASSERT_TRUE(revealed.ok());
  EXPECT_EQ(revealed->subjects[0].value, kDead);
  EXPECT_TRUE(monitor_->ListWarnings(other_officer_, {})->items.empty());
  EXPECT_EQ(monitor_->GetWarning(other_officer_, w.id).status().code(), StatusCode::kNotFound);
  Result<WarningStats> stats = monitor_->Stats(analyst_, std::nullopt);
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->org_id, county_.id);
  ASSERT_EQ(stats->items.size(), 1u);
  EXPECT_EQ(stats->items[0].month, "2025-03");
  EXPECT_EQ(stats->items[0].count, 1);
  EXPECT_EQ(stats->items[0].org_name, "郧西县");
  EXPECT_EQ(monitor_->Stats(other_officer_, county_.id).status().code(), StatusCode::kNotFound);
}

TEST_P(MonitorServiceTest, StatsRollUpOneLevelBelowTheOrganisationViewed) {
  ImportScenario();  // at the county: R01 raises one warning there
  ASSERT_TRUE(monitor_->RunRules(analyst_, county_.id, {"R01"}).ok());
  // The finance bureau (below the county) and a section below it import the same data.
  const registry::Org section =
      MakeOrg(finance_.id, "420322.czj.1", "郧西县财政局社保股", "government_department");
  for (const registry::Org* org : std::vector<const registry::Org*>{&finance_, &section}) {
    ImportScenario(org->id);
    ASSERT_TRUE(monitor_->RunRules(analyst_, org->id, {"R01"}).ok());
  }

  // The county sees itself (1) and the finance bureau with its section (2), not the section.
  Result<WarningStats> county = monitor_->Stats(officer_, std::nullopt);
  ASSERT_TRUE(county.ok()) << county.status().ToString();
  std::map<std::string, int64_t> by_org;
  for (const WarningStat& s : county->items) by_org[s.org_name] += s.count;
  EXPECT_EQ(by_org, (std::map<std::string, int64_t>{{"郧西县", 1}, {"郧西县财政局", 2}}));
  // Drilling down: the finance bureau sees itself and its section.
  Result<WarningStats> finance = monitor_->Stats(officer_, finance_.id);
  ASSERT_TRUE(finance.ok());
  EXPECT_EQ(finance->org_name, "郧西县财政局");
  by_org.clear();
  for (const WarningStat& s : finance->items) by_org[s.org_name] += s.count;
  EXPECT_EQ(by_org,
            (std::map<std::string, int64_t>{{"郧西县财政局", 1}, {"郧西县财政局社保股", 1}}));
  // The CLI sees the top-level organisations.
  Result<WarningStats> all = monitor_->Stats(Principal::System(), std::nullopt);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->org_id, 0);
  ASSERT_EQ(all->items.size(), 1u);
  EXPECT_EQ(all->items[0].org_id, county_.id);
  EXPECT_EQ(all->items[0].count, 3);
  // A list for an organisation takes those below it too.
  WarningFilter f;
  f.org_id = finance_.id;
  Result<core::Page<WarningRecord>> listed = monitor_->ListWarnings(officer_, f);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->items.size(), 2u);
  EXPECT_EQ(listed->items[0].org_name, "郧西县财政局社保股");
  EXPECT_EQ(listed->items[1].org_name, "郧西县财政局");
}

TEST_P(MonitorServiceTest, LifecycleAssignVerifyIntoAFindingAndFinishedIsFinal) {
  ImportScenario();
  ASSERT_TRUE(monitor_->RunRules(analyst_, county_.id, {"R01"}).ok());
  const int64_t id = monitor_->ListWarnings(officer_, {})->items.at(0).id;
  // An analyst reads warnings but does not act on them.
  EXPECT_EQ(monitor_->Dismiss(analyst_, id, "误报").status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(monitor_->Dismiss(officer_, id, "  ").status().field(), "reason");
  EXPECT_EQ(monitor_->Assign(officer_, id, other_officer_.user_id).status().field(), "user_id");
  Result<WarningRecord> assigned = monitor_->Assign(officer_, id, officer_.user_id);
  ASSERT_TRUE(assigned.ok()) << assigned.status().ToString();
  EXPECT_EQ(assigned->state, WarningState::kAssigned);
  VerifyRequest verify{.note = "经核实，李四已于2024年3月10日死亡，4月起仍领取低保金。",
                       .responsible_org_id = finance_.id};
  Result<WarningRecord> verified = monitor_->Verify(officer_, id, verify);
  ASSERT_TRUE(verified.ok()) << verified.status().ToString();
  EXPECT_EQ(verified->state, WarningState::kVerified);
  ASSERT_TRUE(verified->finding_id.has_value());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM finding WHERE source_kind = 'warning' AND source_ref = "
                  "'warning:" + std::to_string(id) + "'"),
            1);
  Status again = monitor_->Dismiss(officer_, id, "重复").status();
  EXPECT_EQ(again.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(again.field(), "state");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_event WHERE action LIKE 'warning.%'"), 2);
}

INSTANTIATE_TEST_SUITE_P(Backends, MonitorServiceTest,
                         ::testing::ValuesIn(store::testing::AllBackends()),
                         store::testing::BackendName);

}  // namespace
}  // namespace jiandu::monitor
