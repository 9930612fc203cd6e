// The marketer's command line for segments and campaigns, talking to a
// running server:
//
//   campaigns segments                     the RFM segments and saved ones
//   campaigns rfm-grid [--segment=EXPR]    the RFM grid (counts, revenue
//                      [--as_of=TIME]      share, mean M, mean lifetime value)
//   campaigns create --id=ID --segment=EXPR [--name=...] [--control_share=0.1]
//                    [--window_days=14] [--picks=5]
//                    [--arms=personal:personalized,popular:popular:3]
//   campaigns list                         campaigns and their exports
//   campaigns report --campaign=ID [--as_of=TIME] [--bootstrap]
//   campaigns opt-out --customers_file=FILE [--opt_in]
//
// Export a campaign with //serving:campaign_export --campaign=ID.
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "grpcpp/grpcpp.h"
#include "proto/recommender.grpc.pb.h"
#include "serving/client_flags.h"

ABSL_FLAG(std::string, target, "127.0.0.1:50051", "The server, host:port.");
ABSL_FLAG(std::string, segment, "",
          "rfm-grid: only this segment (expression or name); create: the "
          "campaign's segment.");
ABSL_FLAG(std::string, as_of, "",
          "rfm-grid, report: the moment to look from (ISO 8601); empty: the "
          "server's now.");
ABSL_FLAG(std::string, id, "", "create: the campaign's id.");
ABSL_FLAG(std::string, name, "", "create: the campaign's name for people.");
ABSL_FLAG(double, control_share, 0.1,
          "create: share of the segment held back as control, 0 to 0.9.");
ABSL_FLAG(int32_t, window_days, 14,
          "create: purchases this many days after the send count.");
ABSL_FLAG(int32_t, picks, 5, "create: items per customer.");
ABSL_FLAG(std::string, arms, "personal:personalized",
          "create: comma-separated arms NAME:STRATEGY[:PICKS[:WEIGHT]], "
          "STRATEGY one of personalized, popular, due_reminder.");
ABSL_FLAG(std::string, campaign, "", "report: the campaign's id.");
ABSL_FLAG(bool, bootstrap, false,
          "report: revenue interval by a seeded bootstrap instead of Welch's.");
ABSL_FLAG(std::string, customers_file, "",
          "opt-out: file with one customer id per line.");
ABSL_FLAG(bool, opt_in, false, "opt-out: opt the customers back in.");
ABSL_FLAG(double, deadline_seconds, 600, "Give up after this long.");

namespace recommender::serving {
namespace {

// A flag error for the user: the message names the flag.
int Usage(absl::string_view message) {
  std::cerr << "campaigns: " << message << "\n";
  return 2;
}

std::unique_ptr<grpc::ClientContext> Context() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() +
                        std::chrono::milliseconds(static_cast<int64_t>(
                            1000 * absl::GetFlag(FLAGS_deadline_seconds))));
  return context;
}

int Failed(const grpc::Status& status) {
  std::cerr << "campaigns: " << status.error_message() << "\n";
  return 1;
}

absl::StatusOr<v1::CampaignArm> ParseArm(absl::string_view text, int index) {
  const std::vector<std::string> parts = absl::StrSplit(text, ':');
  const std::string field = absl::StrCat("--arms[", index, "]");
  if (parts.size() < 2 || parts.size() > 4) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": expected NAME:STRATEGY[:PICKS[:WEIGHT]], got \"", text, "\""));
  }
  v1::CampaignArm arm;
  arm.set_name(parts[0]);
  if (parts[1] == "personalized") {
    arm.set_strategy(v1::PERSONALIZED);
  } else if (parts[1] == "popular") {
    arm.set_strategy(v1::POPULAR);
  } else if (parts[1] == "due_reminder") {
    arm.set_strategy(v1::DUE_REMINDER);
  } else {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": strategy must be personalized, popular or due_reminder, got \"",
        parts[1], "\""));
  }
  if (parts.size() >= 3) {
    int32_t picks = 0;
    if (!absl::SimpleAtoi(parts[2], &picks)) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": picks \"", parts[2], "\" is not a number"));
    }
    arm.set_picks(picks);
  }
  if (parts.size() == 4) {
    double weight = 0;
    if (!absl::SimpleAtod(parts[3], &weight)) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": weight \"", parts[3], "\" is not a number"));
    }
    arm.set_weight(weight);
  }
  return arm;
}

int Segments(v1::Recommender::Stub& stub) {
  v1::ListSegmentsResponse response;
  const grpc::Status status =
      stub.ListSegments(Context().get(), v1::ListSegmentsRequest(), &response);
  if (!status.ok()) return Failed(status);
  for (const v1::SegmentDefinition& s : response.segments()) {
    std::cout << absl::StrFormat("%-20s %-6s %s\n", s.name(), s.kind(),
                                 s.definition());
  }
  return 0;
}

int RfmGrid(v1::Recommender::Stub& stub) {
  v1::GetSegmentSummaryRequest request;
  request.set_segment(absl::GetFlag(FLAGS_segment));
  request.set_as_of(absl::GetFlag(FLAGS_as_of));
  v1::SegmentSummary response;
  const grpc::Status status =
      stub.GetSegmentSummary(Context().get(), request, &response);
  if (!status.ok()) return Failed(status);
  std::cout << "segment " << response.segment() << " as of " << response.as_of()
            << " (model " << response.model_version() << ")\n"
            << response.text();
  return 0;
}

