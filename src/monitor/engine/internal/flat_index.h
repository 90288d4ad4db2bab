// FlatIndex: an open-addressing hash index from 64-bit keys to the rows holding each key
// (linear probing; rows stored contiguously per key). Built once, then read-only and safe to
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
    keys_.assign(capacity, 0);
    count_.assign(capacity, 0);
    begin_.assign(capacity, 0);
    std::vector<uint32_t> slot_of(entries.size());
    for (size_t i = 0; i < entries.size(); ++i) {
      const uint64_t key = entries[i].first;
      size_t s = Mix64(key) & mask_;
      while (count_[s] != 0 && keys_[s] != key) {
        s = (s + 1) & mask_;
      }
      if (count_[s] == 0) {
        keys_[s] = key;
        ++distinct_;
      }
      ++count_[s];
      slot_of[i] = static_cast<uint32_t>(s);
    }
    uint32_t total = 0;
    for (size_t s = 0; s < capacity; ++s) {
      begin_[s] = total;
      total += count_[s];
    }
    rows_.resize(total);
    std::vector<uint32_t> fill(begin_);
    for (size_t i = 0; i < entries.size(); ++i) {
      rows_[fill[slot_of[i]]++] = entries[i].second;
    }
  }

  // The slot holding `key`, or kAbsent.
  uint32_t FindSlot(uint64_t key) const {
    if (keys_.empty()) {
      return kAbsent;
    }
    size_t s = Mix64(key) & mask_;
    while (count_[s] != 0) {
      if (keys_[s] == key) {
        return static_cast<uint32_t>(s);
      }
      s = (s + 1) & mask_;
    }
    return kAbsent;
  }
  // Rows holding `key`, ascending; empty when absent.
  std::span<const uint32_t> Find(uint64_t key) const {
    uint32_t s = FindSlot(key);
    return s == kAbsent ? std::span<const uint32_t>() : RowsOfSlot(s);
  }
  std::span<const uint32_t> RowsOfSlot(uint32_t s) const {
    return {rows_.data() + begin_[s], count_[s]};
  }
  uint64_t KeyOfSlot(uint32_t s) const { return keys_[s]; }
  size_t capacity() const { return keys_.size(); }
  size_t distinct() const { return distinct_; }
  bool occupied(size_t s) const { return count_[s] != 0; }
  size_t ByteSize() const {
    return keys_.capacity() * 8 + (count_.capacity() + begin_.capacity() + rows_.capacity()) * 4;
  }

 private:
  size_t mask_ = 0;
  size_t distinct_ = 0;
  std::vector<uint64_t> keys_;
  std::vector<uint32_t> count_;
  std::vector<uint32_t> begin_;
  std::vector<uint32_t> rows_;
};

}  // namespace jiandu::monitor::internal
