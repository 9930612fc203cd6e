// ProgressBar: how far a long loop (training epochs, evaluated models) has
// come, with the time left estimated from the pace so far.
//
// On a terminal it redraws one line in place:
//   epoch [##########----------] 5/10  loss 1234.5  elapsed 2.1 s  ETA 2.1 s
// Otherwise (a log file, a pipe) it writes one plain line per step, so that
// logs stay readable:
//   epoch 5/10: loss 1234.5 (elapsed 2.1 s, ETA 2.1 s)
//
// Not thread-safe: one owner calls Update.
#ifndef TOOLS_PROGRESS_BAR_H_
#define TOOLS_PROGRESS_BAR_H_

#include <cstdint>
#include <cstdio>
#include <ostream>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace recommender {

// True if `stream` is an interactive terminal.
bool IsTerminal(std::FILE* stream);

// "0.4 s", "12.0 s", "3m05s", "1h02m".
std::string FormatSeconds(double seconds);

class ProgressBar {
 public:
  // `out` must outlive the bar; `total` steps (>= 1) are expected.
  ProgressBar(std::ostream& out, absl::string_view label, int64_t total,
              bool terminal, absl::Time start = absl::Now());

  // Step `done` (1-based) has finished; `detail` (e.g. "loss 1234.5") is
  // shown beside it. Ends the terminal line when done == total.
  void Update(int64_t done, absl::string_view detail,
              absl::Time now = absl::Now());

 private:
  std::ostream& out_;
  std::string label_;
  int64_t total_;
  bool terminal_;
  absl::Time start_;
  size_t last_width_ = 0;
};

}  // namespace recommender

#endif  // TOOLS_PROGRESS_BAR_H_
