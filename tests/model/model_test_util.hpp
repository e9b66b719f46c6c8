// Shared by the model-format tests: a valid sample model and helpers to patch its bytes.
#pragma once

#include <cstdint>
#include <cstring>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "runtime/model/format.hpp"
#include "runtime/model/model_file.hpp"
#include "runtime/model/model_writer.hpp"
#include "runtime/model/sha256.hpp"

namespace earshot::model::testing {

inline nlohmann::json sample_metadata(const std::string& stage = "vad") {
  return {{"stage", stage},
          {"architecture", "test-net"},
          {"format_version", 1},
          {"source",
           {{"package", "earshot-tests"},
            {"version", "1"},
            {"file", "none"},
            {"sha256", std::string(64, '0')}}},
          {"converter", "tests/model"},
          {"quantization", "f32"}};
}

// Three tensors of different dtypes and ranks, values that depend on their index.
inline std::vector<std::uint8_t> sample_model_bytes() {
  ModelWriter w(sample_metadata());
  std::vector<float> weight(8 * 3 * 5);
  for (std::size_t i = 0; i < weight.size(); ++i) weight[i] = 0.25f * static_cast<float>(i) - 7.f;
  std::vector<std::int8_t> q(37);
  for (std::size_t i = 0; i < q.size(); ++i) q[i] = static_cast<std::int8_t>(3 * i - 60);
  const std::int64_t scalar = -1234567890123;
  (void)w.add_tensor("conv.weight", DType::kF32, {8, 3, 5}, weight.data(), weight.size() * 4);
  (void)w.add_tensor("fc.weight", DType::kI8, {37}, q.data(), q.size());
  (void)w.add_tensor("step", DType::kI64, {}, &scalar, sizeof(scalar));
  return std::move(w.serialize()).value();
}

inline void put_u32(std::vector<std::uint8_t>& b, std::size_t at, std::uint32_t v) {
  format::store_u32(b.data() + at, v);
}
inline void put_u64(std::vector<std::uint8_t>& b, std::size_t at, std::uint64_t v) {
  format::store_u64(b.data() + at, v);
}
inline std::uint64_t get_u64(const std::vector<std::uint8_t>& b, std::size_t at) {
  return format::load_u64(b.data() + at);
}

// Recomputes the trailer so only the structural problem under test remains.
inline void rehash(std::vector<std::uint8_t>& b) {
  const std::size_t payload = b.size() - format::kHashSize;
  const Sha256Digest d = Sha256::digest(b.data(), payload);
  std::memcpy(b.data() + payload, d.data(), d.size());
}

// Byte offset of table entry `i` of a model held in `b`.
inline std::size_t entry_at(const std::vector<std::uint8_t>& b, std::size_t i) {
  return static_cast<std::size_t>(get_u64(b, format::header::kTableOffset)) +
         format::kEntrySize * i;
}

inline Result<Model> open_bytes(const std::vector<std::uint8_t>& b, OpenOptions options = {}) {
  return Model::from_memory(b.data(), b.size(), options, "sample.esm");
}

}  // namespace earshot::model::testing
