// A Google Benchmark reporter that prints the usual table and remembers each benchmark's time
// per iteration, so a benchmark binary can print its ratios against the reference or peer it
// measured in the same run. CPU time by default: on a shared machine the wall clock also
// counts the time other processes hold the core.
#pragma once

#include <benchmark/benchmark.h>

#include <map>
#include <string>
#include <vector>

namespace earshot::bench {

class TimeRecorder : public benchmark::ConsoleReporter {
 public:
  enum class Clock { kCpu, kReal };
  explicit TimeRecorder(Clock clock = Clock::kCpu) : clock_(clock) {}

  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& r : runs) {
      if (r.error_occurred || r.run_type != Run::RT_Iteration || r.iterations <= 0) continue;
      const double total = clock_ == Clock::kCpu ? r.cpu_accumulated_time : r.real_accumulated_time;
      seconds_[strip_run_options(r.benchmark_name())] = total / static_cast<double>(r.iterations);
    }
    ConsoleReporter::ReportRuns(runs);
  }

  // Seconds per iteration of `name` (the benchmark's name with its arguments, without
  // "/min_time:..", "/iterations:..", "/repeats:.."), or 0 when it did not run.
  double seconds(const std::string& name) const {
    const auto it = seconds_.find(name);
    return it == seconds_.end() ? 0.0 : it->second;
  }
  bool has(const std::string& name) const { return seconds(name) > 0; }
  const std::map<std::string, double>& all() const { return seconds_; }

 private:
  static std::string strip_run_options(std::string name) {
    for (const char* option : {"/min_time:", "/iterations:", "/repeats:"}) {
      const auto pos = name.find(option);
      if (pos != std::string::npos) name.erase(pos);
    }
    return name;
  }

  Clock clock_;
  std::map<std::string, double> seconds_;
};

}  // namespace earshot::bench
