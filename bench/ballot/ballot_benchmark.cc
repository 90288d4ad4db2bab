// ballot_benchmark: 500 committee members cast their secret ballot at once, over HTTP, against
// Jiandu with SQLite at synchronous=FULL on the repository's disk.
//
// Set-up (not timed): app::App::Open on a fresh data directory under --dir; the county of
// ballot_county.h (500 members with linked deputy accounts, each signed in through
// SessionService, and an officer); the real HTTP server (api::Api + api::HttpServer, as
// `jiandu serve` starts them, with its default thread counts) in this process on a loopback
// port. For every round a fresh ballot: 6 officials whose reviews are at report_submitted, a
// meeting hearing them, all 500 present, the sheet open.
//
// A round:
//   1. 500 keep-alive connections, one per member; each member's phone loads the sheet
//      (GET /api/v1/vote-sheets/{id}, untimed; it also warms the member's session).
//   2. The ballots: POST /api/v1/vote-sheets/{id}/ballots with the member's cookie and CSRF
//      token, naming the 6 officials with a deterministic mix of choices. "burst": all 500 are
//      due at the same instant T0 (written back to back by one epoll thread); "rate=R": member
//      i's ballot is due at T0 + i/R (open loop). Latency runs from the due time to the
//      complete answer, so the client's own sending time is charged to the server.
//   3. Meanwhile an officer session polls GET /api/v1/vote-sheets/{id} every 100 ms from T0;
//      tally lag = when a poll answer first showed voted == 500, minus when the last 201 came
//      back.
//   4. Every member votes again: each must get 409 conflict.
//   5. The officer closes the sheet (POST …/close); the per-official counts must equal what
//      the generator sent, exactly.
// "service=T" rounds cast the same ballots through MeetingService::Cast from T threads in
// process (no HTTP, no session check), to split the time between the HTTP layer and the
// database. A round may name the server's worker threads ("burst/16") to show how the size of
// the worker pool bounds group commit.
//
// SQLite's fsyncs are counted by a shim VFS (sync_counter.h): WAL syncs per round = commits.
// --profile-sql (sql_profile.h) also times every statement and the writer connection's turns.
// The default rounds: three bursts, 100/s and 500/s, and a burst against 4 workers (the
// default before group commit was measured to need more).
// docs/benchmarks.md ("Ballot") has the figures and what they show.
//
//   build/bench/ballot_benchmark --dir bench-output/scratch
//   build/bench/ballot_benchmark --dir bench-output/scratch --profile-sql --rounds service=64
#include <sys/resource.h>
#include <time.h>
#include <fcntl.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <array>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <thread>

#include "api/api.h"
#include "api/http_server.h"
#include "app/app.h"
#include "bench/ballot/ballot_client.h"
#include "bench/ballot/ballot_county.h"
#include "bench/ballot/sql_profile.h"
#include "bench/ballot/sync_counter.h"
#include "bench/common/latency.h"
#include "bench/common/summary.h"
#include "bench/common/system.h"

namespace jiandu::bench {
namespace {

constexpr int kClientNice = -10;
constexpr int kChoices = 4;  // satisfied, basically_satisfied, dissatisfied, abstain
constexpr const char* kChoiceCodes[kChoices] = {"satisfied", "basically_satisfied",
                                                "dissatisfied", "abstain"};

struct Flags {
  std::string dir = DefaultTempBase();
  int members = 500;
  int officials = 6;
  std::string rounds = "burst,burst,burst,rate=100,rate=500,burst/4";
  int io_threads = 0;  // 0: as `jiandu serve` (min(2, usable CPUs))
  int workers = 0;     // 0: as `jiandu serve` (max(16, 4 × usable CPUs))
  double poll_ms = 100;
  double p99_target_ms = 50;
  double lag_target_s = 1;
  int setup_threads = 2;
  bool count_syncs = true;
  bool keep = false;
  bool phase_times = false;
  bool profile_sql = false;  // time every SQL statement during the ballots (sql_profile.h)  // print the ballot phases' CLOCK_MONOTONIC times (for perf --time)
};

struct RoundSpec {
  enum Kind { kBurst, kRate, kService } kind = kBurst;
  double rate = 0;
  int workers = 0;  // server workers for this round (0: the default)
  int threads = 0;  // service rounds
  std::string text;
};

Result<std::vector<RoundSpec>> ParseRounds(const std::string& text) {
  std::vector<RoundSpec> out;
  std::stringstream ss(text);
  for (std::string item; std::getline(ss, item, ',');) {
    if (item.empty()) continue;
    RoundSpec r;
    r.text = item;
    std::string head = item;
    if (size_t slash = item.find('/'); slash != std::string::npos) {
      head = item.substr(0, slash);
      r.workers = std::stoi(item.substr(slash + 1));
    }
    if (head == "burst") {
      r.kind = RoundSpec::kBurst;
    } else if (head.rfind("rate=", 0) == 0) {
      r.kind = RoundSpec::kRate;
      r.rate = std::stod(head.substr(5));
    } else if (head.rfind("service=", 0) == 0) {
      r.kind = RoundSpec::kService;
      r.threads = std::stoi(head.substr(8));
    } else {
      return Status::InvalidArgument("--rounds", "unknown round '" + item + "'");
    }
    out.push_back(r);
  }
  return out;
}

// The choice of member m for official k: a fixed pseudo-random draw with a share of
// "satisfied" that falls from official to official, so the grades differ.
int ChoiceFor(int member, int official) {
  uint32_t h = static_cast<uint32_t>(member) * 2654435761u ^
               (static_cast<uint32_t>(official) * 40503u + 0x9e3779b9u);
  h ^= h >> 15;
  h *= 0x2c1b3c6du;
  h ^= h >> 12;
  const int p = static_cast<int>(h % 100);
  const int satisfied = 75 - 10 * (official % 6);  // 75, 65, … 25 %
  if (p < satisfied) return 0;
  if (p < satisfied + 15) return 1;  // basically satisfied 15 %
  if (p < 95) return 2;              // dissatisfied: the rest but 5 %
  return 3;                          // abstain 5 %
}

std::string BallotBody(const Ballot& b, int member) {
  std::string s = R"({"choices":[)";
  for (size_t k = 0; k < b.review_ids.size(); ++k) {
    if (k) s += ',';
    s += R"({"review_id":)" + std::to_string(b.review_ids[k]) + R"(,"choice":")" +
         kChoiceCodes[ChoiceFor(member, static_cast<int>(k))] + "\"}";
  }
  return s + "]}";
}

// What a sheet shows in `voted`, or -1.
int64_t VotedOf(const std::string& body) {
  const size_t p = body.find("\"voted\":");
  return p == std::string::npos ? -1 : std::strtoll(body.c_str() + p + 8, nullptr, 10);
}

void SleepUntil(int64_t t_ns) {
  timespec ts{.tv_sec = t_ns / 1'000'000'000, .tv_nsec = t_ns % 1'000'000'000};
  while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nullptr) == EINTR) {
  }
}

