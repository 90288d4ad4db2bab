// bench/monitor: rules (a)–(e) of issue 5 on Jiandu's native engine, on DuckDB (the peer) and on
// PostgreSQL 15 (the SQL Jiandu compiles), over the same generated CSV files, in one run.
// Prints each phase's time per engine, the warning counts per rule per engine (which must be
// identical: the run fails otherwise) and the ratios Jiandu / DuckDB (docs/benchmarks.md).
//
//   monitor_benchmark --dir bench-output/monitor-data [--scale 0.05] [--no-duckdb] [--no-pg]
//   (PostgreSQL is used when JIANDU_TEST_PG_URL is set: run under scripts/with-postgres.sh.)
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

#include "bench/common/summary.h"
#include "bench/common/system.h"
#include "bench/monitor/data_generator.h"
#include "monitor/engine/native_executor.h"
#include "monitor/engine/rule_library.h"
#include "monitor/engine/sql_compiler.h"
#include "monitor/engine/sql_executor.h"
#include "monitor/import/csv_loader.h"
#include "monitor/import/schema_toml.h"
#include "store/postgres/postgres_store.h"

namespace jiandu::bench {
namespace {

using monitor::Rule;
using monitor::Table;
using monitor::Warning;

constexpr const char* kDatasets[] = {"people", "officials", "relatives", "payments", "projects"};
constexpr const char* kRules[] = {"R01", "R02", "G01", "R07", "G02"};
constexpr const char* kRuleNames[] = {"(a) R01 deceased payee", "(b) R02 relative of official",
                                      "(c) G01 projects per official", "(d) R07 duplicate payment",
                                      "(e) G02 amount > k x median"};

struct Options {
  std::string dir;
  double scale = 1.0;
  uint64_t seed = 20261124;
  int threads = 0;
  int repeat = 3;
  bool reuse = false;
  bool duckdb = true;
  bool pg = true;
  std::string node = "node";
  std::string duckdb_script;
};

double Seconds(int64_t from_ns) { return static_cast<double>(NowNs() - from_ns) / 1e9; }

// VmHWM / VmRSS of this process in bytes.
uint64_t StatusBytes(const char* field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field, 0) == 0) {
      return std::stoull(line.substr(std::strlen(field) + 1)) * 1024;
    }
  }
  return 0;
}
// Resets VmHWM to the current RSS (Linux ≥ 4.0), so a later read is the peak of what follows.
void ResetPeak() {
  std::ofstream out("/proc/self/clear_refs");
  out << "5";
}

std::string Fixed(double v, int digits = 2) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}
std::string Mb(uint64_t bytes) { return Fixed(static_cast<double>(bytes) / 1e6, 0) + " MB"; }

Result<std::string> ReadFile(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return Status::Unavailable("cannot read " + path);
  std::string data;
  std::fseek(f, 0, SEEK_END);
  data.resize(static_cast<size_t>(std::ftell(f)));
  std::fseek(f, 0, SEEK_SET);
  size_t got = std::fread(data.data(), 1, data.size(), f);
  std::fclose(f);
  if (got != data.size()) return Status::Unavailable("short read of " + path);
  return data;
}

struct EnginePhase {
  double seconds = -1;  // < 0: not run
  int64_t count = -1;
};

struct Report {
  uint64_t csv_bytes = 0;
  EnginePhase load[3];                      // jiandu, duckdb, postgres
  std::map<std::string, EnginePhase> rule[3];
  double prepare_seconds = 0;
  double incremental_seconds = 0;
  size_t batch_rows = 0;
  int64_t incremental_warnings = 0;
  uint64_t column_bytes = 0;
  uint64_t peak_after_load = 0;
  uint64_t peak_engine = 0;
  uint64_t rss_after_load = 0;                      // VmRSS when the rules start
  std::vector<std::pair<std::string, uint64_t>> phase_peaks;  // VmHWM per engine phase
  std::string duckdb_version;
};

monitor::SchemaLookup Lookup(const std::map<std::string, monitor::DatasetSchema, std::less<>>& m) {
  return [&m](std::string_view name) -> const monitor::DatasetSchema* {
    auto it = m.find(name);
    return it == m.end() ? nullptr : &it->second;
  };
}

class Benchmark {
 public:
  explicit Benchmark(Options o) : o_(std::move(o)) {}
  Status Run();

 private:
  Status Prepare();
  Status RunJiandu();
  Status RunDuckDb();
  Status RunPostgres();
  Status Check();
  void Print();

