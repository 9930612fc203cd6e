// The campaign builder's exporter: asks a running server for picks for many
// customers at once (BatchRecommend, streamed) and writes them as JSON Lines
// (one customer per line) or CSV (one pick per row), with a progress bar on
// stderr. Customers come from a list, a selector, a segment, or a campaign
// (CreateCampaign): then only its mailed customers are written, with their
// arm and recommendation id, and the export's summary (who each rule
// dropped, how many were held back) goes to stderr.
//
//   bazel run //serving:campaign_export -- --target=127.0.0.1:50051
//       --selector=lapsed --days=60 --count=5 --out=lapsed.jsonl
//   bazel run //serving:campaign_export -- --target=...
//       --customers_file=ids.txt --format=csv --out=picks.csv
//   bazel run //serving:campaign_export -- --target=...
//       --segment="at_risk and region = tokyo" --count=3 --out=tokyo.jsonl
//   bazel run //serving:campaign_export -- --target=...
//       --campaign=spring-winback --out=spring.jsonl
//
// The formats are in serving/campaign_format.h.
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "grpcpp/grpcpp.h"
#include "proto/recommender.grpc.pb.h"
#include "serving/client_flags.h"
#include "serving/campaign_format.h"
#include "tools/progress_bar.h"

ABSL_FLAG(std::string, target, "127.0.0.1:50051", "The server, host:port.");
ABSL_FLAG(std::string, customers_file, "",
          "File with one customer id per line (blank lines ignored). Give "
          "exactly one of --customers_file, --selector, --segment and "
          "--campaign.");
ABSL_FLAG(std::string, segment, "",
          "A segment expression or name, e.g. \"at_risk and region = "
          "tokyo\" (docs/campaigns.md).");
ABSL_FLAG(std::string, campaign, "",
          "A campaign's id: export it (its segment, contact cap, arms and "
          "control group; its picks and filters, so --count and the filter "
          "flags are not used).");
ABSL_FLAG(std::string, selector, "",
          "all | lapsed (bought before, not in the last --days days) | "
          "active (any event in the last --days days).");
ABSL_FLAG(int32_t, days, 0, "For --selector=lapsed and active.");
ABSL_FLAG(std::string, as_of, "",
          "For lapsed/active: count --days back from this ISO 8601 time "
          "instead of now.");
ABSL_FLAG(int32_t, count, 5, "Picks per customer, 1 to 100.");
ABSL_FLAG(int32_t, max_per_category, 0,
          "At most this many picks of one category per customer; 0: no cap.");
ABSL_FLAG(std::vector<std::string>, include_categories, {},
          "Only these category paths (comma-separated).");
ABSL_FLAG(std::vector<std::string>, exclude_categories, {},
          "Never these category paths (comma-separated).");
ABSL_FLAG(double, max_price, -1, "Drop items above this price; -1: no limit.");
ABSL_FLAG(bool, in_stock_only, false, "Only items in stock.");
ABSL_FLAG(std::string, format, "jsonl", "jsonl or csv.");
ABSL_FLAG(std::string, out, "-", "Output file; - for standard output.");
ABSL_FLAG(double, deadline_seconds, 3600, "Give up after this long.");

namespace recommender::serving {
namespace {

// The request the flags describe; an error message naming the flag if
// they are inconsistent.
absl::StatusOr<v1::BatchRecommendRequest> RequestFromFlags() {
  v1::BatchRecommendRequest request;
  const std::string file = absl::GetFlag(FLAGS_customers_file);
  const std::string selector = absl::AsciiStrToLower(absl::GetFlag(FLAGS_selector));
  const std::string segment = absl::GetFlag(FLAGS_segment);
  const std::string campaign = absl::GetFlag(FLAGS_campaign);
  if (file.empty() + selector.empty() + segment.empty() + campaign.empty() !=
      3) {
    return absl::InvalidArgumentError(
        "give exactly one of --customers_file, --selector, --segment and "
        "--campaign");
  }
  if (!campaign.empty()) {
    request.set_campaign_id(campaign);
    return request;
  }
  if (!segment.empty()) {
    request.set_segment(segment);
  } else if (!file.empty()) {
    std::ifstream in(file);
    if (!in) return absl::NotFoundError(absl::StrCat(file, ": cannot open"));
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
      ++number;
      const absl::string_view id = absl::StripAsciiWhitespace(line);
      if (!id.empty()) {
        request.mutable_customer_list()->add_customer_ids(std::string(id));
      }
    }
    if (request.customer_list().customer_ids().empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(file, ": no customer ids (", number, " lines)"));
    }
  } else {
    v1::CustomerSelector* out = request.mutable_selector();
    if (selector == "all") {
      out->set_kind(v1::CustomerSelector::ALL);
    } else if (selector == "lapsed") {
      out->set_kind(v1::CustomerSelector::LAPSED);
    } else if (selector == "active") {
      out->set_kind(v1::CustomerSelector::ACTIVE);
    } else {
      return absl::InvalidArgumentError(absl::StrCat(
          "--selector: must be all, lapsed or active, got \"", selector, "\""));
    }
    out->set_days(absl::GetFlag(FLAGS_days));
    out->set_as_of(absl::GetFlag(FLAGS_as_of));
  }
  request.set_count(absl::GetFlag(FLAGS_count));
  request.set_max_per_category(absl::GetFlag(FLAGS_max_per_category));
  v1::ItemFilter* filter = request.mutable_filter();
  for (const std::string& c : absl::GetFlag(FLAGS_include_categories)) {
    filter->add_include_categories(c);
  }
  for (const std::string& c : absl::GetFlag(FLAGS_exclude_categories)) {
    filter->add_exclude_categories(c);
  }
  if (absl::GetFlag(FLAGS_max_price) >= 0) {
    filter->set_max_price(absl::GetFlag(FLAGS_max_price));
  }
  filter->set_in_stock_only(absl::GetFlag(FLAGS_in_stock_only));
  return request;
}

