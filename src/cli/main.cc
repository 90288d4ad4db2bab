// jiandu: the command-line entry point. Each subcommand parses its flags, opens the app and
// calls services; errors are printed once and mapped to exit codes (exit_codes.h).
#include <sched.h>
#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <stop_token>
#include <thread>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>

#include "api/api.h"
#include "api/http_server.h"
#include "app/app.h"
#include "app/demo.h"
#include "cli/exit_codes.h"
#include "cli/progress_bar.h"
#include "monitor/engine/rule_library.h"
#include "core/clock.h"

#ifndef JIANDU_DEFAULT_WEB_ROOT
#define JIANDU_DEFAULT_WEB_ROOT ""
#endif

namespace jiandu::cli {
namespace {

// The clock of a test server (`--test-clock`), settable through POST /api/v1/test/clock.
std::unique_ptr<core::FakeClock> g_test_clock;

struct StoreFlags {
  std::string data_dir;
  std::string db_url;
  std::string key_file;
  std::string test_clock;  // tests only: start the app's clock at this date
  std::string calendar_dir;

  void AddTo(CLI::App* cmd) {
    cmd->add_option("--data", data_dir, "data directory of the embedded SQLite database");
    cmd->add_option("--db", db_url, "PostgreSQL connection string (postgres://…)");
    cmd->add_option("--secret-key-file", key_file,
                    "file holding the 64-hex-digit server key (with --db; else "
                    "JIANDU_SECRET_KEY)");
    cmd->add_option("--calendar-dir", calendar_dir,
                    "directory of further working-day calendar years (YYYY.csv; default "
                    "DATA/calendar)");
  }

  app::Config Config() const {
    app::Config c;
    c.data_dir = data_dir;
    c.database_url = db_url;
    c.secret_key_file = key_file;
    c.calendar_dir = calendar_dir;
    if (!test_clock.empty()) {
      Result<core::CivilDate> day = core::CivilDate::Parse(test_clock, "--test-clock");
      if (day.ok()) {
        // 09:00 China time of that day.
        g_test_clock = std::make_unique<core::FakeClock>(
            core::Timestamp::FromUnixSeconds(int64_t{day->day_number()} * 86400 + 3600));
        c.clock = g_test_clock.get();
      }
    }
    return c;
  }
};

// The CPUs this process may run on (its affinity mask, e.g. a container's cpuset).
int UsableCpus() {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) == 0) {
    return std::max(1, CPU_COUNT(&set));
  }
  return 1;
}

struct ServeFlags {
  std::string listen = "127.0.0.1:8080";
  std::string web_root = JIANDU_DEFAULT_WEB_ROOT;
  bool access_log = false;
  bool secure_cookies = false;
  // Two I/O threads sharing one CPU wait on each other's time slices (measured: p99 29 ms vs
  // 7 ms at 45,000 req/s on one core), so never more I/O threads than CPUs, at most two.
  int io_threads = std::min(2, UsableCpus());
  // Workers mostly wait: a write waits for its group commit's fsync, so the pool bounds how
  // many writes share one commit. 500 ballots at once took 137–158 commits with 4 workers and
  // 42 with 16 (docs/benchmarks.md, "Ballot"). Each worker may hash one password (19 MiB).
  int workers = std::max(16, 4 * UsableCpus());
  // Comparison rules run by themselves this long after the last of a series of imports
  // (0: only at start and hourly).
  int rule_run_delay_seconds = 60;

  void AddTo(CLI::App* cmd) {
    cmd->add_option("--listen", listen, "address:port to listen on (port 0 = any free port)")
        ->capture_default_str();
    cmd->add_option("--web", web_root, "directory of the built web UI (web/dist)")
        ->capture_default_str();
    cmd->add_flag("--access-log", access_log, "log one line per request to stderr");
    cmd->add_flag("--secure-cookies", secure_cookies, "mark the session cookie Secure (HTTPS)");
    cmd->add_option("--io-threads", io_threads, "I/O threads")->capture_default_str();
    cmd->add_option("--workers", workers, "worker threads for requests")->capture_default_str();
    cmd->add_option("--rule-run-delay", rule_run_delay_seconds,
                    "seconds after the last of a series of dataset imports before the "
                    "organisation's rules run by themselves (0: only at start and hourly)")
        ->check(CLI::Range(0, 86400))
        ->capture_default_str();
  }
};

