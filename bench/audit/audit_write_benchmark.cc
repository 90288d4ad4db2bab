// audit_write_benchmark: audited single-record creates per second through the service layer.
//
// Each create is registry::PersonService::Create on an app::App: validation, sealing and
// keyed-hashing of the ID number, the INSERT, one audit event appended to the hash chain, and a
// durable commit. On SQLite (synchronous=FULL) concurrent commits share one fsync (group
// commit, store/sqlite/sqlite_store.h), so the figure should grow with the number of threads;
// the 1-thread run is the peer that shows what group commit buys. With --pg-url (default
// $JIANDU_TEST_PG_URL) the same runs repeat on PostgreSQL.
//
//   build/bench/audit_write_benchmark --dir /var/tmp --threads 1,8,32,64 --seconds 5
#include <CLI/CLI.hpp>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <thread>

#include "app/app.h"
#include "bench/audit/test_people.h"
#include "bench/common/latency.h"
#include "bench/common/summary.h"
#include "bench/common/system.h"

namespace jiandu::bench {
namespace {

struct Flags {
  std::string dir = DefaultTempBase();
  std::vector<int> threads = {1, 8, 32, 64};
  double seconds = 5;
  std::string pg_url;
  int64_t id_offset = 0;
  double target = 5000;
};

struct RunResult {
  int threads = 0;
  int64_t created = 0;
  int64_t errors = 0;
  std::string first_error;
  double seconds = 0;
  LatencySummary latency;
  double rate() const { return static_cast<double>(created) / seconds; }
};

RunResult RunThreads(app::App& a, int64_t org_id, int threads, double seconds,
                     std::atomic<int64_t>& next_id) {
  RunResult out;
  out.threads = threads;
  std::atomic<bool> stop{false};
  std::atomic<int64_t> created{0}, errors{0};
  std::mutex mu;
  Samples all;
  const auth::Principal who = auth::Principal::System();
  std::vector<std::thread> pool;
  const int64_t start = NowNs();
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&] {
      Samples mine;
      std::string error;
      while (!stop.load(std::memory_order_relaxed)) {
        const int64_t n = next_id.fetch_add(1);
        const int64_t t0 = NowNs();
        Result<registry::Person> p = a.people().Create(who, TestPerson(n, org_id));
        mine.Add(NowNs() - t0);
        if (p.ok()) {
          created.fetch_add(1, std::memory_order_relaxed);
        } else {
          errors.fetch_add(1, std::memory_order_relaxed);
          if (error.empty()) {
            error = p.status().ToString();
          }
        }
      }
      std::lock_guard<std::mutex> l(mu);
      mine.MoveInto(all);
      if (out.first_error.empty()) {
        out.first_error = error;
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  for (std::thread& th : pool) {
    th.join();
  }
  out.seconds = static_cast<double>(NowNs() - start) / 1e9;
  out.created = created;
  out.errors = errors;
  out.latency = all.Summarize();
  return out;
}

// What makes a commit durable on this backend, read from the database itself.
std::string Durability(app::App& a) {
  const bool pg = a.backend() == "postgres";
  Result<std::unique_ptr<store::Tx>> tx = a.store().Begin(store::TxMode::kReadOnly);
  if (!tx.ok()) {
    return "unknown";
  }
  std::string out;
  for (const char* q : pg ? std::vector<const char*>{"SHOW fsync", "SHOW synchronous_commit"}
                          : std::vector<const char*>{"PRAGMA synchronous", "PRAGMA journal_mode"}) {
    Result<store::Rows> rows = (*tx)->Query(q);
    std::string v = rows.ok() && !rows->empty() ? (*rows)[0].Text(0) : "?";
    if (!pg && std::string(q) == "PRAGMA synchronous") {
      v = v == "2" ? "FULL" : v == "3" ? "EXTRA" : v == "1" ? "NORMAL" : v == "0" ? "OFF" : v;
    }
    out += (out.empty() ? "" : ", ") + std::string(q).substr(pg ? 5 : 7) + "=" + v;
  }
  (*tx)->Rollback();
  return out;
}

int RunBackend(const Flags& f, const std::string& name, const app::Config& config,
               const std::string& note) {
  Result<std::unique_ptr<app::App>> a = app::App::Open(config);
  if (!a.ok()) {
    std::cerr << "audit_write_benchmark: " << a.status().ToString() << "\n";
    return 1;
  }
  app::App& app = **a;
  std::cout << "\n== " << name << ": " << Durability(app) << note << " ==" << std::endl;
  const std::string code = "BENCH" + std::to_string(std::time(nullptr));
  Result<registry::Org> org =
      app.orgs().CreateOrg(auth::Principal::System(), {.code = code,
                                                       .name = "郧西县人大常委会基准测试",
                                                       .kind = "standing_committee",
                                                       .region_code = "420322"});
  if (!org.ok()) {
    std::cerr << "audit_write_benchmark: creating the org: " << org.status().ToString() << "\n";
    return 1;
  }
  std::atomic<int64_t> next_id{f.id_offset};
  // Warm the caches and the statement cache once, unmeasured.
  (void)RunThreads(app, org->id, 4, 0.5, next_id);

  std::printf("%8s %12s %10s %10s %10s %8s %12s\n", "threads", "creates/s", "p50", "p99", "max",
              "errors", "vs 1 thread");
  std::vector<RunResult> runs;
  for (int t : f.threads) {
    runs.push_back(RunThreads(app, org->id, t, f.seconds, next_id));
    const RunResult& r = runs.back();
    const double base = runs.front().threads == 1 ? runs.front().rate() : 0;
    std::printf("%8d %12s %10s %10s %10s %8lld %12s\n", r.threads, FormatCount(r.rate()).c_str(),
                FormatMs(r.latency.p50_ns).c_str(), FormatMs(r.latency.p99_ns).c_str(),
                FormatMs(r.latency.max_ns).c_str(), static_cast<long long>(r.errors),
                base > 0 ? Times(r.rate() / base).c_str() : "-");
    std::fflush(stdout);
    if (r.errors > 0) {
      std::cout << "  first error: " << r.first_error << std::endl;
    }
  }
  Result<audit::VerifyReport> v = app.audit().Verify(app.store());
  std::cout
      << "Audit chain after the runs: "
      << (v.ok() ? (v->ok ? "OK, " + FormatCount(static_cast<double>(v->events_checked)) + " events"
                          : "BROKEN at " + std::to_string(*v->first_broken_seq) + ": " + v->reason)
                 : v.status().ToString())
      << std::endl;

  const RunResult* best = &runs.front();
  const RunResult* single = nullptr;
  for (const RunResult& r : runs) {
    if (r.rate() > best->rate()) {
      best = &r;
    }
    if (r.threads == 1) {
      single = &r;
    }
  }
  const bool chain_ok = v.ok() && v->ok;
  PrintSummary({.figure = "audited creates/s, " + name + ", best of " +
                          std::to_string(runs.size()) + " thread counts (" +
                          std::to_string(best->threads) + " threads)",
                .value = FormatCount(best->rate()) + "/s",
                .peer = single ? "1 thread: " + FormatCount(single->rate()) + "/s" : "-",
                .ratio = single ? Times(best->rate() / single->rate()) : "-",
                .target = name == "SQLite" ? ">= " + FormatCount(f.target) + "/s" : "-",
                .met = name == "SQLite" ? YesNo(best->rate() >= f.target && chain_ok) : "-"});
  return chain_ok ? 0 : 1;
}

}  // namespace
}  // namespace jiandu::bench

int main(int argc, char** argv) {
  jiandu::bench::Flags f;
  if (const char* url = std::getenv("JIANDU_TEST_PG_URL")) {
    f.pg_url = url;
  }
  CLI::App cli{"Jiandu audited-write benchmark: PersonService::Create from many threads"};
  cli.add_option("--dir", f.dir, "where the SQLite data directory is created (use a real disk)")
      ->capture_default_str();
  cli.add_option("--threads", f.threads, "thread counts to run")
      ->delimiter(',')
      ->capture_default_str();
  cli.add_option("--seconds", f.seconds, "length of each run")->capture_default_str();
  cli.add_option("--pg-url", f.pg_url, "also run on this PostgreSQL (default $JIANDU_TEST_PG_URL)");
  cli.add_option("--id-offset", f.id_offset, "first test ID number index (for a reused database)")
      ->capture_default_str();
  bool pg_only = false;
  cli.add_flag("--pg-only", pg_only, "skip the SQLite runs");
  CLI11_PARSE(cli, argc, argv);
  using namespace jiandu::bench;
  try {
    std::cout << "Machine: " << MachineSummary() << std::endl;
    std::cout << "Each create: PersonService::Create (validate, seal + HMAC the ID number, "
                 "INSERT, append an audit event, durable commit), system principal."
              << std::endl;
    int rc = 0;
    std::vector<std::string> cleanup;
    if (!pg_only) {
      jiandu::Result<std::string> dir = MakeTempDir(f.dir, "jiandu-audit-write.");
      if (!dir.ok()) {
        std::cerr << "audit_write_benchmark: " << dir.status().ToString() << "\n";
        return 1;
      }
      cleanup.push_back(*dir);
      const std::string fs = FileSystemType(*dir);
      rc |=
          RunBackend(f, "SQLite", {.data_dir = *dir},
                     "; data on " + fs +
                         (fs == "tmpfs" ? " (fsync costs nothing there: not a real figure)" : ""));
    }
    if (!f.pg_url.empty()) {
      jiandu::Result<std::string> dir = MakeTempDir(DefaultTempBase(), "jiandu-audit-pg.");
      if (dir.ok()) {
        cleanup.push_back(*dir);
        rc |= RunBackend(f, "PostgreSQL",
                         {.database_url = f.pg_url, .secret_key_file = *dir + "/secret.key"}, "");
      }
    }
    for (const std::string& d : cleanup) {
      std::error_code ec;
      std::filesystem::remove_all(d, ec);
    }
    return rc;
  } catch (const std::exception& e) {
    std::cerr << "audit_write_benchmark: internal error: " << e.what() << "\n";
    return 1;
  }
}