std::string Seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, s < 10 ? "%.3f s" : "%.1f s", s);
  return buf;
}

// A lag below zero means a poll showed every vote before the client had read the last 201
// (two sockets, no order between them): the tally was already complete.
std::string FormatLag(double lag_s) {
  return lag_s < 0 ? "0 (" + FormatMs(static_cast<int64_t>(lag_s * 1e9)) + ")"
                   : FormatMs(static_cast<int64_t>(lag_s * 1e9));
}

std::string Durability(app::App& a) {
  Result<std::unique_ptr<store::Tx>> tx = a.store().Begin(store::TxMode::kReadOnly);
  if (!tx.ok()) return "unknown";
  std::string out;
  for (const char* q : {"PRAGMA synchronous", "PRAGMA journal_mode"}) {
    Result<store::Rows> rows = (*tx)->Query(q);
    std::string v = rows.ok() && !rows->empty() ? (*rows)[0].Text(0) : "?";
    if (std::string(q) == "PRAGMA synchronous") {
      v = v == "2" ? "FULL" : v == "3" ? "EXTRA" : v == "1" ? "NORMAL" : v == "0" ? "OFF" : v;
    }
    out += (out.empty() ? "" : ", ") + std::string(q).substr(7) + "=" + v;
  }
  (*tx)->Rollback();
  return out;
}

// fdatasync after overwriting 4 KiB of a preallocated file (as SQLite rewrites its WAL):
// what one commit's sync costs on this disk, measured before the rounds.
LatencySummary ProbeFsync(const std::string& dir, int n) {
  Samples s;
  const std::string path = dir + "/fsync-probe";
  int fd = open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return {};
  std::string page(4096, 'x');
  for (int i = 0; i < 256; ++i) (void)!write(fd, page.data(), page.size());
  fsync(fd);
  for (int i = 0; i < n; ++i) {
    (void)!pwrite(fd, page.data(), page.size(), static_cast<off_t>(i % 256) * 4096);
    const int64_t t0 = NowNs();
    fdatasync(fd);
    s.Add(NowNs() - t0);
  }
  close(fd);
  unlink(path.c_str());
  return s.Summarize();
}

struct PollResult {
  int64_t first_full_ns = 0;  // answer time of the first poll showing every vote
  int polls = 0;
  int64_t max_poll_ns = 0;  // slowest poll (request to answer)
  std::vector<std::pair<int64_t, int64_t>> samples;  // (answer time - T0, voted)
  std::string error;
};

// Polls the sheet as the officer every `period_ns` from `t0` (a late poll is sent at once,
// never skipped to catch up) until a poll shows `target` votes or `stop` is set.
void PollTally(uint16_t port, const std::string& request, int64_t t0, int64_t period_ns,
               int64_t target, const std::atomic<bool>& stop, PollResult* out) {
  SetThreadNice(kClientNice);
  SimpleClient c(port);
  for (int64_t k = 0; !stop.load(); ++k) {
    const int64_t due = std::max(t0 + k * period_ns, NowNs());
    SleepUntil(due);
    const int64_t sent = NowNs();
    Result<SimpleClient::Answer> a = c.Send(request);
    const int64_t now = NowNs();
    if (!a.ok() || a->status != 200) {
      out->error = a.ok() ? "poll answered " + std::to_string(a->status) : a.status().ToString();
      return;
    }
    ++out->polls;
    out->max_poll_ns = std::max(out->max_poll_ns, now - sent);
    const int64_t voted = VotedOf(a->body);
    out->samples.emplace_back(now - t0, voted);
    if (voted >= target) {
      out->first_full_ns = now;
      return;
    }
  }
}

