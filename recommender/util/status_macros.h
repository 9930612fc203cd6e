// Early-return helpers for absl::Status and absl::StatusOr<T>.
//
//   RETURN_IF_ERROR(WriteHeader(file));
//   ASSIGN_OR_RETURN(std::string contents, ReadFileToString(path));
#ifndef RECOMMENDER_UTIL_STATUS_MACROS_H_
#define RECOMMENDER_UTIL_STATUS_MACROS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define RETURN_IF_ERROR(expr)                              \
  do {                                                     \
    ::absl::Status recommender_status_ = (expr);           \
    if (!recommender_status_.ok()) return recommender_status_; \
  } while (false)

#define RECOMMENDER_STATUS_CONCAT_INNER(a, b) a##b
#define RECOMMENDER_STATUS_CONCAT(a, b) RECOMMENDER_STATUS_CONCAT_INNER(a, b)

#define ASSIGN_OR_RETURN(lhs, expr)                                        \
  RECOMMENDER_ASSIGN_OR_RETURN_IMPL(                                       \
      RECOMMENDER_STATUS_CONCAT(recommender_statusor_, __LINE__), lhs, expr)

#define RECOMMENDER_ASSIGN_OR_RETURN_IMPL(statusor, lhs, expr) \
  auto statusor = (expr);                                      \
  if (!statusor.ok()) return statusor.status();                \
  lhs = std::move(statusor).value()

#endif  // RECOMMENDER_UTIL_STATUS_MACROS_H_
