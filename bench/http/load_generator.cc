#include "bench/http/load_generator.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <deque>
#include <string_view>
#include <vector>

#include "bench/common/system.h"

namespace jiandu::bench {
namespace {

constexpr size_t kReadChunk = 64 * 1024;
// When the next request is due sooner than this, poll instead of sleeping: on a VM each timed
// sleep reprograms a timer, which costs more than the wait it would save.
constexpr int64_t kSpinNs = 20'000;

enum class Parse { kIncomplete, kComplete, kError };

struct Response {
  int status = 0;
  size_t size = 0;     // header and body bytes
  bool close = false;  // the server will close the connection after it
};

bool HeaderIs(std::string_view line, std::string_view name) {
  if (line.size() <= name.size() || line[name.size()] != ':') {
    return false;
  }
  for (size_t i = 0; i < name.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(line[i])) != name[i]) {
      return false;
    }
  }
  return true;
}

std::string_view HeaderValue(std::string_view line, size_t name_len) {
  std::string_view v = line.substr(name_len + 1);
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) {
    v.remove_prefix(1);
  }
  return v;
}

// Parses one response with a Content-Length body (both servers under test send one; chunked
// bodies are reported as errors rather than silently mis-measured).
Parse ParseResponse(std::string_view buf, Response* out) {
  size_t end = buf.find("\r\n\r\n");
  if (end == std::string_view::npos) {
    return buf.size() > 64 * 1024 ? Parse::kError : Parse::kIncomplete;
  }
  std::string_view head = buf.substr(0, end);
  if (head.size() < 12 || head.substr(0, 7) != "HTTP/1.") {
    return Parse::kError;
  }
  out->status = (head[9] - '0') * 100 + (head[10] - '0') * 10 + (head[11] - '0');
  out->close = head.substr(0, 8) == "HTTP/1.0";
  int64_t length = -1;
  size_t pos = head.find("\r\n");
  while (pos != std::string_view::npos) {
    size_t next = head.find("\r\n", pos + 2);
    std::string_view line = head.substr(
        pos + 2, next == std::string_view::npos ? std::string_view::npos : next - pos - 2);
    if (HeaderIs(line, "content-length")) {
      length = 0;
      for (char c : HeaderValue(line, 14)) {
        if (c < '0' || c > '9') {
          return Parse::kError;
        }
        length = length * 10 + (c - '0');
      }
    } else if (HeaderIs(line, "connection")) {
      std::string_view v = HeaderValue(line, 10);
      out->close = v == "close" || v == "Close";
    } else if (HeaderIs(line, "transfer-encoding")) {
      return Parse::kError;
    }
    pos = next;
  }
  if (length < 0) {
    if (out->status != 204 && out->status != 304) {
      return Parse::kError;
    }
    length = 0;
  }
  const size_t total = end + 4 + static_cast<size_t>(length);
  if (buf.size() < total) {
    return Parse::kIncomplete;
  }
  out->size = total;
  return Parse::kComplete;
}

class Generator {
 public:
  Generator(const LoadTarget& t, const LoadOptions& o) : t_(t), o_(o) {}

  LoadResult Run();

 private:
  enum class State { kDead, kConnecting, kIdle, kBusy };
  struct Conn {
    int fd = -1;
    State state = State::kDead;
    int64_t scheduled_ns = 0;  // of the request in flight
    size_t written = 0;
    bool want_write = false;
    std::string in;
  };

  int64_t Due(int64_t i) const {
    return start_ns_ + static_cast<int64_t>(static_cast<double>(i) * 1e9 / o_.rate);
  }
  void Open(size_t ci);
  void Watch(size_t ci, uint32_t events, int op);
  void Send(size_t ci, int64_t scheduled_ns);
  void Flush(size_t ci);
  void OnEvent(size_t ci, uint32_t events);
  void OnReadable(size_t ci);
  // The connection failed or the server closed it: count the request in flight, reopen.
  void Reopen(size_t ci, bool error);
  void MakeIdle(size_t ci);
  // Waits for socket events until `until_ns` at the latest; returns the number of events.
  int Wait(int64_t until_ns, std::vector<epoll_event>& events);

  const LoadTarget& t_;
  const LoadOptions& o_;
  LoadResult r_;
  int ep_ = -1;
  int64_t start_ns_ = 0;
  int64_t last_answer_ns_ = 0;
  int64_t in_flight_ = 0;
  std::vector<Conn> conns_;
  std::vector<size_t> idle_;
  std::deque<int64_t> pending_;  // scheduled times of due requests waiting for a connection
  Samples latency_;
  Samples lag_;
};

