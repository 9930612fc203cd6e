// The main of the fuzz targets outside `--config=fuzz`: runs every file of
// the folders (or files) given as arguments once through
// LLVMFuzzerTestOneInput, so that the seed corpus and every crash once
// found run as a plain test under any compiler and sanitizer.
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "recommender/util/file_util.h"
#include "tests/fuzz/fuzz_target.h"

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv)
    __attribute__((weak));

int main(int argc, char** argv) {
  if (LLVMFuzzerInitialize != nullptr) LLVMFuzzerInitialize(&argc, &argv);
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    std::error_code error;
    if (std::filesystem::is_directory(argv[i], error)) {
      for (const auto& entry :
           std::filesystem::recursive_directory_iterator(argv[i])) {
        if (entry.is_regular_file()) files.push_back(entry.path().string());
      }
    } else {
      files.push_back(argv[i]);
    }
  }
  if (files.empty()) {
    std::fprintf(stderr, "no corpus files given\n");
    return 1;
  }
  for (const std::string& file : files) {
    absl::StatusOr<std::string> data = recommender::ReadFileToString(file);
    if (!data.ok()) {
      std::fprintf(stderr, "cannot read %s\n", file.c_str());
      return 1;
    }
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(data->data()),
                           data->size());
  }
  std::printf("ran %zu inputs\n", files.size());
  return 0;
}