struct RoundResult {
  RoundSpec spec;
  int workers = 0;
  int n = 0;
  int created = 0;    // 201
  int other = 0;      // another status
  int failed = 0;     // I/O error or no answer
  std::string first_bad;
  double total_s = 0;  // T0 to the last answer
  double votes_per_s = 0;
  LatencySummary latency;
  int64_t send_spread_ns = 0;  // T0 to the last request written (burst)
  double warmup_s = 0;
  PollResult poll;
  std::optional<double> tally_lag_s;
  int refused = 0;  // second votes answered 409 conflict
  int second_total = 0;
  std::string second_bad;
  bool counts_exact = false;
  std::string counts_note;
  SyncStats syncs;
  int64_t phase_begin_ns = 0;  // T0
  int64_t phase_end_ns = 0;    // the last answer
  std::vector<SqlStat> sql;    // with --profile-sql
  WriterTimeline writer;
  bool ok() const {
    return created == n && refused == n && counts_exact && tally_lag_s.has_value();
  }
};

class Bench {
 public:
  Bench(const Flags& f, app::App& app, BallotCounty& county)
      : f_(f), app_(app), county_(county), api_(app, {.web_root = ""}) {}

  Status StartServer(int workers) {
    if (server_ && workers == workers_) return Status::Ok();
    server_.reset();
    workers_ = workers;
    server_ = std::make_unique<api::HttpServer>(
        api_, api::ServerOptions{.address = "127.0.0.1", .port = 0, .io_threads = io_threads(),
                                 .worker_threads = workers});
    JIANDU_RETURN_IF_ERROR(server_->Start());
    port_ = server_->port();
    return Status::Ok();
  }

  int io_threads() const {
    return f_.io_threads > 0 ? f_.io_threads
                             : std::min(2, static_cast<int>(AllowedCpus().size()));
  }
  int default_workers() const {
    return f_.workers > 0 ? f_.workers
                          : std::max(16, 4 * static_cast<int>(AllowedCpus().size()));
  }

  Result<RoundResult> Run(const RoundSpec& spec, int index);

 private:
  Status CastOverHttp(const RoundSpec& spec, const Ballot& b, ConnectionSet& conns,
                      RoundResult& r, int64_t t0);
  void CastInProcess(const RoundSpec& spec, const Ballot& b, RoundResult& r, int64_t t0);

  const Flags& f_;
  app::App& app_;
  BallotCounty& county_;
  api::Api api_;
  std::unique_ptr<api::HttpServer> server_;
  int workers_ = 0;
  uint16_t port_ = 0;
};

