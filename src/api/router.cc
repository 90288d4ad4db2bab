#include "api/router.h"

#include <charconv>

namespace jiandu::api {
namespace {

std::vector<std::string> Split(std::string_view path) {
  std::vector<std::string> out;
  size_t start = 1;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) {
      slash = path.size();
    }
    out.emplace_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return out;
}

}  // namespace

void Router::Add(std::string method, std::string pattern, RouteInfo info, Handler handler) {
  Route r{std::move(method), std::move(pattern), std::move(info), std::move(handler), {}};
  r.segments = Split(r.pattern);
  routes_.push_back(std::move(r));
}

const Route* Router::Match(std::string_view method, std::string_view path,
                           std::map<std::string, std::string>* params, bool* path_known) const {
  *path_known = false;
  const std::vector<std::string> parts = Split(path);
  for (const Route& r : routes_) {
    if (r.segments.size() != parts.size()) {
      continue;
    }
    std::map<std::string, std::string> found;
    bool ok = true;
    for (size_t i = 0; i < parts.size() && ok; ++i) {
      const std::string& seg = r.segments[i];
      if (seg.size() > 2 && seg.front() == '{' && seg.back() == '}') {
        found[seg.substr(1, seg.size() - 2)] = parts[i];
        ok = !parts[i].empty();
      } else {
        ok = seg == parts[i];
      }
    }
    if (!ok) {
      continue;
    }
    if (r.method == method || (method == "HEAD" && r.method == "GET")) {
      *params = std::move(found);
      return &r;
    }
    *path_known = true;
  }
  return nullptr;
}

Result<int64_t> Context::PathId(const std::string& name) const {
  auto it = params_.find(name);
  int64_t v = 0;
  if (it != params_.end()) {
    const std::string& s = it->second;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec == std::errc() && end == s.data() + s.size() && v > 0) {
      return v;
    }
  }
  return Status::NotFound(auth::kNoSuchRecord);
}

std::optional<std::string> Context::Query(const std::string& name) const {
  auto it = req_.query.find(name);
  if (it == req_.query.end()) {
    return std::nullopt;
  }
  return it->second;
}

Result<std::optional<int64_t>> Context::QueryInt(const std::string& name) const {
  std::optional<std::string> s = Query(name);
  if (!s || s->empty()) {
    return std::optional<int64_t>();
  }
  int64_t v = 0;
  auto [end, ec] = std::from_chars(s->data(), s->data() + s->size(), v);
  if (ec != std::errc() || end != s->data() + s->size()) {
    return Status::InvalidArgument(name, "must be an integer");
  }
  return std::optional<int64_t>(v);
}

Result<int64_t> Context::RequiredQueryInt(const std::string& name) const {
  JIANDU_ASSIGN_OR_RETURN(std::optional<int64_t> v, QueryInt(name));
  if (!v) {
    return Status::InvalidArgument(name, "is required");
  }
  return *v;
}

Result<std::optional<bool>> Context::QueryBool(const std::string& name) const {
  std::optional<std::string> s = Query(name);
  if (!s || s->empty()) {
    return std::optional<bool>();
  }
  if (*s == "true" || *s == "1") {
    return std::optional<bool>(true);
  }
  if (*s == "false" || *s == "0") {
    return std::optional<bool>(false);
  }
  return Status::InvalidArgument(name, "must be true or false");
}

Result<core::PageRequest> Context::Page() const {
  JIANDU_ASSIGN_OR_RETURN(std::optional<int64_t> limit, QueryInt("limit"));
  if (limit && (*limit < 1 || *limit > core::kMaxPageSize)) {
    return Status::InvalidArgument("limit", "must be between 1 and 200");
  }
  return core::PageRequest::Make(limit ? std::optional<int>(static_cast<int>(*limit))
                                       : std::nullopt,
                                 Query("cursor"));
}

std::string Context::SessionCookie(const std::string& token) const {
  std::string c = std::string(kSessionCookie) + "=" + token +
                  "; Path=/; HttpOnly; SameSite=Strict";
  if (token.empty()) {
    c += "; Max-Age=0";
  }
  if (secure_cookies_) {
    c += "; Secure";
  }
  return c;
}

std::vector<QueryParam> WithPaging(std::vector<QueryParam> params) {
  params.push_back({"limit", "integer", "page size, 1-200 (default 50)"});
  params.push_back({"cursor", "string", "next_cursor of the previous page"});
  return params;
}

}  // namespace jiandu::api
