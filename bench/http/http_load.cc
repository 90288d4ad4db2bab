// http_load: the benchmark's open-loop load generator on its own, against any server already
// running on loopback (for profiling a server, or trying one rate by hand).
//
//   build/bench/http_load --port 8080 --path /healthz --rate 5000 --seconds 10
//   build/bench/http_load --port 8080 --path '/api/v1/people?limit=50'
//       --cookie jiandu_session=... --rate 500 --cpu 1
#include <CLI/CLI.hpp>
#include <iostream>

#include "bench/common/system.h"
#include "bench/http/load_generator.h"
#include "bench/http/rate_search.h"

int main(int argc, char** argv) {
  using namespace jiandu::bench;
  int port = 0;
  std::string path = "/healthz";
  std::string cookie;
  double rate = 1000, seconds = 10;
  int connections = 64;
  std::vector<int> cpus;
  CLI::App cli{"Open-loop HTTP/1.1 load against 127.0.0.1:<port>"};
  cli.add_option("--port", port, "server port")->required();
  cli.add_option("--path", path, "request target")->capture_default_str();
  cli.add_option("--cookie", cookie, "Cookie header value, e.g. jiandu_session=...");
  cli.add_option("--rate", rate, "offered requests per second")->capture_default_str();
  cli.add_option("--seconds", seconds, "length of the schedule")->capture_default_str();
  cli.add_option("--connections", connections, "keep-alive connections")->capture_default_str();
  cli.add_option("--cpu", cpus, "pin the generator to these CPUs")->delimiter(',');
  CLI11_PARSE(cli, argc, argv);
  if (!cpus.empty()) {
    PinThisThread(cpus);
  }
  LoadTarget t{.port = static_cast<uint16_t>(port),
               .request = GetRequest(path, static_cast<uint16_t>(port), cookie)};
  Step s;
  s.server = "target";
  s.rate = rate;
  s.result = RunOpenLoop(t, {.rate = rate, .seconds = seconds, .connections = connections});
  s.attempts = 1;
  s.pass = Sustained(s.result, 10);
  std::cout << StepHeader() << "\n"
            << StepRow(s) << "\n"
            << "answers " << s.result.ok << " ok, " << s.result.bad_status << " non-2xx, "
            << s.result.io_errors << " I/O errors, " << s.result.unanswered << " unanswered, "
            << s.result.reconnects << " reconnects; last answer " << s.result.response_bytes
            << " bytes\n";
  return 0;
}