Result<RoundResult> Bench::Run(const RoundSpec& spec, int index) {
  RoundResult r;
  r.spec = spec;
  r.n = static_cast<int>(county_.voters().size());
  if (spec.kind == RoundSpec::kRate && r.n / spec.rate > 14) {
    // The last members' connections would sit idle past the server's 15 s keep-alive limit.
    return Status::InvalidArgument("--rounds", spec.text + " spreads the ballots over more than "
                                                           "14 s; use a higher rate");
  }
  const int64_t setup0 = NowNs();
  JIANDU_ASSIGN_OR_RETURN(Ballot b, county_.PrepareBallot(app_, f_.officials,
                                                          "第" + std::to_string(index) + "轮"));
  JIANDU_RETURN_IF_ERROR(StartServer(spec.workers > 0 ? spec.workers : default_workers()));
  r.workers = workers_;
  std::printf("\n== round %d: %s (sheet %lld, %d officials, server: %d I/O threads, %d workers; "
              "ballot prepared in %.2f s) ==\n",
              index, spec.text.c_str(), static_cast<long long>(b.sheet_id), f_.officials,
              io_threads(), workers_, static_cast<double>(NowNs() - setup0) / 1e9);
  std::fflush(stdout);
  const std::string sheet_path = "/api/v1/vote-sheets/" + std::to_string(b.sheet_id);
  const std::vector<Account>& voters = county_.voters();

  // 1. Every member's phone connects and loads the sheet.
  ConnectionSet conns;
  JIANDU_RETURN_IF_ERROR(conns.Connect(port_, r.n));
  {
    std::vector<Exchange> ex(static_cast<size_t>(r.n));
    const int64_t now = NowNs();
    for (int i = 0; i < r.n; ++i) {
      ex[i].request = GetRequestWithSession(sheet_path, port_, voters[i].cookie);
      ex[i].due_ns = now;
    }
    conns.Run(ex, now + 60'000'000'000);
    for (int i = 0; i < r.n; ++i) {
      if (ex[i].status != 200 || ex[i].body.find("\"eligible\":true") == std::string::npos ||
          ex[i].body.find("\"has_voted\":false") == std::string::npos) {
        return Status::Internal("member " + std::to_string(i + 1) + " cannot vote: status " +
                                std::to_string(ex[i].status) + " " + ex[i].body.substr(0, 300));
      }
      r.warmup_s = std::max(r.warmup_s, static_cast<double>(ex[i].done_ns - now) / 1e9);
    }
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // let the machine settle

  // 2 + 3. The ballots, with the officer polling the tally.
  const int64_t t0 = NowNs() + 20'000'000;
  std::atomic<bool> stop_polling{false};
  const std::string poll_request =
      GetRequestWithSession(sheet_path, port_, county_.officer().cookie);
  std::thread poller(PollTally, port_, std::cref(poll_request), t0,
                     static_cast<int64_t>(f_.poll_ms * 1e6), r.n, std::cref(stop_polling),
                     &r.poll);
  const SyncStats before = ReadSyncStats();
  ResetSyncMax();
  if (f_.profile_sql) SqlProfileStart();
  Status cast = spec.kind == RoundSpec::kService ? (CastInProcess(spec, b, r, t0), Status::Ok())
                                                 : CastOverHttp(spec, b, conns, r, t0);
  r.syncs = ReadSyncStats() - before;
  if (f_.profile_sql) {
    r.sql = SqlProfileStop();
    r.writer = SqlWriterTimeline();
  }
  r.phase_begin_ns = t0;
  r.phase_end_ns = t0 + static_cast<int64_t>(r.total_s * 1e9);
  // Give the poller up to 5 s after the last answer to see the full tally.
  const int64_t give_up = NowNs() + 5'000'000'000;
  while (r.poll.first_full_ns == 0 && r.poll.error.empty() && NowNs() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  stop_polling = true;
  poller.join();
  JIANDU_RETURN_IF_ERROR(cast);

  // 4. Everyone votes again: refused.
  if (spec.kind == RoundSpec::kService) {
    for (int i = 0; i < r.n; ++i) {
      ++r.second_total;
      std::vector<review::BallotChoice> choices;
      for (size_t k = 0; k < b.review_ids.size(); ++k) {
        choices.push_back({b.review_ids[k], static_cast<review::Choice>(
                                                ChoiceFor(i, static_cast<int>(k)))});
      }
      Result<std::string> again =
          app_.meetings().Cast(voters[i].principal, b.sheet_id, choices);
      if (!again.ok() && again.status().code() == StatusCode::kConflict) {
        ++r.refused;
      } else if (r.second_bad.empty()) {
        r.second_bad = again.ok() ? "accepted" : again.status().ToString();
      }
    }
  } else {
    std::vector<Exchange> ex(static_cast<size_t>(r.n));
    const int64_t now = NowNs();
    for (int i = 0; i < r.n; ++i) {
      ex[i].request = JsonPostRequest(sheet_path + "/ballots", port_, voters[i].cookie,
                                      voters[i].csrf, BallotBody(b, i));
      ex[i].due_ns = now;
    }
    conns.Run(ex, now + 60'000'000'000);
    for (int i = 0; i < r.n; ++i) {
      ++r.second_total;
      if (ex[i].status == 409 && ex[i].body.find("\"code\":\"conflict\"") != std::string::npos) {
        ++r.refused;
      } else if (r.second_bad.empty()) {
        r.second_bad = std::to_string(ex[i].status) + " " + ex[i].body.substr(0, 200);
      }
    }
  }
  conns.Close();

  // 5. The officer closes the sheet; the counts must be exactly what was sent.
  SimpleClient officer(port_);
  JIANDU_ASSIGN_OR_RETURN(
      SimpleClient::Answer closed,
      officer.Send(JsonPostRequest(sheet_path + "/close", port_, county_.officer().cookie,
                                   county_.officer().csrf, "{}")));
  if (closed.status != 200) {
    return Status::Internal("closing the sheet answered " + std::to_string(closed.status) + ": " +
                            closed.body.substr(0, 300));
  }
  std::map<int64_t, std::array<int64_t, kChoices>> expected;
  for (int64_t id : b.review_ids) expected[id] = {0, 0, 0, 0};
  for (int i = 0; i < r.n; ++i) {
    for (size_t k = 0; k < b.review_ids.size(); ++k) {
      ++expected[b.review_ids[k]][ChoiceFor(i, static_cast<int>(k))];
    }
  }
  nlohmann::json sheet = nlohmann::json::parse(closed.body, nullptr, false);
  r.counts_exact = !sheet.is_discarded() && sheet.value("voted", -1) == r.n &&
                   sheet.value("state", "") == "closed" && sheet.contains("results") &&
                   sheet["results"].size() == b.review_ids.size();
  std::ostringstream note;
  if (r.counts_exact) {
    for (const nlohmann::json& item : sheet["results"]) {
      const int64_t id = item.value("review_id", int64_t{0});
      const auto want = expected[id];
      const std::array<int64_t, kChoices> got = {
          item.value("satisfied", int64_t{-1}), item.value("basically_satisfied", int64_t{-1}),
          item.value("dissatisfied", int64_t{-1}), item.value("abstain", int64_t{-1})};
      if (got != want || item.value("invalid", int64_t{-1}) != 0) {
        r.counts_exact = false;
      }
      note << (note.tellp() > 0 ? "; " : "") << "review " << id << ": " << got[0] << "/"
           << got[1] << "/" << got[2] << "/" << got[3] << " ("
           << item.value("grade", nlohmann::json()).dump() << ")";
    }
  } else {
    note << "unexpected close answer: " << closed.body.substr(0, 300);
  }
  r.counts_note = note.str();
  if (r.poll.first_full_ns != 0 && r.created == r.n) {
    // The last 201's answer time is t0 + total_s for HTTP rounds (the last answer was a 201
    // when all were 201).
    r.tally_lag_s = static_cast<double>(r.poll.first_full_ns - t0) / 1e9 - r.total_s;
  }
  return r;
}

Status Bench::CastOverHttp(const RoundSpec& spec, const Ballot& b, ConnectionSet& conns,
                           RoundResult& r, int64_t t0) {
  const std::vector<Account>& voters = county_.voters();
  std::vector<Exchange> ex(static_cast<size_t>(r.n));
  const std::string path = "/api/v1/vote-sheets/" + std::to_string(b.sheet_id) + "/ballots";
  for (int i = 0; i < r.n; ++i) {
    ex[i].request = JsonPostRequest(path, port_, voters[i].cookie, voters[i].csrf,
                                    BallotBody(b, i));
    ex[i].due_ns = spec.kind == RoundSpec::kRate
                       ? t0 + static_cast<int64_t>(static_cast<double>(i) * 1e9 / spec.rate)
                       : t0;
  }
  const bool niced = SetThreadNice(kClientNice);
  conns.Run(ex, ex.back().due_ns + 60'000'000'000);
  if (niced) SetThreadNice(0);
  Samples lat;
  int64_t last = t0, last_sent = t0;
  for (int i = 0; i < r.n; ++i) {
    const Exchange& e = ex[i];
    if (e.done_ns == 0) {
      ++r.failed;
      continue;
    }
    lat.Add(e.latency_ns());
    last = std::max(last, e.done_ns);
    last_sent = std::max(last_sent, e.sent_ns);
    if (e.status == 201 && e.body.find("\"receipt\":\"") != std::string::npos) {
      ++r.created;
    } else {
      ++r.other;
      if (r.first_bad.empty()) {
        r.first_bad = std::to_string(e.status) + " " + e.body.substr(0, 200);
      }
    }
  }
  r.latency = lat.Summarize();
  r.total_s = static_cast<double>(last - t0) / 1e9;
  r.votes_per_s = r.total_s > 0 ? r.created / r.total_s : 0;
  r.send_spread_ns = last_sent - t0;
  return Status::Ok();
}

void Bench::CastInProcess(const RoundSpec& spec, const Ballot& b, RoundResult& r, int64_t t0) {
  const std::vector<Account>& voters = county_.voters();
  const int threads = std::max(1, std::min(spec.threads, r.n));
  std::vector<int64_t> done(static_cast<size_t>(r.n), 0);
  std::vector<std::string> errors(static_cast<size_t>(r.n));
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      SleepUntil(t0);
      for (int i = t; i < r.n; i += threads) {
        std::vector<review::BallotChoice> choices;
        for (size_t k = 0; k < b.review_ids.size(); ++k) {
          choices.push_back({b.review_ids[k], static_cast<review::Choice>(
                                                  ChoiceFor(i, static_cast<int>(k)))});
        }
        Result<std::string> receipt = app_.meetings().Cast(voters[i].principal, b.sheet_id,
                                                           choices);
        done[i] = NowNs();
        if (!receipt.ok()) errors[i] = receipt.status().ToString();
      }
    });
  }
  for (std::thread& th : pool) th.join();
  Samples lat;
  int64_t last = t0;
  for (int i = 0; i < r.n; ++i) {
    lat.Add(done[i] - t0);
    last = std::max(last, done[i]);
    if (errors[i].empty()) {
      ++r.created;
    } else {
      ++r.other;
      if (r.first_bad.empty()) r.first_bad = errors[i];
    }
  }
  r.latency = lat.Summarize();
  r.total_s = static_cast<double>(last - t0) / 1e9;
  r.votes_per_s = r.total_s > 0 ? r.created / r.total_s : 0;
}

void PrintRound(const RoundResult& r) {
  const LatencySummary& l = r.latency;
  std::printf("ballots: %d × 201, %d other, %d unanswered%s%s\n", r.created, r.other, r.failed,
              r.first_bad.empty() ? "" : "; first other: ", r.first_bad.c_str());
  std::printf("time: %s from T0 to the last answer → %s votes/s", Seconds(r.total_s).c_str(),
              FormatCount(r.votes_per_s).c_str());
  if (r.spec.kind == RoundSpec::kBurst) {
    std::printf(" (the client had written all %d ballots %s after T0)", r.n,
                FormatMs(r.send_spread_ns).c_str());
  }
  std::printf("\nlatency from the due time: p50 %s, p90 %s, p99 %s, max %s, mean %s\n",
              FormatMs(l.p50_ns).c_str(), FormatMs(l.p90_ns).c_str(), FormatMs(l.p99_ns).c_str(),
              FormatMs(l.max_ns).c_str(), FormatMs(static_cast<int64_t>(l.mean_ns)).c_str());
  std::printf("SQLite during the ballots: %lld WAL fsyncs (commits) = %.1f ballots per commit, "
              "%s in fsync (longest %s); %lld main-file fsyncs (checkpoints, %s)\n",
              static_cast<long long>(r.syncs.wal_syncs),
              r.syncs.wal_syncs > 0 ? static_cast<double>(r.created) / r.syncs.wal_syncs : 0.0,
              FormatMs(r.syncs.wal_ns).c_str(), FormatMs(r.syncs.wal_max_ns).c_str(),
              static_cast<long long>(r.syncs.db_syncs), FormatMs(r.syncs.db_ns).c_str());
  std::printf("tally poll (officer, every 100 ms from T0): %d polls, slowest %s; ", r.poll.polls,
              FormatMs(r.poll.max_poll_ns).c_str());
  if (r.tally_lag_s) {
    std::printf("showed voted == %d at T0 + %s: lag %s after the last 201\n", r.n,
                Seconds(r.total_s + *r.tally_lag_s).c_str(), FormatLag(*r.tally_lag_s).c_str());
  } else {
    std::printf("never showed voted == %d%s%s\n", r.n, r.poll.error.empty() ? "" : ": ",
                r.poll.error.c_str());
  }
  std::string turnout;
  for (size_t i = 0; i < r.poll.samples.size() && i < 12; ++i) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%s%.2f s: %lld", i ? ", " : "",
                  static_cast<double>(r.poll.samples[i].first) / 1e9,
                  static_cast<long long>(r.poll.samples[i].second));
    turnout += buf;
  }
  std::printf("turnout seen by the poller: %s%s\n", turnout.c_str(),
              r.poll.samples.size() > 12 ? ", …" : "");
  std::printf("second vote by every member: %d/%d refused with 409 conflict%s%s\n", r.refused,
              r.second_total, r.second_bad.empty() ? "" : "; first other answer: ",
              r.second_bad.c_str());
  std::printf("closed sheet, per official satisfied/basically/dissatisfied/abstain (grade): %s\n",
              r.counts_note.c_str());
  std::printf("counts equal what was sent: %s\n", r.counts_exact ? "yes, exactly" : "NO");
  if (!r.sql.empty()) {
    int64_t total = 0;
    for (const SqlStat& s : r.sql) total += s.ns;
    const WriterTimeline& w = r.writer;
    const double per = 1e3 * std::max(1, r.n);
    std::printf("writer connection: %lld transactions in %lld commits over %s; per ballot: "
                "%.1f µs in its transaction (SAVEPOINT to RELEASE), %.1f µs in COMMIT, %.1f µs "
                "in BEGIN, %.1f µs idle between turns (the next writer thread not running yet, "
                "or no ballot ready)\n",
                static_cast<long long>(w.txs), static_cast<long long>(w.commits),
                FormatMs(w.span_ns).c_str(), static_cast<double>(w.tx_ns) / per,
                static_cast<double>(w.commit_ns) / per, static_cast<double>(w.begin_ns) / per,
                static_cast<double>(w.idle_ns()) / per);
    std::printf("SQL statements during the ballots (time from first step to reset, per ballot; "
                "%.1f µs per ballot in all):\n",
                static_cast<double>(total) / 1e3 / std::max(1, r.n));
    for (size_t i = 0; i < r.sql.size() && i < 18; ++i) {
      std::string sql = r.sql[i].sql;
      if (sql.size() > 96) sql = sql.substr(0, 93) + "...";
      std::printf("  %7.1f µs  %5.2f×  %s\n",
                  static_cast<double>(r.sql[i].ns) / 1e3 / std::max(1, r.n),
                  static_cast<double>(r.sql[i].count) / std::max(1, r.n), sql.c_str());
    }
  }
  std::fflush(stdout);
}

