// audit_verify_benchmark: how long `audit verify` takes over 1,000,000 events, against the
// floor of a plain sqlite3 scan of the same table.
//
// The events are generated quickly (AuditLog::Append in large transactions on a SQLite store
// opened with durable=false), then timed, in order:
//   peer   sqlite3 <db> "SELECT count(*), sum(length(hash)) FROM audit_event"  (the floor),
//          and the same shell reading every column Verify reads
//   scan   the chunked SELECT that Verify runs, through store::Tx (rows materialised, no hashing)
//   hash   the two SHA-256 computations per event alone, on inputs of the same size, through
//          core::Sha256 and through OpenSSL with the digest fetched once (the proposed fix)
//   verify AuditLog::Verify in this process
//   cli    `jiandu audit verify --data <dir>` end to end (process start, migrations check, verify)
//   what-if  (--what-if) Verify again on a copy whose audit_event.seq is the rowid
//            (see MakeRowidCopy)
// so that the gap between the floor and Verify can be attributed.
//
//   build/bench/audit_verify_benchmark --jiandu build/src/cli/jiandu --events 1000000
#include <openssl/evp.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>

#include "app/app.h"
#include "bench/common/latency.h"
#include "bench/common/summary.h"
#include "bench/common/system.h"
#include "core/clock.h"
#include "core/sha256.h"
#include "store/sqlite/sqlite_store.h"

