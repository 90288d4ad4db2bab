// Progress of a long operation (an import of a large file): written by the code doing it,
// read by whoever shows it (the CLI's progress bar). Add() is one relaxed atomic add, so
// workers can call it from hot loops (in steps of megabytes); Start() is rare and takes a lock
// to keep the list of finished stages, so a reader never misses a short stage.
//
//   core::Progress progress;
//   options.progress = &progress;   // the operation calls Start("parsing", bytes), Add(n), …
//   progress.Snapshot();            // from another thread: the stage now and how far it is
//   progress.Finished(shown);       // the stages finished since `shown`
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <vector>

namespace jiandu::core {

class Progress {
 public:
  struct State {
    const char* stage = "";  // "" before the first Start
    uint64_t done = 0;       // units of `total` (bytes) done in this stage, never above it
    uint64_t total = 0;      // 0: this stage has no measurable size
    double seconds = 0;      // since the stage started
  };
  struct Stage {
    const char* name = "";
    uint64_t total = 0;
    uint64_t done = 0;  // as reported, which may exceed total
    double seconds = 0;
  };

  // Ends the current stage (if any) and starts `stage`, which must outlive the operation (a
  // string literal).
  void Start(const char* stage, uint64_t total) {
    std::lock_guard lock(mu_);
    const Clock::time_point now = Clock::now();
    if (*stage_ != '\0') finished_.push_back({stage_, total_.load(), done_.load(), Seconds(now)});
    started_ = now;
    stage_ = stage;
    done_.store(0, std::memory_order_relaxed);
    total_.store(total, std::memory_order_relaxed);
  }
  void Add(uint64_t n) { done_.fetch_add(n, std::memory_order_relaxed); }

  State Snapshot() const {
    std::lock_guard lock(mu_);
    State s{stage_, done_.load(std::memory_order_relaxed), total_.load(), Seconds(Clock::now())};
    if (s.total != 0 && s.done > s.total) s.done = s.total;  // e.g. a chunk parsed twice
    return s;
  }

  // The stages that ended (by the next Start), in order, from index `from` on.
  std::vector<Stage> Finished(size_t from) const {
    std::lock_guard lock(mu_);
    if (from >= finished_.size()) return {};
    return {finished_.begin() + static_cast<std::ptrdiff_t>(from), finished_.end()};
  }

 private:
  using Clock = std::chrono::steady_clock;
  double Seconds(Clock::time_point now) const {
    return std::chrono::duration<double>(now - started_).count();
  }

  mutable std::mutex mu_;
  const char* stage_ = "";  // guarded by mu_
  Clock::time_point started_ = Clock::now();
  std::vector<Stage> finished_;
  std::atomic<uint64_t> done_{0};
  std::atomic<uint64_t> total_{0};
};

}  // namespace jiandu::core
