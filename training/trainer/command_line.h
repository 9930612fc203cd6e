// The training tools' command line: Abseil flags, where `--config=FILE` is
// this project's name for Abseil's own `--flagfile=FILE`, so that a tuned
// setup can be kept in version control and reused:
//
//   # shop-a.conf: one flag per line, as on the command line.
//   --factors=128
//   --regularization=0.002
//   --recency_half_life_days=90
//
// Abseil reads the file: lines start with `-` (`--name=value`, the value
// taken verbatim to the end of the line), whole-line `#` comments and blank
// lines are skipped, and an unknown flag or a bad value stops the tool with
// Abseil's message. Flags given on the command line win over the file,
// wherever `--config` stands.
//
// Not thread-safe: sets process-wide flags; call once from main.
#ifndef TRAINING_TRAINER_COMMAND_LINE_H_
#define TRAINING_TRAINER_COMMAND_LINE_H_

#include <string>
#include <vector>

namespace recommender {

// `argv` with every `--config=FILE` (or `--config FILE`, `-config...`) before
// a `--` turned into `--flagfile=FILE` and moved right after argv[0], in
// their order, so that Abseil reads the files before the rest of the command
// line. The returned pointers point into `argv` and `storage`.
std::vector<char*> ConfigAsFlagfile(int argc, char** argv,
                                    std::vector<std::string>* storage);

// absl::ParseCommandLine of ConfigAsFlagfile(argc, argv): the positional
// arguments, argv[0] first. Exits as Abseil does on a bad flag or file.
std::vector<char*> ParseTrainingCommandLine(int argc, char** argv);

// The files the flags were read from (--config or --flagfile), joined with
// ","; empty if none. For the record a trained model keeps.
std::string FlagFilesRead();

}  // namespace recommender

#endif  // TRAINING_TRAINER_COMMAND_LINE_H_
