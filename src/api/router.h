// The route table: every API endpoint with its handler and the metadata the OpenAPI document
// is generated from, so the document cannot drift from what the server answers.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "api/http_types.h"
#include "api/json_io.h"
#include "app/app.h"
#include "auth/session_service.h"
#include "core/result.h"

namespace jiandu::api {

enum class Access {
  kPublic,           // no session
  kSessionAnyStage,  // a session, possibly still in a TOTP stage (the /auth endpoints)
  kSession,          // a fully signed-in session
};

struct QueryParam {
  std::string name;
  std::string type;  // "string", "integer", "boolean"
  std::string description;
};

struct RouteInfo {
  std::string summary;
  std::string tag;
  Access access = Access::kSession;
  std::string permission;       // the permission checked by the service, for the document
  std::string request_schema;   // components/schemas name of the body, or ""
  std::string response_schema;  // components/schemas name of the answer, or ""
  bool paged = false;           // the answer is {"items":[response_schema…],"next_cursor"}
  int success_status = 200;
  std::vector<QueryParam> query;
  bool upload = false;           // the body is a raw file (any Content-Type), up to kUploadLimit
  size_t upload_limit = 0;       // a larger limit for this upload (0: kUploadBodyLimit)
  bool binary_response = false;  // the answer is a file, not JSON
  bool hidden = false;           // left out of the OpenAPI document (test-only routes)
};

// Request bodies: JSON up to 1 MiB; uploads (RouteInfo::upload) up to 9 MiB, or their route's
// upload_limit.
inline constexpr size_t kJsonBodyLimit = 1024 * 1024;
inline constexpr size_t kUploadBodyLimit = 9 * 1024 * 1024;
// Dataset files (monitoring imports) over HTTP; larger files go through `jiandu import`.
inline constexpr size_t kDatasetUploadLimit = 64 * 1024 * 1024;

// What a handler gets: the request, its path parameters, the session and the services.
class Context {
 public:
  Context(const HttpRequest& req, std::map<std::string, std::string> params, app::App& app,
          const RouteInfo& info)
      : req_(req), params_(std::move(params)), app_(app), info_(info) {}

  const HttpRequest& req() const { return req_; }
  app::App& app() { return app_; }
  // The signed-in principal; a public route gets an unprivileged viewer with no scope.
  const auth::Principal& who() const { return session_ ? session_->principal : anonymous_; }
  const std::optional<auth::SessionInfo>& session() const { return session_; }
  void set_session(auth::SessionInfo s) { session_ = std::move(s); }
  const std::string& token() const { return token_; }
  void set_token(std::string t) { token_ = std::move(t); }
  // The Set-Cookie value for a session token ("" clears the cookie).
  std::string SessionCookie(const std::string& token) const;
  void set_secure_cookies(bool secure) { secure_cookies_ = secure; }

  // A positive integer path parameter; not_found when malformed (the record cannot exist).
  Result<int64_t> PathId(const std::string& name) const;
  // A path parameter as text ("" when the route has none of that name).
  std::string PathParam(const std::string& name) const {
    auto it = params_.find(name);
    return it == params_.end() ? std::string() : it->second;
  }
  std::optional<std::string> Query(const std::string& name) const;
  // invalid_argument naming the parameter when it is not an integer.
  Result<std::optional<int64_t>> QueryInt(const std::string& name) const;
  // As QueryInt, invalid_argument naming the parameter when it is absent.
  Result<int64_t> RequiredQueryInt(const std::string& name) const;
  Result<std::optional<bool>> QueryBool(const std::string& name) const;
  // The standard limit/cursor pair.
  Result<core::PageRequest> Page() const;
  // The body as a strict JSON object reader.
  Result<JsonReader> Body() const { return JsonReader::Parse(req_.body); }

 private:
  const HttpRequest& req_;
  std::map<std::string, std::string> params_;
  app::App& app_;
  const RouteInfo& info_;
  std::optional<auth::SessionInfo> session_;
  std::string token_;
  bool secure_cookies_ = false;
  auth::Principal anonymous_;
};

inline constexpr char kSessionCookie[] = "jiandu_session";

using Handler = std::function<Result<HttpResponse>(Context&)>;

struct Route {
  std::string method;
  std::string pattern;  // "/api/v1/people/{id}"
  RouteInfo info;
  Handler handler;
  std::vector<std::string> segments;  // pattern split on '/'
};

class Router {
 public:
  void Add(std::string method, std::string pattern, RouteInfo info, Handler handler);

  // The route for `method` and `path`, with its path parameters. When none matches,
  // `*path_known` tells whether another method exists for the path (405 rather than 404).
  const Route* Match(std::string_view method, std::string_view path,
                     std::map<std::string, std::string>* params, bool* path_known) const;

  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

// The standard limit/cursor query parameters, appended to `params`.
std::vector<QueryParam> WithPaging(std::vector<QueryParam> params = {});


}  // namespace jiandu::api
