// Writing a model with ModelWriter and reading it back: same metadata, shapes and values, data
// 64-byte aligned, views straight into the file mapping.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <vector>

#include "model_test_util.hpp"

namespace earshot::model {
namespace {

using testing::sample_metadata;
using testing::sample_model_bytes;

std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() /
          (name + "." + std::to_string(::getpid()) + ".esm"))
      .string();
}

TEST(ModelRoundTrip, EveryDtypeAndRank) {
  ModelWriter w(sample_metadata("asr"));
  const std::vector<float> f32 = {1.5f, -2.25f, 3.0e-8f, 1e30f, -0.0f, 7.f};
  const std::vector<std::uint16_t> f16 = {0x3c00, 0xc000, 0x7bff};
  const std::vector<std::int8_t> i8 = {-128, -1, 0, 1, 127};
  const std::vector<std::uint8_t> u8 = {0, 255, 17};
  const std::vector<std::int16_t> i16 = {-32768, 32767, 5, -5};
  const std::vector<std::int32_t> i32 = {-2147483647 - 1, 2147483647};
  const std::vector<std::int64_t> i64 = {INT64_MIN, INT64_MAX, 0};
  ASSERT_TRUE(w.add<float>("a.f32", {2, 3}, f32).ok());
  ASSERT_TRUE(w.add<std::uint16_t>("b.f16", {3}, f16).ok());
  ASSERT_TRUE(w.add<std::int8_t>("c.i8", {5, 1, 1, 1, 1, 1}, i8).ok());
  ASSERT_TRUE(w.add<std::uint8_t>("d.u8", {1, 3}, u8).ok());
  ASSERT_TRUE(w.add<std::int16_t>("e.i16", {2, 2}, i16).ok());
  ASSERT_TRUE(w.add<std::int32_t>("f.i32", {2}, i32).ok());
  ASSERT_TRUE(w.add<std::int64_t>("g.i64", {3}, i64).ok());
  ASSERT_TRUE(w.add<float>("h.empty", {0, 4}, std::span<const float>()).ok());

  const std::string path = temp_path("roundtrip");
  ASSERT_TRUE(w.write_file(path).ok());
  auto m = Model::open(path, {.verify_hash = true, .expected_stage = "asr"});
  ASSERT_TRUE(m.ok()) << m.status().message();
  std::remove(path.c_str());  // the mapping outlives the name

  EXPECT_TRUE(m->hash_verified());
  EXPECT_EQ(m->stage(), "asr");
  EXPECT_EQ(m->metadata(), sample_metadata("asr"));
  ASSERT_EQ(m->tensors().size(), 8u);
  EXPECT_EQ(m->tensors()[0].name, "a.f32");  // table order is kept

  auto expect_values = [&](const char* name, const auto& want, std::vector<std::uint64_t> shape) {
    using T = typename std::decay_t<decltype(want)>::value_type;
    auto t = m->tensor(name);
    ASSERT_TRUE(t.ok()) << name;
    EXPECT_EQ(t->dtype, DTypeOf<T>::value) << name;
    EXPECT_EQ(std::vector<std::uint64_t>(t->shape.span().begin(), t->shape.span().end()), shape);
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(t->data) % 64, 0u) << name;
    EXPECT_EQ(t->offset % 64, 0u) << name;
    auto values = t->template as<T>();
    ASSERT_TRUE(values.ok()) << name;
    EXPECT_EQ(std::vector<T>(values->begin(), values->end()), want) << name;
  };
  expect_values("a.f32", f32, {2, 3});
  expect_values("b.f16", f16, {3});
  expect_values("c.i8", i8, {5, 1, 1, 1, 1, 1});
  expect_values("d.u8", u8, {1, 3});
  expect_values("e.i16", i16, {2, 2});
  expect_values("f.i32", i32, {2});
  expect_values("g.i64", i64, {3});
  expect_values("h.empty", std::vector<float>{}, {0, 4});
}

TEST(ModelRoundTrip, ScalarHasRankZero) {
  auto m = testing::open_bytes(sample_model_bytes());
  ASSERT_TRUE(m.ok()) << m.status().message();
  auto step = m->tensor_as<std::int64_t>("step");
  ASSERT_TRUE(step.ok());
  ASSERT_EQ(step->size(), 1u);
  EXPECT_EQ((*step)[0], -1234567890123);
  EXPECT_EQ(m->find("step")->shape.ndim, 0u);
}

TEST(ModelRoundTrip, MissingTensorIsNotFound) {
  auto m = testing::open_bytes(sample_model_bytes());
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->find("nope"), nullptr);
  auto t = m->tensor("nope");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), StatusCode::kNotFound);
  EXPECT_NE(t.status().message().find("nope"), std::string::npos);
}

TEST(ModelRoundTrip, ViewsPointIntoTheMappingAndSurviveMove) {
  const auto bytes = sample_model_bytes();
  auto m = testing::open_bytes(bytes);
  ASSERT_TRUE(m.ok());
  const void* before = m->find("conv.weight")->data;
  Model moved = std::move(m).value();
  EXPECT_EQ(moved.find("conv.weight")->data, before);
  auto w = moved.tensor_as<float>("conv.weight");
  ASSERT_TRUE(w.ok());
  EXPECT_EQ((*w)[4], 0.25f * 4 - 7.f);
}

TEST(ModelRoundTrip, WriterRefusesBadTensors) {
  ModelWriter w(sample_metadata());
  const float x[2] = {1, 2};
  EXPECT_FALSE(w.add_tensor("", DType::kF32, {2}, x, 8).ok());
  EXPECT_FALSE(w.add_tensor(std::string(96, 'n'), DType::kF32, {2}, x, 8).ok());
  EXPECT_FALSE(w.add_tensor("x", DType::kF32, {3}, x, 8).ok());  // size mismatch
  EXPECT_FALSE(w.add_tensor("x", DType::kF32, {1, 1, 1, 1, 1, 1, 2}, x, 8).ok());
  EXPECT_FALSE(w.add_tensor("x", static_cast<DType>(9), {2}, x, 8).ok());
  EXPECT_FALSE(w.add_tensor("x", DType::kF32, {1ull << 40, 1ull << 40}, x, 8).ok());
  EXPECT_TRUE(w.add_tensor(std::string(95, 'n'), DType::kF32, {2}, x, 8).ok());
  EXPECT_FALSE(w.add_tensor(std::string(95, 'n'), DType::kF32, {2}, x, 8).ok());  // twice
}

TEST(ModelRoundTrip, WriterRefusesMetadataWithoutRequiredKeys) {
  auto meta = sample_metadata();
  meta.erase("converter");
  EXPECT_FALSE(ModelWriter(meta).serialize().ok());
}

}  // namespace
}  // namespace earshot::model
