#include "recommender/campaigns/campaign_record.h"

#include "absl/strings/str_cat.h"

namespace recommender::campaigns {

CampaignDefinitionRecord ToRecord(const CampaignDefinition& campaign) {
  CampaignDefinitionRecord record;
  record.set_id(campaign.id);
  record.set_name(campaign.name);
  record.set_segment(campaign.segment);
  record.set_picks_per_customer(campaign.picks_per_customer);
  ItemFilterDefinition* filter = record.mutable_filter();
  for (const std::string& c : campaign.filter.include_categories) {
    filter->add_include_categories(c);
  }
  for (const std::string& c : campaign.filter.exclude_categories) {
    filter->add_exclude_categories(c);
  }
  if (campaign.filter.max_price.has_value()) {
    filter->set_max_price(*campaign.filter.max_price);
  }
  filter->set_in_stock_only(campaign.filter.in_stock_only);
  for (const std::string& id : campaign.filter.exclude_item_ids) {
    filter->add_exclude_item_ids(id);
  }
  record.set_max_per_category(campaign.max_per_category);
  for (const CampaignArm& arm : campaign.arms) {
    ArmDefinition* out = record.add_arms();
    out->set_name(arm.name);
    out->set_strategy(std::string(PickStrategyName(arm.strategy)));
    out->set_picks(arm.picks.value_or(0));
    out->set_weight(arm.weight);
  }
  record.set_control_share(campaign.control_share);
  record.set_attribution_window_days(campaign.attribution_window_days);
  return record;
}

absl::StatusOr<CampaignDefinition> FromRecord(
    const CampaignDefinitionRecord& record) {
  CampaignDefinition campaign;
  campaign.id = record.id();
  campaign.name = record.name();
  campaign.segment = record.segment();
  campaign.picks_per_customer = record.picks_per_customer();
  const ItemFilterDefinition& filter = record.filter();
  campaign.filter.include_categories.assign(filter.include_categories().begin(),
                                            filter.include_categories().end());
  campaign.filter.exclude_categories.assign(filter.exclude_categories().begin(),
                                            filter.exclude_categories().end());
  if (filter.has_max_price()) campaign.filter.max_price = filter.max_price();
  campaign.filter.in_stock_only = filter.in_stock_only();
  campaign.filter.exclude_item_ids.assign(filter.exclude_item_ids().begin(),
                                          filter.exclude_item_ids().end());
  campaign.max_per_category = record.max_per_category();
  for (const ArmDefinition& arm : record.arms()) {
    CampaignArm out;
    out.name = arm.name();
    std::optional<PickStrategy> strategy = ParsePickStrategy(arm.strategy());
    if (!strategy.has_value()) {
      return absl::DataLossError(absl::StrCat(
          "campaign ", record.id(), ": arm ", arm.name(),
          " has an unknown strategy \"", arm.strategy(), "\""));
    }
    out.strategy = *strategy;
    if (arm.picks() > 0) out.picks = arm.picks();
    out.weight = arm.weight();
    campaign.arms.push_back(out);
  }
  campaign.control_share = record.control_share();
  campaign.attribution_window_days = record.attribution_window_days();
  return campaign;
}

}  // namespace recommender::campaigns
