#include "api/api.h"

#include <chrono>
#include <cstdio>
#include <mutex>

#include "api/json_io.h"
#include "api/openapi.h"
#include "api/routes.h"

namespace jiandu::api {
namespace {

// default-src 'self' for everything the Vite build loads; nothing inline, no framing.
constexpr char kCsp[] =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'";

void AddSecurityHeaders(HttpResponse& r, bool api) {
  r.headers.emplace_back("Content-Security-Policy", kCsp);
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  r.headers.emplace_back("X-Frame-Options", "DENY");
  r.headers.emplace_back("Referrer-Policy", "no-referrer");
  r.headers.emplace_back("Cross-Origin-Opener-Policy", "same-origin");
  if (api) {
    r.headers.emplace_back("Cache-Control", "no-store");
  }
}

void Log(const char* fmt, const std::string& a, const std::string& b, int status, double ms) {
  static std::mutex mu;
  std::lock_guard<std::mutex> l(mu);
  std::fprintf(stderr, fmt, a.c_str(), b.c_str(), status, ms);
}

bool HasBody(const std::string& method) {
  return method == "POST" || method == "PATCH" || method == "PUT";
}

}  // namespace

int HttpStatusFor(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return 200;
    case StatusCode::kInvalidArgument: return 400;
    case StatusCode::kUnauthenticated: return 401;
    case StatusCode::kPermissionDenied: return 403;
    case StatusCode::kNotFound: return 404;
    case StatusCode::kConflict: return 409;
    case StatusCode::kFailedPrecondition: return 409;
    case StatusCode::kResourceExhausted: return 429;
    case StatusCode::kUnavailable: return 503;
    case StatusCode::kInternal: return 500;
  }
  return 500;
}

HttpResponse ErrorResponse(const Status& s) {
  std::string message(s.message());
  if (s.code() == StatusCode::kInternal || s.code() == StatusCode::kUnavailable) {
    std::fprintf(stderr, "error: %s\n", s.ToString().c_str());
    message = s.code() == StatusCode::kInternal
                  ? "internal error; the operator can find the details in the server log"
                  : "the service is temporarily unavailable; try again";
  }
  HttpResponse r = HttpResponse::Json(HttpStatusFor(s.code()),
                                      ErrorBody(StatusCodeName(s.code()), message, s.field()));
  if (s.code() == StatusCode::kResourceExhausted) {
    r.headers.emplace_back("Retry-After", "60");
  }
  return r;
}

Api::Api(app::App& app, ApiOptions options)
    : app_(app),
      options_(std::move(options)),
      static_files_(options_.web_root),
      public_writes_(std::make_unique<auth::RateLimiter>(app.clock(), 5, 10)) {
  AddAuthRoutes(router_);
  AddRegistryRoutes(router_);
  AddAdminRoutes(router_);
  AddRectifyRoutes(router_);
  AddReviewRoutes(router_);
  AddMonitorRoutes(router_);
  if (options_.test_clock != nullptr) {
    AddTestClockRoute(router_, options_.test_clock);
  }
  openapi_ = DumpJson(OpenApiDocument(router_));
}

bool Api::IsCheap(const HttpRequest& req) const {
  return req.path == "/healthz" || req.path == "/api/v1/openapi.json" ||
         req.path.rfind("/api/", 0) != 0;
}

HttpResponse Api::Handle(const HttpRequest& req) {
  const auto start = std::chrono::steady_clock::now();
  std::string route_name = req.path.rfind("/api/", 0) == 0 ? "?" : "static";
  HttpResponse resp;
  const bool is_get = req.method == "GET" || req.method == "HEAD";
  if (req.path == "/healthz" && is_get) {
    resp = HttpResponse::Json(200, R"({"status":"ok"})");
    route_name = "/healthz";
  } else if (req.path == "/api/v1/openapi.json" && is_get) {
    resp = HttpResponse::Json(200, openapi_);
    route_name = req.path;
  } else if (req.path.rfind("/api/", 0) == 0) {
    resp = HandleApi(req, &route_name);
  } else if (!is_get) {
    resp = HttpResponse::Json(405, ErrorBody("invalid_argument", "method not allowed", ""));
  } else {
    resp = static_files_.Serve(req.path);
  }
  if (resp.defer) {
    HttpResponse deferred;
    deferred.defer = [this, inner = std::move(resp.defer), method = req.method, route_name,
                      start](HttpReply reply) {
      inner([this, reply = std::move(reply), method, route_name,
             start](Result<HttpResponse> r) {
        HttpResponse answer = r.ok() ? std::move(*r) : ErrorResponse(r.status());
        Finish(answer, method, route_name, start);
        reply(std::move(answer));
      });
    };
    return deferred;
  }
  Finish(resp, req.method, route_name, start);
  return resp;
}