namespace jiandu::bench {
namespace {

struct Flags {
  std::string dir = DefaultTempBase();
  std::string data;  // reuse this data directory when it already holds enough events
  std::string jiandu = "build/src/cli/jiandu";
  std::string sqlite3 = "sqlite3";
  int64_t events = 1'000'000;
  int64_t batch = 2000;
  double target_seconds = 2;
  bool keep = false;
  bool what_if = false;
  int repeat = 3;
};

double Seconds(int64_t from_ns) { return static_cast<double>(NowNs() - from_ns) / 1e9; }

std::string Secs(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f s", s);
  return buf;
}

// Events like the ones the services write: a few actors, actions and organisations.
audit::EventInput MakeEvent(int64_t i) {
  static const char* kActions[] = {"person.create", "person.update", "appointment.create",
                                   "person.reveal", "org.update"};
  static const char* kPaths[] = {"/1/2/5/", "/1/2/5/7/", "/1/2/5/12/", "/1/2/6/"};
  audit::EventInput e;
  e.actor = "user:" + std::to_string(3 + i % 9);
  e.action = kActions[i % 5];
  e.entity_type = e.action.substr(0, e.action.find('.'));
  e.entity_id = std::to_string(1 + i % 20000);
  e.org_path = kPaths[i % 4];
  e.change.Set("name", "", "n" + std::to_string(i));
  if (i % 3 == 0) {
    e.change.Touch("phone");
  }
  return e;
}

Result<int64_t> CountEvents(store::Store& s) {
  JIANDU_ASSIGN_OR_RETURN(std::unique_ptr<store::Tx> tx, s.Begin(store::TxMode::kReadOnly));
  JIANDU_ASSIGN_OR_RETURN(std::optional<store::Row> r,
                          tx->QueryOne("SELECT seq FROM audit_head WHERE id = 1"));
  tx->Rollback();
  return r ? r->Int(0) : 0;
}

// Appends events until the log holds `total`.
Status Generate(const std::string& data_dir, int64_t total, int64_t batch) {
  std::filesystem::create_directories(data_dir);
  JIANDU_ASSIGN_OR_RETURN(
      std::unique_ptr<store::Store> s,
      store::OpenSqliteStore({.path = data_dir + "/jiandu.db", .durable = false}));
  std::vector<store::Migration> migrations = app::AllMigrations();
  JIANDU_RETURN_IF_ERROR(s->Migrate(migrations));
  audit::AuditLog log(core::SystemClock());
  JIANDU_ASSIGN_OR_RETURN(int64_t have, CountEvents(*s));
  if (have >= total) {
    std::cout << "Reusing " << FormatCount(static_cast<double>(have)) << " events in " << data_dir
              << std::endl;
    return Status::Ok();
  }
  const int64_t start = NowNs();
  for (int64_t i = have; i < total;) {
    JIANDU_ASSIGN_OR_RETURN(std::unique_ptr<store::Tx> tx, s->Begin(store::TxMode::kReadWrite));
    if (i == have) {
      // The random-order index on (entity_type, entity_id, seq) outgrows the store's 16 MB page
      // cache after ~200,000 events and generation slows down sharply; give the (throwaway)
      // writer connection room for the whole database.
      JIANDU_RETURN_IF_ERROR(tx->ExecScript("PRAGMA cache_size=-1000000"));
    }
    for (int64_t end = std::min(total, i + batch); i < end; ++i) {
      JIANDU_RETURN_IF_ERROR(log.Append(*tx, MakeEvent(i)).status());
    }
    JIANDU_RETURN_IF_ERROR(tx->Commit());
  }
  std::cout << "Generated " << FormatCount(static_cast<double>(total - have)) << " events in "
            << Secs(Seconds(start)) << " (durable=false, " << batch << " per transaction)"
            << std::endl;
  return Status::Ok();
}

// The rows Verify reads, read the way Verify reads them, without checking anything.
Result<int64_t> ScanLikeVerify(store::Store& s) {
  JIANDU_ASSIGN_OR_RETURN(std::unique_ptr<store::Tx> tx, s.Begin(store::TxMode::kReadOnly));
  const char* sql =
      "SELECT seq, at, actor, action, entity_type, entity_id, org_path, summary, change_digest, "
      "prev_hash, hash FROM audit_event WHERE seq > ? ORDER BY seq LIMIT ?";
  int64_t last = 0, rows_seen = 0;
  for (;;) {
    JIANDU_ASSIGN_OR_RETURN(store::Rows rows, tx->Query(sql, {last, int64_t{20000}}));
    for (const store::Row& r : rows) {
      last = r.Int(0);
      ++rows_seen;
    }
    if (rows.size() < 20000) {
      break;
    }
  }
  tx->Rollback();
  return rows_seen;
}

// Two SHA-256 per event on inputs of the sizes Verify hashes (a ~150-byte leaf encoding, then
// 0x02 || prev || leaf = 65 bytes), plus the hex encoding of the chain hash.
int64_t HashOnly(int64_t n) {
  std::string leaf_input(150, 'x');
  std::string chain(65, 'y');
  int64_t sink = 0;
  for (int64_t i = 0; i < n; ++i) {
    leaf_input[1] = static_cast<char>(i);
    std::string leaf = core::Sha256(leaf_input);
    chain.replace(33, 32, leaf);
    sink += static_cast<unsigned char>(core::Sha256Hex(chain)[0]);
  }
  return sink;
}

// The same work with the digest fetched once and one context reused: what core::Sha256 would
// cost without OpenSSL 3's per-call implicit fetch (the fix proposed in docs/benchmarks.md).
int64_t HashOnlyPrefetched(int64_t n) {
  EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  std::string leaf_input(150, 'x');
  std::string chain(65, 'y');
  unsigned char out[32];
  unsigned int len = 0;
  int64_t sink = 0;
  for (int64_t i = 0; i < n; ++i) {
    leaf_input[1] = static_cast<char>(i);
    EVP_DigestInit_ex2(ctx, md, nullptr);
    EVP_DigestUpdate(ctx, leaf_input.data(), leaf_input.size());
    EVP_DigestFinal_ex(ctx, out, &len);
    chain.replace(33, 32, reinterpret_cast<const char*>(out), 32);
    EVP_DigestInit_ex2(ctx, md, nullptr);
    EVP_DigestUpdate(ctx, chain.data(), chain.size());
    EVP_DigestFinal_ex(ctx, out, &len);
    sink += static_cast<unsigned char>(
        core::HexEncode(std::string_view(reinterpret_cast<const char*>(out), len))[0]);
  }
  EVP_MD_CTX_free(ctx);
  EVP_MD_free(md);
  return sink;
}

// Runs `fn` (which returns false on failure) `repeat` times; the fastest wall time, or -1 if a
// run failed. On a shared machine the minimum is the figure least disturbed by other processes.
template <typename Fn>
double Fastest(int repeat, Fn&& fn) {
  double best = -1;
  for (int i = 0; i < repeat; ++i) {
    const int64_t t = NowNs();
    if (!fn()) {
      return -1;
    }
    const double s = Seconds(t);
    best = best < 0 ? s : std::min(best, s);
  }
  return best;
}

// Runs one statement with the sqlite3 shell; its standard output.
Result<std::string> Sqlite3(const Flags& f, const std::string& db, const std::string& sql) {
  JIANDU_ASSIGN_OR_RETURN(CommandOutput o, RunCommand({f.sqlite3, db, sql}));
  if (o.exit_code != 0) {
    return Status::Internal("sqlite3 failed on: " + sql.substr(0, 80));
  }
  return o.out;
}

// What-if: a copy of the database whose audit_event.seq is SQLite's rowid. `seq BIGINT PRIMARY
// KEY` is not a rowid alias in SQLite (only `INTEGER PRIMARY KEY` is), so SQLite backs it with
// a separate unique index, and Verify's `WHERE seq > ? ORDER BY seq` walks that index and looks
// every row up in the table. The copy has the same columns and the same other indexes.
Result<std::string> MakeRowidCopy(const Flags& f, const std::string& db) {
  JIANDU_ASSIGN_OR_RETURN(std::string dir, MakeTempDir(f.dir, "jiandu-audit-rowid."));
  const std::string copy = dir + "/jiandu.db";
  JIANDU_RETURN_IF_ERROR(Sqlite3(f, db, "VACUUM INTO '" + copy + "'").status());
  JIANDU_ASSIGN_OR_RETURN(
      std::string table,
      Sqlite3(f, copy, "SELECT sql FROM sqlite_master WHERE name = 'audit_event'"));
  JIANDU_ASSIGN_OR_RETURN(
      std::string indexes,
      Sqlite3(f, copy,
              "SELECT sql || ';' FROM sqlite_master WHERE tbl_name = 'audit_event' "
              "AND type = 'index' AND sql IS NOT NULL"));
  const std::string from = "seq BIGINT PRIMARY KEY";
  const size_t at = table.find(from);
  if (at == std::string::npos) {
    return Status::FailedPrecondition("audit_event.seq is not declared '" + from + "'");
  }
  table.replace(at, from.size(), "seq INTEGER PRIMARY KEY");
  table.replace(0, std::string("CREATE TABLE audit_event").size(),
                "CREATE TABLE audit_event_rowid");
  JIANDU_RETURN_IF_ERROR(Sqlite3(f, copy,
                                 "BEGIN; " + table +
                                     "; INSERT INTO audit_event_rowid SELECT * "
                                     "FROM audit_event; DROP TABLE audit_event; ALTER TABLE "
                                     "audit_event_rowid RENAME TO audit_event; " +
                                     indexes + " COMMIT;")
                             .status());
  return dir;
}

// The in-process rows for one data directory: the store-level scan and AuditLog::Verify.
struct InProcess {
  double scan_s = -1;
  double verify_s = -1;
  std::optional<audit::VerifyReport> report;
  Status error;
};

InProcess TimeInProcess(const Flags& f, const std::string& data) {
  InProcess out;
  Result<std::unique_ptr<app::App>> a = app::App::Open({.data_dir = data});
  if (!a.ok()) {
    out.error = a.status();
    return out;
  }
  out.scan_s = Fastest(f.repeat, [&] { return ScanLikeVerify((*a)->store()).ok(); });
  out.verify_s = Fastest(f.repeat, [&] {
    Result<audit::VerifyReport> v = (*a)->audit().Verify((*a)->store());
    if (!v.ok()) {
      out.error = v.status();
      return false;
    }
    out.report = *v;
    return true;
  });
  return out;
}

int Run(const Flags& f) {
  std::cout << "Machine: " << MachineSummary() << std::endl;
  std::string data = f.data;
  if (data.empty()) {
    Result<std::string> d = MakeTempDir(f.dir, "jiandu-audit-verify.");
    if (!d.ok()) {
      std::cerr << "audit_verify_benchmark: " << d.status().ToString() << "\n";
      return 1;
    }
    data = *d;
  }
  if (Status s = Generate(data, f.events, f.batch); !s.ok()) {
    std::cerr << "audit_verify_benchmark: generating: " << s.ToString() << "\n";
    return 1;
  }
  const std::string db = data + "/jiandu.db";
  std::cout << "Database: " << FormatCount(static_cast<double>(std::filesystem::file_size(db)))
            << " bytes on " << FileSystemType(data) << " (page cache warm after generation)"
            << std::endl;
  std::cout << "Each figure is the fastest of " << f.repeat << " runs." << std::endl;

  // The peer: the cheapest full read of the table SQLite itself can do.
  const double peer = Fastest(f.repeat, [&] {
    return Sqlite3(f, db, "SELECT count(*), sum(length(hash)) FROM audit_event").ok();
  });
  if (peer <= 0) {
    std::cerr << "audit_verify_benchmark: " << f.sqlite3 << " failed\n";
    return 1;
  }
  const std::string heading = "step (" + FormatCount(static_cast<double>(f.events)) + " events)";
  std::printf("\n%-60s %10s %10s\n", heading.c_str(), "time", "vs sqlite3");
  auto row = [&](const std::string& what, double s) {
    if (s < 0) {
      std::printf("%-60s %10s\n", what.c_str(), "failed");
    } else {
      std::printf("%-60s %10s %9.1fx\n", what.c_str(), Secs(s).c_str(), s / peer);
    }
    std::fflush(stdout);
  };
  row("peer: sqlite3 shell, count(*), sum(length(hash))", peer);
  const std::string every_column =
      "total(seq + at + length(actor) + length(action) + length(entity_type) + "
      "length(entity_id) + length(org_path) + length(summary) + length(change_digest) + "
      "length(prev_hash) + length(hash))";
  row("  sqlite3 shell reading all 11 columns, table order", Fastest(f.repeat, [&] {
        return Sqlite3(f, db, "SELECT count(*), " + every_column + " FROM audit_event").ok();
      }));
  row("  sqlite3 shell reading all 11 columns, ORDER BY seq", Fastest(f.repeat, [&] {
        return Sqlite3(f, db,
                       "SELECT count(*), " + every_column +
                           " FROM (SELECT * FROM audit_event WHERE seq > 0 ORDER BY seq)")
            .ok();
      }));
  row("2x SHA-256 + hex per event alone (core::Sha256)",
      Fastest(f.repeat, [&] { return HashOnly(f.events) != 1; }));
  row("  same, SHA-256 fetched once, context reused (fix)",
      Fastest(f.repeat, [&] { return HashOnlyPrefetched(f.events) != 1; }));

  InProcess main = TimeInProcess(f, data);
  row("store::Tx chunked SELECT of Verify's columns (no hashing)", main.scan_s);
  row("AuditLog::Verify (in process)", main.verify_s);
  std::string cli_out;
  int cli_exit = -1;
  const double cli_s = Fastest(f.repeat, [&] {
    Result<CommandOutput> c =
        RunCommand({f.jiandu, "audit", "verify", "--data", data}, {}, /*quiet=*/true);
    cli_exit = c.ok() ? c->exit_code : -1;
    cli_out = c.ok() ? c->out : c.status().ToString();
    return cli_exit == 0;
  });
  row("jiandu audit verify --data (end to end)", cli_s);

  if (f.what_if) {
    Result<std::string> copy = MakeRowidCopy(f, db);
    InProcess rowid = copy.ok() ? TimeInProcess(f, *copy) : InProcess{.error = copy.status()};
    if (!rowid.error.ok() || !rowid.report || !rowid.report->ok) {
      std::cout << "what-if (seq as rowid) failed: " << rowid.error.ToString() << std::endl;
    } else {
      row("what-if, seq INTEGER PRIMARY KEY: store::Tx chunked SELECT", rowid.scan_s);
      row("what-if, seq INTEGER PRIMARY KEY: AuditLog::Verify", rowid.verify_s);
    }
    if (copy.ok()) {
      std::error_code ec;
      std::filesystem::remove_all(*copy, ec);
    }
  }

  // The target is stated for 1,000,000 events; other sizes are smoke runs.
  const bool target_applies = f.events == 1'000'000;
  const bool ok =
      main.report && main.report->ok && main.report->events_checked >= f.events && cli_exit == 0;
  std::cout << "\nVerify: "
            << (main.report
                    ? (main.report->ok ? "chain OK, " : "BROKEN, ") +
                          FormatCount(static_cast<double>(main.report->events_checked)) + " events"
                    : main.error.ToString())
            << "; CLI exit " << cli_exit << ": " << cli_out << std::flush;
  PrintSummary({.figure = "audit verify of " + FormatCount(static_cast<double>(f.events)) +
                          " events, in process",
                .value = Secs(main.verify_s),
                .peer = "sqlite3 scan: " + Secs(peer),
                .ratio = Times(main.verify_s / peer) + " the scan",
                .target = "< " + Secs(f.target_seconds),
                .met = target_applies ? YesNo(ok && main.verify_s < f.target_seconds) : "-"});
  PrintSummary({.figure = "jiandu audit verify --data, " +
                          FormatCount(static_cast<double>(f.events)) + " events, end to end",
                .value = Secs(cli_s),
                .peer = "sqlite3 scan: " + Secs(peer),
                .ratio = Times(cli_s / peer) + " the scan",
                .target = "< " + Secs(f.target_seconds),
                .met = target_applies ? YesNo(ok && cli_s > 0 && cli_s < f.target_seconds) : "-"});
  if (f.data.empty() && !f.keep) {
    std::error_code ec;
    std::filesystem::remove_all(data, ec);
  }
  return ok ? 0 : 1;
}

}  // namespace
}  // namespace jiandu::bench

