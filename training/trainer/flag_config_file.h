// A config file for the training tools' flags, so that a tuned setup can be
// kept in version control and reused:
//
//   # shop-a.conf
//   factors = 128
//   regularization = 0.002
//   recency_half_life_days = 90
//
// One "name = value" (or "name: value") per line; '#' starts a comment;
// blank lines are ignored; a value may be double-quoted (to keep spaces or
// be empty). Names are the tools' flag names. Flags given on the command
// line win over the file: `--config=FILE` (linking this library adds the
// flag) is read before the rest of the command line is parsed.
//
// Not thread-safe: sets process-wide flags; call once from main.
#ifndef TRAINING_TRAINER_FLAG_CONFIG_FILE_H_
#define TRAINING_TRAINER_FLAG_CONFIG_FILE_H_

#include <string>
#include <vector>

#include "absl/flags/declare.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"

// --config=PATH: the file read by ParseCommandLineWithConfigFile.
ABSL_DECLARE_FLAG(std::string, config);

namespace recommender {

// Sets every flag named in the file at `path`. InvalidArgument
// "PATH:LINE: ..." naming an unknown flag, a malformed line or a value the
// flag rejects; NotFound for a missing file.
absl::Status ApplyFlagConfigFile(const std::string& path);

// absl::ParseCommandLine preceded by the file given with --config=PATH (or
// --config PATH), if any. Returns the positional arguments (argv[0] first)
// or the config file's error.
absl::StatusOr<std::vector<char*>> ParseCommandLineWithConfigFile(int argc,
                                                                  char** argv);

}  // namespace recommender

#endif  // TRAINING_TRAINER_FLAG_CONFIG_FILE_H_