int Fail(const Status& s) {
  std::cerr << "jiandu: " << s.ToString() << "\n";
  return ExitCodeFor(s);
}

Result<std::unique_ptr<app::App>> OpenApp(const StoreFlags& f) {
  Result<std::unique_ptr<app::App>> a = app::App::Open(f.Config());
  if (!a.ok()) {
    return a.status().WithContext("cannot open the database");
  }
  return a;
}

Result<std::pair<std::string, uint16_t>> ParseListen(const std::string& listen) {
  size_t colon = listen.rfind(':');
  if (colon == std::string::npos) {
    return Status::InvalidArgument("--listen", "expected address:port, e.g. 127.0.0.1:8080");
  }
  std::string host = listen.substr(0, colon);
  int port = -1;
  try {
    port = std::stoi(listen.substr(colon + 1));
  } catch (const std::exception&) {
  }
  if (port < 0 || port > 65535) {
    return Status::InvalidArgument("--listen", "the port must be 0-65535");
  }
  return std::make_pair(host.empty() ? std::string("127.0.0.1") : host,
                        static_cast<uint16_t>(port));
}

// Waits `d`, or less when `stop` is requested.
void SleepUnlessStopped(std::stop_token stop, std::chrono::steady_clock::duration d) {
  std::mutex m;
  std::condition_variable_any cv;
  std::unique_lock lock(m);
  cv.wait_for(lock, stop, d, [] { return false; });
}

int Serve(app::App& a, const ServeFlags& s, const std::string& banner) {
  Result<std::pair<std::string, uint16_t>> listen = ParseListen(s.listen);
  if (!listen.ok()) {
    return Fail(listen.status());
  }
  api::Api api(a, {.web_root = s.web_root, .secure_cookies = s.secure_cookies,
                   .access_log = s.access_log, .test_clock = g_test_clock.get()});
  if (g_test_clock) {
    std::cerr << "warning: --test-clock: the clock is settable over HTTP; for tests only\n";
  }
  api::HttpServer server(api, {.address = listen->first, .port = listen->second,
                               .io_threads = s.io_threads, .worker_threads = s.workers});
  Status started = server.Start();
  if (!started.ok()) {
    return Fail(started);
  }
  if (!banner.empty()) {
    std::cout << banner;
  }
  std::string host = listen->first == "0.0.0.0" ? "127.0.0.1" : listen->first;
  std::cout << "Jiandu is serving at http://" << host << ":" << server.port() << "/ ("
            << a.backend() << ")" << std::endl;
  if (s.web_root.empty() || !std::filesystem::exists(s.web_root + "/index.html")) {
    std::cerr << "warning: no web UI at '" << s.web_root
              << "'; build it with `npm ci && npm run build` in web/ (the API still works)\n";
  }
  // Deadlines: notify and escalate due and overdue findings at start and then hourly.
  std::jthread sweeper([&a](std::stop_token stop) {
    while (!stop.stop_requested()) {
      Result<rectify::SweepResult> r = a.findings().SweepOverdue();
      if (!r.ok()) {
        std::cerr << "jiandu: deadline sweep failed: " << r.status().ToString() << "\n";
      }
      SleepUnlessStopped(stop, std::chrono::hours(1));
    }
  });
  // Comparison rules over the organisations whose datasets changed since their last run: at
  // start, hourly, and --rule-run-delay after a series of imports through this server.
  std::jthread rule_runner([&a, delay = s.rule_run_delay_seconds](std::stop_token stop) {
    while (!stop.stop_requested()) {
      for (const monitor::MonitorService::ScheduledRun& run : a.monitor().RunPending()) {
        if (!run.result.ok()) {
          std::cerr << "jiandu: scheduled rule run for organisation " << run.org_id
                    << " failed: " << run.result.status().ToString() << "\n";
        }
      }
      if (delay > 0) {
        a.monitor().WaitForImports(stop, std::chrono::seconds(delay), std::chrono::hours(1));
      } else {
        SleepUnlessStopped(stop, std::chrono::hours(1));
      }
    }
  });
  server.WaitForSignal();
  sweeper.request_stop();
  rule_runner.request_stop();
  std::cout << "Jiandu stopped." << std::endl;
  return 0;
}

