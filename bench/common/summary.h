// One machine-readable line per headline figure, which scripts/run-benchmarks.sh gathers from
// every benchmark's output into the final table:
//
//   SUMMARY|<figure>|<jiandu>|<peer>|<ratio>|<target>|<met: yes, no or ->
//
//   bench::PrintSummary({.figure = "GET /healthz, max sustainable rate",
//                        .value = "41,200 req/s", .peer = "nginx static file: 63,000 req/s",
//                        .ratio = "65 %", .target = ">= 60 %", .met = "yes"});
#pragma once

#include <cstdio>
#include <string>

namespace jiandu::bench {

struct SummaryLine {
  std::string figure;
  std::string value;
  std::string peer = "-";
  std::string ratio = "-";
  std::string target = "-";
  std::string met = "-";
};

inline void PrintSummary(const SummaryLine& s) {
  std::printf("SUMMARY|%s|%s|%s|%s|%s|%s\n", s.figure.c_str(), s.value.c_str(), s.peer.c_str(),
              s.ratio.c_str(), s.target.c_str(), s.met.c_str());
  std::fflush(stdout);
}

inline std::string YesNo(bool b) { return b ? "yes" : "NO"; }

// "3.2x"
inline std::string Times(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1fx", x);
  return buf;
}

inline std::string Percent(double ratio) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f %%", ratio * 100);
  return buf;
}

}  // namespace jiandu::bench