int Create(v1::Recommender::Stub& stub) {
  v1::CreateCampaignRequest request;
  v1::Campaign* c = request.mutable_campaign();
  c->set_campaign_id(absl::GetFlag(FLAGS_id));
  c->set_name(absl::GetFlag(FLAGS_name));
  c->set_segment(absl::GetFlag(FLAGS_segment));
  c->set_control_share(absl::GetFlag(FLAGS_control_share));
  c->set_attribution_window_days(absl::GetFlag(FLAGS_window_days));
  c->set_picks_per_customer(absl::GetFlag(FLAGS_picks));
  int index = 0;
  for (absl::string_view text :
       absl::StrSplit(absl::GetFlag(FLAGS_arms), ',', absl::SkipEmpty())) {
    absl::StatusOr<v1::CampaignArm> arm = ParseArm(text, index++);
    if (!arm.ok()) return Usage(arm.status().message());
    *c->add_arms() = *arm;
  }
  v1::Campaign response;
  const grpc::Status status =
      stub.CreateCampaign(Context().get(), request, &response);
  if (!status.ok()) return Failed(status);
  std::cout << "created campaign " << response.campaign_id() << " for segment \""
            << response.resolved_segment() << "\", " << response.arms_size()
            << " arm(s), control share " << response.control_share()
            << ", window " << response.attribution_window_days() << " days\n";
  return 0;
}

int List(v1::Recommender::Stub& stub) {
  v1::ListCampaignsResponse response;
  const grpc::Status status =
      stub.ListCampaigns(Context().get(), v1::ListCampaignsRequest(), &response);
  if (!status.ok()) return Failed(status);
  for (const v1::Campaign& c : response.campaigns()) {
    std::cout << c.campaign_id() << "  \"" << c.resolved_segment()
              << "\"  created " << c.created_at() << "\n";
    for (const v1::CampaignExportSummary& e : c.exports()) {
      std::cout << absl::StrFormat(
          "  %s %s: selected %d, opted out %d, already sent %d, capped %d, "
          "control %d, mailed %d\n",
          e.export_id(), e.exported_at(), e.selected(), e.opted_out(),
          e.already_sent(), e.capped(), e.control(), e.mailed());
    }
  }
  return 0;
}

int Report(v1::Recommender::Stub& stub) {
  v1::GetCampaignReportRequest request;
  request.set_campaign_id(absl::GetFlag(FLAGS_campaign));
  if (request.campaign_id().empty()) return Usage("report: --campaign is required");
  request.set_as_of(absl::GetFlag(FLAGS_as_of));
  request.set_bootstrap_revenue(absl::GetFlag(FLAGS_bootstrap));
  v1::CampaignReport response;
  const grpc::Status status =
      stub.GetCampaignReport(Context().get(), request, &response);
  if (!status.ok()) return Failed(status);
  std::cout << response.text();
  return 0;
}

int OptOut(v1::Recommender::Stub& stub) {
  const std::string file = absl::GetFlag(FLAGS_customers_file);
  if (file.empty()) return Usage("opt-out: --customers_file is required");
  std::ifstream in(file);
  if (!in) return Usage(absl::StrCat(file, ": cannot open"));
  v1::UpdateOptOutsRequest request;
  std::string line;
  while (std::getline(in, line)) {
    const absl::string_view id = absl::StripAsciiWhitespace(line);
    if (id.empty()) continue;
    if (absl::GetFlag(FLAGS_opt_in)) {
      request.add_opt_in_customer_ids(std::string(id));
    } else {
      request.add_opt_out_customer_ids(std::string(id));
    }
  }
  v1::UpdateOptOutsResponse response;
  const grpc::Status status =
      stub.UpdateOptOuts(Context().get(), request, &response);
  if (!status.ok()) return Failed(status);
  std::cout << "opted out " << response.opted_out() << ", opted in "
            << response.opted_in() << "\n";
  return 0;
}

int Run(const std::vector<char*>& args) {
  if (args.size() != 2) {
    return Usage(
        "give one command: segments, rfm-grid, create, list, report or "
        "opt-out (--help for the flags)");
  }
  const std::string command = args[1];
  absl::StatusOr<std::shared_ptr<grpc::Channel>> channel =
      serving::ChannelFromFlags(absl::GetFlag(FLAGS_target));
  if (!channel.ok()) {
    return Usage(absl::StrCat("--", channel.status().message()));
  }
  auto stub = v1::Recommender::NewStub(*channel);
  if (command == "segments") return Segments(*stub);
  if (command == "rfm-grid") return RfmGrid(*stub);
  if (command == "create") return Create(*stub);
  if (command == "list") return List(*stub);
  if (command == "report") return Report(*stub);
  if (command == "opt-out") return OptOut(*stub);
  return Usage(absl::StrCat("unknown command \"", command,
                            "\": segments, rfm-grid, create, list, report or "
                            "opt-out"));
}

}  // namespace
}  // namespace recommender::serving

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Segments and campaigns on a running server: segments, rfm-grid, "
      "create, list, report, opt-out.");
  const std::vector<char*> args = absl::ParseCommandLine(argc, argv);
  return recommender::serving::Run(args);
}
