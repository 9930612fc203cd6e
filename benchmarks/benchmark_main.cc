#include "benchmarks/benchmark_main.h"

#include <cstring>
#include <vector>

#include "benchmark/benchmark.h"

namespace recommender {

int RunBenchmarkMain(int argc, char** argv,
                     const std::function<void(bool smoke)>& register_benchmarks,
                     const std::function<bool(const char* arg)>& take_flag) {
  bool smoke = false;
  std::vector<char*> rest;
  for (int i = 0; i < argc; ++i) {
    if (std::strcmp(argv[i], "--scale=smoke") == 0) {
      smoke = true;
    } else if (std::strcmp(argv[i], "--scale=full") == 0) {
      smoke = false;
    } else if (i == 0 || !take_flag || !take_flag(argv[i])) {
      rest.push_back(argv[i]);
    }
  }
  int rest_argc = static_cast<int>(rest.size());
  register_benchmarks(smoke);
  benchmark::Initialize(&rest_argc, rest.data());
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

}  // namespace recommender