  Options o_;
  Report r_;
  std::vector<GeneratedFile> files_;
  std::map<std::string, monitor::DatasetSchema, std::less<>> schemas_;
  std::vector<Rule> rules_;
  std::map<std::string, std::vector<uint64_t>> native_keys_;
};

Status Benchmark::Prepare() {
  for (const char* name : kDatasets) {
    JIANDU_ASSIGN_OR_RETURN(schemas_[name], monitor::BuiltinSchema(name));
  }
  for (const char* id : kRules) {
    JIANDU_ASSIGN_OR_RETURN(Rule rule, monitor::LoadBuiltinRule(id, Lookup(schemas_)));
    rules_.push_back(std::move(rule));
  }
  ::mkdir(o_.dir.c_str(), 0755);
  std::string manifest = o_.dir + "/manifest.txt";
  std::string want = "scale=" + Fixed(o_.scale, 4) + " seed=" + std::to_string(o_.seed) + "\n";
  if (o_.reuse && ReadFileOrEmpty(manifest) == want) {
    for (const char* name : kDatasets) {
      std::string path = o_.dir + "/" + name + ".csv";
      struct stat st {};
      if (::stat(path.c_str(), &st) != 0) return Status::Unavailable("missing " + path);
      files_.push_back({name, path, static_cast<uint64_t>(st.st_size), 0});
    }
    std::printf("reusing the CSV files in %s (%s)\n", o_.dir.c_str(), want.c_str());
  } else {
    int64_t t0 = NowNs();
    JIANDU_ASSIGN_OR_RETURN(files_, GenerateMonitorData({o_.dir, o_.scale, o_.seed,
                                                         o_.threads > 0 ? o_.threads : 2}));
    std::ofstream(manifest) << want;
    std::printf("generated the CSV files in %.1f s\n", Seconds(t0));
  }
  for (const GeneratedFile& f : files_) {
    r_.csv_bytes += f.bytes;
    std::printf("  %-10s %10s  %s\n", f.dataset.c_str(), Mb(f.bytes).c_str(), f.path.c_str());
  }
  return Status::Ok();
}

