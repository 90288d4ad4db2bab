// Serves the web UI's built files (web/dist) from memory, with caching headers that suit Vite's
// output: content-hashed files under /assets/ are immutable; index.html is revalidated on every
// load. Paths without a file extension fall back to index.html (client-side routes).
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "api/http_types.h"

namespace jiandu::api {

class StaticFiles {
 public:
  // `root` may be empty or missing: then every request gets a 404 saying the UI is not built.
  explicit StaticFiles(std::string root) : root_(std::move(root)) {}

  // The response for a GET or HEAD of `path`. Thread-safe.
  HttpResponse Serve(const std::string& path);

 private:
  std::optional<HttpResponse> Load(const std::string& relative);

  std::string root_;
  std::mutex mu_;
  std::map<std::string, HttpResponse> cache_;  // guarded by mu_
};

}  // namespace jiandu::api
