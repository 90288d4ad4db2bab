// The import progress bar: the rendered lines, the modes, and the stage summaries a run leaves.
#include "cli/progress_bar.h"

#include <gtest/gtest.h>

#include <sstream>
#include <thread>

namespace jiandu::cli {
namespace {

TEST(ProgressBarTest, ASizedStageShowsPercentBytesRateAndEta) {
  core::Progress::State s{"parsing", 250'000'000, 1'000'000'000, 2.0};
  const std::string line = RenderProgressLine(s, 2.0, 200);
  EXPECT_EQ(line,
            "parsing       [######------------------]  25%  250.0/1000.0 MB  125.0 MB/s  ETA 6 s");
  s.done = s.total;
  EXPECT_NE(RenderProgressLine(s, 8.0, 200).find("[########################] 100%"),
            std::string::npos);
  EXPECT_EQ(RenderProgressLine(s, 8.0, 200).find("ETA"), std::string::npos);
  EXPECT_EQ(RenderProgressLine(s, 8.0, 20).size(), 20u);
}

TEST(ProgressBarTest, AStageWithoutASizeShowsAMovingMarkerAndTheTime) {
  const core::Progress::State s{"storing", 0, 0, 0.0};
  const std::string a = RenderProgressLine(s, 0.0, 200);
  const std::string b = RenderProgressLine(s, 0.5, 200);
  EXPECT_NE(a, b);
  EXPECT_NE(a.find("<=>"), std::string::npos);
  EXPECT_NE(b.find("0.5 s"), std::string::npos);
}

TEST(ProgressBarTest, SnapshotsNeverShowMoreThanTheTotal) {
  core::Progress p;
  p.Start("parsing", 10);
  p.Add(7);
  p.Add(7);  // a chunk parsed twice
  EXPECT_EQ(p.Snapshot().done, 10u);
  p.Start("storing", 0);
  EXPECT_EQ(p.Snapshot().done, 0u);
  EXPECT_STREQ(p.Snapshot().stage, "storing");
}

TEST(ProgressBarTest, ModesAndTheSummaryLinesOfAFinishedRun) {
  EXPECT_EQ(*ParseProgressMode("always"), ProgressMode::kAlways);
  EXPECT_EQ(ParseProgressMode("sometimes").status().field(), "--progress");

  core::Progress p;
  std::ostringstream never_out;
  std::ostringstream pipe_out;
  std::ostringstream auto_pipe_out;
  {
    ProgressBar never(p, ProgressMode::kNever, never_out, /*terminal=*/true);
    ProgressBar always(p, ProgressMode::kAlways, pipe_out, /*terminal=*/false);
    ProgressBar quiet(p, ProgressMode::kAuto, auto_pipe_out, /*terminal=*/false);
    p.Start("reading", 2'000'000);
    p.Add(2'000'000);
    p.Start("decoding", 0);  // too short for any poll to see: summarised all the same
    p.Start("storing", 0);
    always.Finish();
    always.Finish();  // idempotent
  }
  EXPECT_EQ(never_out.str(), "");
  EXPECT_EQ(auto_pipe_out.str(), "");
  const std::string out = pipe_out.str();
  EXPECT_EQ(out.find('\r'), std::string::npos) << "no redraws into a pipe";
  EXPECT_NE(out.find("  reading 2.0 MB in "), std::string::npos) << out;
  EXPECT_NE(out.find("  storing in "), std::string::npos) << out;
  EXPECT_NE(out.find("  decoding in "), std::string::npos) << out;
  EXPECT_LT(out.find("reading"), out.find("decoding"));
  EXPECT_LT(out.find("decoding"), out.find("storing"));
}

TEST(ProgressBarTest, ATerminalGetsTheLiveLineRedrawnInPlace) {
  core::Progress p;
  p.Start("parsing", 100);
  p.Add(50);
  std::ostringstream out;
  ProgressBar bar(p, ProgressMode::kAuto, out, /*terminal=*/true);
  for (int i = 0; i < 500 && bar.redraws() == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  bar.Finish();  // joins the drawing thread: `out` is ours again
  const std::string text = out.str();
  EXPECT_NE(text.find("\r  parsing       [############------------]  50%"), std::string::npos)
      << text;
  EXPECT_NE(text.find("\r\x1b[K  parsing 0.0 MB in "), std::string::npos) << text;
}

}  // namespace
}  // namespace jiandu::cli
