#include "bench/common/latency.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

namespace jiandu::bench {
namespace {

int64_t NearestRank(const std::vector<int64_t>& sorted, double fraction) {
  if (sorted.empty()) {
    return 0;
  }
  auto rank = static_cast<size_t>(std::ceil(fraction * static_cast<double>(sorted.size())));
  rank = std::clamp<size_t>(rank, 1, sorted.size());
  return sorted[rank - 1];
}

}  // namespace

LatencySummary Samples::Summarize() {
  std::sort(ns_.begin(), ns_.end());
  LatencySummary s;
  s.count = static_cast<int64_t>(ns_.size());
  if (ns_.empty()) {
    return s;
  }
  s.p50_ns = NearestRank(ns_, 0.50);
  s.p90_ns = NearestRank(ns_, 0.90);
  s.p99_ns = NearestRank(ns_, 0.99);
  s.p999_ns = NearestRank(ns_, 0.999);
  s.max_ns = ns_.back();
  s.mean_ns = std::accumulate(ns_.begin(), ns_.end(), 0.0) / static_cast<double>(ns_.size());
  return s;
}

std::string FormatMs(int64_t ns) {
  char buf[32];
  const double ms = static_cast<double>(ns) / 1e6;
  if (ms >= 1000) {
    std::snprintf(buf, sizeof buf, "%.3g s", ms / 1000);
  } else if (ms >= 100) {
    std::snprintf(buf, sizeof buf, "%.0f ms", ms);
  } else if (ms >= 10) {
    std::snprintf(buf, sizeof buf, "%.1f ms", ms);
  } else if (ms >= 1) {
    std::snprintf(buf, sizeof buf, "%.2f ms", ms);
  } else {
    std::snprintf(buf, sizeof buf, "%.3f ms", ms);
  }
  return buf;
}

std::string FormatCount(double n) {
  auto v = static_cast<int64_t>(std::llround(n));
  std::string digits = std::to_string(v < 0 ? -v : v);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) {
      out.push_back(',');
    }
    out.push_back(digits[i]);
  }
  return v < 0 ? "-" + out : out;
}

}  // namespace jiandu::bench
