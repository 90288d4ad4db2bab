#include "api/http_server.h"

#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <vector>

#include "api/json_io.h"

namespace jiandu::api {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

}  // namespace

class HttpServer::Impl {
 public:
  class Connection;

  Impl(Api& api, ServerOptions o)
      : api_(api), options_(std::move(o)), acceptor_(ioc_), workers_(options_.worker_threads) {}

  Status Start() {
    boost::system::error_code ec;
    auto address = asio::ip::make_address(options_.address, ec);
    if (ec) {
      return Status::InvalidArgument("listen", "not an IP address");
    }
    tcp::endpoint ep(address, options_.port);
    acceptor_.open(ep.protocol(), ec);
    if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(ep, ec);
    if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
      return Status::Unavailable("cannot listen on " + options_.address + ":" +
                                 std::to_string(options_.port) + ": " + ec.message());
    }
    port_ = acceptor_.local_endpoint().port();
    // Keeps the I/O threads running while requests sit on the worker pool with no socket
    // operation pending (during shutdown the acceptor no longer holds them).
    work_.emplace(asio::make_work_guard(ioc_));
    Accept();
    for (int i = 0; i < options_.io_threads; ++i) {
      threads_.emplace_back([this] { ioc_.run(); });
    }
    return Status::Ok();
  }

  uint16_t port() const { return port_; }

  void WaitForSignal() {
    asio::io_context sig_ioc;
    asio::signal_set signals(sig_ioc, SIGINT, SIGTERM);
    signals.async_wait([](const boost::system::error_code&, int) {});
    sig_ioc.run();
    Shutdown();
  }

  void Shutdown();

  // Connection bookkeeping for graceful shutdown.
  void Register(const std::shared_ptr<Connection>& c);
  void Unregister(Connection* c);

  Api& api_;
  const ServerOptions options_;
  asio::io_context ioc_;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work_;
  tcp::acceptor acceptor_;
  asio::thread_pool workers_;
  std::vector<std::thread> threads_;
  uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> connections_{0};

  std::mutex mu_;
  std::condition_variable drained_;
  std::set<std::shared_ptr<Connection>> live_;  // guarded by mu_
  bool shut_down_ = false;                      // guarded by mu_

 private:
  void Accept();
};

class HttpServer::Impl::Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(Impl& server, tcp::socket socket) : server_(server), stream_(std::move(socket)) {}

  void Start() {
    boost::system::error_code ec;
    stream_.socket().set_option(tcp::no_delay(true), ec);
    auto ep = stream_.socket().remote_endpoint(ec);
    client_ = ec ? "" : ep.address().to_string();
    Read();
  }

  // Closes the connection if it is waiting for a request (called on shutdown).
  void CloseIfIdle() {
    asio::post(stream_.get_executor(), [self = shared_from_this()] {
      if (!self->busy_) {
        boost::system::error_code ec;
        self->stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
        self->stream_.close();
      }
    });
  }

 private:
  void Read() {
    busy_ = false;
    parser_.emplace();
    parser_->header_limit(static_cast<uint32_t>(server_.options_.header_limit));
    parser_->body_limit(server_.options_.body_limit);
    stream_.expires_after(server_.options_.read_timeout);
    // The header first: an upload route may take a larger body than the default limit.
    http::async_read_header(stream_, buffer_, *parser_,
                            [self = shared_from_this()](beast::error_code ec, size_t) {
                              self->OnHeader(ec);
                            });
  }

  void OnHeader(beast::error_code ec) {
    if (ec) {
      return OnRead(ec);
    }
    busy_ = true;  // a request has begun: a graceful shutdown lets it finish
    const auto& msg = parser_->get();
    const auto method = msg.method_string();
    const auto target = msg.target();
    const size_t limit = server_.api_.BodyLimitFor(std::string_view(method.data(), method.size()),
                                                   std::string_view(target.data(), target.size()));
    if (limit > server_.options_.body_limit) {
      parser_->body_limit(limit);
    }
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code ec2, size_t) {
                       self->OnRead(ec2);
                     });
  }

  void OnRead(beast::error_code ec) {
    if (ec == http::error::body_limit) {
      return Fail(413, "invalid_argument", "the body is larger than the limit", "body");
    }
    if (ec == http::error::header_limit) {
      return Fail(431, "invalid_argument", "the request headers are too large", "");
    }
    if (ec) {
      if (ec != http::error::end_of_stream && ec != beast::error::timeout &&
          ec != asio::error::operation_aborted && ec != asio::error::eof &&
          ec != asio::error::connection_reset) {
        return Fail(400, "invalid_argument", "malformed HTTP request", "");
      }
      return Close();
    }
    busy_ = true;
    auto& msg = parser_->get();
    auto req = std::make_shared<HttpRequest>();
    req->method = std::string(msg.method_string());
    req->target = std::string(msg.target());
    req->body = std::move(msg.body());
    req->client = client_;
    for (const auto& field : msg) {
      std::string name(field.name_string());
      for (char& c : name) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      }
      req->headers[name] = std::string(field.value());
    }
    keep_alive_ = msg.keep_alive() && !server_.stopping_;
    version_ = msg.version();
    head_ = msg.method() == http::verb::head;
    if (!ParseTarget(req->target, &req->path, &req->query)) {
      HttpResponse bad = HttpResponse::Json(
          400, ErrorBody("invalid_argument", "malformed percent-encoding in the URL", "url"));
      return Write(std::move(bad));
    }
    if (server_.api_.IsCheap(*req)) {
      return Write(server_.api_.Handle(*req));
    }
    // Database work and password hashing run on the worker pool, never on an I/O thread. A
    // deferred answer (a ballot queued for the group commit) frees the worker at once and is
    // sent from the thread that completes it.
    asio::post(server_.workers_, [self = shared_from_this(), req] {
      HttpResponse resp = self->server_.api_.Handle(*req);
      if (resp.defer) {
        auto start = std::move(resp.defer);
        return start([self](Result<HttpResponse> answer) {
          self->PostWrite(answer.ok() ? std::move(*answer)
                                      : HttpResponse::Json(500, ErrorBody("internal",
                                                                          "internal error", "")));
        });
      }
      self->PostWrite(std::move(resp));
    });
  }

  // Sends `resp` from the connection's own executor (called from other threads).
  void PostWrite(HttpResponse resp) {
    asio::post(stream_.get_executor(),
               [self = shared_from_this(), resp = std::move(resp)]() mutable {
                 self->Write(std::move(resp));
               });
  }

  void Fail(int status, const char* code, const char* message, const char* field) {
    keep_alive_ = false;
    linger_ = true;  // the client may still be sending the request we refused
    version_ = 11;
    Write(HttpResponse::Json(status, ErrorBody(code, message, field)));
  }

  void Write(HttpResponse r) {
    auto res = std::make_shared<http::response<http::string_body>>(
        static_cast<http::status>(r.status), version_);
    res->set(http::field::server, "jiandu");
    if (!r.content_type.empty()) {
      res->set(http::field::content_type, r.content_type);
    }
    for (auto& [name, value] : r.headers) {
      res->insert(name, value);
    }
    res->keep_alive(keep_alive_ && !server_.stopping_);
    if (head_) {
      // RFC 9110 §8.6: a HEAD answer carries the length the GET body would have, and no body.
      res->content_length(r.body.size());
    } else {
      res->body() = std::move(r.body);
      res->prepare_payload();
    }
    stream_.expires_after(server_.options_.write_timeout);
    http::async_write(stream_, *res,
                      [self = shared_from_this(), res](beast::error_code ec, size_t) {
                        if (!ec && self->linger_) {
                          return self->Linger();
                        }
                        if (ec || !res->keep_alive()) {
                          return self->Close();
                        }
                        self->Read();
                      });
  }

  // After refusing a request whose body is still arriving (413, malformed): stop sending, then
  // read and discard what the client sends for a moment before closing. Closing at once with
  // unread data would make the kernel reset the connection, and the client could lose our
  // answer (it would see EPIPE/ECONNRESET instead of the 413).
  void Linger() {
    boost::system::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.expires_after(std::chrono::seconds(2));
    Discard();
  }

  void Discard() {
    discard_.resize(64 * 1024);
    stream_.async_read_some(asio::buffer(discard_),
                            [self = shared_from_this()](beast::error_code ec, size_t n) {
                              self->discarded_ += n;
                              if (ec || self->discarded_ > 16 * 1024 * 1024) {
                                return self->Close();
                              }
                              self->Discard();
                            });
  }

  void Close() {
    busy_ = false;
    boost::system::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.close();
    server_.Unregister(this);
  }

  Impl& server_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::string client_;
  bool keep_alive_ = false;
  bool head_ = false;
  unsigned version_ = 11;
  bool busy_ = false;  // a request is being handled (only touched on the connection's strand)
  bool linger_ = false;     // drain the client's data before closing (see Linger)
  std::vector<char> discard_;
  size_t discarded_ = 0;
};

