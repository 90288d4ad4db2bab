#include "bench/ballot/ballot_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <numeric>
#include <string_view>

#include "bench/common/system.h"

namespace jiandu::bench {
namespace {

// When the next request is due sooner than this, poll instead of sleeping (as in
// bench/http/load_generator.cc: a timed sleep on this VM costs more than the wait it saves).
constexpr int64_t kSpinNs = 20'000;

enum class Parse { kIncomplete, kComplete, kError };

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

// One response with a Content-Length body (Jiandu always sends one). On kComplete, `status`,
// `total` (header and body bytes) and `body_offset` are set.
Parse ParseResponse(std::string_view buf, int* status, size_t* total, size_t* body_offset) {
  const size_t end = buf.find("\r\n\r\n");
  if (end == std::string_view::npos) {
    return buf.size() > 64 * 1024 ? Parse::kError : Parse::kIncomplete;
  }
  std::string_view head = buf.substr(0, end);
  if (head.size() < 12 || head.substr(0, 7) != "HTTP/1.") {
    return Parse::kError;
  }
  *status = (head[9] - '0') * 100 + (head[10] - '0') * 10 + (head[11] - '0');
  int64_t length = -1;
  size_t pos = head.find("\r\n");
  while (pos != std::string_view::npos) {
    const size_t next = head.find("\r\n", pos + 2);
    std::string_view line = head.substr(
        pos + 2, next == std::string_view::npos ? std::string_view::npos : next - pos - 2);
    if (HeaderIs(line, "content-length")) {
      std::string_view v = line.substr(15);
      while (!v.empty() && v.front() == ' ') {
        v.remove_prefix(1);
      }
      length = 0;
      for (char c : v) {
        if (c < '0' || c > '9') {
          return Parse::kError;
        }
        length = length * 10 + (c - '0');
      }
    } else if (HeaderIs(line, "transfer-encoding")) {
      return Parse::kError;
    }
    pos = next;
  }
  if (length < 0) {
    if (*status != 204 && *status != 304) {
      return Parse::kError;
    }
    length = 0;
  }
  *body_offset = end + 4;
  *total = end + 4 + static_cast<size_t>(length);
  return buf.size() < *total ? Parse::kIncomplete : Parse::kComplete;
}

int ConnectNonBlocking(uint16_t port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    return -1;
  }
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 && errno != EINPROGRESS) {
    close(fd);
    return -1;
  }
  return fd;
}

}  // namespace

ConnectionSet::~ConnectionSet() { Close(); }

void ConnectionSet::Close() {
  for (int fd : fds_) {
    if (fd >= 0) {
      close(fd);
    }
  }
  fds_.clear();
  if (ep_ >= 0) {
    close(ep_);
    ep_ = -1;
  }
}

Status ConnectionSet::Connect(uint16_t port, int n, int timeout_ms) {
  Close();
  ep_ = epoll_create1(EPOLL_CLOEXEC);
  fds_.assign(static_cast<size_t>(n), -1);
  for (int i = 0; i < n; ++i) {
    fds_[i] = ConnectNonBlocking(port);
    if (fds_[i] < 0) {
      return Status::Unavailable("cannot open connection " + std::to_string(i) + ": " +
                                 std::strerror(errno));
    }
    epoll_event ev{};
    ev.events = EPOLLOUT;
    ev.data.u64 = static_cast<uint64_t>(i);
    epoll_ctl(ep_, EPOLL_CTL_ADD, fds_[i], &ev);
  }
  int pending = n;
  std::vector<epoll_event> events(512);
  const int64_t deadline = NowNs() + int64_t{timeout_ms} * 1'000'000;
  while (pending > 0) {
    const int64_t left_ms = (deadline - NowNs()) / 1'000'000;
    if (left_ms <= 0) {
      return Status::Unavailable(std::to_string(pending) + " connections did not come up");
    }
    const int k = epoll_wait(ep_, events.data(), static_cast<int>(events.size()),
                             static_cast<int>(left_ms));
    for (int j = 0; j < k; ++j) {
      const size_t i = events[j].data.u64;
      int err = 0;
      socklen_t len = sizeof err;
      getsockopt(fds_[i], SOL_SOCKET, SO_ERROR, &err, &len);
      if (err != 0) {
        return Status::Unavailable(std::string("connect: ") + std::strerror(err));
      }
      // Connected: from now on watch for answers only.
      epoll_event ev{};
      ev.events = EPOLLIN;
      ev.data.u64 = i;
      epoll_ctl(ep_, EPOLL_CTL_MOD, fds_[i], &ev);
      --pending;
    }
  }
  return Status::Ok();
}

