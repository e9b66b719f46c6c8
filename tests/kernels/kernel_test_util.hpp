// Shared by the kernel tests: deterministic random data and the shapes to sweep.
#pragma once

#include <cstdint>
#include <random>
#include <vector>

namespace earshot::kernels::test {

struct Shape {
  int m, n, k;
};

// Odd and aligned sizes around the panel (16), group (4) and vector widths; Whisper-tiny-like
// sizes where the run stays fast. Smaller under an emulator.
inline std::vector<Shape> gemm_shapes() {
  std::vector<Shape> s;
  const int ms[] = {1, 3, 17, 64, 65};
#ifdef EARSHOT_TEST_EMULATED
  const int nk[][2] = {{1, 1}, {3, 17}, {17, 3}, {63, 64}, {64, 63}, {65, 65}, {33, 130}};
#else
  const int nk[][2] = {{1, 1},   {3, 17},   {17, 3},    {63, 64},   {64, 63},
                       {65, 65}, {384, 17}, {17, 1536}, {31, 1535}, {384, 384}};
#endif
  for (int m : ms)
    for (const auto& p : nk) s.push_back({m, p[0], p[1]});
#ifndef EARSHOT_TEST_EMULATED
  s.push_back({1, 1536, 384});
  s.push_back({1, 384, 1536});
#endif
  return s;
}

inline std::vector<int8_t> random_i8(size_t count, std::mt19937& rng, int lo = -128, int hi = 127) {
  std::uniform_int_distribution<int> d(lo, hi);
  std::vector<int8_t> v(count);
  for (auto& x : v) x = static_cast<int8_t>(d(rng));
  return v;
}

inline std::vector<float> random_f32(size_t count, std::mt19937& rng, float lo = -1.0f,
                                     float hi = 1.0f) {
  std::uniform_real_distribution<float> d(lo, hi);
  std::vector<float> v(count);
  for (auto& x : v) x = d(rng);
  return v;
}

}  // namespace earshot::kernels::test