void Generator::Watch(size_t ci, uint32_t events, int op) {
  epoll_event ev{};
  ev.events = events;
  ev.data.u64 = ci;
  epoll_ctl(ep_, op, conns_[ci].fd, &ev);
}

void Generator::Open(size_t ci) {
  Conn& c = conns_[ci];
  c = Conn{};
  c.fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (c.fd < 0) {
    ++r_.io_errors;
    return;
  }
  int one = 1;
  setsockopt(c.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(t_.port);
  inet_pton(AF_INET, t_.host.c_str(), &addr.sin_addr);
  int rc = connect(c.fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  if (rc != 0 && errno != EINPROGRESS) {
    ++r_.io_errors;
    close(c.fd);
    c.fd = -1;
    return;
  }
  c.state = State::kConnecting;
  Watch(ci, EPOLLIN | EPOLLOUT, EPOLL_CTL_ADD);
}

void Generator::MakeIdle(size_t ci) {
  Conn& c = conns_[ci];
  c.state = State::kIdle;
  if (!pending_.empty()) {
    int64_t s = pending_.front();
    pending_.pop_front();
    Send(ci, s);
  } else {
    idle_.push_back(ci);
  }
}

void Generator::Send(size_t ci, int64_t scheduled_ns) {
  Conn& c = conns_[ci];
  c.state = State::kBusy;
  c.scheduled_ns = scheduled_ns;
  c.written = 0;
  ++in_flight_;
  Flush(ci);
}

void Generator::Flush(size_t ci) {
  Conn& c = conns_[ci];
  while (c.written < t_.request.size()) {
    ssize_t n =
        send(c.fd, t_.request.data() + c.written, t_.request.size() - c.written, MSG_NOSIGNAL);
    if (n > 0) {
      c.written += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (!c.want_write) {
        c.want_write = true;
        Watch(ci, EPOLLIN | EPOLLOUT, EPOLL_CTL_MOD);
      }
      return;
    }
    Reopen(ci, /*error=*/true);
    return;
  }
  if (c.want_write) {
    c.want_write = false;
    Watch(ci, EPOLLIN, EPOLL_CTL_MOD);
  }
}

void Generator::Reopen(size_t ci, bool error) {
  Conn& c = conns_[ci];
  if (c.state == State::kBusy) {
    --in_flight_;
    ++r_.io_errors;
  } else if (error) {
    ++r_.io_errors;
  }
  if (c.state == State::kIdle) {
    idle_.erase(std::remove(idle_.begin(), idle_.end(), ci), idle_.end());
  }
  if (c.fd >= 0) {
    close(c.fd);
  }
  ++r_.reconnects;
  Open(ci);
}

void Generator::OnEvent(size_t ci, uint32_t events) {
  Conn& c = conns_[ci];
  if (c.state == State::kConnecting) {
    int err = 0;
    socklen_t len = sizeof err;
    getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &err, &len);
    if (err != 0 || (events & (EPOLLERR | EPOLLHUP))) {
      ++r_.io_errors;
      close(c.fd);
      c.fd = -1;
      c.state = State::kDead;  // refused: the server is not there; do not spin on it
      return;
    }
    if (events & EPOLLOUT) {
      Watch(ci, EPOLLIN, EPOLL_CTL_MOD);
      MakeIdle(ci);
    }
    return;
  }
  const int fd = c.fd;
  if ((events & EPOLLOUT) && c.state == State::kBusy) {
    Flush(ci);
  }
  if (c.fd != fd) {
    return;  // the write failed and the connection was reopened; its events are stale
  }
  if (events & (EPOLLIN | EPOLLERR | EPOLLHUP)) {
    OnReadable(ci);
  }
}

void Generator::OnReadable(size_t ci) {
  Conn& c = conns_[ci];
  char buf[kReadChunk];
  ssize_t n = recv(c.fd, buf, sizeof buf, 0);
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
    return;
  }
  if (n <= 0) {
    // Closed by the server: an error only if a request was waiting for its answer.
    Reopen(ci, /*error=*/false);
    return;
  }
  c.in.append(buf, static_cast<size_t>(n));
  Response resp;
  Parse p = ParseResponse(c.in, &resp);
  if (p == Parse::kIncomplete) {
    return;
  }
  if (p == Parse::kError || c.state != State::kBusy || resp.size != c.in.size()) {
    // Garbage, an answer nobody asked for, or more bytes than one answer (we never pipeline).
    Reopen(ci, /*error=*/true);
    return;
  }
  const int64_t now = NowNs();
  latency_.Add(now - c.scheduled_ns);
  last_answer_ns_ = now;
  r_.response_bytes = static_cast<int64_t>(resp.size);
  if (resp.status >= 200 && resp.status < 300) {
    ++r_.ok;
  } else {
    ++r_.bad_status;
  }
  --in_flight_;
  c.in.clear();
  if (resp.close) {
    c.state = State::kIdle;  // not busy any more: reopening is not an error
    close(c.fd);
    c.fd = -1;
    ++r_.reconnects;
    Open(ci);
    return;
  }
  MakeIdle(ci);
}

