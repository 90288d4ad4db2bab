// http_benchmark: Jiandu's HTTP server against nginx, side by side in one run, with our own
// open-loop load generator (load_generator.h).
//
//   (a) GET /healthz on Jiandu and a static {"status":"ok"} file on nginx, on one ladder of
//       offered rates; each server's highest sustained rate; the ratio Jiandu / nginx. Jiandu
//       runs twice: with its defaults, and with --io-threads 1 (one I/O thread for its one core).
//   (b) GET /api/v1/people?limit=50, signed in as the demo user congress, at a fixed rate
//       (5,000 req/s for 10 s by default), then its highest sustained rate.
//
// On a 2-core machine the generator competes with the server for CPU. In (a), by default
// (--pin split), the generator runs on the last CPU and every server on the others, so each
// server gets the same single core and the generator never steals from it; --pin none lets all
// float. In (b) there is no peer to keep level with, and the generator needs little CPU at
// 5,000 req/s, so Jiandu and the generator may use every CPU.
//
//   build/bench/http_benchmark --jiandu build/src/cli/jiandu
#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>

#include "app/demo.h"
#include "bench/common/summary.h"
#include "bench/common/system.h"
#include "bench/http/load_generator.h"
#include "bench/http/rate_search.h"
#include "bench/http/servers.h"

