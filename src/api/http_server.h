// HttpServer: HTTP/1.1 over TCP with Boost.Beast (the only file that includes Beast).
//
// Keep-alive, TCP_NODELAY, header and body size limits (431/413), a deadline for reading each
// request and for writing each response (a slow client cannot hold a worker), requests handed to
// a worker pool so that password hashing and database calls never block the I/O threads, and a
// graceful shutdown: stop accepting, finish the requests in flight, close idle connections.
//
//   api::HttpServer server(api, {.address = "127.0.0.1", .port = 8080});
//   JIANDU_RETURN_IF_ERROR(server.Start());
//   server.WaitForSignal();   // SIGINT/SIGTERM → graceful shutdown
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "api/api.h"
#include "core/status.h"

namespace jiandu::api {

struct ServerOptions {
  std::string address = "127.0.0.1";
  uint16_t port = 8080;  // 0 picks a free port (see port())
  int io_threads = 2;
  int worker_threads = 4;
  size_t header_limit = 16 * 1024;
  size_t body_limit = 1024 * 1024;
  std::chrono::seconds read_timeout{15};   // a whole request, or the keep-alive idle time
  std::chrono::seconds write_timeout{15};
  std::chrono::seconds shutdown_grace{10};
  int max_connections = 10000;
};

class HttpServer {
 public:
  HttpServer(Api& api, ServerOptions options);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and starts the threads. unavailable if the address cannot be bound.
  Status Start();
  // The bound port (after Start).
  uint16_t port() const;
  // Blocks until SIGINT or SIGTERM, then shuts down gracefully.
  void WaitForSignal();
  // Graceful shutdown from any thread; returns when the threads have stopped.
  void Shutdown();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace jiandu::api
