#include "api/static_files.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "api/json_io.h"

namespace jiandu::api {
namespace {

std::string ContentType(const std::string& path) {
  static const std::map<std::string, std::string> kTypes = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".ico", "image/x-icon"},
      {".woff", "font/woff"},
      {".woff2", "font/woff2"},
      {".ttf", "font/ttf"},
      {".txt", "text/plain; charset=utf-8"},
      {".map", "application/json"},
  };
  auto it = kTypes.find(std::filesystem::path(path).extension().string());
  return it == kTypes.end() ? "application/octet-stream" : it->second;
}

// Refuses anything that could step outside the root.
bool SafeRelative(const std::string& rel) {
  if (rel.find('\0') != std::string::npos || rel.find('\\') != std::string::npos) {
    return false;
  }
  std::filesystem::path p(rel);
  for (const auto& part : p) {
    if (part == ".." || part == ".") {
      return false;
    }
  }
  return true;
}

HttpResponse NotFound(const std::string& message) {
  return HttpResponse::Json(404, ErrorBody("not_found", message, ""));
}

}  // namespace

std::optional<HttpResponse> StaticFiles::Load(const std::string& rel) {
  {
    std::lock_guard<std::mutex> l(mu_);
    auto it = cache_.find(rel);
    if (it != cache_.end()) {
      return it->second;
    }
  }
  std::filesystem::path full = std::filesystem::path(root_) / rel;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(full, ec)) {
    return std::nullopt;
  }
  std::ifstream in(full, std::ios::binary);
  std::ostringstream buf;
  buf << in.rdbuf();
  HttpResponse r;
  r.content_type = ContentType(rel);
  r.body = buf.str();
  if (rel.rfind("assets/", 0) == 0) {
    r.headers.emplace_back("Cache-Control", "public, max-age=31536000, immutable");
  } else if (rel == "index.html") {
    r.headers.emplace_back("Cache-Control", "no-cache");
  } else {
    r.headers.emplace_back("Cache-Control", "public, max-age=3600");
  }
  std::lock_guard<std::mutex> l(mu_);
  cache_[rel] = r;
  return r;
}

HttpResponse StaticFiles::Serve(const std::string& path) {
  std::string rel = path.empty() ? "" : path.substr(1);
  if (rel.empty()) {
    rel = "index.html";
  }
  if (!SafeRelative(rel)) {
    return NotFound("no such file");
  }
  if (std::optional<HttpResponse> r = Load(rel)) {
    return *r;
  }
  // Client-side routes (/people/12) have no extension: they get the app shell.
  if (std::filesystem::path(rel).extension().empty()) {
    if (std::optional<HttpResponse> index = Load("index.html")) {
      return *index;
    }
    return NotFound("the web interface is not built: run `npm ci && npm run build` in web/");
  }
  return NotFound("no such file");
}

}  // namespace jiandu::api
