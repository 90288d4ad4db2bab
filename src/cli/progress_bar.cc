#include "cli/progress_bar.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <iostream>

namespace jiandu::cli {
namespace {

std::string Format(const char* fmt, double a, double b = 0) {
  char buf[64];
  std::snprintf(buf, sizeof buf, fmt, a, b);
  return buf;
}

std::string Megabytes(uint64_t bytes) { return Format("%.1f", bytes / 1e6); }

}  // namespace

Result<ProgressMode> ParseProgressMode(std::string_view text) {
  if (text == "auto") return ProgressMode::kAuto;
  if (text == "always") return ProgressMode::kAlways;
  if (text == "never") return ProgressMode::kNever;
  return Status::InvalidArgument("--progress", "expected auto, always or never, not '" +
                                                   std::string(text) + "'");
}

std::string RenderProgressLine(const core::Progress::State& s, double elapsed, size_t width) {
  std::string line = s.stage;
  line.resize(std::max<size_t>(line.size(), 14), ' ');
  if (s.total == 0) {
    // No size: a bouncing marker and the time so far.
    constexpr size_t kBar = 24;
    const size_t at = static_cast<size_t>(elapsed * 8) % (2 * (kBar - 3));
    const size_t pos = at < kBar - 3 ? at : 2 * (kBar - 3) - at;
    std::string bar(kBar, ' ');
    bar.replace(pos, 3, "<=>");
    line += "[" + bar + "] " + Format("%.1f s", elapsed);
  } else {
    constexpr size_t kBar = 24;
    const double fraction = static_cast<double>(s.done) / static_cast<double>(s.total);
    const size_t filled = static_cast<size_t>(fraction * kBar);
    line += "[" + std::string(filled, '#') + std::string(kBar - filled, '-') + "] " +
            Format("%3.0f%%", fraction * 100) + "  " + Megabytes(s.done) + "/" +
            Megabytes(s.total) + " MB";
    if (elapsed > 0.2 && s.done > 0) {
      const double rate = s.done / elapsed;
      line += "  " + Format("%.1f MB/s", rate / 1e6);
      if (s.done < s.total) line += "  " + Format("ETA %.0f s", (s.total - s.done) / rate);
    }
  }
  if (line.size() > width) line.resize(width);
  return line;
}

std::string RenderStageSummary(const char* stage, uint64_t bytes, double seconds) {
  std::string line = std::string(stage);
  if (bytes > 0) {
    line += " " + Megabytes(bytes) + " MB in " + Format("%.1f s", seconds);
    if (seconds > 0) line += " (" + Format("%.1f MB/s", bytes / seconds / 1e6) + ")";
  } else {
    line += " in " + Format("%.1f s", seconds);
  }
  return line;
}

ProgressBar::ProgressBar(const core::Progress& progress, ProgressMode mode)
    : ProgressBar(progress, mode, std::cerr, isatty(STDERR_FILENO) != 0) {}

ProgressBar::ProgressBar(const core::Progress& progress, ProgressMode mode, std::ostream& out,
                         bool terminal)
    : progress_(progress),
      out_(out),
      live_(terminal && mode != ProgressMode::kNever),
      enabled_(mode == ProgressMode::kAlways || (mode == ProgressMode::kAuto && terminal)) {
  if (!enabled_) return;
  thread_ = std::thread([this] { Loop(); });
}

ProgressBar::~ProgressBar() { Finish(); }

void ProgressBar::Finish() {
  {
    std::lock_guard lock(mu_);
    if (!enabled_ || stop_) return;
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
  std::lock_guard lock(mu_);
  Poll(/*final=*/true);
}

void ProgressBar::Loop() {
  std::unique_lock lock(mu_);
  while (!stop_) {
    Poll(/*final=*/false);
    cv_.wait_for(lock, std::chrono::milliseconds(100), [this] { return stop_; });
  }
}

void ProgressBar::Poll(bool final) {
  auto summary = [&](const char* name, uint64_t total, double seconds) {
    if (line_open_) out_ << "\r\x1b[K";
    line_open_ = false;
    out_ << "  " << RenderStageSummary(name, total, seconds) << "\n";
  };
  for (const core::Progress::Stage& done : progress_.Finished(summarised_)) {
    summary(done.name, done.total, done.seconds);
    ++summarised_;
  }
  const core::Progress::State s = progress_.Snapshot();
  if (*s.stage != '\0') {
    if (final) {
      summary(s.stage, s.total, s.seconds);
    } else if (live_) {
      out_ << "\r  " << RenderProgressLine(s, s.seconds, 100) << "\x1b[K";
      line_open_ = true;
      ++redraws_;
    }
  }
  out_.flush();
}

}  // namespace jiandu::cli
