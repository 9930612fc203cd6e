// The evaluation's HTML report: one self-contained page (inline CSS and
// SVG, nothing fetched) with the headline table per task, the metrics
// against the list length k, and nDCG@k against training epochs for the
// iALS-based models, so a data scientist can see at a glance which model
// wins where — including where a baseline wins.
//
// Thread-safe: no shared state.
#ifndef TRAINING_EVALUATION_HTML_REPORT_H_
#define TRAINING_EVALUATION_HTML_REPORT_H_

#include <string>

#include "absl/status/statusor.h"
#include "training/evaluation/evaluation_run.h"

namespace recommender {

// The page's HTML.
std::string RenderHtmlReport(const Evaluation& evaluation);

// Writes DIR/index.html (creating DIR) and returns its path.
absl::StatusOr<std::string> WriteHtmlReport(const Evaluation& evaluation,
                                            const std::string& dir);

}  // namespace recommender

#endif  // TRAINING_EVALUATION_HTML_REPORT_H_
