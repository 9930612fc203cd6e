#include "tools/progress_bar.h"

#include <sstream>

#include "gtest/gtest.h"

namespace recommender {
namespace {

const absl::Time kStart = absl::FromUnixSeconds(1000);

TEST(ProgressBarTest, PlainLinesWithEtaWhenNotATerminal) {
  std::ostringstream out;
  ProgressBar bar(out, "epoch", 4, /*terminal=*/false, kStart);
  bar.Update(1, "loss 10.0", kStart + absl::Seconds(2));
  bar.Update(4, "loss 7.5", kStart + absl::Seconds(8));
  EXPECT_EQ(out.str(),
            "epoch 1/4: loss 10.0 (elapsed 2.0 s, ETA 6.0 s)\n"
            "epoch 4/4: loss 7.5 (took 8.0 s)\n");
}

TEST(ProgressBarTest, RedrawsOneLineOnATerminal) {
  std::ostringstream out;
  ProgressBar bar(out, "epoch", 2, /*terminal=*/true, kStart);
  bar.Update(1, "loss 1000.0", kStart + absl::Seconds(90));
  bar.Update(2, "", kStart + absl::Seconds(180));
  const std::string first =
      "\repoch [##########----------] 1/2  loss 1000.0  elapsed 1m30s, ETA "
      "1m30s";
  const std::string second = "\repoch [####################] 2/2  took 3m00s";
  // The shorter second line blanks out the rest of the first.
  EXPECT_EQ(out.str(), first + second +
                           std::string(first.size() - second.size(), ' ') +
                           "\n");
}

TEST(ProgressBarTest, FormatsDurations) {
  EXPECT_EQ(FormatSeconds(0.42), "0.4 s");
  EXPECT_EQ(FormatSeconds(65), "1m05s");
  EXPECT_EQ(FormatSeconds(3720), "1h02m");
  EXPECT_EQ(FormatSeconds(-1), "0.0 s");
}

}  // namespace
}  // namespace recommender