int main(int argc, char** argv) {
  jiandu::bench::Flags f;
  CLI::App cli{"Jiandu audit-verify benchmark: AuditLog::Verify vs a sqlite3 table scan"};
  cli.add_option("--dir", f.dir, "where the scratch data directory is created")
      ->capture_default_str();
  cli.add_option("--data", f.data,
                 "use (and keep) this data directory; events are added only "
                 "if it holds fewer than --events");
  cli.add_option("--jiandu", f.jiandu, "jiandu binary")->capture_default_str();
  cli.add_option("--sqlite3", f.sqlite3, "sqlite3 command-line shell")->capture_default_str();
  cli.add_option("--events", f.events, "events in the log")->capture_default_str();
  cli.add_option("--batch", f.batch, "events per generating transaction")->capture_default_str();
  cli.add_flag("--keep", f.keep, "keep the generated data directory");
  cli.add_option("--repeat", f.repeat, "runs per figure; the fastest is reported")
      ->capture_default_str();
  cli.add_flag("--what-if", f.what_if,
               "also time Verify on a copy with seq as the rowid (needs 2x the disk)");
  CLI11_PARSE(cli, argc, argv);
  try {
    return jiandu::bench::Run(f);
  } catch (const std::exception& e) {
    std::cerr << "audit_verify_benchmark: internal error: " << e.what() << "\n";
    return 1;
  }
}
