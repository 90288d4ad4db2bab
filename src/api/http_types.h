// Plain HTTP request and response types, independent of Boost.Beast, so that only
// http_server.cc compiles Beast's headers.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"

namespace jiandu::api {

struct HttpResponse;
// Sends the final answer of a deferred response (HttpResponse::defer); callable from any thread,
// exactly once. An error becomes the JSON error answer.
using HttpReply = std::function<void(Result<HttpResponse>)>;

struct HttpRequest {
  std::string method;  // "GET"
  std::string target;  // "/api/v1/people?q=%E6%9D%8E"
  std::string path;    // "/api/v1/people" (percent-decoded)
  std::multimap<std::string, std::string> query;  // decoded
  std::map<std::string, std::string> headers;     // lower-case names
  std::string body;
  std::string client;  // remote address, for rate limiting only (never logged)

  // The header's value, or "".
  std::string_view Header(std::string_view lower_name) const;
  // The named cookie's value, or "".
  std::string Cookie(std::string_view name) const;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  // Set when the answer is not ready yet: the handler's work finishes on another thread (a
  // write queued for the group commit, store::Store::RunWriteAsync). Whoever handles the
  // response calls `defer` once with the function that sends the answer; the other fields are
  // then unused. No thread waits meanwhile.
  std::function<void(HttpReply)> defer;

  static HttpResponse Json(int status, std::string body) {
    HttpResponse r;
    r.status = status;
    r.body = std::move(body);
    return r;
  }
  static HttpResponse NoContent() {
    HttpResponse r;
    r.status = 204;
    r.content_type.clear();
    return r;
  }
};

// Splits a request target into its decoded path and query. false on malformed escapes.
bool ParseTarget(std::string_view target, std::string* path,
                 std::multimap<std::string, std::string>* query);

}  // namespace jiandu::api
