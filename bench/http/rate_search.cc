#include "bench/http/rate_search.h"

#include <unistd.h>

#include <cmath>
#include <cstdio>

namespace jiandu::bench {

bool Sustained(const LoadResult& r, double p99_bound_ms) {
  return r.errors() == 0 && r.achieved_rps >= 0.97 * r.offered_rps &&
         static_cast<double>(r.latency.p99_ns) <= p99_bound_ms * 1e6;
}

Step RunStep(const std::string& server, const LoadTarget& target, double rate,
             const StepPolicy& policy) {
  Step s;
  s.server = server;
  s.rate = rate;
  // A failure while the generator itself was late (other processes on its CPU) says nothing
  // about the server: it does not count against the retries, up to a few extra attempts.
  int counted_failures = 0;
  for (;;) {
    usleep(static_cast<useconds_t>(policy.pause_seconds * 1e6));
    s.result = RunOpenLoop(
        target, {.rate = rate, .seconds = policy.seconds, .connections = policy.connections});
    ++s.attempts;
    s.pass = Sustained(s.result, policy.p99_bound_ms);
    if (s.pass) {
      break;
    }
    if (!GeneratorLagged(s.result)) {
      ++counted_failures;
    }
    if (counted_failures > policy.retries || s.attempts > policy.retries + policy.lag_retries) {
      break;
    }
  }
  return s;
}

bool GeneratorLagged(const LoadResult& r) { return r.generator_lag.p99_ns > 1'000'000; }

std::string StepHeader() {
  char buf[256];
  std::snprintf(buf, sizeof buf, "%-8s %9s %9s %6s %9s %9s %9s %9s %9s %9s  %s", "server",
                "offered", "achieved", "errors", "p50", "p90", "p99", "p99.9", "max", "gen-lag99",
                "verdict");
  return buf;
}

std::string StepRow(const Step& s) {
  const LoadResult& r = s.result;
  char buf[320];
  std::string verdict = s.pass ? "ok" : "FAIL";
  if (s.attempts > 1) {
    verdict += " (attempt " + std::to_string(s.attempts) + ")";
  }
  if (GeneratorLagged(r)) {
    verdict += " [generator lagging]";
  }
  std::snprintf(buf, sizeof buf, "%-8s %9s %9s %6lld %9s %9s %9s %9s %9s %9s  %s", s.server.c_str(),
                FormatCount(s.rate).c_str(), FormatCount(r.achieved_rps).c_str(),
                static_cast<long long>(r.errors()), FormatMs(r.latency.p50_ns).c_str(),
                FormatMs(r.latency.p90_ns).c_str(), FormatMs(r.latency.p99_ns).c_str(),
                FormatMs(r.latency.p999_ns).c_str(), FormatMs(r.latency.max_ns).c_str(),
                FormatMs(r.generator_lag.p99_ns).c_str(), verdict.c_str());
  return buf;
}

std::vector<double> FindMaxRates(const std::vector<SearchTarget>& targets, double start, double cap,
                                 int refine_steps, const StepPolicy& policy,
                                 const std::function<void(const Step&)>& report) {
  const size_t n = targets.size();
  std::vector<double> last_pass(n, 0), first_fail(n, 0);
  std::vector<bool> failed(n, false);
  std::vector<int> lagged(n, 0);  // consecutive rungs failed with the generator lagging
  for (double rate = start; rate <= cap; rate *= 2) {
    bool any = false;
    for (size_t i = 0; i < n; ++i) {
      if (failed[i]) {
        continue;
      }
      any = true;
      Step s = RunStep(targets[i].server, targets[i].target, rate, policy);
      report(s);
      if (s.pass) {
        last_pass[i] = rate;
        lagged[i] = 0;
      } else if (GeneratorLagged(s.result) && ++lagged[i] < 2) {
        continue;  // inconclusive: the generator was late; climb on rather than stop on noise
      } else {
        failed[i] = true;
        first_fail[i] = rate;
      }
    }
    if (!any) {
      break;
    }
  }
  for (size_t i = 0; i < n; ++i) {
    if (!failed[i] || last_pass[i] == 0) {
      continue;  // never failed below the cap, or failed at the very first rung
    }
    double lo = last_pass[i], hi = first_fail[i];
    for (int k = 0; k < refine_steps; ++k) {
      // Round to 100 req/s: finer steps are below the noise.
      double mid = std::round((lo + hi) / 2 / 100) * 100;
      if (mid <= lo || mid >= hi) {
        break;
      }
      Step s = RunStep(targets[i].server, targets[i].target, mid, policy);
      report(s);
      (s.pass ? lo : hi) = mid;
    }
    last_pass[i] = lo;
  }
  return last_pass;
}

}  // namespace jiandu::bench