std::string DemoBanner(const app::DemoSummary& d) {
  std::string out;
  if (d.created) {
    out += "Created the demo county 郧西县: " + std::to_string(d.orgs) + " organisations, " +
           std::to_string(d.people) + " people, " + std::to_string(d.appointments) +
           " appointments.\n";
  }
  out += "Demo logins (password " + std::string(app::kDemoPassword) + " for all):\n";
  for (const app::DemoLogin& l : d.logins) {
    out += "  " + l.username + std::string(12 - std::min<size_t>(11, l.username.size()), ' ') +
           l.role + " @ " + l.org_name + (l.needs_totp ? "  (enrols TOTP at first sign-in)" : "") +
           "\n";
  }
  return out;
}

app::DemoSummary KnownDemoLogins() {
  app::DemoSummary d;
  d.logins = {{"congress", "congress_officer", "郧西县"},
              {"jiwei", "discipline_officer", "郧西县"},
              {"caizheng", "department_liaison", "郧西县财政局"},
              {"deputy", "deputy", "郧西县"},
              {"analyst", "analyst", "郧西县"},
              {"viewer", "viewer", "郧西县人民政府"},
              {"sysadmin", "sys_admin", "郧西县", true},
              {"secadmin", "security_admin", "郧西县", true},
              {"auditadmin", "audit_admin", "郧西县", true}};
  return d;
}

std::string ReadPassword() {
  if (isatty(STDIN_FILENO)) {
    std::cerr << "Password: " << std::flush;
  }
  std::string password;
  std::getline(std::cin, password);
  if (!password.empty() && password.back() == '\r') {
    password.pop_back();
  }
  return password;
}

}  // namespace

// Reads a whole file in 8 MiB steps, reporting stage "reading" with the file's size.
Status ReadFileWithProgress(const std::string& path, std::string* out, core::Progress* progress) {
  std::ifstream f(path, std::ios::binary);
  std::error_code ec;
  const uintmax_t size = std::filesystem::file_size(path, ec);
  if (!f || ec) return Status::InvalidArgument("--file", "cannot read " + path);
  progress->Start("reading", size);
  out->clear();
  out->reserve(size);
  constexpr size_t kStep = size_t{8} << 20;
  std::string buffer(kStep, '\0');
  while (f.read(buffer.data(), kStep) || f.gcount() > 0) {
    out->append(buffer.data(), static_cast<size_t>(f.gcount()));
    progress->Add(static_cast<uint64_t>(f.gcount()));
  }
  if (f.bad()) return Status::InvalidArgument("--file", "error reading " + path);
  return Status::Ok();
}

// The id of the organisation with this code; invalid_argument naming --org when there is none.
Result<int64_t> OrgIdByCode(app::App& a, const std::string& code) {
  JIANDU_ASSIGN_OR_RETURN(std::optional<auth::OrgRef> org,
                          store::RunInTransaction<std::optional<auth::OrgRef>>(
                              a.store(), store::TxMode::kReadOnly,
                              [&](store::Tx& tx) { return a.orgs().FindOrgByCode(tx, code); }));
  if (!org) return Status::InvalidArgument("--org", "no organisation with this code");
  return org->id;
}