namespace jiandu::bench {
namespace {

constexpr int kGeneratorNice = -10;

struct Flags {
  std::string jiandu = "build/src/cli/jiandu";
  std::string nginx = "/usr/sbin/nginx";
  std::string pin = "split";
  std::string tmp = DefaultTempBase();
  std::string variant = "--io-threads 1";
  double step_seconds = 5;
  double fixed_rate = 5000;
  double fixed_seconds = 10;
  double p99_bound_ms = 10;
  int connections = 64;
  int retries = 1;
  int refine_steps = 4;
  double healthz_start = 2500;
  double people_start = 500;
  double cap = 400000;
};

struct Pinning {
  std::vector<int> generator;
  std::vector<int> servers;
  std::string description;
};

Pinning ChoosePinning(const std::string& mode) {
  std::vector<int> all = AllowedCpus();
  Pinning p;
  if (mode == "split" && all.size() >= 2) {
    p.generator = {all.back()};
    p.servers.assign(all.begin(), all.end() - 1);
    p.description = "in (a), load generator on CPU " + CpuListString(p.generator) +
                    ", every server on CPU " + CpuListString(p.servers) +
                    " (the same core(s) for each; the generator does not compete with them, but "
                    "other processes on the machine may); in (b), all on CPU " +
                    CpuListString(all);
  } else {
    p.generator = all;
    p.servers = all;
    p.description =
        "none: generator and servers share CPU " + CpuListString(all) + " and compete for it";
  }
  return p;
}

void Print(const std::string& line) { std::cout << line << std::endl; }

std::string Rps(double r) { return FormatCount(r) + " req/s"; }

std::vector<std::string> SplitArgs(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string word; in >> word;) {
    out.push_back(word);
  }
  return out;
}

struct Servers {
  LoadTarget nginx;
  LoadTarget jiandu;
  std::optional<LoadTarget> variant;
};

void HealthzScenario(const Flags& f, const StepPolicy& policy, const Servers& s,
                     double* nginx_max) {
  const std::string bound = FormatMs(static_cast<int64_t>(f.p99_bound_ms * 1e6));
  Print("\n== (a) GET /healthz (Jiandu) vs GET /healthz.json (nginx static file) ==");
  Print(
      "All climb one ladder of offered rates (x2 per rung, interleaved), then bisect. "
      "Sustained = no errors, achieved >= 97 % of offered, p99 <= " +
      bound + ".");
  std::vector<SearchTarget> targets = {{"nginx", s.nginx}, {"jiandu", s.jiandu}};
  if (s.variant) {
    Print("jiandu-1 is jiandu with " + f.variant + ".");
    targets.push_back({"jiandu-1", *s.variant});
  }
  for (const SearchTarget& t : targets) {
    (void)RunOpenLoop(t.target,
                      {.rate = f.healthz_start, .seconds = 2, .connections = f.connections});
  }
  Print(StepHeader());
  std::map<std::string, std::vector<Step>> steps;
  std::vector<double> max =
      FindMaxRates(targets, f.healthz_start, f.cap, f.refine_steps, policy, [&](const Step& st) {
        Print(StepRow(st));
        steps[st.server].push_back(st);
      });
  *nginx_max = max[0];
  // If the generator itself fell behind in the lowest failed step, that failure says little
  // about the server, whose true maximum may be higher.
  auto generator_bound = [&](size_t i) {
    const Step* lowest_fail = nullptr;
    for (const Step& st : steps[targets[i].server]) {
      if (!st.pass && st.rate > max[i] && (!lowest_fail || st.rate < lowest_fail->rate)) {
        lowest_fail = &st;
      }
    }
    return lowest_fail && GeneratorLagged(lowest_fail->result);
  };
  auto shown = [&](size_t i) {
    return Rps(max[i]) + (generator_bound(i) ? " (generator-bound: may be higher)" : "");
  };
  std::string line = "Max sustained rate: nginx " + shown(0);
  for (size_t i = 1; i < targets.size(); ++i) {
    const double ratio = max[0] > 0 ? max[i] / max[0] : 0;
    line += "; " + targets[i].server + " " + shown(i) + " = " + Percent(ratio) + " of nginx";
    PrintSummary({.figure = "GET /healthz, max sustained rate (p99 <= " + bound + ")" +
                            (i == 1 ? "" : ", jiandu " + f.variant),
                  .value = shown(i),
                  .peer = "nginx static file: " + shown(0),
                  .ratio = Percent(ratio),
                  .target = ">= 60 %",
                  .met = YesNo(ratio >= 0.60)});
  }
  Print(line + " (target >= 60 %)");
}

int PeopleScenario(const Flags& f, const StepPolicy& policy, const JianduServer& server,
                   const std::string& cookie, double nginx_max) {
  const std::string path = "/api/v1/people?limit=50";
  Print("\n== (b) GET " + path + " as congress (session cookie) ==");
  Result<SimpleResponse> probe =
      HttpExchange(server.port(), GetRequest(path, server.port(), cookie));
  if (!probe.ok() || probe->status != 200) {
    std::cerr << "http_benchmark: " << path << " does not answer 200: "
              << (probe.ok() ? std::to_string(probe->status) + " " + probe->body
                             : probe.status().ToString())
              << "\n";
    return 1;
  }
  size_t items = 0;
  for (size_t p = probe->body.find("\"id_number\""); p != std::string::npos;
       p = probe->body.find("\"id_number\"", p + 1)) {
    ++items;
  }
  Print("Each answer: " + std::to_string(items) + " people, " +
        FormatCount(static_cast<double>(probe->body.size())) + " bytes of JSON.");
  LoadTarget t{.port = server.port(), .request = GetRequest(path, server.port(), cookie)};
  (void)RunOpenLoop(t, {.rate = 1000, .seconds = 2, .connections = f.connections});

  StepPolicy fixed = policy;
  fixed.seconds = f.fixed_seconds;
  fixed.retries = 0;  // the fixed-rate figure is reported as measured, once
  fixed.lag_retries = 0;
  Print("Fixed rate " + Rps(f.fixed_rate) + " for " + FormatCount(f.fixed_seconds) + " s:");
  Print(StepHeader());
  Step s = RunStep("jiandu", t, f.fixed_rate, fixed);
  Print(StepRow(s));
  const LoadResult& r = s.result;
  const bool met = r.errors() == 0 && r.achieved_rps >= 0.99 * f.fixed_rate &&
                   static_cast<double>(r.latency.p99_ns) < 10e6;
  PrintSummary({.figure = "GET " + path + " at " + Rps(f.fixed_rate) + " for " +
                          FormatCount(f.fixed_seconds) + " s",
                .value = Rps(r.achieved_rps) + ", p99 " + FormatMs(r.latency.p99_ns) + ", " +
                         std::to_string(r.errors()) + " errors",
                .target = "holds the rate, p99 < 10 ms",
                .met = YesNo(met)});

  Print("Max sustained rate of " + path + ":");
  Print(StepHeader());
  std::vector<double> max = FindMaxRates({{"jiandu", t}}, f.people_start, f.cap, f.refine_steps,
                                         policy, [](const Step& st) { Print(StepRow(st)); });
  Print("Max sustained rate of " + path + ": " + Rps(max[0]));
  PrintSummary({.figure = "GET " + path + ", max sustained rate",
                .value = Rps(max[0]),
                .peer = "nginx static file: " + Rps(nginx_max),
                .ratio = nginx_max > 0 ? Percent(max[0] / nginx_max) : "-"});
  return 0;
}

int Run(const Flags& f) {
  if (!std::filesystem::exists(f.jiandu)) {
    std::cerr << "http_benchmark: no jiandu binary at " << f.jiandu << " (--jiandu)\n";
    return 2;
  }
  const Pinning pin = ChoosePinning(f.pin);
  Print("Machine: " + MachineSummary());
  Print("Pinning: " + pin.description);
  Print("Load: open loop, " + std::to_string(f.connections) +
        " keep-alive connections, latency from each request's scheduled send time, steps of " +
        FormatCount(f.step_seconds) + " s (a failed step is retried " + std::to_string(f.retries) +
        "x); gen-lag99 = how late the generator itself was");

  Result<std::string> dir = MakeTempDir(f.tmp, "jiandu-http-bench.");
  if (!dir.ok()) {
    std::cerr << "http_benchmark: " << dir.status().ToString() << "\n";
    return 1;
  }
  for (const char* sub : {"/nginx", "/jiandu", "/jiandu-variant"}) {
    std::filesystem::create_directories(*dir + sub);
    std::filesystem::permissions(*dir + sub, std::filesystem::perms(0755));
  }
  int rc = 1;
  {
    Result<NginxServer> nginx =
        NginxServer::Start({.binary = f.nginx, .work_dir = *dir + "/nginx", .cpus = pin.servers});
    Result<JianduServer> jiandu = JianduServer::Start(
        {.binary = f.jiandu, .work_dir = *dir + "/jiandu", .cpus = pin.servers});
    std::optional<Result<JianduServer>> variant;
    if (!f.variant.empty()) {
      variant = JianduServer::Start({.binary = f.jiandu,
                                     .work_dir = *dir + "/jiandu-variant",
                                     .cpus = pin.servers,
                                     .extra_args = SplitArgs(f.variant)});
    }
    Result<std::string> cookie =
        jiandu.ok() ? jiandu->Login("congress", app::kDemoPassword) : jiandu.status();
    std::vector<Status> errors = {nginx.status(), jiandu.status(), cookie.status()};
    if (variant) {
      errors.push_back(variant->status());
    }
    bool all_ok = true;
    for (const Status& s : errors) {
      if (!s.ok()) {
        std::cerr << "http_benchmark: " << s.ToString() << "\n";
        all_ok = false;
      }
    }
    if (all_ok) {
      Print("Peers: " + nginx->version() + " (worker_processes 2, access_log off, " +
            "open_file_cache) on port " + std::to_string(nginx->port()) +
            "; jiandu demo (SQLite, defaults) on port " + std::to_string(jiandu->port()) +
            (variant
                 ? "; jiandu demo " + f.variant + " on port " + std::to_string((*variant)->port())
                 : ""));
      // Remembered before pinning: AllowedCpus() of a pinned thread is its one CPU.
      const std::vector<int> all_cpus = AllowedCpus();
      PinThisThread(pin.generator);
      // The generator needs its CPU the moment a request is due; other processes on the
      // machine (and, in (b), the server itself) should not make it late.
      Print(std::string("Generator priority: ") + (SetThreadNice(kGeneratorNice)
                                                       ? "nice " + std::to_string(kGeneratorNice)
                                                       : "normal (raising it was not permitted)"));
      StepPolicy policy{.seconds = f.step_seconds,
                        .connections = f.connections,
                        .p99_bound_ms = f.p99_bound_ms,
                        .retries = f.retries};
      Servers servers{.nginx = {.port = nginx->port(),
                                .request = GetRequest(NginxServer::kPath, nginx->port(), "")},
                      .jiandu = {.port = jiandu->port(),
                                 .request = GetRequest("/healthz", jiandu->port(), "")}};
      if (variant) {
        servers.variant = LoadTarget{.port = (*variant)->port(),
                                     .request = GetRequest("/healthz", (*variant)->port(), "")};
      }
      double nginx_max = 0;
      HealthzScenario(f, policy, servers, &nginx_max);
      // (b) uses both CPUs for the server and the generator alike.
      jiandu->Repin(all_cpus);
      PinThisThread(all_cpus);
      rc = PeopleScenario(f, policy, *jiandu, *cookie, nginx_max);
    }
  }  // servers stop here
  std::error_code ec;
  std::filesystem::remove_all(*dir, ec);
  return rc;
}

}  // namespace
}  // namespace jiandu::bench

