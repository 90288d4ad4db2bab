#include "core/page.h"

#include <cstdio>

namespace jiandu::core {

std::string EncodeCursor(int64_t key) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "c1%016llx", static_cast<unsigned long long>(key));
  return buf;
}

Result<int64_t> DecodeCursor(std::string_view text) {
  if (text.size() != 18 || text.substr(0, 2) != "c1") {
    return Status::InvalidArgument("cursor", "not a cursor returned by this server");
  }
  uint64_t v = 0;
  for (char c : text.substr(2)) {
    int d;
    if (c >= '0' && c <= '9') {
      d = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      d = c - 'a' + 10;
    } else {
      return Status::InvalidArgument("cursor", "not a cursor returned by this server");
    }
    v = v << 4 | static_cast<uint64_t>(d);
  }
  return static_cast<int64_t>(v);
}

Result<PageRequest> PageRequest::Make(std::optional<int> limit, std::optional<std::string> cursor) {
  PageRequest req;
  if (limit) {
    if (*limit < 1 || *limit > kMaxPageSize) {
      return Status::InvalidArgument("limit", "must be between 1 and 200");
    }
    req.limit = *limit;
  }
  if (cursor && !cursor->empty()) {
    JIANDU_ASSIGN_OR_RETURN(req.after, DecodeCursor(*cursor));
  }
  return req;
}

}  // namespace jiandu::core
