#include "training/trainer/command_line.h"

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"

// Defined by Abseil's flag parser (absl/flags/parse.cc).
ABSL_DECLARE_FLAG(std::vector<std::string>, flagfile);

namespace recommender {

std::vector<char*> ConfigAsFlagfile(int argc, char** argv,
                                    std::vector<std::string>* storage) {
  std::vector<std::string> files;
  std::vector<char*> rest;
  int i = 1;
  for (; i < argc; ++i) {
    absl::string_view arg = argv[i];
    if (arg == "--") break;
    if (!absl::ConsumePrefix(&arg, "--")) absl::ConsumePrefix(&arg, "-");
    if (absl::ConsumePrefix(&arg, "config=")) {
      files.emplace_back(arg);
    } else if (arg == "config" && i + 1 < argc) {
      files.emplace_back(argv[++i]);
    } else {
      rest.push_back(argv[i]);
    }
  }
  storage->clear();
  for (const std::string& file : files) {
    storage->push_back(absl::StrCat("--flagfile=", file));
  }
  std::vector<char*> args = {argv[0]};
  for (std::string& flag : *storage) args.push_back(flag.data());
  args.insert(args.end(), rest.begin(), rest.end());
  args.insert(args.end(), argv + i, argv + argc);
  return args;
}

std::vector<char*> ParseTrainingCommandLine(int argc, char** argv) {
  std::vector<std::string> storage;
  std::vector<char*> args = ConfigAsFlagfile(argc, argv, &storage);
  return absl::ParseCommandLine(static_cast<int>(args.size()), args.data());
}

std::string FlagFilesRead() {
  return absl::StrJoin(absl::GetFlag(FLAGS_flagfile), ",");
}

}  // namespace recommender
