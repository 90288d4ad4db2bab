// HTTP/1.1 clients of the ballot benchmark: many keep-alive connections, each with its own
// request (its member's cookie, CSRF token and ballot), driven by one epoll thread; and a plain
// blocking keep-alive connection for the officer (tally polls, closing the sheet).
//
//   bench::ConnectionSet conns;
//   JIANDU_RETURN_IF_ERROR(conns.Connect(port, 500));
//   std::vector<bench::Exchange> ex(500);   // ex[i].request, ex[i].due_ns
//   conns.Run(ex, deadline_ns);             // ex[i].status, ex[i].done_ns, ex[i].body
//
// Latency is read from `due_ns`, not from when the request was written: in a burst every
// request is due at the same instant (all members press the button together), and the time the
// one client thread takes to write 500 requests is charged to the server, as an open-loop
// generator does (bench/http/load_generator.h).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.h"

namespace jiandu::bench {

struct Exchange {
  std::string request;  // complete HTTP/1.1 request bytes
  int64_t due_ns = 0;   // when to send it (NowNs clock)
  // Filled in by Run:
  int64_t sent_ns = 0;  // when its last byte was written
  int64_t done_ns = 0;  // when its answer was complete (0: none)
  int status = 0;       // HTTP status, 0 when there was no answer
  bool io_error = false;
  std::string body;

  int64_t latency_ns() const { return done_ns - due_ns; }
};

// A fixed set of keep-alive connections to 127.0.0.1:port; exchange i always runs on
// connection i, so that a member's requests share their connection, as from one phone.
class ConnectionSet {
 public:
  ConnectionSet() = default;
  ~ConnectionSet();
  ConnectionSet(const ConnectionSet&) = delete;
  ConnectionSet& operator=(const ConnectionSet&) = delete;

  // Opens `n` connections (non-blocking connect, all at once) and waits until each is up.
  Status Connect(uint16_t port, int n, int timeout_ms = 10'000);
  // Sends ex[i] on connection i at ex[i].due_ns (ex.size() must equal the connection count)
  // and reads every answer, until all are answered or `deadline_ns`. A connection that failed
  // is not reopened: its exchange stays unanswered with io_error set.
  void Run(std::vector<Exchange>& ex, int64_t deadline_ns);
  void Close();
  size_t size() const { return fds_.size(); }

 private:
  std::vector<int> fds_;
  int ep_ = -1;
};

// One blocking keep-alive connection (reconnects once if the server closed it).
class SimpleClient {
 public:
  explicit SimpleClient(uint16_t port) : port_(port) {}
  ~SimpleClient();
  SimpleClient(const SimpleClient&) = delete;
  SimpleClient& operator=(const SimpleClient&) = delete;

  struct Answer {
    int status = 0;
    std::string body;
  };
  Result<Answer> Send(const std::string& request);

 private:
  Result<Answer> TryOnce(const std::string& request);
  uint16_t port_;
  int fd_ = -1;
  std::string in_;
};

// Request bytes. `cookie` is "jiandu_session=<token>"; `csrf` may be empty (GET).
std::string GetRequestWithSession(const std::string& path, uint16_t port,
                                  const std::string& cookie);
std::string JsonPostRequest(const std::string& path, uint16_t port, const std::string& cookie,
                            const std::string& csrf, const std::string& body);

}  // namespace jiandu::bench
