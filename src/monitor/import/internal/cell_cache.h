// Internal to monitor/import: interning of raw cell bytes → parse outcome, so that a repeated
// value (an item, a name, an enum) is normalised and validated once per chunk.
//
//   CellCache::Key key = CellCache::MakeKey(cell);
//   uint32_t i = cache.Find(cell, key);
//   if (i == CellCache::kAbsent) { i = cache.Insert(cell, key); /* parse, fill cache.at(i) */ }
//
// Open addressing; the first 16 bytes and the length of each key sit in the slot array, so a
// lookup of a short key (names, dates, most items) touches one slot and nothing else. Keys and
// values are copies kept in the cache's arena. Not thread-safe (one cache per chunk).
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "monitor/table.h"

namespace jiandu::monitor::internal {

class CellCache {
 public:
  static constexpr uint32_t kAbsent = UINT32_MAX;
  static constexpr uint32_t kNoError = UINT32_MAX;

  struct Entry {
    std::string_view raw;
    std::string_view value;     // normalised form (text, credit code)
    uint32_t code = kNullCode;  // chunk-local dictionary code once committed; enum: value index
    uint32_t error = kNoError;  // index into messages when the cell is refused
  };

  struct Key {
    uint64_t a = 0;  // bytes 0–7, zero-padded
    uint64_t b = 0;  // bytes 8–15, zero-padded
    uint64_t hash = 0;
    uint32_t size = 0;
  };
  static Key MakeKey(std::string_view raw);

  // Index of the entry for `raw`, or kAbsent. `key` = MakeKey(raw).
  uint32_t Find(std::string_view raw, const Key& key) const;
  // Adds an entry for `raw` (not present), copying it.
  uint32_t Insert(std::string_view raw, const Key& key);
  Entry& at(uint32_t i) { return entries_[i]; }
  // Keeps `text` alive as long as the cache; returns a view of the kept copy.
  std::string_view Keep(std::string text);
  uint32_t AddMessage(std::string_view message);
  const std::string& message(uint32_t i) const { return messages_[i]; }

 private:
  struct Slot {
    uint64_t a = 0;
    uint64_t b = 0;
    uint32_t size = 0;
    uint32_t index_plus_one = 0;  // 0 = empty
  };
  void Grow();
  void Place(const Key& key, uint32_t index);

  std::vector<Entry> entries_;
  std::vector<Key> keys_;      // per entry, for rehashing
  std::vector<Slot> slots_;
  std::deque<std::string> arena_;  // deque: elements never move, so views stay valid
  std::vector<std::string> messages_;
};

}  // namespace jiandu::monitor::internal
