// ThreadPool: coverage of every index exactly once, empty ranges, exceptions, nesting,
// concurrent callers and pools, and the global thread budget.
#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <thread>
#include <vector>

#include "runtime/threads/thread_budget.hpp"
#include "runtime/threads/thread_pool.hpp"

namespace earshot::runtime {
namespace {

class ThreadPoolTest : public ::testing::Test {
 protected:
  void SetUp() override { ThreadBudget::set_hardware_threads_for_testing(8); }
  void TearDown() override { ThreadBudget::set_hardware_threads_for_testing(0); }
};

std::unique_ptr<ThreadPool> make(int n) {
  auto p = ThreadPool::create(n);
  EXPECT_TRUE(p.ok()) << p.status().to_string();
  return std::move(*p);
}

TEST_F(ThreadPoolTest, CoversEveryIndexExactlyOnce) {
  auto pool = make(4);
  EXPECT_EQ(pool->threads(), 4);
  for (int64_t n : {1, 2, 3, 4, 5, 7, 64, 1000, 1001}) {
    for (int64_t min_chunk : {1, 3, 100}) {
      std::vector<std::atomic<int>> hits(static_cast<size_t>(n) + 10);
      ASSERT_TRUE(pool->parallel_for(
                          10, 10 + n,
                          [&](int64_t lo, int64_t hi) {
                            for (int64_t i = lo; i < hi; ++i) hits[i - 10 + 10].fetch_add(1);
                          },
                          min_chunk)
                      .ok());
      for (int64_t i = 0; i < 10; ++i) ASSERT_EQ(hits[i].load(), 0);
      for (int64_t i = 10; i < n + 10; ++i) ASSERT_EQ(hits[i].load(), 1) << n << " " << i;
    }
  }
}

TEST_F(ThreadPoolTest, EmptyAndReversedRangesCallNothing) {
  auto pool = make(3);
  int calls = 0;
  EXPECT_TRUE(pool->parallel_for(5, 5, [&](int64_t, int64_t) { ++calls; }).ok());
  EXPECT_TRUE(pool->parallel_for(9, 2, [&](int64_t, int64_t) { ++calls; }).ok());
  EXPECT_EQ(calls, 0);
}

TEST_F(ThreadPoolTest, UsesSeveralThreadsForLargeRanges) {
  auto pool = make(4);
  std::atomic<int> chunks{0};
  ASSERT_TRUE(pool->parallel_for(0, 400,
                                 [&](int64_t lo, int64_t hi) {
                                   EXPECT_EQ(hi - lo, 100);
                                   chunks.fetch_add(1);
                                 })
                  .ok());
  EXPECT_EQ(chunks.load(), 4);
}

TEST_F(ThreadPoolTest, ExceptionsBecomeStatusAndPoolStaysUsable) {
  auto pool = make(4);
  Status st = pool->parallel_for(0, 100, [](int64_t lo, int64_t) {
    if (lo >= 50) throw std::runtime_error("chunk failed");
  });
  EXPECT_EQ(st.code(), StatusCode::kInternal);
  EXPECT_NE(st.message().find("chunk failed"), std::string::npos);
  st = pool->parallel_for(0, 1, [](int64_t, int64_t) { throw 42; });  // inline path
  EXPECT_EQ(st.code(), StatusCode::kInternal);
  std::atomic<int64_t> sum{0};
  EXPECT_TRUE(pool->parallel_for(0, 100,
                                 [&](int64_t lo, int64_t hi) {
                                   for (int64_t i = lo; i < hi; ++i) sum += i;
                                 })
                  .ok());
  EXPECT_EQ(sum.load(), 4950);
}

TEST_F(ThreadPoolTest, NestedCallsRunInlineWithoutDeadlock) {
  auto outer = make(3);
  auto inner = make(2);
  std::atomic<int64_t> sum{0};
  ASSERT_TRUE(
      outer
          ->parallel_for(
              0, 30,
              [&](int64_t lo, int64_t hi) {
                for (int64_t i = lo; i < hi; ++i) {
                  // Same pool (inline) and another pool (its own workers).
                  EXPECT_TRUE(
                      outer->parallel_for(0, 10, [&](int64_t a, int64_t b) { sum += b - a; }).ok());
                  EXPECT_TRUE(
                      inner->parallel_for(0, 10, [&](int64_t a, int64_t b) { sum += b - a; }).ok());
                }
              })
          .ok());
  EXPECT_EQ(sum.load(), 30 * 20);
}

TEST_F(ThreadPoolTest, ConcurrentCallersAndPools) {
  auto shared = make(3);
  std::vector<std::thread> callers;
  std::atomic<int64_t> total{0};
  for (int t = 0; t < 4; ++t) {
    callers.emplace_back([&] {
      auto own = ThreadPool::create(2);
      ASSERT_TRUE(own.ok());
      for (int rep = 0; rep < 50; ++rep) {
        ASSERT_TRUE(
            shared->parallel_for(0, 97, [&](int64_t lo, int64_t hi) { total += hi - lo; }).ok());
        ASSERT_TRUE(
            (*own)->parallel_for(0, 13, [&](int64_t lo, int64_t hi) { total += hi - lo; }).ok());
      }
    });
  }
  for (auto& c : callers) c.join();
  EXPECT_EQ(total.load(), 4 * 50 * (97 + 13));
}

TEST_F(ThreadPoolTest, GlobalBudgetPreventsOversubscription) {
  ASSERT_EQ(ThreadBudget::in_use(), 0);
  EXPECT_EQ(ThreadBudget::capacity(), 7);
  auto a = make(5);  // 4 workers
  auto b = make(6);  // only 3 workers left
  auto c = make(4);  // none left: runs on its caller alone
  EXPECT_EQ(a->threads(), 5);
  EXPECT_EQ(b->threads(), 4);
  EXPECT_EQ(c->threads(), 1);
  EXPECT_EQ(ThreadBudget::in_use(), 7);
  int64_t sum = 0;  // a one-thread pool still works
  EXPECT_TRUE(c->parallel_for(0, 10, [&](int64_t lo, int64_t hi) { sum += hi - lo; }).ok());
  EXPECT_EQ(sum, 10);
  a.reset();
  EXPECT_EQ(ThreadBudget::in_use(), 3);
  auto d = make(3);
  EXPECT_EQ(d->threads(), 3);
  b.reset();
  c.reset();
  d.reset();
  EXPECT_EQ(ThreadBudget::in_use(), 0);
}

TEST_F(ThreadPoolTest, RejectsAbsurdSizes) {
  EXPECT_EQ(ThreadPool::create(0).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ThreadPool::create(-3).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ThreadPool::create(100000).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace earshot::runtime
