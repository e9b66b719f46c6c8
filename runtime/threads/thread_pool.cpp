// ThreadPool: workers sleep on a condition variable until a new job generation is posted, run
// their static chunk and report back; the caller runs chunk 0 meanwhile.
#include "runtime/threads/thread_pool.hpp"

#include <algorithm>
#include <exception>
#include <system_error>

#include "runtime/threads/thread_budget.hpp"

namespace earshot::runtime {
namespace {

// The pool whose task this thread is running, if any (nested parallel_for runs inline).
thread_local const ThreadPool* t_current_pool = nullptr;

}  // namespace

Result<std::unique_ptr<ThreadPool>> ThreadPool::create(int threads) {
  if (threads < 1 || threads > 1024) {
    return InvalidArgument("thread pool: threads must be in [1, 1024], got " +
                           std::to_string(threads));
  }
  std::unique_ptr<ThreadPool> pool(new ThreadPool());
  const int granted = ThreadBudget::acquire(threads - 1);
  try {
    pool->workers_.reserve(static_cast<size_t>(granted));
    for (int i = 0; i < granted; ++i) {
      pool->workers_.emplace_back([p = pool.get(), i] { p->worker_loop(i + 1); });
    }
  } catch (const std::exception& e) {  // std::system_error: the OS refused a thread
    ThreadBudget::release(granted - static_cast<int>(pool->workers_.size()));
    pool.reset();  // joins the workers already started and returns them to the budget
    return ResourceExhausted(std::string("thread pool: cannot start a thread: ") + e.what());
  }
  return pool;
}

ThreadPool::~ThreadPool() {
  stop_workers();
}

void ThreadPool::stop_workers() noexcept {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  work_cv_.notify_all();
  for (std::thread& t : workers_) t.join();
  ThreadBudget::release(static_cast<int>(workers_.size()));
  workers_.clear();
}

void ThreadPool::run_chunk(const Job& job, int index) noexcept {
  const int64_t lo = job.begin + job.chunk * index;
  const int64_t hi = std::min(job.end, lo + job.chunk);
  if (lo >= hi) return;
  const ThreadPool* outer = t_current_pool;
  t_current_pool = this;
  try {
    job.fn(job.ctx, lo, hi);
  } catch (const std::exception& e) {
    if (!failed_.exchange(true)) {
      std::lock_guard<std::mutex> lock(mutex_);
      error_ = e.what();
    }
  } catch (...) {
    if (!failed_.exchange(true)) {
      std::lock_guard<std::mutex> lock(mutex_);
      error_ = "unknown exception";
    }
  }
  t_current_pool = outer;
}

void ThreadPool::worker_loop(int index) noexcept {
  uint64_t seen = 0;
  for (;;) {
    Job job;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      work_cv_.wait(lock, [&] { return stop_ || generation_ != seen; });
      if (stop_) return;
      seen = generation_;
      job = job_;
    }
    run_chunk(job, index);
    std::lock_guard<std::mutex> lock(mutex_);
    if (--remaining_ == 0) done_cv_.notify_one();
  }
}

Status ThreadPool::run(int64_t begin, int64_t end, int64_t min_chunk, Trampoline fn,
                       void* ctx) noexcept {
  if (end <= begin) return Status::Ok();
  const int64_t len = end - begin;
  const int64_t per_thread = (len + threads() - 1) / threads();
  Job job{fn, ctx, begin, end, std::max(per_thread, std::max<int64_t>(min_chunk, 1))};
  const bool nested = t_current_pool == this;
  if (nested || workers_.empty() || job.chunk >= len) {
    // One chunk: run it here, touching no shared state (the nested case would deadlock
    // waiting on our own busy workers; concurrent single-chunk callers need no lock).
    const ThreadPool* outer = t_current_pool;
    t_current_pool = this;
    Status st;
    try {
      fn(ctx, begin, end);
    } catch (const std::exception& e) {
      st = Internal(std::string("parallel_for: a task threw: ") + e.what());
    } catch (...) {
      st = Internal("parallel_for: a task threw: unknown exception");
    }
    t_current_pool = outer;
    return st;
  }
  std::lock_guard<std::mutex> call(call_mutex_);
  failed_ = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    job_ = job;
    remaining_ = static_cast<int>(workers_.size());
    ++generation_;
  }
  work_cv_.notify_all();
  run_chunk(job, 0);
  {
    std::unique_lock<std::mutex> lock(mutex_);
    done_cv_.wait(lock, [&] { return remaining_ == 0; });
  }
  if (failed_.load()) {
    std::lock_guard<std::mutex> lock(mutex_);
    return Internal("parallel_for: a task threw: " + error_);
  }
  return Status::Ok();
}

}  // namespace earshot::runtime