int64_t Median(std::vector<int64_t> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[(v.size() - 1) / 2];
}

std::string Row(const std::vector<std::string>& cells, const std::vector<int>& widths) {
  std::string out;
  for (size_t i = 0; i < cells.size(); ++i) {
    char buf[96];
    std::snprintf(buf, sizeof buf, i == 0 ? "%-*s" : " %*s", widths[i], cells[i].c_str());
    out += buf;
  }
  return out;
}

int RunAll(const Flags& f) {
  Result<std::vector<RoundSpec>> rounds = ParseRounds(f.rounds);
  if (!rounds.ok() || rounds->empty()) {
    std::cerr << "ballot_benchmark: " << (rounds.ok() ? "no rounds" : rounds.status().ToString())
              << "\n";
    return 2;
  }
  // 500 client connections and 500 server connections live in this one process.
  rlimit nofile{};
  if (getrlimit(RLIMIT_NOFILE, &nofile) == 0 && nofile.rlim_cur < nofile.rlim_max) {
    nofile.rlim_cur = nofile.rlim_max;
    setrlimit(RLIMIT_NOFILE, &nofile);
  }
  std::cout << "Machine: " << MachineSummary() << std::endl;
  Result<std::string> dir = MakeTempDir(f.dir, "jiandu-ballot.");
  if (!dir.ok()) {
    std::cerr << "ballot_benchmark: " << dir.status().ToString() << "\n";
    return 1;
  }
  const std::string fs = FileSystemType(*dir);
  const bool counting = f.count_syncs && InstallSyncCounter();
  if (f.profile_sql && !InstallSqlProfiler()) {
    std::cerr << "ballot_benchmark: cannot install the SQL profiler\n";
    return 1;
  }
  const LatencySummary probe = ProbeFsync(*dir, 200);
  int rc = 0;
  {
    Result<std::unique_ptr<app::App>> opened = app::App::Open({.data_dir = *dir + "/data"});
    if (!opened.ok()) {
      std::cerr << "ballot_benchmark: " << opened.status().ToString() << "\n";
      return 1;
    }
    app::App& app = **opened;
    std::cout << "Data: " << *dir << "/data on " << fs
              << (fs == "tmpfs" ? " (fsync costs nothing there: not a real figure)" : "") << "; "
              << Durability(app) << "; fsync counting " << (counting ? "on" : "off") << std::endl;
    std::cout << "Disk: fdatasync after a 4 KiB overwrite, 200 times: p50 "
              << FormatMs(probe.p50_ns) << ", p99 " << FormatMs(probe.p99_ns) << ", max "
              << FormatMs(probe.max_ns) << std::endl;
    std::cout << "Set-up: " << f.members << " committee members (person, election, linked deputy "
              << "account, sign-in through SessionService), " << f.setup_threads
              << " threads ..." << std::endl;
    const int64_t s0 = NowNs();
    Result<BallotCounty> county = BallotCounty::Build(
        app, {.members = f.members, .threads = f.setup_threads, .progress = [](const std::string& s) {
                std::cout << s << std::endl;
              }});
    if (!county.ok()) {
      std::cerr << "ballot_benchmark: set-up: " << county.status().ToString() << "\n";
      return 1;
    }
    std::printf("Set-up done in %.1f s.\n", static_cast<double>(NowNs() - s0) / 1e9);
    Bench bench(f, app, *county);
    std::printf("Server: api::HttpServer in this process on 127.0.0.1, %d I/O threads, %d "
                "workers by default (jiandu serve's defaults for %zu usable CPUs); client: one "
                "epoll thread, %d keep-alive connections, nice %d when permitted; CPUs not "
                "pinned (server, client and poller share them).\n",
                bench.io_threads(), bench.default_workers(), AllowedCpus().size(), f.members,
                kClientNice);
    std::vector<RoundResult> results;
    for (size_t i = 0; i < rounds->size(); ++i) {
      Result<RoundResult> r = bench.Run((*rounds)[i], static_cast<int>(i + 1));
      if (!r.ok()) {
        std::cerr << "ballot_benchmark: round " << i + 1 << ": " << r.status().ToString() << "\n";
        rc = 1;
        break;
      }
      PrintRound(*r);
      if (f.phase_times) {
        std::printf("ballot phase, CLOCK_MONOTONIC: %.6f,%.6f\n",
                    static_cast<double>(r->phase_begin_ns) / 1e9,
                    static_cast<double>(r->phase_end_ns) / 1e9);
      }
      results.push_back(std::move(*r));
    }

    std::printf("\n== summary: %d members, %d officials per ballot ==\n", f.members, f.officials);
    const std::vector<int> w = {14, 7, 5, 8, 9, 9, 9, 9, 9, 10, 6, 6, 8, 8};
    std::puts(Row({"round", "workers", "201", "total", "votes/s", "p50", "p90", "p99", "max",
                   "tally lag", "409", "exact", "commits", "per commit"},
                  w)
                  .c_str());
    for (const RoundResult& r : results) {
      std::puts(Row({r.spec.text, std::to_string(r.workers), std::to_string(r.created),
                     Seconds(r.total_s), FormatCount(r.votes_per_s), FormatMs(r.latency.p50_ns),
                     FormatMs(r.latency.p90_ns), FormatMs(r.latency.p99_ns),
                     FormatMs(r.latency.max_ns),
                     r.tally_lag_s ? FormatLag(*r.tally_lag_s) : "never",
                     std::to_string(r.refused), r.counts_exact ? "yes" : "NO",
                     counting ? std::to_string(r.syncs.wal_syncs) : "-",
                     counting && r.syncs.wal_syncs > 0
                         ? Times(static_cast<double>(r.created) / r.syncs.wal_syncs)
                         : "-"},
                    w)
                    .c_str());
    }
    std::fflush(stdout);

    // Headline figures: the bursts on the default server.
    std::vector<int64_t> rates, p99s, lags;
    bool all_ok = true;
    int64_t worst_p99 = 0, worst_max = 0, worst_lag = 0;
    int bursts = 0;
    for (const RoundResult& r : results) {
      all_ok = all_ok && r.ok();
      if (r.spec.kind != RoundSpec::kBurst || r.spec.workers != 0) continue;
      ++bursts;
      rates.push_back(static_cast<int64_t>(r.votes_per_s));
      p99s.push_back(r.latency.p99_ns);
      worst_p99 = std::max(worst_p99, r.latency.p99_ns);
      worst_max = std::max(worst_max, r.latency.max_ns);
      const int64_t lag = r.tally_lag_s ? static_cast<int64_t>(*r.tally_lag_s * 1e9)
                                        : std::numeric_limits<int64_t>::max();
      lags.push_back(lag);
      worst_lag = std::max(worst_lag, lag);
    }
    if (bursts > 0) {
      const std::string n = std::to_string(f.members);
      const std::string of = bursts == 1 ? "1 burst" : std::to_string(bursts) + " bursts";
      const double p99_target_ns = f.p99_target_ms * 1e6;
      const double lag_target_ns = f.lag_target_s * 1e9;
      std::printf("\nTargets (%s on the default server): p99 < %s: %s (worst p99 %s); tally lag "
                  "< %s: %s (worst %s)\n",
                  of.c_str(), FormatMs(static_cast<int64_t>(p99_target_ns)).c_str(),
                  worst_p99 < p99_target_ns ? "PASS" : "FAIL", FormatMs(worst_p99).c_str(),
                  Seconds(f.lag_target_s).c_str(), worst_lag < lag_target_ns ? "PASS" : "FAIL",
                  worst_lag == std::numeric_limits<int64_t>::max() ? "never"
                                                                   : FormatMs(worst_lag).c_str());
      const std::string peer = "none (no external peer)";
      PrintSummary({.figure = n + " ballots at once over HTTP, SQLite FULL: votes/s (median of " +
                              of + ")",
                    .value = FormatCount(static_cast<double>(Median(rates))) + " votes/s",
                    .peer = peer});
      PrintSummary({.figure = n + " ballots at once: p99 latency (worst of " + of + ")",
                    .value = FormatMs(worst_p99) + " (median p99 " + FormatMs(Median(p99s)) +
                             ", max " + FormatMs(worst_max) + ")",
                    .peer = peer,
                    .target = "< " + FormatMs(static_cast<int64_t>(p99_target_ns)),
                    .met = YesNo(worst_p99 < p99_target_ns)});
      PrintSummary({.figure = n + " ballots at once: tally lag, poll every " +
                              FormatCount(f.poll_ms) + " ms (worst of " + of + ")",
                    .value = worst_lag == std::numeric_limits<int64_t>::max()
                                 ? "never"
                                 : FormatMs(worst_lag),
                    .peer = peer,
                    .target = "< " + Seconds(f.lag_target_s),
                    .met = YesNo(worst_lag < lag_target_ns)});
    }
    for (const RoundResult& r : results) {
      if (r.spec.kind != RoundSpec::kRate || r.spec.workers != 0) continue;
      PrintSummary({.figure = std::to_string(f.members) + " ballots at " +
                              FormatCount(r.spec.rate) + "/s over HTTP: p99 latency",
                    .value = FormatMs(r.latency.p99_ns) + " (max " + FormatMs(r.latency.max_ns) +
                             ")",
                    .peer = "none (no external peer)"});
    }
    PrintSummary({.figure = "every round: all 201, second vote 409, closed counts exact",
                  .value = all_ok ? "yes" : "NO",
                  .peer = "none (no external peer)",
                  .target = "all rounds",
                  .met = YesNo(all_ok && rc == 0)});
    if (!all_ok) rc = 1;
  }
  if (!f.keep) {
    std::error_code ec;
    std::filesystem::remove_all(*dir, ec);
  } else {
    std::cout << "Data kept in " << *dir << std::endl;
  }
  return rc;
}

}  // namespace
}  // namespace jiandu::bench