Status Benchmark::RunJiandu() {
  std::map<std::string, Table, std::less<>> tables;
  monitor::CsvOptions csv;
  csv.threads = static_cast<unsigned>(std::max(o_.threads, 0));
  double load = 0;
  for (const GeneratedFile& f : files_) {
    int64_t t0 = NowNs();
    JIANDU_ASSIGN_OR_RETURN(std::string bytes, ReadFile(f.path));
    JIANDU_ASSIGN_OR_RETURN(monitor::LoadResult loaded,
                            monitor::LoadCsv(schemas_[f.dataset], bytes, csv));
    load += Seconds(t0);
    if (loaded.error_count != 0) {
      return Status::Internal(f.dataset + ": " + std::to_string(loaded.error_count) +
                              " bad rows, first: " + loaded.errors[0].reason);
    }
    r_.column_bytes += loaded.table.ByteSize();
    tables[f.dataset] = std::move(loaded.table);
  }
  r_.load[0] = {load, 0};
  r_.peak_after_load = StatusBytes("VmHWM:");
  r_.rss_after_load = StatusBytes("VmRSS:");
  ResetPeak();
  // The engine phase's peak is the highest of the phases' peaks (each measured from a reset).
  auto phase_done = [this](std::string name) {
    uint64_t peak = StatusBytes("VmHWM:");
    r_.phase_peaks.emplace_back(std::move(name), peak);
    r_.peak_engine = std::max(r_.peak_engine, peak);
    ResetPeak();
  };
  monitor::TableSet set;
  for (auto& [name, t] : tables) set[name] = &t;
  monitor::ExecOptions exec;
  exec.threads = o_.threads;
  for (const Rule& rule : rules_) {
    EnginePhase best;
    for (int i = 0; i < o_.repeat; ++i) {
      int64_t t0 = NowNs();
      JIANDU_ASSIGN_OR_RETURN(std::vector<Warning> w, monitor::RunRule(rule, set, exec));
      double s = Seconds(t0);
      if (best.seconds < 0 || s < best.seconds) best.seconds = s;
      best.count = static_cast<int64_t>(w.size());
      if (i == 0) {
        std::vector<uint64_t>& keys = native_keys_[rule.id];
        for (const Warning& x : w) keys.push_back(x.key);
      }
    }
    r_.rule[0][rule.id] = best;
    phase_done("run " + rule.id);
  }
  // Incremental: a batch of new payments against all five rules.
  GeneratorOptions gen{o_.dir, o_.scale, o_.seed, 1};
  std::string batch_csv = GenerateNewPayments(gen, 10'000);
  JIANDU_ASSIGN_OR_RETURN(monitor::LoadResult batch,
                          monitor::LoadCsv(schemas_["payments"], batch_csv, csv));
  r_.batch_rows = batch.table.rows;
  int64_t t0 = NowNs();
  std::vector<std::unique_ptr<monitor::PreparedRule>> prepared;
  for (const Rule& rule : rules_) {
    JIANDU_ASSIGN_OR_RETURN(auto p, monitor::PreparedRule::Prepare(rule, set, exec));
    prepared.push_back(std::move(p));
  }
  r_.prepare_seconds = Seconds(t0);
  phase_done("prepare all");
  r_.incremental_seconds = -1;
  for (int i = 0; i < o_.repeat; ++i) {
    int64_t t1 = NowNs();
    int64_t found = 0;
    for (const auto& p : prepared) {
      JIANDU_ASSIGN_OR_RETURN(std::vector<Warning> w, p->RunIncremental("payments", batch.table));
      found += static_cast<int64_t>(w.size());
    }
    double s = Seconds(t1);
    if (r_.incremental_seconds < 0 || s < r_.incremental_seconds) r_.incremental_seconds = s;
    r_.incremental_warnings = found;
  }
  phase_done("incremental");
  return Status::Ok();
}

Status Benchmark::RunDuckDb() {
  nlohmann::json job;
  job["threads"] = o_.threads > 0 ? o_.threads : static_cast<int>(AllowedCpus().size());
  job["repeat"] = o_.repeat;
  for (const GeneratedFile& f : files_) {
    job["load"].push_back({{"name", f.dataset},
                           {"sql", monitor::LoadCsvSql(schemas_[f.dataset], f.path,
                                                       monitor::SqlDialect::kDuckDb)}});
  }
  for (const Rule& rule : rules_) {
    JIANDU_ASSIGN_OR_RETURN(monitor::CompiledRule c,
                            monitor::CompileRule(rule, Lookup(schemas_),
                                                 monitor::SqlDialect::kDuckDb));
    job["rules"].push_back({{"id", rule.id}, {"sql", c.sql}});
  }
  std::string job_path = o_.dir + "/duckdb_job.json";
  std::ofstream(job_path) << job.dump(2);
  JIANDU_ASSIGN_OR_RETURN(CommandOutput out,
                          RunCommand({o_.node, o_.duckdb_script, job_path}));
  if (out.exit_code != 0) {
    return Status::Internal("the DuckDB script failed (exit " + std::to_string(out.exit_code) +
                            "); is @duckdb/node-api installed? (scripts/run-benchmarks.sh "
                            "installs it into bench/monitor/node_modules)");
  }
  std::istringstream lines(out.out);
  std::string line;
  double load = 0;
  while (std::getline(lines, line)) {
    nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded()) continue;
    if (j["phase"] == "version") r_.duckdb_version = j["version"].get<std::string>();
    if (j["phase"] == "load") load += j["seconds"].get<double>();
    if (j["phase"] == "rule") {
      r_.rule[1][j["id"].get<std::string>()] = {j["seconds"].get<double>(),
                                                 j["count"].get<int64_t>()};
    }
  }
  r_.load[1] = {load, 0};
  return Status::Ok();
}

Status Benchmark::RunPostgres() {
  const char* url = std::getenv("JIANDU_TEST_PG_URL");
  if (url == nullptr) {
    std::printf("PostgreSQL: skipped (JIANDU_TEST_PG_URL not set; run under "
                "scripts/with-postgres.sh)\n");
    return Status::Ok();
  }
  JIANDU_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> db,
                          store::OpenPostgresStore({.conninfo = url, .pool_size = 2}));
  int64_t t0 = NowNs();
  for (const GeneratedFile& f : files_) {
    ::chmod(f.path.c_str(), 0644);  // the server reads the file itself (COPY FROM 'path')
    JIANDU_RETURN_IF_ERROR(store::RunInTransaction(*db, store::TxMode::kReadWrite, [&](store::Tx& tx) {
      for (const std::string& sql : monitor::LoadCsvSql(schemas_[f.dataset], f.path,
                                                        monitor::SqlDialect::kPostgres)) {
        JIANDU_RETURN_IF_ERROR(tx.ExecScript(sql));
      }
      return Status::Ok();
    }));
  }
  r_.load[2] = {Seconds(t0), 0};
  for (const Rule& rule : rules_) {
    JIANDU_ASSIGN_OR_RETURN(monitor::CompiledRule c, monitor::CompileRule(rule, Lookup(schemas_)));
    JIANDU_ASSIGN_OR_RETURN(auto tx, db->Begin(store::TxMode::kReadOnly));
    JIANDU_RETURN_IF_ERROR(tx->ExecScript("SET LOCAL work_mem = '1GB'"));
    int64_t t1 = NowNs();
    JIANDU_ASSIGN_OR_RETURN(std::vector<Warning> w, monitor::RunRuleSql(rule, c, *tx));
    r_.rule[2][rule.id] = {Seconds(t1), static_cast<int64_t>(w.size())};
    const std::vector<uint64_t>& native = native_keys_[rule.id];
    bool same = native.size() == w.size();
    for (size_t i = 0; same && i < w.size(); ++i) same = native[i] == w[i].key;
    if (!same) {
      return Status::Internal("rule " + rule.id + ": PostgreSQL's warnings differ from Jiandu's");
    }
  }
  return Status::Ok();
}