void HttpServer::Impl::Accept() {
  acceptor_.async_accept(asio::make_strand(ioc_), [this](beast::error_code ec, tcp::socket s) {
    if (ec) {
      if (ec == asio::error::operation_aborted || stopping_) {
        return;
      }
    } else if (connections_.load() >= options_.max_connections || stopping_) {
      boost::system::error_code ignored;
      s.close(ignored);
    } else {
      auto conn = std::make_shared<Connection>(*this, std::move(s));
      Register(conn);
      conn->Start();
    }
    Accept();
  });
}

void HttpServer::Impl::Register(const std::shared_ptr<Connection>& c) {
  std::lock_guard<std::mutex> l(mu_);
  live_.insert(c);
  connections_ = static_cast<int>(live_.size());
}

void HttpServer::Impl::Unregister(Connection* c) {
  std::lock_guard<std::mutex> l(mu_);
  for (auto it = live_.begin(); it != live_.end(); ++it) {
    if (it->get() == c) {
      live_.erase(it);
      break;
    }
  }
  connections_ = static_cast<int>(live_.size());
  drained_.notify_all();
}

void HttpServer::Impl::Shutdown() {
  {
    std::lock_guard<std::mutex> l(mu_);
    if (shut_down_) {
      return;
    }
    shut_down_ = true;
  }
  stopping_ = true;
  asio::post(ioc_, [this] {
    boost::system::error_code ec;
    acceptor_.close(ec);
  });
  {
    std::unique_lock<std::mutex> l(mu_);
    for (const auto& c : live_) {
      c->CloseIfIdle();
    }
    // Requests in flight finish and close their connections (keep-alive is off now).
    drained_.wait_for(l, options_.shutdown_grace, [this] { return live_.empty(); });
    live_.clear();
  }
  workers_.join();
  work_.reset();
  ioc_.stop();
  for (std::thread& t : threads_) {
    t.join();
  }
  threads_.clear();
}

HttpServer::HttpServer(Api& api, ServerOptions options)
    : impl_(std::make_unique<Impl>(api, std::move(options))) {}

HttpServer::~HttpServer() { Shutdown(); }

Status HttpServer::Start() { return impl_->Start(); }
uint16_t HttpServer::port() const { return impl_->port(); }
void HttpServer::WaitForSignal() { impl_->WaitForSignal(); }
void HttpServer::Shutdown() {
  if (!impl_->threads_.empty()) {
    impl_->Shutdown();
  }
}

}  // namespace jiandu::api