int main(int argc, char** argv) {
  jiandu::bench::Flags f;
  CLI::App cli{"Jiandu ballot benchmark: 500 members vote at once over HTTP (SQLite FULL)"};
  cli.add_option("--dir", f.dir, "where the data directory is created (use a real disk)")
      ->capture_default_str();
  cli.add_option("--members", f.members, "committee members, all present and voting")
      ->capture_default_str();
  cli.add_option("--officials", f.officials, "officials on each ballot")->capture_default_str();
  cli.add_option("--rounds", f.rounds,
                 "comma-separated rounds: burst | rate=<ballots/s> | service=<threads>, each "
                 "optionally /<server workers>")
      ->capture_default_str();
  cli.add_option("--io-threads", f.io_threads, "server I/O threads (0: jiandu serve's default)")
      ->capture_default_str();
  cli.add_option("--workers", f.workers, "server worker threads (0: jiandu serve's default)")
      ->capture_default_str();
  cli.add_option("--poll-ms", f.poll_ms, "tally poll period")->capture_default_str();
  cli.add_option("--p99-target-ms", f.p99_target_ms, "target p99 of a burst")
      ->capture_default_str();
  cli.add_option("--lag-target-s", f.lag_target_s, "target tally lag")->capture_default_str();
  cli.add_option("--setup-threads", f.setup_threads, "threads for registering members")
      ->capture_default_str();
  bool no_count = false;
  cli.add_flag("--no-count-syncs", no_count, "do not wrap SQLite's VFS to count fsyncs");
  cli.add_flag("--keep", f.keep, "keep the data directory");
  cli.add_flag("--phase-times", f.phase_times,
               "print each ballot phase's CLOCK_MONOTONIC interval (perf record -k "
               "CLOCK_MONOTONIC; perf report --time <begin>,<end>)");
  cli.add_flag("--profile-sql", f.profile_sql,
               "time every SQL statement during the ballots and print the costliest (analysis; "
               "adds overhead)");
  CLI11_PARSE(cli, argc, argv);
  f.count_syncs = !no_count;
  try {
    return jiandu::bench::RunAll(f);
  } catch (const std::exception& e) {
    std::cerr << "ballot_benchmark: internal error: " << e.what() << "\n";
    return 1;
  }
}
