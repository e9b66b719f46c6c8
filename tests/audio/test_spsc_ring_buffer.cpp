// The lock-free SPSC ring: single-thread semantics, wrap-around, overrun counting, and a
// two-thread run in which every item must arrive once, in order.
#include <gtest/gtest.h>

#include <cstdint>
#include <numeric>
#include <thread>
#include <vector>

#include "audio/spsc_ring_buffer.hpp"

namespace earshot::audio {
namespace {

TEST(SpscRingBuffer, CapacityIsPowerOfTwo) {
  EXPECT_EQ(SpscRingBuffer<int>(1).capacity(), 2u);
  EXPECT_EQ(SpscRingBuffer<int>(8).capacity(), 8u);
  EXPECT_EQ(SpscRingBuffer<int>(9).capacity(), 16u);
  EXPECT_EQ(SpscRingBuffer<int>(1000).capacity(), 1024u);
}

TEST(SpscRingBuffer, PushPopSingleThread) {
  SpscRingBuffer<int> ring(8);
  const int in[5] = {1, 2, 3, 4, 5};
  EXPECT_EQ(ring.push(in, 5), 5u);
  EXPECT_EQ(ring.available(), 5u);
  EXPECT_EQ(ring.free_space(), 3u);
  int out[8] = {};
  EXPECT_EQ(ring.pop(out, 3), 3u);
  EXPECT_EQ(out[0], 1);
  EXPECT_EQ(out[2], 3);
  EXPECT_EQ(ring.pop(out, 8), 2u);
  EXPECT_EQ(out[0], 4);
  EXPECT_EQ(out[1], 5);
  EXPECT_EQ(ring.pop(out, 8), 0u);  // empty
  EXPECT_EQ(ring.overruns(), 0u);
}

TEST(SpscRingBuffer, WrapsAround) {
  SpscRingBuffer<std::int16_t> ring(8);
  std::int16_t next_in = 0, next_out = 0;
  // Odd-sized pushes and pops walk the indices around the buffer many times.
  for (int round = 0; round < 100; ++round) {
    std::int16_t in[5], out[5];
    for (auto& v : in) v = next_in++;
    ASSERT_EQ(ring.push(in, 5), 5u);
    ASSERT_EQ(ring.pop(out, 5), 5u);
    for (auto v : out) ASSERT_EQ(v, next_out++);
  }
  EXPECT_EQ(ring.overruns(), 0u);
}

TEST(SpscRingBuffer, CountsOverrunsWhenFull) {
  SpscRingBuffer<int> ring(4);
  std::vector<int> in = {10, 11, 12, 13, 14, 15};
  EXPECT_EQ(ring.push(in.data(), in.size()), 4u);  // only 4 fit
  EXPECT_EQ(ring.overruns(), 2u);
  EXPECT_EQ(ring.push(in.data(), 1), 0u);
  EXPECT_EQ(ring.overruns(), 3u);
  int out[4];
  ASSERT_EQ(ring.pop(out, 4), 4u);
  EXPECT_EQ(out[0], 10);  // the oldest data is kept, the newest dropped
  EXPECT_EQ(out[3], 13);
  ring.add_overruns(5);
  EXPECT_EQ(ring.overruns(), 8u);
}

TEST(SpscRingBuffer, TwoThreadsDeliverSequenceIntact) {
  constexpr std::uint32_t kTotal = 2'000'000;
  SpscRingBuffer<std::uint32_t> ring(1024);
  std::thread producer([&] {
    std::uint32_t next = 0;
    std::uint32_t block[37];
    while (next < kTotal) {
      const std::uint32_t n = std::min<std::uint32_t>(37, kTotal - next);
      for (std::uint32_t i = 0; i < n; ++i) block[i] = next + i;
      // Push only what fits so nothing is dropped; spin when full.
      const std::size_t fit = std::min<std::size_t>(n, ring.free_space());
      next += static_cast<std::uint32_t>(ring.push(block, fit));
      if (fit == 0) std::this_thread::yield();
    }
  });
  std::uint32_t expected = 0;
  bool in_order = true;
  std::uint32_t buf[53];
  while (expected < kTotal) {
    const std::size_t n = ring.pop(buf, 53);
    if (n == 0) std::this_thread::yield();
    for (std::size_t i = 0; i < n; ++i) in_order &= (buf[i] == expected++);
  }
  producer.join();
  EXPECT_TRUE(in_order);
  EXPECT_EQ(expected, kTotal);
  EXPECT_EQ(ring.overruns(), 0u);
  EXPECT_EQ(ring.available(), 0u);
}

TEST(SpscRingBuffer, TwoThreadsWithOverrunsKeepOrder) {
  // A producer that never waits: drops are counted, and what arrives is still increasing
  // and accounted for exactly (received + dropped == sent).
  constexpr std::uint32_t kTotal = 500'000;
  SpscRingBuffer<std::uint32_t> ring(64);
  std::thread producer([&] {
    for (std::uint32_t v = 0; v < kTotal; ++v) ring.push(&v, 1);
  });
  std::uint64_t received = 0;
  std::int64_t last = -1;
  bool increasing = true;
  std::uint32_t buf[16];
  auto drain = [&] {
    const std::size_t n = ring.pop(buf, 16);
    for (std::size_t i = 0; i < n; ++i) {
      increasing &= static_cast<std::int64_t>(buf[i]) > last;
      last = buf[i];
    }
    received += n;
    return n;
  };
  while (received + ring.overruns() < kTotal) drain();
  producer.join();
  while (drain() != 0) {
  }
  EXPECT_TRUE(increasing);
  EXPECT_EQ(received + ring.overruns(), kTotal);
}

}  // namespace
}  // namespace earshot::audio