int Run() {
  const std::string format = absl::GetFlag(FLAGS_format);
  if (format != "jsonl" && format != "csv") {
    std::cerr << "campaign_export: --format must be jsonl or csv\n";
    return 2;
  }
  absl::StatusOr<v1::BatchRecommendRequest> request = RequestFromFlags();
  if (!request.ok()) {
    std::cerr << "campaign_export: " << request.status().message() << "\n";
    return 2;
  }
  const std::string out_path = absl::GetFlag(FLAGS_out);
  std::ofstream file;
  if (out_path != "-") {
    file.open(out_path, std::ios::out | std::ios::trunc);
    if (!file) {
      std::cerr << "campaign_export: " << out_path << ": cannot create\n";
      return 1;
    }
  }
  std::ostream& out = out_path == "-" ? std::cout : file;
  if (format == "csv") {
    out << kCampaignCsvHeader;
  }

  absl::StatusOr<std::shared_ptr<grpc::Channel>> channel =
      serving::ChannelFromFlags(absl::GetFlag(FLAGS_target));
  if (!channel.ok()) {
    std::cerr << "campaign_export: --" << channel.status().message() << "\n";
    return 2;
  }
  auto stub = v1::Recommender::NewStub(*channel);
  grpc::ClientContext context;
  context.set_deadline(
      std::chrono::system_clock::now() +
      std::chrono::milliseconds(static_cast<int64_t>(
          1000 * absl::GetFlag(FLAGS_deadline_seconds))));
  const absl::Time start = absl::Now();
  auto stream = stub->BatchRecommend(&context, *request);
  v1::BatchRecommendResponse message;
  std::unique_ptr<ProgressBar> progress;
  int64_t written = 0;
  std::optional<v1::CampaignExportSummary> summary;
  while (stream->Read(&message)) {
    if (message.has_export_summary()) {
      summary = message.export_summary();
      continue;
    }
    out << (format == "jsonl" ? CampaignJsonLine(message)
                              : CampaignCsvRows(message));
    ++written;
    if (progress == nullptr) {
      progress = std::make_unique<ProgressBar>(
          std::cerr, "customers", message.total(), IsTerminal(stderr), start);
    }
    // About a hundred updates per batch, and the last one.
    const int64_t step = std::max<int64_t>(1, message.total() / 100);
    if (written % step == 0 || written == message.total()) {
      progress->Update(written, "");
    }
  }
  const grpc::Status status = stream->Finish();
  out.flush();
  if (!status.ok()) {
    std::cerr << "campaign_export: " << status.error_message() << " (after "
              << written << " customers)\n";
    return 1;
  }
  if (!out) {
    std::cerr << "campaign_export: " << out_path << ": write failed\n";
    return 1;
  }
  if (summary.has_value()) {
    std::cerr << "campaign " << message.campaign_id() << ": "
              << ExportSummaryLine(*summary) << "\n";
  }
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  std::cerr << absl::StrFormat(
      "exported %d customers (model %d) in %.2f s: %.0f customers/s\n",
      written, message.model_version(), seconds,
      seconds > 0 ? written / seconds : 0.0);
  return 0;
}

}  // namespace
}  // namespace recommender::serving

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Exports picks for many customers (a mail campaign) from a running "
      "server as JSON Lines or CSV.");
  absl::ParseCommandLine(argc, argv);
  return recommender::serving::Run();
}
