// Api: the request pipeline from a parsed HTTP request to a response — routing, sessions, CSRF,
// content-type and body checks, error mapping (the one place Status codes become HTTP statuses),
// security headers and static files. Transport-independent: http_server.cc feeds it.
//
//   api::Api api(app, {.web_root = "web/dist"});
//   HttpResponse r = api.Handle(request);   // thread-safe
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "api/http_types.h"
#include "api/router.h"
#include "api/static_files.h"
#include "app/app.h"
#include "auth/rate_limiter.h"

namespace jiandu::api {

struct ApiOptions {
  std::string web_root;        // web/dist; empty → no UI
  bool secure_cookies = false; // add Secure to the session cookie (behind HTTPS)
  bool access_log = false;     // one line per request to stderr (method, route, status, time)
  // Tests only (`--test-clock`): the app's clock, settable by POST /api/v1/test/clock.
  core::FakeClock* test_clock = nullptr;
};

class Api {
 public:
  Api(app::App& app, ApiOptions options);

  // The answer to `req`; it may be deferred (HttpResponse::defer), and then its final form —
  // with the same headers and access-log line as any other — goes to the HttpReply given.
  HttpResponse Handle(const HttpRequest& req);
  // True for requests cheap enough to answer on the I/O thread (health, static files).
  bool IsCheap(const HttpRequest& req) const;
  // The largest body the route of `method` and `target` accepts (uploads take more than JSON).
  size_t BodyLimitFor(std::string_view method, std::string_view target) const;

  const Router& router() const { return router_; }
  const std::string& openapi_json() const { return openapi_; }

 private:
  HttpResponse HandleApi(const HttpRequest& req, std::string* route_name);
  // Security headers and the access-log line, for an answer ready to send.
  void Finish(HttpResponse& resp, const std::string& method, const std::string& route_name,
              std::chrono::steady_clock::time_point start) const;

  app::App& app_;
  ApiOptions options_;
  Router router_;
  StaticFiles static_files_;
  std::string openapi_;
  // Anonymous writes (public opinions, questionnaires) per client address: 5 at once, then 10
  // a minute. The address is used in memory only, never stored or logged.
  std::unique_ptr<auth::RateLimiter> public_writes_;
};

// The HTTP status for a Status code (the single mapping of DESIGN.md §2).
int HttpStatusFor(StatusCode code);
// The JSON error response for `s`. internal and unavailable get a generic message; the detail
// goes to the log instead.
HttpResponse ErrorResponse(const Status& s);

}  // namespace jiandu::api