void Api::Finish(HttpResponse& resp, const std::string& method, const std::string& route_name,
                 std::chrono::steady_clock::time_point start) const {
  AddSecurityHeaders(resp, route_name != "static");
  if (options_.access_log) {
    double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() -
                                                          start)
                    .count();
    // Method and route pattern only: query strings and bodies may hold personal data.
    Log("%s %s %d %.1fms\n", method, route_name, resp.status, ms);
  }
}

size_t Api::BodyLimitFor(std::string_view method, std::string_view target) const {
  if (method != "POST" && method != "PUT") {
    return kJsonBodyLimit;  // cheap answer for the hot GET path
  }
  std::string path;
  std::multimap<std::string, std::string> query;
  if (!ParseTarget(target, &path, &query)) {
    return kJsonBodyLimit;
  }
  std::map<std::string, std::string> params;
  bool path_known = false;
  const Route* route = router_.Match(method, path, &params, &path_known);
  if (route == nullptr || !route->info.upload) {
    return kJsonBodyLimit;
  }
  return route->info.upload_limit > 0 ? route->info.upload_limit : kUploadBodyLimit;
}

HttpResponse Api::HandleApi(const HttpRequest& req, std::string* route_name) {
  std::map<std::string, std::string> params;
  bool path_known = false;
  const Route* route = router_.Match(req.method, req.path, &params, &path_known);
  if (route == nullptr) {
    if (path_known) {
      return HttpResponse::Json(405, ErrorBody("invalid_argument", "method not allowed", ""));
    }
    return HttpResponse::Json(404, ErrorBody("not_found", "no such endpoint", ""));
  }
  *route_name = route->pattern;
  Context ctx(req, std::move(params), app_, route->info);
  ctx.set_secure_cookies(options_.secure_cookies);

  if (route->info.access != Access::kPublic) {
    std::string token = req.Cookie(kSessionCookie);
    Result<auth::SessionInfo> session = token.empty()
                                            ? Status::Unauthenticated("not signed in")
                                            : app_.sessions().Authenticate(token);
    if (!session.ok()) {
      return ErrorResponse(session.status());
    }
    if (route->info.access == Access::kSession &&
        session->principal.stage != auth::SessionStage::kActive) {
      return ErrorResponse(
          Status::Unauthenticated("sign-in is not complete: a second factor is required"));
    }
    if (req.method != "GET" && req.method != "HEAD") {
      Status csrf = auth::SessionService::CheckCsrf(*session, req.Header("x-csrf-token"));
      if (!csrf.ok()) {
        return ErrorResponse(csrf);
      }
    }
    ctx.set_token(std::move(token));
    ctx.set_session(std::move(*session));
  }
  if (route->info.access == Access::kPublic && req.method == "POST" &&
      route->pattern.starts_with("/api/v1/public/") && !public_writes_->Allow(req.client)) {
    return ErrorResponse(
        Status::ResourceExhausted("too many submissions from this address; try again shortly"));
  }
  if (!route->info.upload && req.body.size() > kJsonBodyLimit) {
    return HttpResponse::Json(
        413, ErrorBody("invalid_argument", "the body is larger than the limit", "body"));
  }
  if (HasBody(req.method) && !req.body.empty() && !route->info.upload) {
    std::string_view type = req.Header("content-type");
    if (type.substr(0, 16) != "application/json") {
      return HttpResponse::Json(
          415, ErrorBody("invalid_argument", "the body must be application/json", "Content-Type"));
    }
  }
  for (const auto& [name, value] : req.query) {
    bool known = false;
    for (const QueryParam& q : route->info.query) {
      known = known || q.name == name;
    }
    if (!known) {
      return ErrorResponse(Status::InvalidArgument(name, "is not a known query parameter"));
    }
  }
  Result<HttpResponse> r = route->handler(ctx);
  if (!r.ok()) {
    return ErrorResponse(r.status());
  }
  return std::move(*r);
}

}  // namespace jiandu::api