Status Benchmark::Check() {
  bool ok = true;
  for (const char* id : kRules) {
    int64_t want = r_.rule[0][id].count;
    for (int e = 1; e < 3; ++e) {
      auto it = r_.rule[e].find(id);
      if (it != r_.rule[e].end() && it->second.count != want) {
        std::fprintf(stderr, "MISMATCH: rule %s: Jiandu %lld warnings, %s %lld\n", id,
                     static_cast<long long>(want), e == 1 ? "DuckDB" : "PostgreSQL",
                     static_cast<long long>(it->second.count));
        ok = false;
      }
    }
  }
  return ok ? Status::Ok() : Status::Internal("the engines found different warnings");
}

void Benchmark::Print() {
  auto cell = [](const EnginePhase& p) { return p.seconds < 0 ? std::string("-") : Fixed(p.seconds, 3) + " s"; };
  auto count = [](const std::map<std::string, EnginePhase>& m, const char* id) {
    auto it = m.find(id);
    return it == m.end() ? std::string("-") : std::to_string(it->second.count);
  };
  std::printf("\n%-32s %12s %12s %12s %14s\n", "phase", "jiandu", "duckdb", "postgres",
              "jiandu/duckdb");
  double lr = r_.load[1].seconds > 0 ? r_.load[0].seconds / r_.load[1].seconds : 0;
  std::printf("%-32s %12s %12s %12s %14s\n", ("load CSV (" + Mb(r_.csv_bytes) + ")").c_str(),
              cell(r_.load[0]).c_str(), cell(r_.load[1]).c_str(), cell(r_.load[2]).c_str(),
              r_.load[1].seconds > 0 ? Fixed(lr, 2).c_str() : "-");
  for (size_t i = 0; i < std::size(kRules); ++i) {
    const char* id = kRules[i];
    const EnginePhase& j = r_.rule[0][id];
    auto d = r_.rule[1].count(id) ? r_.rule[1][id] : EnginePhase{};
    auto p = r_.rule[2].count(id) ? r_.rule[2][id] : EnginePhase{};
    std::printf("%-32s %12s %12s %12s %14s\n", kRuleNames[i], cell(j).c_str(), cell(d).c_str(),
                cell(p).c_str(), d.seconds > 0 ? Fixed(j.seconds / d.seconds, 2).c_str() : "-");
  }
  std::printf("\nwarnings per rule      jiandu     duckdb   postgres\n");
  for (const char* id : kRules) {
    std::printf("  %-8s %14s %10s %10s\n", id, count(r_.rule[0], id).c_str(),
                count(r_.rule[1], id).c_str(), count(r_.rule[2], id).c_str());
  }
  double mbs = static_cast<double>(r_.csv_bytes) / 1e6 / r_.load[0].seconds;
  std::printf("\nJiandu load throughput: %.0f MB/s\n", mbs);
  std::printf("incremental: %zu new payments x 5 rules: %.1f ms (prepare once: %.2f s), %lld "
              "warnings\n",
              r_.batch_rows, r_.incremental_seconds * 1e3, r_.prepare_seconds,
              static_cast<long long>(r_.incremental_warnings));
  std::printf("memory: typed columns %s; peak RSS after load %s; peak RSS while running rules, "
              "preparing and checking the batch %s (%.2fx the columns)\n",
              Mb(r_.column_bytes).c_str(), Mb(r_.peak_after_load).c_str(),
              Mb(r_.peak_engine).c_str(),
              static_cast<double>(r_.peak_engine) / static_cast<double>(r_.column_bytes));
  std::printf("memory by phase: RSS when the rules start %s; peak", Mb(r_.rss_after_load).c_str());
  for (const auto& [name, peak] : r_.phase_peaks) std::printf(" | %s %s", name.c_str(), Mb(peak).c_str());
  std::printf("\n");
  if (!r_.duckdb_version.empty()) std::printf("duckdb: %s\n", r_.duckdb_version.c_str());
  std::printf("\n");
  auto yes = [](bool b) { return std::string(b ? "yes" : "no"); };
  bool have_duck = r_.load[1].seconds > 0;
  PrintSummary({"monitor: load " + Mb(r_.csv_bytes) + " CSV", cell(r_.load[0]) + " (" + Fixed(mbs, 0) + " MB/s)",
                have_duck ? "DuckDB: " + cell(r_.load[1]) : "-", have_duck ? Fixed(lr, 2) : "-",
                "< 1 and >= 300 MB/s", have_duck ? yes(lr < 1 && mbs >= 300) : "-"});
  for (size_t i = 0; i < std::size(kRules); ++i) {
    const char* id = kRules[i];
    const EnginePhase& j = r_.rule[0][id];
    bool has = r_.rule[1].count(id) > 0;
    double ratio = has ? j.seconds / r_.rule[1][id].seconds : 0;
    double target = std::string(id) == "R07" ? 1 / 1.5 : 1.0;
    PrintSummary({std::string("monitor: ") + kRuleNames[i], cell(j),
                  has ? "DuckDB: " + cell(r_.rule[1][id]) : "-", has ? Fixed(ratio, 2) : "-",
                  std::string(id) == "R07" ? "<= 0.67" : "< 1",
                  has ? yes(ratio < target || (std::string(id) == "R07" && ratio <= target)) : "-"});
  }
  PrintSummary({"monitor: incremental 10k payments x 5 rules",
                Fixed(r_.incremental_seconds * 1e3, 1) + " ms", "-", "-", "< 50 ms",
                yes(r_.incremental_seconds < 0.05)});
  double mem = static_cast<double>(r_.peak_engine) / static_cast<double>(r_.column_bytes);
  PrintSummary({"monitor: peak RSS / typed columns (engine phase)", Fixed(mem, 2) + "x", "-", "-",
                "<= 2x", yes(mem <= 2)});
}

