// Replaces the global operator new/delete with counting versions: g_allocations counts every
// allocation while g_counting is set. Include it in exactly one source of a test binary of its
// own (it would count every other test's allocations too); GCC flags the malloc/free pairing
// (-Wno-mismatched-new-delete on that binary).
#pragma once

#include <atomic>
#include <cstdlib>
#include <new>

namespace {
std::atomic<bool> g_counting{false};
std::atomic<long> g_allocations{0};
}  // namespace

void* operator new(std::size_t n) {
  if (g_counting.load(std::memory_order_relaxed)) g_allocations.fetch_add(1);
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
