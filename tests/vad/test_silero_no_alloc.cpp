// SileroVad::process allocates nothing (f32 and int8): every operator new in this binary is
// counted while process runs. (Its own binary: the replaced global operator new would count
// every other test's allocations too.)
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "vad/silero_vad.hpp"

#include "tests/common/counting_new.hpp"

namespace earshot::vad {
namespace {

TEST(SileroVadNoAlloc, ProcessAllocatesNothing) {
  for (const char* precision : {"f32", "int8"}) {
    const std::string path =
        std::string(EARSHOT_CACHE_DIR) + "/models/silero-vad-v6." + precision + ".esm";
    if (!std::filesystem::exists(path)) GTEST_SKIP() << "no converted model: " << path;
    auto m = model::Model::open(path);
    ASSERT_TRUE(m.ok()) << m.status().message();
    auto vad = SileroVad::create(std::move(m.value()));
    ASSERT_TRUE(vad.ok()) << vad.status().message();
    std::vector<float> chunk(SileroVad::kChunk);
    for (int i = 0; i < SileroVad::kChunk; ++i) chunk[i] = 0.3f * std::sin(0.05f * i);
    float p = -1.0f;
    g_allocations = 0;
    g_counting = true;
    for (int i = 0; i < 20; ++i) ASSERT_TRUE(vad.value()->process(chunk.data(), &p).ok());
    g_counting = false;
    EXPECT_EQ(g_allocations.load(), 0) << precision;
    EXPECT_GE(p, 0.0f);
    EXPECT_LE(p, 1.0f);
  }
}

}  // namespace
}  // namespace earshot::vad
