#include "tools/progress_bar.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace recommender {
namespace {

constexpr int kBarWidth = 20;

}  // namespace

bool IsTerminal(std::FILE* stream) { return isatty(fileno(stream)) == 1; }

std::string FormatSeconds(double seconds) {
  if (!(seconds >= 0)) seconds = 0;
  if (seconds < 60) return absl::StrFormat("%.1f s", seconds);
  const auto whole = static_cast<int64_t>(std::lround(seconds));
  if (whole < 3600) {
    return absl::StrFormat("%dm%02ds", whole / 60, whole % 60);
  }
  return absl::StrFormat("%dh%02dm", whole / 3600, (whole % 3600) / 60);
}

ProgressBar::ProgressBar(std::ostream& out, absl::string_view label,
                         int64_t total, bool terminal, absl::Time start)
    : out_(out),
      label_(label),
      total_(std::max<int64_t>(1, total)),
      terminal_(terminal),
      start_(start) {}

void ProgressBar::Update(int64_t done, absl::string_view detail,
                         absl::Time now) {
  done = std::clamp<int64_t>(done, 0, total_);
  const double elapsed = absl::ToDoubleSeconds(now - start_);
  const double eta =
      done > 0 ? elapsed / static_cast<double>(done) *
                     static_cast<double>(total_ - done)
               : 0;
  const std::string times = done == total_
                                ? absl::StrCat("took ", FormatSeconds(elapsed))
                                : absl::StrCat("elapsed ", FormatSeconds(elapsed),
                                               ", ETA ", FormatSeconds(eta));
  if (!terminal_) {
    out_ << label_ << " " << done << "/" << total_;
    if (!detail.empty()) out_ << ": " << detail;
    out_ << " (" << times << ")\n";
    out_.flush();
    return;
  }
  const int filled = static_cast<int>(kBarWidth * done / total_);
  std::string line = absl::StrCat(
      label_, " [", std::string(filled, '#'),
      std::string(kBarWidth - filled, '-'), "] ", done, "/", total_, "  ",
      detail, detail.empty() ? "" : "  ", times);
  const size_t width = line.size();
  if (width < last_width_) line.append(last_width_ - width, ' ');
  last_width_ = width;
  out_ << "\r" << line;
  if (done == total_) out_ << "\n";
  out_.flush();
}

}  // namespace recommender
