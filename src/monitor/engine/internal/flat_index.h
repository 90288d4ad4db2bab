// FlatIndex: an open-addressing hash index from 64-bit keys to the rows holding each key
// (linear probing; a 16-byte slot holds key, row count and the row itself for a key of one row,
// else the start of its run of rows; optional bit filter for probes). Built once, then read-only and safe to
// read from several threads. This is the join and group-by table of the native executor;
// std::unordered_map costs a heap node per key and a pointer chase per probe.
#pragma once

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "monitor/engine/internal/parallel.h"

namespace jiandu::monitor::internal {

class FlatIndex {
 public:
  static constexpr uint32_t kAbsent = UINT32_MAX;

  // key_of(row, &key) returns false for rows that are not indexed (a missing value).
  template <typename KeyOf>
  void Build(size_t rows, KeyOf key_of) {
    // Collect the indexed rows first, so a sparse column (2 % of people have a death date)
    // gets a table sized for its values, not for the whole dataset.
    filter_.clear();
    std::vector<std::pair<uint64_t, uint32_t>> entries;
    for (size_t r = 0; r < rows; ++r) {
      uint64_t key;
      if (key_of(r, &key)) {
        entries.emplace_back(key, static_cast<uint32_t>(r));
      }
    }
    size_t capacity = 16;
    while (capacity * 7 < entries.size() * 10) {
      capacity <<= 1;
    }
    mask_ = capacity - 1;
    distinct_ = 0;
    slots_.assign(capacity, Slot{});
    std::vector<uint32_t> slot_of(entries.size());
    for (size_t i = 0; i < entries.size(); ++i) {
      const uint64_t key = entries[i].first;
      size_t s = Mix64(key) & mask_;
      while (slots_[s].count != 0 && slots_[s].key != key) {
        s = (s + 1) & mask_;
      }
      if (slots_[s].count == 0) {
        slots_[s].key = key;
        ++distinct_;
      }
      ++slots_[s].count;
      slot_of[i] = static_cast<uint32_t>(s);
    }
    // A key of one row keeps the row in its slot (`begin`); others own a run of rows_.
    uint32_t total = 0;
    for (Slot& slot : slots_) {
      if (slot.count > 1) {
        slot.begin = total;
        total += slot.count;
      }
    }
    rows_.assign(total, 0);
    rows_.shrink_to_fit();
    for (size_t i = 0; i < entries.size(); ++i) {
      Slot& slot = slots_[slot_of[i]];
      if (slot.count == 1) {
        slot.begin = entries[i].second;
      } else {
        rows_[slot.begin++] = entries[i].second;
      }
    }
    for (Slot& slot : slots_) {
      if (slot.count > 1) slot.begin -= slot.count;
    }
  }

  // Drops the rows for which keep(row) is false from keys of several rows (a key's first row
  // must be kept, so that no key is left without rows).
  template <typename Keep>
  void FilterRows(Keep keep) {
    for (Slot& slot : slots_) {
      if (slot.count <= 1) continue;
      uint32_t* rows = rows_.data() + slot.begin;
      uint32_t kept = 0;
      for (uint32_t i = 0; i < slot.count; ++i) {
        if (i == 0 || keep(rows[i])) rows[kept++] = rows[i];
      }
      slot.count = kept;
      if (kept == 1) slot.begin = rows[0];
    }
  }

  // Adds a bit filter (16–32 bits per distinct key, three bits per key in one word) in front of
  // the table, for probe-side joins where most probes miss: the filter stays in the core's
  // cache while the table does not, so a miss (but for ~0.5 % false positives) costs no random
  // access to the table.
  void BuildFilter() {
    size_t words = 1;
    while (words * 64 < distinct_ * 16) {
      words <<= 1;
    }
    filter_mask_ = words - 1;
    filter_.assign(words, 0);
    for (const Slot& slot : slots_) {
      if (slot.count != 0) {
        const uint64_t h = Mix64(slot.key);
        filter_[(h >> 40) & filter_mask_] |= FilterBits(h);
      }
    }
  }

  // Probing in three steps, so that a caller can interleave the table reads of many keys
  // (software pipelining: several cache misses in flight instead of one at a time):
  //   uint64_t h = FlatIndex::Hash(key);
  //   if (index.MayContain(h)) { index.Prefetch(h); ... later: index.FindSlot(key, h); }
  static uint64_t Hash(uint64_t key) { return Mix64(key); }
  // False when `key` (of hash h) is certainly absent (always true without a filter).
  bool MayContain(uint64_t h) const {
    if (slots_.empty()) return false;
    if (filter_.empty()) return true;
    const uint64_t bits = FilterBits(h);
    return (filter_[(h >> 40) & filter_mask_] & bits) == bits;
  }
  void Prefetch(uint64_t h) const { __builtin_prefetch(&slots_[h & mask_]); }
  // Prefetches the filter word MayContain(h) will read (a 512 KB filter does not stay in the
  // core's cache while a probe column streams through it).
  void PrefetchFilter(uint64_t h) const {
    if (!filter_.empty()) __builtin_prefetch(&filter_[(h >> 40) & filter_mask_]);
  }
  // The slot holding `key` (of hash h, after MayContain), or kAbsent.
  uint32_t FindSlot(uint64_t key, uint64_t h) const {
    size_t s = h & mask_;
    while (slots_[s].count != 0) {
      if (slots_[s].key == key) {
        return static_cast<uint32_t>(s);
      }
      s = (s + 1) & mask_;
    }
    return kAbsent;
  }

  // The slot holding `key`, or kAbsent.
  uint32_t FindSlot(uint64_t key) const {
    const uint64_t h = Mix64(key);
    return MayContain(h) ? FindSlot(key, h) : kAbsent;
  }
  // Rows holding `key`, ascending; empty when absent.
  std::span<const uint32_t> Find(uint64_t key) const {
    uint32_t s = FindSlot(key);
    return s == kAbsent ? std::span<const uint32_t>() : RowsOfSlot(s);
  }
  std::span<const uint32_t> RowsOfSlot(uint32_t s) const {
    const Slot& slot = slots_[s];
    return slot.count == 1 ? std::span<const uint32_t>(&slot.begin, 1)
                           : std::span<const uint32_t>(rows_.data() + slot.begin, slot.count);
  }
  uint64_t KeyOfSlot(uint32_t s) const { return slots_[s].key; }
  size_t capacity() const { return slots_.size(); }
  size_t distinct() const { return distinct_; }
  bool occupied(size_t s) const { return slots_[s].count != 0; }
  size_t ByteSize() const {
    return slots_.capacity() * sizeof(Slot) + filter_.capacity() * 8 + rows_.capacity() * 4;
  }

 private:
  static uint64_t FilterBits(uint64_t h) {
    return (uint64_t{1} << ((h >> 20) & 63)) | (uint64_t{1} << ((h >> 26) & 63)) |
           (uint64_t{1} << ((h >> 32) & 63));
  }

  std::vector<uint64_t> filter_;  // empty unless BuildFilter()
  size_t filter_mask_ = 0;
  size_t mask_ = 0;
  size_t distinct_ = 0;
  // One cache line holds four slots: a probe reads key, count and rows (or the one row) at once.
  struct Slot {
    uint64_t key = 0;
    uint32_t begin = 0;  // the row when count == 1, else the first of its run in rows_
    uint32_t count = 0;
  };
  std::vector<Slot> slots_;
  std::vector<uint32_t> rows_;
};

}  // namespace jiandu::monitor::internal