int Generator::Wait(int64_t until_ns, std::vector<epoll_event>& events) {
  const int64_t wait_ns = until_ns - NowNs();
  timespec ts{};
  if (wait_ns > kSpinNs) {
    ts.tv_sec = wait_ns / 1'000'000'000;
    ts.tv_nsec = wait_ns % 1'000'000'000;
  }
  return epoll_pwait2(ep_, events.data(), static_cast<int>(events.size()), &ts, nullptr);
}

LoadResult Generator::Run() {
  // Wake up on time: the default 50 µs timer slack would show up as latency.
  prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
  r_.offered_rps = o_.rate;
  r_.scheduled = std::max<int64_t>(1, std::llround(o_.rate * o_.seconds));
  ep_ = epoll_create1(EPOLL_CLOEXEC);
  latency_.Reserve(static_cast<size_t>(r_.scheduled));
  lag_.Reserve(static_cast<size_t>(r_.scheduled));

  conns_.resize(static_cast<size_t>(std::max(1, o_.connections)));
  for (size_t i = 0; i < conns_.size(); ++i) {
    Open(i);
  }
  std::vector<epoll_event> events(512);
  // Connect everything before the clock starts (at most 5 s).
  const int64_t connect_deadline = NowNs() + 5'000'000'000;
  while (idle_.size() < conns_.size() && NowNs() < connect_deadline) {
    size_t connecting = 0;
    for (const Conn& c : conns_) {
      connecting += c.state == State::kConnecting ? 1 : 0;
    }
    if (connecting == 0) {
      break;
    }
    int n = epoll_wait(ep_, events.data(), static_cast<int>(events.size()), 100);
    for (int i = 0; i < n; ++i) {
      OnEvent(events[i].data.u64, events[i].events);
    }
  }

  start_ns_ = NowNs() + 10'000'000;
  const int64_t schedule_end = start_ns_ + static_cast<int64_t>(o_.seconds * 1e9);
  const int64_t deadline = schedule_end + static_cast<int64_t>(o_.drain_seconds * 1e9);
  int64_t next = 0;
  for (;;) {
    const int64_t now = NowNs();
    while (next < r_.scheduled && Due(next) <= now) {
      const int64_t due = Due(next++);
      lag_.Add(now - due);
      if (!idle_.empty()) {
        size_t ci = idle_.back();
        idle_.pop_back();
        Send(ci, due);
      } else {
        pending_.push_back(due);
      }
    }
    if (next == r_.scheduled && pending_.empty() && in_flight_ == 0) {
      break;
    }
    if (now >= deadline) {
      break;
    }
    const int n = Wait(next < r_.scheduled ? Due(next) : deadline, events);
    for (int i = 0; i < n; ++i) {
      OnEvent(events[i].data.u64, events[i].events);
    }
  }

  r_.unanswered = (r_.scheduled - next) + static_cast<int64_t>(pending_.size()) + in_flight_;
  for (Conn& c : conns_) {
    if (c.fd >= 0) {
      close(c.fd);
    }
  }
  close(ep_);
  r_.elapsed_s = std::max(o_.seconds, static_cast<double>(last_answer_ns_ - start_ns_) / 1e9);
  r_.achieved_rps = static_cast<double>(r_.ok) / r_.elapsed_s;
  r_.latency = latency_.Summarize();
  r_.generator_lag = lag_.Summarize();
  return r_;
}

}  // namespace

LoadResult RunOpenLoop(const LoadTarget& target, const LoadOptions& options) {
  Generator g(target, options);
  return g.Run();
}

std::string GetRequest(const std::string& path, uint16_t port, const std::string& cookie) {
  std::string r = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
                  "\r\nUser-Agent: jiandu-bench\r\nAccept: */*\r\n";
  if (!cookie.empty()) {
    r += "Cookie: " + cookie + "\r\n";
  }
  return r + "\r\n";
}

}  // namespace jiandu::bench
