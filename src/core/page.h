// Cursor pagination shared by every list: a page of items and an opaque cursor to the next.
//
//   JIANDU_ASSIGN_OR_RETURN(core::PageRequest req, core::PageRequest::Make(limit, cursor));
//   ... WHERE id > req.after_id ORDER BY id LIMIT req.limit + 1 ...
//   return core::MakePage(std::move(rows), req, [](const Person& p) { return p.id; });
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace jiandu::core {

inline constexpr int kDefaultPageSize = 50;
inline constexpr int kMaxPageSize = 200;

template <typename T>
struct Page {
  std::vector<T> items;
  std::optional<std::string> next_cursor;  // absent on the last page
};

// "c1" + 16 hex digits of the key; opaque to clients.
std::string EncodeCursor(int64_t key);
// invalid_argument naming "cursor" unless `text` came from EncodeCursor.
Result<int64_t> DecodeCursor(std::string_view text);

struct PageRequest {
  int limit = kDefaultPageSize;
  std::optional<int64_t> after;  // the key the previous page ended at

  // invalid_argument naming "limit" (outside 1..200) or "cursor".
  static Result<PageRequest> Make(std::optional<int> limit, std::optional<std::string> cursor);
};

// Builds a page from up to limit + 1 fetched items: the extra item only signals that there is
// a next page, whose cursor is the key of the last item kept.
template <typename T, typename KeyFn>
Page<T> MakePage(std::vector<T> fetched, const PageRequest& req, KeyFn key) {
  Page<T> page;
  if (static_cast<int>(fetched.size()) > req.limit) {
    fetched.resize(req.limit);
    page.next_cursor = EncodeCursor(key(fetched.back()));
  }
  page.items = std::move(fetched);
  return page;
}

}  // namespace jiandu::core
