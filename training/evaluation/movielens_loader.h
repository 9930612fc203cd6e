// Reads MovieLens 100K in RecBole's atomic-file layout (ml-100k.inter,
// ml-100k.item, ml-100k.user: tab-separated with a typed header such as
// "user_id:token") into the project's in-memory shop form, so that the
// evaluation tool and the trainer treat it like any shop: every rating is
// one purchase event at its timestamp; a movie's first genre is its
// category; a user's age becomes an age band; nothing is labeled durable
// or consumable.
//
// Errors name the file and line (and the column for a bad field).
//
// Thread-safe: no shared state.
#ifndef TRAINING_EVALUATION_MOVIELENS_LOADER_H_
#define TRAINING_EVALUATION_MOVIELENS_LOADER_H_

#include <string>

#include "absl/status/statusor.h"
#include "recommender/data/shop_data.h"

namespace recommender {

inline constexpr char kMovieLensInteractions[] = "ml-100k.inter";
inline constexpr char kMovieLensItems[] = "ml-100k.item";
inline constexpr char kMovieLensUsers[] = "ml-100k.user";

// Loads DIR/ml-100k.{inter,item,user}. The user file is optional (then
// customers have no attributes). Events are sorted by customer, then time.
absl::StatusOr<ShopData> LoadMovieLens(const std::string& dir);

}  // namespace recommender

#endif  // TRAINING_EVALUATION_MOVIELENS_LOADER_H_
