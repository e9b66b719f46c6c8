// Attention: incremental decoding with a KV cache == full causal attention recomputed; every
// variant against a double implementation; cross-attention; capacity errors.
#include <gtest/gtest.h>

#include <cmath>

#include "op_test_util.hpp"
#include "runtime/kernels/attention.hpp"

namespace earshot::kernels {
namespace {

using testing::random_floats;

constexpr double kAttentionTol = 2e-5;  // outputs are convex combinations of values in [-1, 1]

// Causal (or not) attention of n_q queries over n keys in double.
std::vector<double> attention_double(const std::vector<float>& q, int n_q,
                                     const std::vector<float>& k, const std::vector<float>& v,
                                     int n, int heads, int hd, bool causal) {
  const int row = heads * hd;
  std::vector<double> out(static_cast<size_t>(n_q) * row, 0.0);
  for (int i = 0; i < n_q; ++i)
    for (int h = 0; h < heads; ++h) {
      const int visible = causal ? n - n_q + i + 1 : n;
      std::vector<double> s(visible);
      double mx = -1e300, sum = 0;
      for (int j = 0; j < visible; ++j) {
        double d = 0;
        for (int e = 0; e < hd; ++e) d += double{q[i * row + h * hd + e]} * k[j * row + h * hd + e];
        s[j] = d / std::sqrt(double(hd));
        mx = std::max(mx, s[j]);
      }
      for (double& x : s) sum += (x = std::exp(x - mx));
      for (int j = 0; j < visible; ++j)
        for (int e = 0; e < hd; ++e)
          out[i * row + h * hd + e] += s[j] / sum * v[j * row + h * hd + e];
    }
  return out;
}

TEST(Attention, CachedDecodingEqualsFullRecomputation) {
  for (auto [heads, hd] : {std::pair{6, 64}, std::pair{1, 17}, std::pair{3, 7}}) {
    const int row = heads * hd, prompt = 4, steps = 29, total = prompt + steps;
    auto q = random_floats(total * row, 1, -2.0f, 2.0f);
    auto k = random_floats(total * row, 2, -2.0f, 2.0f);
    auto v = random_floats(total * row, 3);
    const auto want = attention_double(q, total, k, v, total, heads, hd, true);
    for (const AttentionKernels* kern : attention_variants()) {
      auto cache = KvCache::create(heads, hd, 40);
      ASSERT_TRUE(cache.ok());
      std::vector<float> scores(cache->capacity()), out(total * row);
      // Prefill the prompt in one causal call, then one token per step.
      ASSERT_TRUE(cache->append(k.data(), v.data(), prompt).ok());
      ASSERT_TRUE(attend(q.data(), prompt, *cache, true, scores.data(), out.data(), kern).ok());
      for (int t = prompt; t < total; ++t) {
        ASSERT_TRUE(cache->append(k.data() + t * row, v.data() + t * row, 1).ok());
        ASSERT_TRUE(
            attend(q.data() + t * row, 1, *cache, true, scores.data(), out.data() + t * row, kern)
                .ok());
      }
      for (size_t i = 0; i < out.size(); ++i) {
        ASSERT_NEAR(out[i], want[i], kAttentionTol)
            << kern->name << " heads=" << heads << " i=" << i;
      }
    }
  }
}

TEST(Attention, CrossAttentionOverFixedKeys) {
  const int heads = 6, hd = 64, row = heads * hd, frames = 150, n_q = 3;
  auto q = random_floats(n_q * row, 4, -2.0f, 2.0f);
  auto k = random_floats(frames * row, 5, -2.0f, 2.0f);
  auto v = random_floats(frames * row, 6);
  const auto want = attention_double(q, n_q, k, v, frames, heads, hd, false);
  auto cache = KvCache::create(heads, hd, frames);
  ASSERT_TRUE(cache.ok());
  ASSERT_TRUE(cache->append(k.data(), v.data(), frames).ok());
  for (const AttentionKernels* kern : attention_variants()) {
    std::vector<float> scores(frames), out(n_q * row);
    ASSERT_TRUE(attend(q.data(), n_q, *cache, false, scores.data(), out.data(), kern).ok());
    for (size_t i = 0; i < out.size(); ++i)
      ASSERT_NEAR(out[i], want[i], kAttentionTol) << kern->name;
  }
}

// A copy holds the source's positions and attends identically; shapes must match.
TEST(Attention, CacheCopyTakesOverThePositionsInUse) {
  std::mt19937 rng(3);
  std::uniform_real_distribution<float> u(-1.0f, 1.0f);
  const int heads = 3, hd = 5, n = 7;
  std::vector<float> k(n * heads * hd), v(n * heads * hd), q(heads * hd);
  for (auto* vec : {&k, &v, &q})
    for (float& x : *vec) x = u(rng);
  auto a = KvCache::create(heads, hd, 16);
  auto b = KvCache::create(heads, hd, 16);
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_TRUE(a->append(k.data(), v.data(), n).ok());
  ASSERT_TRUE(b->append(v.data(), k.data(), 2).ok());  // different history, to be replaced
  ASSERT_TRUE(b->copy_from(*a).ok());
  EXPECT_EQ(b->size(), n);
  std::vector<float> scores(16), out_a(heads * hd), out_b(heads * hd);
  ASSERT_TRUE(attend(q.data(), 1, *a, false, scores.data(), out_a.data()).ok());
  ASSERT_TRUE(attend(q.data(), 1, *b, false, scores.data(), out_b.data()).ok());
  EXPECT_EQ(out_a, out_b);
  auto other = KvCache::create(heads, hd, 8);
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(other->copy_from(*a).code(), StatusCode::kInvalidArgument);
}

TEST(Attention, CapacityAndArgumentErrors) {
  auto cache = KvCache::create(2, 4, 3);
  ASSERT_TRUE(cache.ok());
  std::vector<float> kv(4 * 8, 0.5f), scores(3), out(8), q(8 * 4, 0.1f);
  EXPECT_EQ(attend(q.data(), 1, *cache, false, scores.data(), out.data()).code(),
            StatusCode::kInvalidArgument);  // empty cache
  ASSERT_TRUE(cache->append(kv.data(), kv.data(), 3).ok());
  EXPECT_EQ(cache->append(kv.data(), kv.data(), 1).code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(cache->size(), 3);
  EXPECT_EQ(attend(q.data(), 4, *cache, true, scores.data(), out.data()).code(),
            StatusCode::kInvalidArgument);
  cache->clear();
  EXPECT_EQ(cache->size(), 0);
  EXPECT_FALSE(KvCache::create(0, 64, 448).ok());
  EXPECT_FALSE(KvCache::create(6, 64, 1 << 30).ok());
}

}  // namespace
}  // namespace earshot::kernels