Status Benchmark::Run() {
  std::printf("machine: %s\nscale: %g (seed %llu), threads: %s, best of %d\n",
              MachineSummary().c_str(), o_.scale, static_cast<unsigned long long>(o_.seed),
              o_.threads > 0 ? std::to_string(o_.threads).c_str() : "all", o_.repeat);
  JIANDU_RETURN_IF_ERROR(Prepare());
  JIANDU_RETURN_IF_ERROR(RunJiandu());
  if (o_.duckdb) JIANDU_RETURN_IF_ERROR(RunDuckDb());
  if (o_.pg) JIANDU_RETURN_IF_ERROR(RunPostgres());
  Print();
  return Check();
}

}  // namespace
}  // namespace jiandu::bench

int main(int argc, char** argv) {
  jiandu::bench::Options o;
  CLI::App app{"Rules (a)-(e) on Jiandu's native engine, DuckDB and PostgreSQL (docs/benchmarks.md)"};
  app.add_option("--dir", o.dir, "directory for the generated CSV files")->required();
  app.add_option("--scale", o.scale, "row counts x this (1 = 5M people, 10M payments)");
  app.add_option("--seed", o.seed, "generator seed");
  app.add_option("--threads", o.threads, "threads for every engine (0 = all CPUs)");
  app.add_option("--repeat", o.repeat, "runs per rule; the best counts");
  app.add_flag("--reuse", o.reuse, "reuse CSV files generated earlier with the same scale/seed");
  app.add_flag("!--no-duckdb", o.duckdb, "skip DuckDB");
  app.add_flag("!--no-pg", o.pg, "skip PostgreSQL");
  app.add_option("--node", o.node, "node executable");
  app.add_option("--duckdb-script", o.duckdb_script, "path of bench/monitor/duckdb_run.mjs");
  CLI11_PARSE(app, argc, argv);
  if (o.duckdb_script.empty()) {
    o.duckdb_script = std::string(JIANDU_SOURCE_DIR) + "/bench/monitor/duckdb_run.mjs";
  }
  try {
    jiandu::Status s = jiandu::bench::Benchmark(o).Run();
    if (!s.ok()) {
      std::fprintf(stderr, "monitor_benchmark: %s\n", s.ToString().c_str());
      return 1;
    }
  } catch (const std::exception& e) {  // last-resort handler (STYLE.md §2)
    std::fprintf(stderr, "monitor_benchmark: unexpected exception: %s\n", e.what());
    return 1;
  }
  return 0;
}
