// An open-loop (fixed-rate) HTTP/1.1 load generator: one thread, epoll, non-blocking sockets,
// many keep-alive connections.
//
// Request i is due at start + i / rate whatever happened to the earlier ones. A due request is
// sent on an idle connection; when every connection is busy it waits in a queue. Its latency is
// measured from its *scheduled* time, not from when it was written, so a server that stalls is
// charged for every request that should have been sent during the stall (no coordinated
// omission: a closed-loop client would simply have stopped asking). One request is in flight
// per connection (no pipelining).
//
//   bench::LoadTarget t{.port = 8080, .request = bench::GetRequest("/healthz", 8080, "")};
//   bench::LoadResult r = bench::RunOpenLoop(t, {.rate = 5000, .seconds = 10});
//   r.achieved_rps; r.latency.p99_ns; r.errors();
#pragma once

#include <cstdint>
#include <string>

#include "bench/common/latency.h"

namespace jiandu::bench {

struct LoadTarget {
  std::string host = "127.0.0.1";  // IPv4 literal
  uint16_t port = 0;
  std::string request;  // complete HTTP/1.1 request bytes, sent as-is for every request
};

struct LoadOptions {
  double rate = 1000;        // offered requests per second
  double seconds = 10;       // length of the schedule
  int connections = 64;      // keep-alive connections opened before the schedule starts
  double drain_seconds = 2;  // after the last scheduled time, wait this long for answers
};

struct LoadResult {
  double offered_rps = 0;
  int64_t scheduled = 0;    // requests in the schedule
  int64_t ok = 0;           // 2xx answers
  int64_t bad_status = 0;   // other answers
  int64_t io_errors = 0;    // connection refused, reset or closed mid-request, unparsable reply
  int64_t unanswered = 0;   // not answered (or never sent) when the drain period ran out
  int64_t reconnects = 0;   // connections re-opened after the server closed them
  double elapsed_s = 0;     // from the first scheduled time to the last answer (>= seconds)
  double achieved_rps = 0;  // ok / elapsed_s
  LatencySummary latency;   // answered requests (2xx or not), from the scheduled time
  // How late the generator noticed each request was due (timer wake-up and loop delay). A
  // large p99 here means the generator, not the server, was the bottleneck.
  LatencySummary generator_lag;
  int64_t response_bytes = 0;  // size of the last answer (headers and body)

  int64_t errors() const { return bad_status + io_errors + unanswered; }
};

// Runs one fixed-rate schedule against `target`. Never fails as a whole: connection problems
// are counted in io_errors.
LoadResult RunOpenLoop(const LoadTarget& target, const LoadOptions& options);

// "GET <path> HTTP/1.1" with Host, keep-alive and, when non-empty, `cookie` ("name=value").
std::string GetRequest(const std::string& path, uint16_t port, const std::string& cookie);

}  // namespace jiandu::bench
