// runtime::Linear against a scalar reference on odd shapes: f32 weights within a float
// tolerance, int8 weights bit for bit (the same row quantization and fused epilogue as
// kernels/i8f32_gemm.hpp specifies), with and without a thread pool, and its load checks.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "runtime/layers/linear.hpp"
#include "runtime/model/model_writer.hpp"
#include "runtime/threads/thread_budget.hpp"
#include "tests/model/model_test_util.hpp"

namespace earshot::runtime {
namespace {

constexpr int kIn = 37, kOut = 19;

std::vector<float> floats(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> d(-1.0f, 1.0f);
  std::vector<float> v(n);
  for (auto& x : v) x = d(rng);
  return v;
}

std::vector<int8_t> weights_i8(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> d(-127, 127);
  std::vector<int8_t> v(n);
  for (auto& x : v) x = static_cast<int8_t>(d(rng));
  return v;
}

// y = x W^T + b in double.
std::vector<float> ref_f32(const std::vector<float>& x, int rows, const float* w, const float* b,
                           int in, int out) {
  std::vector<float> y(size_t(rows) * out);
  for (int r = 0; r < rows; ++r)
    for (int o = 0; o < out; ++o) {
      double acc = b != nullptr ? b[o] : 0.0;
      for (int k = 0; k < in; ++k) acc += double(x[size_t(r) * in + k]) * w[size_t(o) * in + k];
      y[size_t(r) * out + o] = float(acc);
    }
  return y;
}

// Each row quantized to int8 with max|x| / 127, an integer product, one fused rounding.
std::vector<float> ref_i8(const std::vector<float>& x, int rows, const int8_t* w,
                          const float* scale, const float* b, int in, int out) {
  std::vector<float> y(size_t(rows) * out);
  std::vector<int> q(in);
  for (int r = 0; r < rows; ++r) {
    const float* xr = x.data() + size_t(r) * in;
    float max_abs = 0.0f;
    for (int k = 0; k < in; ++k) max_abs = std::max(max_abs, std::fabs(xr[k]));
    const float inv = 127.0f / max_abs;
    for (int k = 0; k < in; ++k) q[k] = int(std::lrintf(xr[k] * inv));
    const float s = max_abs / 127.0f;
    for (int o = 0; o < out; ++o) {
      int32_t acc = 0;
      for (int k = 0; k < in; ++k) acc += q[k] * w[size_t(o) * in + k];
      y[size_t(r) * out + o] = std::fma(float(acc), s * scale[o], b != nullptr ? b[o] : 0.0f);
    }
  }
  return y;
}

// A model holding one f32 layer "f", one int8 layer "q" (both kOut x kIn, with bias) and a
// large int8 layer "big" whose outputs span several packed pieces.
struct Fixture {
  static constexpr int kBigOut = 8192 + 77, kBigIn = 5;
  std::vector<float> wf = floats(size_t(kOut) * kIn, 1), bf = floats(kOut, 2);
  std::vector<int8_t> wq = weights_i8(size_t(kOut) * kIn, 3);
  std::vector<float> sq = floats(kOut, 4), bq = floats(kOut, 5), b2 = floats(kOut, 6);
  std::vector<int8_t> wbig = weights_i8(size_t(kBigOut) * kBigIn, 7);
  std::vector<float> sbig = floats(kBigOut, 8);
  std::unique_ptr<model::Model> m;

