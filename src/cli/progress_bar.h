// The progress bar of long CLI commands (`jiandu import`): draws a core::Progress on stderr.
//
//   core::Progress progress;
//   ProgressBar bar(progress, ProgressBar::Mode::kAuto);  // a terminal gets a live bar
//   DoLongWork(&progress);
//   bar.Finish();                                         // the last stage's summary line
//
// On a terminal the current stage is redrawn in place every 100 ms ("parsing [####----] 48%
// 412.3/845.0 MB 180.2 MB/s ETA 3 s"; a stage without a size shows its elapsed time), and each
// finished stage, however short, leaves one summary line ("parsing 845.0 MB in 4.7 s (180.2 MB/s)"). Mode
// kAlways writes the summary lines to a non-terminal too (logs, tests); kNever writes nothing.
#pragma once

#include <atomic>
#include <condition_variable>
#include <iosfwd>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "core/progress.h"
#include "core/result.h"

namespace jiandu::cli {

// "auto" | "always" | "never".
enum class ProgressMode { kAuto, kAlways, kNever };
Result<ProgressMode> ParseProgressMode(std::string_view text);

// One redraw of the live line, `width` columns at most (pure; tested).
std::string RenderProgressLine(const core::Progress::State& s, double elapsed_seconds,
                               size_t width);
// The line a finished stage leaves.
std::string RenderStageSummary(const char* stage, uint64_t bytes, double seconds);

class ProgressBar {
 public:
  // `out` is stderr unless a test gives another stream; `terminal` overrides isatty(stderr).
  ProgressBar(const core::Progress& progress, ProgressMode mode);
  ProgressBar(const core::Progress& progress, ProgressMode mode, std::ostream& out,
              bool terminal);
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  // Stops drawing and writes the last stage's summary. Idempotent.
  void Finish();
  // Live lines drawn so far (tests wait for the first).
  size_t redraws() const { return redraws_.load(); }

 private:
  void Loop();
  void Poll(bool final);  // under mu_

  const core::Progress& progress_;
  std::ostream& out_;
  const bool live_;     // redraw in place (a terminal)
  const bool enabled_;  // write anything at all
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  size_t summarised_ = 0;    // finished stages already written
  bool line_open_ = false;  // a live line is on screen
  std::atomic<size_t> redraws_{0};
  std::thread thread_;
};

}  // namespace jiandu::cli