void ConnectionSet::Run(std::vector<Exchange>& ex, int64_t deadline_ns) {
  prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
  const size_t n = std::min(ex.size(), fds_.size());
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return ex[a].due_ns < ex[b].due_ns; });
  std::vector<size_t> written(n, 0);
  std::vector<std::string> in(n);
  for (size_t i = 0; i < n; ++i) {
    ex[i].sent_ns = ex[i].done_ns = 0;
    ex[i].status = 0;
    ex[i].io_error = fds_[i] < 0;
    ex[i].body.clear();
  }
  size_t outstanding = 0;  // finished exchanges are counted down from n
  for (size_t i = 0; i < n; ++i) {
    outstanding += ex[i].io_error ? 0 : 1;
  }
  auto fail = [&](size_t i) {
    if (!ex[i].io_error && ex[i].done_ns == 0) {
      ex[i].io_error = true;
      --outstanding;
    }
    epoll_ctl(ep_, EPOLL_CTL_DEL, fds_[i], nullptr);
    close(fds_[i]);
    fds_[i] = -1;
  };
  auto flush = [&](size_t i) {
    const std::string& r = ex[i].request;
    while (written[i] < r.size()) {
      ssize_t k = send(fds_[i], r.data() + written[i], r.size() - written[i], MSG_NOSIGNAL);
      if (k > 0) {
        written[i] += static_cast<size_t>(k);
        continue;
      }
      if (k < 0 && errno == EINTR) {
        continue;
      }
      if (k < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        epoll_event ev{};
        ev.events = EPOLLIN | EPOLLOUT;
        ev.data.u64 = i;
        epoll_ctl(ep_, EPOLL_CTL_MOD, fds_[i], &ev);
        return;
      }
      fail(i);
      return;
    }
    ex[i].sent_ns = NowNs();
  };
  std::vector<epoll_event> events(512);
  size_t next = 0;
  char buf[65536];
  while (outstanding > 0) {
    int64_t now = NowNs();
    while (next < n && ex[order[next]].due_ns <= now) {
      const size_t i = order[next++];
      if (fds_[i] >= 0 && !ex[i].io_error) {
        flush(i);
      }
    }
    if (outstanding == 0 || now >= deadline_ns) {
      break;
    }
    const int64_t until = next < n ? std::min(ex[order[next]].due_ns, deadline_ns) : deadline_ns;
    const int64_t wait_ns = until - NowNs();
    timespec ts{};
    if (wait_ns > kSpinNs) {
      ts.tv_sec = wait_ns / 1'000'000'000;
      ts.tv_nsec = wait_ns % 1'000'000'000;
    }
    const int k =
        epoll_pwait2(ep_, events.data(), static_cast<int>(events.size()), &ts, nullptr);
    for (int j = 0; j < k; ++j) {
      const size_t i = events[j].data.u64;
      if (fds_[i] < 0) {
        continue;
      }
      if (events[j].events & EPOLLOUT) {
        flush(i);
        if (fds_[i] < 0) {
          continue;
        }
        if (written[i] == ex[i].request.size()) {
          epoll_event ev{};
          ev.events = EPOLLIN;
          ev.data.u64 = i;
          epoll_ctl(ep_, EPOLL_CTL_MOD, fds_[i], &ev);
        }
      }
      if (!(events[j].events & (EPOLLIN | EPOLLERR | EPOLLHUP))) {
        continue;
      }
      ssize_t got = recv(fds_[i], buf, sizeof buf, 0);
      if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
        continue;
      }
      if (got <= 0) {
        fail(i);  // closed by the server (idle timeout) or reset
        continue;
      }
      in[i].append(buf, static_cast<size_t>(got));
      int status = 0;
      size_t total = 0, body_offset = 0;
      const Parse p = ParseResponse(in[i], &status, &total, &body_offset);
      if (p == Parse::kIncomplete) {
        continue;
      }
      if (p == Parse::kError || ex[i].done_ns != 0 || in[i].size() != total) {
        fail(i);
        continue;
      }
      ex[i].done_ns = NowNs();
      ex[i].status = status;
      ex[i].body = in[i].substr(body_offset);
      in[i].clear();
      --outstanding;
    }
  }
}

SimpleClient::~SimpleClient() {
  if (fd_ >= 0) {
    close(fd_);
  }
}

Result<SimpleClient::Answer> SimpleClient::Send(const std::string& request) {
  Result<Answer> a = TryOnce(request);
  if (a.ok()) {
    return a;
  }
  return TryOnce(request);  // the server may have closed an idle keep-alive connection
}

Result<SimpleClient::Answer> SimpleClient::TryOnce(const std::string& request) {
  if (fd_ < 0) {
    fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    timeval tv{.tv_sec = 30, .tv_usec = 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port_);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      close(fd_);
      fd_ = -1;
      return Status::Unavailable("cannot connect to 127.0.0.1:" + std::to_string(port_));
    }
    in_.clear();
  }
  auto drop = [&](const std::string& why) -> Status {
    close(fd_);
    fd_ = -1;
    in_.clear();
    return Status::Unavailable(why);
  };
  size_t sent = 0;
  while (sent < request.size()) {
    ssize_t k = send(fd_, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (k <= 0) {
      return drop("send failed");
    }
    sent += static_cast<size_t>(k);
  }
  char buf[65536];
  for (;;) {
    int status = 0;
    size_t total = 0, body_offset = 0;
    const Parse p = ParseResponse(in_, &status, &total, &body_offset);
    if (p == Parse::kError) {
      return drop("unparsable answer");
    }
    if (p == Parse::kComplete) {
      Answer a{status, in_.substr(body_offset, total - body_offset)};
      in_.erase(0, total);
      return a;
    }
    ssize_t k = recv(fd_, buf, sizeof buf, 0);
    if (k <= 0) {
      return drop("connection closed");
    }
    in_.append(buf, static_cast<size_t>(k));
  }
}

std::string GetRequestWithSession(const std::string& path, uint16_t port,
                                  const std::string& cookie) {
  return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
         "\r\nUser-Agent: jiandu-bench\r\nAccept: application/json\r\nCookie: " + cookie +
         "\r\n\r\n";
}

std::string JsonPostRequest(const std::string& path, uint16_t port, const std::string& cookie,
                            const std::string& csrf, const std::string& body) {
  return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
         "\r\nUser-Agent: jiandu-bench\r\nAccept: application/json\r\nCookie: " + cookie +
         "\r\nX-CSRF-Token: " + csrf +
         "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\n\r\n" + body;
}

}  // namespace jiandu::bench
