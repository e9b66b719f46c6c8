// Engine selection: the reference is always listed first, the active variant is one of the
// listed ones, the description names both families; EARSHOT_KERNELS=ref (set by ctest for the
// EngineEnv tests) puts everything on the reference.
#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <string>

#include "runtime/kernels/cpu_features.hpp"
#include "runtime/kernels/engine.hpp"

namespace earshot::kernels {
namespace {

TEST(Engine, VariantsAndDescription) {
  ASSERT_FALSE(i8_gemm_variants().empty());
  EXPECT_STREQ(i8_gemm_variants()[0].name, "ref");
  EXPECT_STREQ(f32_gemm_variants()[0].name, "ref");
  bool found = false;
  for (const auto& v : i8_gemm_variants()) found |= (&v == &i8_gemm_active());
  EXPECT_TRUE(found);
  const std::string d = engine_description();
  EXPECT_NE(d.find(std::string("i8: ") + i8_gemm_active().name), std::string::npos) << d;
  EXPECT_NE(d.find(std::string("f32: ") + f32_gemm_active().name), std::string::npos) << d;
#if defined(__aarch64__) && !defined(EARSHOT_FORCE_REF)
  EXPECT_TRUE(cpu_features().neon);
  EXPECT_GE(i8_gemm_variants().size(), 2u);
#endif
#if defined(EARSHOT_FORCE_REF)
  EXPECT_EQ(i8_gemm_variants().size(), 1u);
#endif
  // Variants listed only where the CPU has what they need.
  for (const auto& v : i8_gemm_variants()) {
    if (v.isa == Isa::kAvx512Vnni) {
      EXPECT_TRUE(cpu_features().avx512vnni);
    }
    if (v.isa == Isa::kAvxVnni) {
      EXPECT_TRUE(cpu_features().avx_vnni);
    }
    if (v.isa == Isa::kAvx2) {
      EXPECT_TRUE(cpu_features().avx2);
    }
    if (v.isa == Isa::kNeonDot) {
      EXPECT_TRUE(cpu_features().neon_dot);
    }
  }
  std::printf("engines: %s\n", d.c_str());
}

TEST(EngineEnv, RefForcedByEnvironment) {
  const char* env = std::getenv("EARSHOT_KERNELS");
  if (env == nullptr || std::strcmp(env, "ref") != 0) GTEST_SKIP() << "EARSHOT_KERNELS != ref";
  EXPECT_STREQ(i8_gemm_active().name, "ref");
  EXPECT_STREQ(f32_gemm_active().name, "ref");
  EXPECT_NE(engine_description().find("EARSHOT_KERNELS=ref"), std::string::npos);
}

}  // namespace
}  // namespace earshot::kernels