  Fixture() {
    for (auto& s : sq) s = std::fabs(s) / 100.0f;
    model::ModelWriter w(model::testing::sample_metadata());
    EXPECT_TRUE(w.add<float>("f.weight", {kOut, kIn}, wf).ok());
    EXPECT_TRUE(w.add<float>("f.bias", {kOut}, bf).ok());
    EXPECT_TRUE(w.add<int8_t>("q.weight", {kOut, kIn}, wq).ok());
    EXPECT_TRUE(w.add<float>("q.weight.scale", {kOut}, sq).ok());
    EXPECT_TRUE(w.add<float>("q.bias", {kOut}, bq).ok());
    EXPECT_TRUE(w.add<float>("q.bias2", {kOut}, b2).ok());
    EXPECT_TRUE(w.add<float>("conv.weight", {kOut, 1, kIn}, wf).ok());
    EXPECT_TRUE(w.add<int8_t>("big.weight", {kBigOut, kBigIn}, wbig).ok());
    EXPECT_TRUE(w.add<float>("big.weight.scale", {kBigOut}, sbig).ok());
    auto bytes = w.serialize();
    EXPECT_TRUE(bytes.ok());
    auto opened = model::testing::open_bytes(*bytes);
    EXPECT_TRUE(opened.ok()) << opened.status().message();
    m = std::make_unique<model::Model>(std::move(opened).value());
  }
};

// Runs `l` on `rows` rows of x, on the calling thread or on `pool`.
std::vector<float> run(const Linear& l, const std::vector<float>& x, int rows, ThreadPool* pool) {
  std::vector<unsigned char> scratch(l.scratch_bytes(rows, pool));
  std::vector<float> y(size_t(rows) * l.out(), NAN);
  const Status s = l.apply(x.data(), rows, y.data(), scratch.data(), scratch.size(), pool);
  EXPECT_TRUE(s.ok()) << s.message();
  return y;
}

// Three threads whatever the machine has, so every split runs.
std::unique_ptr<ThreadPool> pool3() {
  ThreadBudget::set_hardware_threads_for_testing(3);
  auto p = ThreadPool::create(3);
  ThreadBudget::set_hardware_threads_for_testing(0);
  EXPECT_TRUE(p.ok());
  EXPECT_EQ((*p)->threads(), 3);
  return std::move(p).value();
}

TEST(Linear, F32MatchesReference) {
  Fixture f;
  auto l = Linear::load(*f.m, "f", kIn, kOut);
  ASSERT_TRUE(l.ok()) << l.status().message();
  EXPECT_FALSE(l->is_int8());
  EXPECT_EQ(l->scratch_bytes(17), 0u);
  auto pool = pool3();
  for (int rows : {1, 3, 17}) {
    const auto x = floats(size_t(rows) * kIn, 10 + rows);
    const auto want = ref_f32(x, rows, f.wf.data(), f.bf.data(), kIn, kOut);
    for (ThreadPool* p : {static_cast<ThreadPool*>(nullptr), pool.get()}) {
      const auto got = run(*l, x, rows, p);
      for (size_t i = 0; i < want.size(); ++i)
        ASSERT_NEAR(got[i], want[i], 1e-5f) << "rows " << rows << " at " << i;
    }
  }
}

TEST(Linear, Int8MatchesReferenceBitForBit) {
  Fixture f;
  auto l = Linear::load(*f.m, "q", 0, 0);
  ASSERT_TRUE(l.ok()) << l.status().message();
  EXPECT_TRUE(l->is_int8());
  EXPECT_EQ(l->in(), kIn);
  EXPECT_EQ(l->out(), kOut);
  auto pool = pool3();
  for (int rows : {1, 3, 17}) {
    const auto x = floats(size_t(rows) * kIn, 20 + rows);
    const auto want = ref_i8(x, rows, f.wq.data(), f.sq.data(), f.bq.data(), kIn, kOut);
    for (ThreadPool* p : {static_cast<ThreadPool*>(nullptr), pool.get()}) {
      const auto got = run(*l, x, rows, p);
      for (size_t i = 0; i < want.size(); ++i)
        ASSERT_EQ(got[i], want[i]) << "rows " << rows << " at " << i;
    }
  }
}

TEST(Linear, Int8PiecesSplitOverThreads) {
  Fixture f;
  auto l = Linear::load(*f.m, "big", 0, 0);
  ASSERT_TRUE(l.ok()) << l.status().message();
  auto pool = pool3();
  for (int rows : {1, 3, 9}) {
    const auto x = floats(size_t(rows) * Fixture::kBigIn, 30 + rows);
    const auto want =
        ref_i8(x, rows, f.wbig.data(), f.sbig.data(), nullptr, Fixture::kBigIn, Fixture::kBigOut);
    EXPECT_EQ(run(*l, x, rows, nullptr), want) << "rows " << rows;
    EXPECT_EQ(run(*l, x, rows, pool.get()), want) << "rows " << rows << " on a pool";
  }
}

TEST(Linear, SummedBiasesAndFlattenedWeight) {
  Fixture f;
  LinearOptions o;
  o.weight = "q.weight";
  o.biases = std::vector<std::string>{"q.bias", "q.bias2"};
  auto l = Linear::load(*f.m, "q", 0, 0, o);
  ASSERT_TRUE(l.ok()) << l.status().message();
  std::vector<float> sum(kOut);
  for (int i = 0; i < kOut; ++i) sum[i] = f.bq[i] + f.b2[i];
  const auto x = floats(size_t(3) * kIn, 40);
  EXPECT_EQ(run(*l, x, 3, nullptr), ref_i8(x, 3, f.wq.data(), f.sq.data(), sum.data(), kIn, kOut));

  o = {};
  o.biases = std::vector<std::string>{};
  o.flatten = true;
  auto conv = Linear::load(*f.m, "conv", 0, 0, o);
  ASSERT_TRUE(conv.ok()) << conv.status().message();
  EXPECT_EQ(conv->in(), kIn);
  const auto want = ref_f32(x, 3, f.wf.data(), nullptr, kIn, kOut);
  const auto got = run(*conv, x, 3, nullptr);
  for (size_t i = 0; i < want.size(); ++i) ASSERT_NEAR(got[i], want[i], 1e-5f);
}

TEST(Linear, RefusesBadTensorsAndShortScratch) {
  Fixture f;
  EXPECT_EQ(Linear::load(*f.m, "f", kIn, kOut + 1).status().code(), StatusCode::kCorruptData);
  EXPECT_EQ(Linear::load(*f.m, "conv", 0, 0).status().code(), StatusCode::kCorruptData);  // 3-D
  EXPECT_EQ(Linear::load(*f.m, "missing", 0, 0).status().code(), StatusCode::kNotFound);
  LinearOptions o;
  o.biases = std::vector<std::string>{"f.nothing"};
  EXPECT_EQ(Linear::load(*f.m, "f", 0, 0, o).status().code(), StatusCode::kNotFound);
  o.biases = std::vector<std::string>{"q.weight.scale", "big.weight.scale"};  // wrong size
  EXPECT_EQ(Linear::load(*f.m, "f", 0, 0, o).status().code(), StatusCode::kCorruptData);
  o = {};
  o.weight = "f.bias";  // a vector
  EXPECT_EQ(Linear::load(*f.m, "f", 0, 0, o).status().code(), StatusCode::kCorruptData);

  auto l = Linear::load(*f.m, "q", 0, 0);
  ASSERT_TRUE(l.ok());
  const auto x = floats(kIn * 3, 50);
  std::vector<float> y(3 * kOut);
  std::vector<unsigned char> scratch(l->scratch_bytes(3) - 1);
  EXPECT_EQ(l->apply(x.data(), 3, y.data(), scratch.data(), scratch.size()).code(),
            StatusCode::kInvalidArgument);
  EXPECT_TRUE(l->apply(x.data(), 0, y.data(), nullptr, 0).ok());
}

}  // namespace
}  // namespace earshot::runtime
