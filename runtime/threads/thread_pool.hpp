// A fixed-size thread pool for tier-2 stages (ASR encoder/decoder, NLP): parallel_for over an
// index range with static chunking. The caller's thread runs chunk 0, so a pool of N threads
// spawns N - 1 workers, taken from the process-wide ThreadBudget (thread_budget.hpp) and
// possibly fewer than asked: threads() says how many were granted.
//
// parallel_for never allocates, never lets an exception escape (a throwing task turns into an
// Internal status), runs inline when called from inside one of this pool's own tasks (nested
// use cannot deadlock) and serialises concurrent callers. It takes a mutex: keep it off the
// real-time audio thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "earshot/status.hpp"

namespace earshot::runtime {

class ThreadPool {
 public:
  // threads in [1, 1024]; InvalidArgument otherwise, ResourceExhausted if the OS refuses a
  // thread.
  static Result<std::unique_ptr<ThreadPool>> create(int threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  // Threads that run parallel_for chunks: the caller plus the granted workers.
  int threads() const noexcept { return static_cast<int>(workers_.size()) + 1; }

  // Calls fn(lo, hi) on disjoint sub-ranges covering [begin, end) exactly once: threads()
  // contiguous chunks of equal size (the last ones shorter), none shorter than min_chunk
  // except the last, so small ranges use fewer threads. Empty ranges return at once.
  template <typename F>
  Status parallel_for(int64_t begin, int64_t end, F&& fn, int64_t min_chunk = 1) noexcept {
    using Fn = std::remove_reference_t<F>;
    return run(
        begin, end, min_chunk,
        [](void* ctx, int64_t lo, int64_t hi) { (*static_cast<Fn*>(ctx))(lo, hi); },
        const_cast<void*>(static_cast<const void*>(&fn)));
  }

 private:
  using Trampoline = void (*)(void* ctx, int64_t lo, int64_t hi);
  struct Job {
    Trampoline fn = nullptr;
    void* ctx = nullptr;
    int64_t begin = 0;
    int64_t end = 0;
    int64_t chunk = 0;
  };

  ThreadPool() = default;
  Status run(int64_t begin, int64_t end, int64_t min_chunk, Trampoline fn, void* ctx) noexcept;
  void run_chunk(const Job& job, int index) noexcept;
  void worker_loop(int index) noexcept;
  void stop_workers() noexcept;

  std::vector<std::thread> workers_;
  std::mutex call_mutex_;  // one parallel_for at a time
  std::mutex mutex_;       // guards the fields below
  std::condition_variable work_cv_;
  std::condition_variable done_cv_;
  Job job_;
  uint64_t generation_ = 0;
  int remaining_ = 0;
  bool stop_ = false;
  std::atomic<bool> failed_{false};
  std::string error_;  // the first task failure, set under mutex_
};

}  // namespace earshot::runtime