int main(int argc, char** argv) {
  jiandu::bench::Flags f;
  CLI::App cli{"Jiandu HTTP benchmark: jiandu serve vs nginx, open-loop load"};
  cli.add_option("--jiandu", f.jiandu, "jiandu binary")->capture_default_str();
  cli.add_option("--nginx", f.nginx, "nginx binary")->capture_default_str();
  cli.add_option("--pin", f.pin, "split (generator on the last CPU, servers on the rest) or none")
      ->check(CLI::IsMember({"split", "none"}))
      ->capture_default_str();
  cli.add_option("--variant", f.variant,
                 "extra jiandu flags for a second Jiandu in (a); empty to skip it")
      ->capture_default_str();
  cli.add_option("--tmp", f.tmp, "scratch directory base")->capture_default_str();
  cli.add_option("--step-seconds", f.step_seconds, "length of each ladder step")
      ->capture_default_str();
  cli.add_option("--fixed-rate", f.fixed_rate, "offered rate of scenario (b)")
      ->capture_default_str();
  cli.add_option("--fixed-seconds", f.fixed_seconds, "length of scenario (b)")
      ->capture_default_str();
  cli.add_option("--p99-bound-ms", f.p99_bound_ms, "p99 bound of a sustained rate")
      ->capture_default_str();
  cli.add_option("--connections", f.connections, "keep-alive connections")->capture_default_str();
  cli.add_option("--retries", f.retries, "re-runs of a failed step")->capture_default_str();
  cli.add_option("--refine-steps", f.refine_steps, "bisection steps after the ladder")
      ->capture_default_str();
  cli.add_option("--healthz-start", f.healthz_start, "first ladder rate for /healthz")
      ->capture_default_str();
  cli.add_option("--people-start", f.people_start, "first ladder rate for /people")
      ->capture_default_str();
  CLI11_PARSE(cli, argc, argv);
  try {
    return jiandu::bench::Run(f);
  } catch (const std::exception& e) {
    std::cerr << "http_benchmark: internal error: " << e.what() << "\n";
    return 1;
  }
}
