// Latency samples and their percentiles, for the benchmark programs.
//
//   bench::Samples s;
//   s.Add(1'250'000);                       // nanoseconds
//   bench::LatencySummary l = s.Summarize();
//   std::printf("p99 %s\n", bench::FormatMs(l.p99_ns).c_str());
//
// Samples are kept exactly (no histogram buckets): a 10 s run at 100,000 req/s is 8 MB.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace jiandu::bench {

struct LatencySummary {
  int64_t count = 0;
  int64_t p50_ns = 0;
  int64_t p90_ns = 0;
  int64_t p99_ns = 0;
  int64_t p999_ns = 0;
  int64_t max_ns = 0;
  double mean_ns = 0;
};

class Samples {
 public:
  void Reserve(size_t n) { ns_.reserve(n); }
  void Add(int64_t ns) { ns_.push_back(ns); }
  size_t size() const { return ns_.size(); }
  // Appends these samples to `other` and empties this set.
  void MoveInto(Samples& other) {
    other.ns_.insert(other.ns_.end(), ns_.begin(), ns_.end());
    ns_.clear();
  }
  // Sorts the samples (once) and reads the percentiles by the nearest-rank method.
  LatencySummary Summarize();

 private:
  std::vector<int64_t> ns_;
};

// "0.183 ms", "12.4 ms", "1.52 s": three significant digits.
std::string FormatMs(int64_t ns);
// "51,200"
std::string FormatCount(double n);

}  // namespace jiandu::bench