int Main(int argc, char** argv) {
  CLI::App cli{"Jiandu (监督): supervision of appointed officials after appointment"};
  cli.require_subcommand(1);
  cli.footer("Exit codes: 0 ok, 1 internal error or broken audit chain, 2 invalid argument, "
             "3 permission denied, 4 not found, 5 conflict, 6 failed precondition, "
             "7 unavailable, 8 unauthenticated, 9 rate limited. See docs/cli.md.");

  StoreFlags serve_store;
  ServeFlags serve_flags;
  CLI::App* serve = cli.add_subcommand("serve", "serve the web UI and the API");
  serve_store.AddTo(serve);
  serve_flags.AddTo(serve);

  StoreFlags demo_store;
  demo_store.data_dir = "data-demo";
  ServeFlags demo_flags;
  CLI::App* demo = cli.add_subcommand(
      "demo", "create the demo county (if missing) and serve it; prints the URL and logins");
  demo->add_option("--data", demo_store.data_dir, "data directory")->capture_default_str();
  demo->add_option("--db", demo_store.db_url, "PostgreSQL connection string instead of --data");
  demo->add_option("--secret-key-file", demo_store.key_file,
                   "server key file (with --db; else JIANDU_SECRET_KEY)");
  demo->add_option("--calendar-dir", demo_store.calendar_dir,
                   "directory of further working-day calendar years (YYYY.csv)");
  demo->add_option("--test-clock", demo_store.test_clock,
                   "TESTS ONLY: start the clock at YYYY-MM-DD and let POST /api/v1/test/clock "
                   "set it");
  demo_flags.AddTo(demo);

  StoreFlags migrate_store;
  CLI::App* migrate = cli.add_subcommand("migrate", "apply pending database migrations");
  migrate_store.AddTo(migrate);

  StoreFlags audit_store;
  CLI::App* audit = cli.add_subcommand("audit", "audit log commands");
  audit->require_subcommand(1);
  CLI::App* verify = audit->add_subcommand(
      "verify", "recompute the hash chain; exit 1 and name the first broken event if it fails");
  audit_store.AddTo(verify);

  StoreFlags user_store;
  std::string org_code, role_name, username, display_name;
  CLI::App* user = cli.add_subcommand("user", "user accounts");
  user->require_subcommand(1);
  CLI::App* user_add = user->add_subcommand(
      "add", "create a user; the password is read from standard input");
  user_store.AddTo(user_add);
  user_add->add_option("--org", org_code, "organisation code, e.g. 420322")->required();
  user_add->add_option("--role", role_name,
                       "sys_admin, security_admin, audit_admin, congress_officer, "
                       "discipline_officer, department_liaison, deputy, analyst or viewer")
      ->required();
  user_add->add_option("--username", username, "login name (a-z 0-9 . _ -)")->required();
  user_add->add_option("--display-name", display_name, "shown name (default: the username)");
  int64_t person_id = 0;
  user_add->add_option("--person-id", person_id,
                       "link the account to this person record (a committee member votes "
                       "through it)");

  // Monitoring: dataset import and rule runs (docs/cli.md).
  StoreFlags import_store;
  std::string import_dataset, import_file, import_org, import_encoding, import_format, import_sheet;
  bool import_quarantine = false;
  std::string import_progress = "auto";
  CLI::App* import_cmd = cli.add_subcommand(
      "import", "import a dataset file (CSV, XLSX or JSON lines) as a new version");
  import_store.AddTo(import_cmd);
  import_cmd->add_option("--dataset", import_dataset, "dataset name, e.g. payments")->required();
  import_cmd->add_option("--file", import_file, "the file to import")->required();
  import_cmd->add_option("--org", import_org, "organisation code the data belongs to")->required();
  import_cmd->add_flag("--quarantine", import_quarantine,
                       "keep the good rows and store the bad ones with their reasons (default: "
                       "refuse the whole file on any bad row)");
  import_cmd->add_option("--encoding", import_encoding, "utf-8 or gb18030 (default: detected)");
  import_cmd->add_option("--format", import_format, "csv, xlsx or jsonl (default: detected)");
  import_cmd->add_option("--sheet", import_sheet, "XLSX sheet name (default: the first)");
  import_cmd->add_option("--progress", import_progress,
                         "auto (a bar on a terminal), always (stage lines also to a pipe) or "
                         "never");

  StoreFlags rules_store;
  CLI::App* rules = cli.add_subcommand("rules", "comparison rules");
  rules->require_subcommand(1);
  CLI::App* rules_list = rules->add_subcommand("list", "list the built-in rules");
  std::string rules_org;
  std::vector<std::string> rule_ids;
  CLI::App* rules_run = rules->add_subcommand(
      "run", "run rules over an organisation's latest dataset versions and store the warnings");
  rules_store.AddTo(rules_run);
  rules_run->add_option("--org", rules_org, "organisation code")->required();
  rules_run->add_option("--rule", rule_ids, "rule id (repeatable; default: all)");

  cli.add_subcommand("version", "print the version");

  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = cli.exit(e);
    return code == 0 ? 0 : 2;
  }

  if (cli.got_subcommand("version")) {
    std::cout << "jiandu 0.1.0\n";
    return 0;
  }
  if (*serve) {
    auto a = OpenApp(serve_store);
    if (!a.ok()) return Fail(a.status());
    return Serve(**a, serve_flags, "");
  }
  if (*demo) {
    if (!demo_store.db_url.empty()) {
      demo_store.data_dir.clear();
    }
    auto a = OpenApp(demo_store);
    if (!a.ok()) return Fail(a.status());
    if (!demo_store.test_clock.empty() && !g_test_clock) {
      return Fail(Status::InvalidArgument("--test-clock", "expected a date YYYY-MM-DD"));
    }
    std::cout << "Preparing the demo county (first run takes a few seconds)..." << std::endl;
    Result<app::DemoSummary> d = app::CreateDemoCounty(**a);
    if (!d.ok()) return Fail(d.status().WithContext("creating the demo county"));
    app::DemoSummary shown = d->created ? *d : KnownDemoLogins();
    return Serve(**a, demo_flags, DemoBanner(shown));
  }
  if (*migrate) {
    auto a = OpenApp(migrate_store);
    if (!a.ok()) return Fail(a.status());
    std::cout << "Migrations applied (" << (*a)->backend() << ").\n";
    return 0;
  }
  if (*verify) {
    app::Config c = audit_store.Config();
    auto a = OpenApp(audit_store);
    if (!a.ok()) return Fail(a.status());
    Result<audit::VerifyReport> r = (*a)->audit().Verify((*a)->store(), [](int64_t n) {
      std::cerr << "\r  checked " << n << " events" << std::flush;
    });
    if (!r.ok()) return Fail(r.status());
    if (!r->ok) {
      std::cerr << "\n";
      std::cout << "audit chain BROKEN at event " << *r->first_broken_seq << ": " << r->reason
                << " (" << r->events_checked << " events verified before it)\n";
      return 1;
    }
    std::cerr << (r->events_checked >= 100000 ? "\n" : "");
    std::cout << "audit chain OK: " << r->events_checked << " events verified\n";
    return 0;
  }
  if (*import_cmd) {
    Result<ProgressMode> progress_mode = ParseProgressMode(import_progress);
    if (!progress_mode.ok()) return Fail(progress_mode.status());
    monitor::ImportRequest in{.dataset = import_dataset, .file_name = import_file};
    in.options.mode = import_quarantine ? monitor::ImportMode::kQuarantine
                                        : monitor::ImportMode::kReject;
    in.options.encoding = import_encoding;
    in.options.sheet = import_sheet;
    if (!import_format.empty()) {
      Result<monitor::FileFormat> format = monitor::ParseFileFormat(import_format);
      if (!format.ok()) return Fail(Status::InvalidArgument("--format", format.status().message()));
      in.options.format = *format;
    }
    auto a = OpenApp(import_store);
    if (!a.ok()) return Fail(a.status());
    Result<int64_t> org = OrgIdByCode(**a, import_org);
    if (!org.ok()) return Fail(org.status());
    in.org_id = *org;
    core::Progress progress;
    in.options.progress = &progress;
    ProgressBar bar(progress, *progress_mode);
    if (Status read = ReadFileWithProgress(import_file, &in.bytes, &progress); !read.ok()) {
      bar.Finish();
      return Fail(read);
    }
    monitor::ImportReport report;
    Result<monitor::DatasetVersion> v = (*a)->monitor().Import(auth::Principal::System(), in,
                                                               &report);
    bar.Finish();
    for (size_t i = 0; i < report.errors.size() && i < 20; ++i) {
      const monitor::RowError& e = report.errors[i];
      std::cerr << "  line " << e.line << (e.column.empty() ? "" : " " + e.column) << ": "
                << e.reason << "\n";
    }
    if (report.error_count > 20) {
      std::cerr << "  … " << report.error_count - 20 << " more errors\n";
    }
    if (!v.ok()) return Fail(v.status());
    std::cout << "Imported " << v->dataset << " version " << v->version << ": " << v->rows
              << " rows, " << v->bad_rows << " quarantined (" << v->format
              << (v->encoding.empty() ? "" : ", " + v->encoding) << ", sha256 " << v->sha256_hex
              << ").\n";
    return 0;
  }
  if (*rules_list) {
    for (const monitor::RuleFile& f : monitor::BuiltinRuleFiles()) std::cout << f.path << "\n";
    return 0;
  }
  if (*rules_run) {
    auto a = OpenApp(rules_store);
    if (!a.ok()) return Fail(a.status());
    Result<int64_t> org = OrgIdByCode(**a, rules_org);
    if (!org.ok()) return Fail(org.status());
    Result<monitor::RunSummary> run =
        (*a)->monitor().RunRules(auth::Principal::System(), *org, rule_ids);
    if (!run.ok()) return Fail(run.status());
    for (const monitor::RuleRunCount& r : run->rules) {
      std::cout << r.rule_id << ": " << r.raised << " warnings (" << r.fresh << " new)\n";
    }
    for (const std::string& skipped : run->skipped) std::cout << "skipped " << skipped << "\n";
    std::cout << "Run " << run->run_id << ": " << run->raised << " warnings, " << run->fresh
              << " new, in " << run->elapsed_ms << " ms.\n";
    return 0;
  }
  if (*user_add) {
    std::optional<auth::Role> role = auth::ParseRole(role_name);
    if (!role) return Fail(Status::InvalidArgument("--role", "unknown role"));
    std::string password = ReadPassword();
    auto a = OpenApp(user_store);
    if (!a.ok()) return Fail(a.status());
    Result<std::optional<auth::OrgRef>> org = store::RunInTransaction<std::optional<auth::OrgRef>>(
        (*a)->store(), store::TxMode::kReadOnly,
        [&](store::Tx& tx) { return (*a)->orgs().FindOrgByCode(tx, org_code); });
    if (!org.ok()) return Fail(org.status());
    if (!org->has_value()) {
      return Fail(Status::InvalidArgument("--org", "no organisation with this code"));
    }
    Result<auth::User> u = (*a)->users().CreateUser(
        auth::Principal::System(),
        {username, display_name.empty() ? username : display_name, *role, (*org)->id, password,
         person_id > 0 ? std::optional<int64_t>(person_id) : std::nullopt});
    if (!u.ok()) return Fail(u.status());
    std::cout << "Created user " << u->username << " (" << auth::RoleName(u->role) << ") in "
              << (*org)->name << ".\n";
    return 0;
  }
  return 2;
}

}  // namespace jiandu::cli

int main(int argc, char** argv) {
  try {
    return jiandu::cli::Main(argc, argv);
  } catch (const std::exception& e) {
    // Last resort: every library exception should have become a Status; reaching here is a bug.
    std::cerr << "jiandu: internal error: " << e.what() << "\n";
    return 1;
  }
}
