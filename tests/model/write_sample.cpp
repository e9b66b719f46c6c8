// Writes a model with the C++ ModelWriter for tests/model/test_model_python.py, which reads it
// with tools/earshot_model.py and checks every value: model_write_sample OUT.esm
#include <cstdio>
#include <vector>

#include "runtime/model/model_writer.hpp"

namespace {

using earshot::model::ModelWriter;

// Element i of every sample tensor is value(i) converted to the tensor's type.
template <typename T>
std::vector<T> values(std::size_t n, double scale, double bias) {
  std::vector<T> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<T>(static_cast<double>(i) * scale + bias);
  return v;
}

earshot::Status write(const char* path) {
  nlohmann::json meta = {
      {"stage", "kws"},
      {"architecture", "cross-check"},
      {"format_version", 1},
      {"source", {{"package", "earshot"}, {"version", "0"}, {"file", "-"}, {"sha256", ""}}},
      {"converter", {{"tool", "model_write_sample"}, {"version", "1"}}},
      {"note", "ünïcödé ✓"}};
  ModelWriter w(meta);
  const auto f32 = values<float>(15, 0.375, -7);
  const auto f16 = values<std::uint16_t>(15, 1, 0x3c00);  // raw half bits
  const auto i8 = values<std::int8_t>(15, 9, -64);
  const auto u8 = values<std::uint8_t>(15, 17, 3);
  const auto i16 = values<std::int16_t>(15, 1000, -7000);
  const auto i32 = values<std::int32_t>(15, 100000, -700000);
  const auto i64 = values<std::int64_t>(15, 1e12, -7e12);
  EARSHOT_RETURN_IF_ERROR(w.add<float>("t.f32", {3, 5}, f32));
  EARSHOT_RETURN_IF_ERROR(w.add<std::uint16_t>("t.f16", {3, 5}, f16));
  EARSHOT_RETURN_IF_ERROR(w.add<std::int8_t>("t.i8", {3, 5}, i8));
  EARSHOT_RETURN_IF_ERROR(w.add<std::uint8_t>("t.u8", {15}, u8));
  EARSHOT_RETURN_IF_ERROR(w.add<std::int16_t>("t.i16", {1, 3, 5}, i16));
  EARSHOT_RETURN_IF_ERROR(w.add<std::int32_t>("t.i32", {5, 3}, i32));
  EARSHOT_RETURN_IF_ERROR(w.add<std::int64_t>("t.i64", {15, 1}, i64));
  EARSHOT_RETURN_IF_ERROR(w.add<float>("t.scalar", {}, std::span<const float>(f32.data(), 1)));
  EARSHOT_RETURN_IF_ERROR(w.add<float>("t.empty", {0, 3}, std::span<const float>()));
  return w.write_file(path);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: model_write_sample OUT.esm\n");
    return 2;
  }
  const earshot::Status st = write(argv[1]);
  if (!st.ok()) {
    std::fprintf(stderr, "model_write_sample: %s\n", st.message().c_str());
    return 1;
  }
  return 0;
}
