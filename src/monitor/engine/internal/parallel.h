// Work sharing across the machine's cores for the native executor: `tasks` units handed out
// dynamically to `threads` threads (the caller's thread is one of them).
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <thread>
#include <vector>

namespace jiandu::monitor::internal {

inline int ResolveThreads(int requested) {
  if (requested > 0) {
    return requested;
  }
  unsigned hw = std::thread::hardware_concurrency();
  return hw == 0 ? 1 : static_cast<int>(std::min(hw, 64u));
}

// Calls fn(task, thread) for every task in [0, tasks); thread is in [0, threads).
template <typename Fn>
void ParallelFor(int threads, size_t tasks, Fn&& fn) {
  threads = static_cast<int>(std::min<size_t>(static_cast<size_t>(std::max(threads, 1)), tasks));
  if (threads <= 1) {
    for (size_t t = 0; t < tasks; ++t) {
      fn(t, 0);
    }
    return;
  }
  std::atomic<size_t> next{0};
  auto worker = [&](int thread) {
    for (size_t t = next.fetch_add(1); t < tasks; t = next.fetch_add(1)) {
      fn(t, thread);
    }
  };
  std::vector<std::thread> pool;
  for (int i = 1; i < threads; ++i) {
    pool.emplace_back(worker, i);
  }
  worker(0);
  for (std::thread& t : pool) {
    t.join();
  }
}

// Splits [0, n) into chunks of about `chunk` rows: chunk i is [i*chunk, min(n, (i+1)*chunk)).
inline size_t ChunkCount(size_t n, size_t chunk) { return (n + chunk - 1) / chunk; }

// Sorts (key, index) pairs by key, then index: LSD radix sort on 16-bit digits (pairs whose
// indices are ascending on input stay so for equal keys), skipping digits all pairs share.
inline void SortKeyIndex(std::vector<std::pair<uint64_t, uint32_t>>* v) {
  if (v->size() < 256) {
    std::sort(v->begin(), v->end());
    return;
  }
  std::vector<std::pair<uint64_t, uint32_t>> tmp(v->size());
  std::vector<uint32_t> count(65536);
  for (int shift = 0; shift < 64; shift += 16) {
    std::fill(count.begin(), count.end(), 0);
    for (const auto& p : *v) ++count[(p.first >> shift) & 0xffff];
    if (count[((*v)[0].first >> shift) & 0xffff] == v->size()) continue;
    uint32_t sum = 0;
    for (uint32_t& c : count) {
      const uint32_t n = c;
      c = sum;
      sum += n;
    }
    for (const auto& p : *v) tmp[count[(p.first >> shift) & 0xffff]++] = p;
    v->swap(tmp);
  }
}

// murmur3's 64-bit finaliser: the hash of every packed key.
inline uint64_t Mix64(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}

}  // namespace jiandu::monitor::internal
