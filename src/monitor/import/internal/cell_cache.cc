#include "monitor/import/internal/cell_cache.h"

#include <algorithm>
#include <cstring>

namespace jiandu::monitor::internal {

CellCache::Key CellCache::MakeKey(std::string_view raw) {
  Key k;
  k.size = static_cast<uint32_t>(raw.size());
  std::memcpy(&k.a, raw.data(), std::min<size_t>(raw.size(), 8));
  if (raw.size() > 8) std::memcpy(&k.b, raw.data() + 8, std::min<size_t>(raw.size() - 8, 8));
  uint64_t h = (k.a ^ (uint64_t{k.size} * 0xFF51AFD7ED558CCDULL)) * 0xBF58476D1CE4E5B9ULL;
  h = (h ^ (h >> 31) ^ k.b) * 0x94D049BB133111EBULL;
  // Bytes past 16 (long texts): folded in 8 at a time.
  for (size_t i = 16; i < raw.size(); i += 8) {
    uint64_t w = 0;
    std::memcpy(&w, raw.data() + i, std::min<size_t>(raw.size() - i, 8));
    h = (h ^ (h >> 29) ^ w) * 0xBF58476D1CE4E5B9ULL;
  }
  h ^= h >> 32;
  k.hash = h;
  return k;
}

uint32_t CellCache::Find(std::string_view raw, const Key& key) const {
  if (slots_.empty()) return kAbsent;
  const size_t mask = slots_.size() - 1;
  for (size_t i = key.hash & mask;; i = (i + 1) & mask) {
    const Slot& slot = slots_[i];
    if (slot.index_plus_one == 0) return kAbsent;
    if (slot.a == key.a && slot.b == key.b && slot.size == key.size) {
      const uint32_t index = slot.index_plus_one - 1;
      if (key.size <= 16 || entries_[index].raw == raw) return index;
    }
  }
}

void CellCache::Place(const Key& key, uint32_t index) {
  const size_t mask = slots_.size() - 1;
  size_t i = key.hash & mask;
  while (slots_[i].index_plus_one != 0) i = (i + 1) & mask;
  slots_[i] = Slot{key.a, key.b, key.size, index + 1};
}

uint32_t CellCache::Insert(std::string_view raw, const Key& key) {
  if ((entries_.size() + 1) * 2 > slots_.size()) Grow();
  auto index = static_cast<uint32_t>(entries_.size());
  Entry entry;
  // Always a copy: comparing against the first occurrence in the input would be a cache miss
  // into a file-sized buffer on every lookup of a long value.
  entry.raw = Keep(std::string(raw));
  entries_.push_back(entry);
  keys_.push_back(key);
  Place(key, index);
  return index;
}

void CellCache::Grow() {
  slots_.assign(std::max<size_t>(64, slots_.size() * 2), Slot());
  for (uint32_t index = 0; index < keys_.size(); ++index) Place(keys_[index], index);
}

std::string_view CellCache::Keep(std::string text) {
  arena_.push_back(std::move(text));
  return arena_.back();
}

uint32_t CellCache::AddMessage(std::string_view message) {
  messages_.emplace_back(message);
  return static_cast<uint32_t>(messages_.size() - 1);
}

}  // namespace jiandu::monitor::internal
