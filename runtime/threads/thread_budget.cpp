// Thread budget: one atomic counter of workers held, compared against a capacity.
#include "runtime/threads/thread_budget.hpp"

#include <algorithm>
#include <atomic>
#include <thread>

namespace earshot::runtime {
namespace {

std::atomic<int> g_in_use{0};
std::atomic<int> g_hardware_override{0};

int hardware_threads() noexcept {
  const int forced = g_hardware_override.load();
  if (forced > 0) return forced;
  return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

}  // namespace

int ThreadBudget::capacity() noexcept {
  return hardware_threads() - 1;
}

int ThreadBudget::in_use() noexcept {
  return g_in_use.load();
}

int ThreadBudget::acquire(int wanted) noexcept {
  if (wanted <= 0) return 0;
  int cur = g_in_use.load();
  for (;;) {
    const int granted = std::clamp(capacity() - cur, 0, wanted);
    if (granted == 0) return 0;
    if (g_in_use.compare_exchange_weak(cur, cur + granted)) return granted;
  }
}

void ThreadBudget::release(int workers) noexcept {
  if (workers > 0) g_in_use.fetch_sub(workers);
}

void ThreadBudget::set_hardware_threads_for_testing(int n) noexcept {
  g_hardware_override.store(std::max(0, n));
}

}  // namespace earshot::runtime
