// Steps: one fixed-rate run judged against a latency bound, and the search for the highest
// offered rate a server sustains.
//
// A rate is *sustained* when every scheduled request got a 2xx answer, the achieved rate is at
// least 97 % of the offered one, and p99 latency (from the scheduled time) is within the bound.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "bench/http/load_generator.h"

namespace jiandu::bench {

struct StepPolicy {
  double seconds = 5;  // length of each step
  int connections = 64;
  double p99_bound_ms = 10;
  int retries = 1;      // a failed step is run again this many times (noise); any pass counts
  int lag_retries = 2;  // extra re-runs of a step that failed while the generator lagged
  double pause_seconds = 0.3;  // idle time before each step, so the previous backlog is gone
};

struct Step {
  std::string server;
  double rate = 0;
  LoadResult result;
  bool pass = false;
  int attempts = 0;
};

bool Sustained(const LoadResult& r, double p99_bound_ms);
// True when the generator's own lateness (p99 over 1 ms) may have caused a failure.
bool GeneratorLagged(const LoadResult& r);

// Runs `rate` against `target`; after a failure, again up to policy.retries times, plus up to
// policy.lag_retries more attempts when a failure coincided with the generator lagging.
Step RunStep(const std::string& server, const LoadTarget& target, double rate,
             const StepPolicy& policy);

// The column headings and one row per step, aligned for a terminal.
std::string StepHeader();
std::string StepRow(const Step& s);

// Highest sustained rate of each server. All climb one shared ladder (start, 2×start, 4×...,
// interleaved so that background noise hits them alike, until each has failed once or `cap`
// is reached; a rung failed while the generator was lagging does not stop the climb unless the
// next one fails too); then each bisects between its last pass and first fail `refine_steps`
// times.
// Every step is passed to `report` as it finishes. Returns one figure per target (0 if even the
// first rung failed).
struct SearchTarget {
  std::string server;
  LoadTarget target;
};
std::vector<double> FindMaxRates(const std::vector<SearchTarget>& targets, double start, double cap,
                                 int refine_steps, const StepPolicy& policy,
                                 const std::function<void(const Step&)>& report);

}  // namespace jiandu::bench
