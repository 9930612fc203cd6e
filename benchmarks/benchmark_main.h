// The shared entry point of the project's Google Benchmark binaries.
//
// Every benchmark takes --scale=smoke (tiny sizes: the CI smoke pass) or
// --scale=full (the default: the sizes the results table quotes); the rest
// of the command line goes to Google Benchmark.
#ifndef BENCHMARKS_BENCHMARK_MAIN_H_
#define BENCHMARKS_BENCHMARK_MAIN_H_

#include <functional>

namespace recommender {

// Strips --scale=..., offers every other argument to `take_flag` (which
// returns true for a flag of the binary's own), registers the benchmarks
// with `register_benchmarks(smoke)`, runs them and returns main's exit code.
int RunBenchmarkMain(int argc, char** argv,
                     const std::function<void(bool smoke)>& register_benchmarks,
                     const std::function<bool(const char* arg)>& take_flag = {});

}  // namespace recommender

#endif  // BENCHMARKS_BENCHMARK_MAIN_H_
