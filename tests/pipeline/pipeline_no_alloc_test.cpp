// push() allocates nothing, in any chunk size, including when the ring is full: every
// operator new in this binary is counted while push runs (the consumer does not run then).
#include <gtest/gtest.h>

#include <vector>

#include "pipeline_test_util.hpp"

#include "tests/common/counting_new.hpp"

namespace earshot::pipeline::test {
namespace {

TEST(PipelineNoAlloc, PushAllocatesNothing) {
  if (!models_present()) GTEST_SKIP() << "models missing in " << models_dir();
  PipelineConfig c = test_config();
  c.ring_ms = 1000;
  auto p = Pipeline::create(c);
  ASSERT_TRUE(p.ok()) << p.status().message();
  const auto audio = speech("no_pause.wav");
  ASSERT_FALSE(audio.empty());
  size_t pos = 0;
  int overruns = 0;
  for (size_t chunk : {1, 7, 160, 161, 1000, 4096}) {
    for (int rep = 0; rep < 20; ++rep) {
      const size_t n = std::min(chunk, audio.size() - pos);
      g_allocations = 0;
      g_counting = true;
      const PushResult r = (*p)->push(std::span<const int16_t>(audio.data() + pos, n));
      g_counting = false;
      EXPECT_EQ(g_allocations.load(), 0) << "chunk " << chunk;
      overruns += r == PushResult::kOverrun;
      pos = (pos + n) % (audio.size() - 4096);
    }
    ASSERT_TRUE((*p)->step().ok());
  }
  // The 4096-sample pushes filled the 1 s ring without a step between them.
  EXPECT_GT(overruns, 0);
  g_counting = true;
  EXPECT_EQ((*p)->push(std::span<const int16_t>(audio.data(), 160)), PushResult::kOk);
  g_counting = false;
  EXPECT_EQ(g_allocations.load(), 0);
  ASSERT_TRUE((*p)->finish().ok());
  g_counting = true;
  EXPECT_EQ((*p)->push(std::span<const int16_t>(audio.data(), 160)), PushResult::kClosed);
  g_counting = false;
  EXPECT_EQ(g_allocations.load(), 0);
}

}  // namespace
}  // namespace earshot::pipeline::test
