// The two HTTP servers the benchmark drives, each started as a child process pinned to the
// given CPUs and stopped when its object is destroyed.
//
//   JIANDU_ASSIGN_OR_RETURN(bench::NginxServer nginx, bench::NginxServer::Start(opts));
//   JIANDU_ASSIGN_OR_RETURN(bench::JianduServer jiandu, bench::JianduServer::Start(opts));
//   JIANDU_ASSIGN_OR_RETURN(std::string cookie, jiandu.Login("congress", "jiandu-demo-2026"));
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bench/common/system.h"
#include "core/result.h"

namespace jiandu::bench {

struct ServerOptions {
  std::string binary;                   // /usr/sbin/nginx, or build/src/cli/jiandu
  std::string work_dir;                 // scratch directory for config, data and logs (must exist)
  std::vector<int> cpus;                // affinity of the server process; empty = all
  std::vector<std::string> extra_args;  // appended to the command line (jiandu only)
};

// nginx serving one static file, /healthz.json = {"status":"ok"}, from a generated
// configuration: daemon off, worker_processes 2, access_log off, keep-alive without a request
// cap, on a free loopback port.
class NginxServer {
 public:
  static Result<NginxServer> Start(const ServerOptions& o);
  uint16_t port() const { return port_; }
  std::string version() const { return version_; }
  static constexpr char kPath[] = "/healthz.json";

 private:
  ChildProcess process_;
  uint16_t port_ = 0;
  std::string version_;
};

// `jiandu demo --data <work_dir>/data --listen 127.0.0.1:0`, waiting for its
// "Jiandu is serving at http://127.0.0.1:PORT/" line.
class JianduServer {
 public:
  static Result<JianduServer> Start(const ServerOptions& o);
  uint16_t port() const { return port_; }
  // Moves the server's threads to `cpus` (empty = all).
  void Repin(const std::vector<int>& cpus) const { process_.Repin(cpus); }
  // Signs in through POST /api/v1/auth/login; returns "jiandu_session=<token>".
  Result<std::string> Login(const std::string& username, const std::string& password) const;

 private:
  ChildProcess process_;
  uint16_t port_ = 0;
};

// One blocking HTTP/1.1 exchange on a fresh connection (for set-up and sanity checks).
struct SimpleResponse {
  int status = 0;
  std::string headers;  // raw header block
  std::string body;
};
Result<SimpleResponse> HttpExchange(uint16_t port, const std::string& request);

// A TCP port that was free a moment ago on 127.0.0.1.
Result<uint16_t> PickFreePort();

}  // namespace jiandu::bench
