// Lock-free single-producer / single-consumer ring buffer: the hand-off between a capture
// thread or callback and the reader. Storage is fixed at construction; push() and pop()
// never allocate, lock or wait. When full, push() drops what does not fit and counts it.
#pragma once

#include <algorithm>
#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <type_traits>

namespace earshot::audio {

template <typename T>
class SpscRingBuffer {
  static_assert(std::is_trivially_copyable_v<T>, "items are moved with memcpy");

 public:
  // Capacity is min_capacity rounded up to a power of two (so indices wrap with a mask).
  explicit SpscRingBuffer(std::size_t min_capacity)
      : capacity_(std::bit_ceil(std::max<std::size_t>(min_capacity, 2))),
        mask_(capacity_ - 1),
        data_(new T[capacity_]()) {}
  SpscRingBuffer(const SpscRingBuffer&) = delete;
  SpscRingBuffer& operator=(const SpscRingBuffer&) = delete;

  std::size_t capacity() const noexcept { return capacity_; }

  // Producer only. Writes up to n items; returns how many fit. The rest are dropped and
  // added to overruns().
  std::size_t push(const T* items, std::size_t n) noexcept {
    const std::size_t head = head_.load(std::memory_order_relaxed);
    const std::size_t tail = tail_.load(std::memory_order_acquire);
    const std::size_t take = std::min(n, capacity_ - (head - tail));
    copy_in(head, items, take);
    head_.store(head + take, std::memory_order_release);
    if (take < n) overruns_.fetch_add(n - take, std::memory_order_relaxed);
    return take;
  }

  // Producer only: free space now (a lower bound; the consumer may free more).
  std::size_t free_space() const noexcept {
    return capacity_ -
           (head_.load(std::memory_order_relaxed) - tail_.load(std::memory_order_acquire));
  }

  // Producer only: count items the producer had to drop before reaching push().
  void add_overruns(std::size_t n) noexcept { overruns_.fetch_add(n, std::memory_order_relaxed); }

  // Consumer only. Reads up to n items; returns how many were read.
  std::size_t pop(T* out, std::size_t n) noexcept {
    const std::size_t tail = tail_.load(std::memory_order_relaxed);
    const std::size_t head = head_.load(std::memory_order_acquire);
    const std::size_t take = std::min(n, head - tail);
    if (take == 0) return 0;  // out may be null when n is 0
    const std::size_t start = tail & mask_;
    const std::size_t first = std::min(take, capacity_ - start);
    std::memcpy(out, data_.get() + start, first * sizeof(T));
    if (take > first) std::memcpy(out + first, data_.get(), (take - first) * sizeof(T));
    tail_.store(tail + take, std::memory_order_release);
    return take;
  }

  // Consumer only: items ready now (a lower bound; the producer may add more).
  std::size_t available() const noexcept {
    return head_.load(std::memory_order_acquire) - tail_.load(std::memory_order_relaxed);
  }

  // Items dropped because the buffer was full (any thread).
  std::uint64_t overruns() const noexcept { return overruns_.load(std::memory_order_relaxed); }

 private:
  void copy_in(std::size_t head, const T* items, std::size_t n) noexcept {
    if (n == 0) return;  // items may be null for an empty span; memcpy must not see it
    const std::size_t start = head & mask_;
    const std::size_t first = std::min(n, capacity_ - start);
    std::memcpy(data_.get() + start, items, first * sizeof(T));
    if (n > first) std::memcpy(data_.get(), items + first, (n - first) * sizeof(T));
  }

  const std::size_t capacity_;
  const std::size_t mask_;
  std::unique_ptr<T[]> data_;
  // Free-running counters (wrap-around of size_t is harmless: only differences are used),
  // each on its own cache line so producer and consumer do not false-share.
  alignas(64) std::atomic<std::size_t> head_{0};  // written by the producer
  alignas(64) std::atomic<std::size_t> tail_{0};  // written by the consumer
  alignas(64) std::atomic<std::uint64_t> overruns_{0};
};

}  // namespace earshot::audio
