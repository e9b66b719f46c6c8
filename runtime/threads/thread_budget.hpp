// The process-wide thread budget shared by every ThreadPool, so that tier-2 stages running side
// by side never oversubscribe the CPU.
//
// Policy: the budget is hardware_concurrency() - 1 worker threads (at least 0). A pool asking
// for N threads uses its caller's thread plus N - 1 workers and is granted
// 1 + min(N - 1, workers still free); a pool of 1 spawns nothing and is always granted. So with
// one stage thread calling into the pools, all pools together run at most hardware_concurrency()
// threads. Workers go back to the budget when their pool is destroyed.
#pragma once

namespace earshot::runtime {

class ThreadBudget {
 public:
  // Worker threads all pools together may spawn.
  static int capacity() noexcept;
  // Workers currently held by live pools.
  static int in_use() noexcept;
  // Takes up to `wanted` workers; returns how many were granted (0..wanted).
  static int acquire(int wanted) noexcept;
  static void release(int workers) noexcept;
  // Tests: pretend the machine has this many hardware threads (0 restores the real count).
  static void set_hardware_threads_for_testing(int n) noexcept;
};

}  // namespace earshot::runtime
