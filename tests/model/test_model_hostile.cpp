// Hostile and broken model files: each is refused with an error naming the problem, never a
// crash. The structural cases rehash the file so the check under test is the one that fires.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "model_test_util.hpp"

namespace earshot::model {
namespace {

namespace h = format::header;
namespace e = format::entry;
using testing::entry_at;
using testing::get_u64;
using testing::put_u32;
using testing::put_u64;
using testing::rehash;

class ModelHostile : public ::testing::Test {
 protected:
  void SetUp() override { bytes_ = testing::sample_model_bytes(); }

  // Opens bytes_ (after rehashing, unless told not to) and expects `code` with `needle` in the
  // message, which must also name the file.
  void expect_refused(StatusCode code, const std::string& needle, OpenOptions options = {},
                      bool fix_hash = true) {
    if (fix_hash && bytes_.size() >= 96) rehash(bytes_);
    auto m = testing::open_bytes(bytes_, options);
    ASSERT_FALSE(m.ok()) << "accepted; expected: " << needle;
    EXPECT_EQ(m.status().code(), code) << m.status().message();
    EXPECT_NE(m.status().message().find(needle), std::string::npos) << m.status().message();
    EXPECT_EQ(m.status().message().rfind("sample.esm: ", 0), 0u) << m.status().message();
  }

  // Replaces the metadata text, padded with JSON whitespace to the same size.
  void set_meta(const std::string& text) {
    const auto size = static_cast<std::size_t>(get_u64(bytes_, h::kMetaSize));
    ASSERT_LE(text.size(), size);
    std::string padded = text + std::string(size - text.size(), ' ');
    std::memcpy(bytes_.data() + 64, padded.data(), size);
  }
  void set_meta(const nlohmann::json& meta) { set_meta(meta.dump()); }

  std::size_t entry(std::size_t i) const { return entry_at(bytes_, i); }

  std::vector<std::uint8_t> bytes_;
};

TEST_F(ModelHostile, SampleIsValid) {
  auto m = testing::open_bytes(bytes_);
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ(m->tensors().size(), 3u);
}

TEST_F(ModelHostile, EmptyFile) {
  const std::string path =
      (std::filesystem::temp_directory_path() / ("empty." + std::to_string(::getpid()) + ".esm"))
          .string();
  { std::ofstream touch(path); }
  auto m = Model::open(path);
  std::remove(path.c_str());
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), StatusCode::kCorruptData);
  EXPECT_NE(m.status().message().find(path + ": file is empty"), std::string::npos);

  auto mem = Model::from_memory(nullptr, 0);
  EXPECT_EQ(mem.status().code(), StatusCode::kCorruptData);
}

TEST_F(ModelHostile, MissingFileIsNotFound) {
  auto m = Model::open("/nonexistent/earshot/model.esm");
  EXPECT_EQ(m.status().code(), StatusCode::kNotFound);
  EXPECT_NE(m.status().message().find("/nonexistent/earshot/model.esm"), std::string::npos);
}

TEST_F(ModelHostile, DirectoryIsRefused) {
  auto m = Model::open(std::filesystem::temp_directory_path().string());
  EXPECT_EQ(m.status().code(), StatusCode::kInvalidArgument);
}

TEST_F(ModelHostile, ShorterThanHeader) {
  bytes_.resize(50);
  expect_refused(StatusCode::kCorruptData, "smaller than header + hash", {}, false);
}

TEST_F(ModelHostile, BadMagic) {
  bytes_[0] = 'X';
  expect_refused(StatusCode::kCorruptData, "bad magic");
}

TEST_F(ModelHostile, WrongVersion) {
  put_u32(bytes_, h::kVersion, 2);
  expect_refused(StatusCode::kUnsupported, "format version 2");
}

TEST_F(ModelHostile, HeaderSizeWrong) {
  put_u32(bytes_, h::kHeaderSize, 72);
  expect_refused(StatusCode::kCorruptData, "header_size is 72");
}

TEST_F(ModelHostile, TruncatedFile) {
  bytes_.resize(bytes_.size() - 1);
  expect_refused(StatusCode::kCorruptData, "truncated", {}, false);
}

TEST_F(ModelHostile, AppendedBytes) {
  bytes_.push_back(0);
  expect_refused(StatusCode::kCorruptData, "appended");
}

TEST_F(ModelHostile, MetaOffsetWrong) {
  put_u64(bytes_, h::kMetaOffset, 128);
  expect_refused(StatusCode::kCorruptData, "meta_offset is 128");
}

TEST_F(ModelHostile, MetaSizeZero) {
  put_u64(bytes_, h::kMetaSize, 0);
  expect_refused(StatusCode::kCorruptData, "meta_size is 0");
}

TEST_F(ModelHostile, MetaPastEnd) {
  put_u64(bytes_, h::kMetaSize, bytes_.size());
  expect_refused(StatusCode::kCorruptData, "runs past table_offset");
}

TEST_F(ModelHostile, MetaSizeHuge) {
  put_u64(bytes_, h::kMetaSize, UINT64_MAX);
  expect_refused(StatusCode::kCorruptData, "runs past table_offset");
}

TEST_F(ModelHostile, TableOffsetUnaligned) {
  put_u64(bytes_, h::kTableOffset, get_u64(bytes_, h::kTableOffset) + 4);
  expect_refused(StatusCode::kCorruptData, "not a multiple of 8");
}

TEST_F(ModelHostile, FlagsNonZero) {
  put_u32(bytes_, h::kFlags, 1);
  expect_refused(StatusCode::kCorruptData, "flags is 1");
}

TEST_F(ModelHostile, InvalidJson) {
  bytes_[64] = '#';
  expect_refused(StatusCode::kCorruptData, "metadata is not valid UTF-8 JSON");
}

TEST_F(ModelHostile, InvalidUtf8InJson) {
  set_meta(std::string("{\"stage\": \"v\xff\"}"));
  expect_refused(StatusCode::kCorruptData, "metadata is not valid UTF-8 JSON");
}

TEST_F(ModelHostile, JsonNotAnObject) {
  set_meta(std::string("[1, 2, 3]"));
  expect_refused(StatusCode::kCorruptData, "not a JSON object");
}

TEST_F(ModelHostile, JsonMissingKeys) {
  for (const char* key : {"stage", "architecture", "format_version", "source", "converter"}) {
    SCOPED_TRACE(key);
    auto meta = testing::sample_metadata();
    meta.erase(key);
    set_meta(meta);
    expect_refused(StatusCode::kCorruptData, std::string("lacks the required key '") + key);
  }
}

TEST_F(ModelHostile, JsonSourceMissingKey) {
  auto meta = testing::sample_metadata();
  meta["source"].erase("sha256");
  set_meta(meta);
  expect_refused(StatusCode::kCorruptData, "source lacks 'sha256'");
}

TEST_F(ModelHostile, JsonBadValues) {
  auto meta = testing::sample_metadata();
  meta["stage"] = "tts";
  set_meta(meta);
  expect_refused(StatusCode::kCorruptData, "is not one of");
  meta = testing::sample_metadata();
  meta["format_version"] = 2;
  set_meta(meta);
  expect_refused(StatusCode::kCorruptData, "format_version is 2");
  meta = testing::sample_metadata();
  meta["architecture"] = "";
  set_meta(meta);
  expect_refused(StatusCode::kCorruptData, "architecture");
  meta = testing::sample_metadata();
  meta["converter"] = "";
  set_meta(meta);
  expect_refused(StatusCode::kCorruptData, "'converter' is empty");
}

TEST_F(ModelHostile, WrongStage) {
  expect_refused(StatusCode::kInvalidArgument, "model is for stage 'vad', expected 'kws'",
                 {.expected_stage = "kws"});
}

TEST_F(ModelHostile, TensorCountHuge) {
  put_u32(bytes_, h::kTensorCount, 0xFFFFFFFFu);
  expect_refused(StatusCode::kCorruptData, "tensor_count 4294967295 exceeds 65536");
}

TEST_F(ModelHostile, TablePastEnd) {
  put_u32(bytes_, h::kTensorCount, 65536);
  expect_refused(StatusCode::kCorruptData, "tensor table");
}

TEST_F(ModelHostile, DataOffsetUnaligned) {
  put_u64(bytes_, h::kDataOffset, get_u64(bytes_, h::kDataOffset) + 8);
  expect_refused(StatusCode::kCorruptData, "data_offset");
}

TEST_F(ModelHostile, DataOffsetInsideTable) {
  put_u64(bytes_, h::kDataOffset, get_u64(bytes_, h::kTableOffset) / 64 * 64);
  expect_refused(StatusCode::kCorruptData, "overlaps the tensor table");
}

TEST_F(ModelHostile, DataOffsetPastEnd) {
  put_u64(bytes_, h::kDataOffset, (bytes_.size() + 64) / 64 * 64);
  expect_refused(StatusCode::kCorruptData, "past the end of the data");
}

TEST_F(ModelHostile, NameNotNulTerminated) {
  std::memset(bytes_.data() + entry(1) + e::kName, 'a', format::kNameSize);
  expect_refused(StatusCode::kCorruptData, "tensor 1: name is not NUL-terminated");
}

TEST_F(ModelHostile, NameEmpty) {
  std::memset(bytes_.data() + entry(0) + e::kName, 0, format::kNameSize);
  expect_refused(StatusCode::kCorruptData, "tensor 0: name is empty");
}

TEST_F(ModelHostile, NameNotNulPadded) {
  bytes_[entry(0) + e::kName + 90] = 'x';
  expect_refused(StatusCode::kCorruptData, "tensor 0: name is not NUL-padded");
}

TEST_F(ModelHostile, NameNotUtf8) {
  bytes_[entry(0) + e::kName] = 0xC0;  // an overlong form's lead byte
  expect_refused(StatusCode::kCorruptData, "tensor 0: name is not UTF-8");
}

TEST_F(ModelHostile, DuplicateNames) {
  std::memcpy(bytes_.data() + entry(2) + e::kName, bytes_.data() + entry(0) + e::kName,
              format::kNameSize);
  expect_refused(StatusCode::kCorruptData, "tensor 'conv.weight' appears twice");
}

TEST_F(ModelHostile, UnknownDtype) {
  put_u32(bytes_, entry(0) + e::kDtype, 7);
  expect_refused(StatusCode::kCorruptData, "unknown dtype code 7");
}

TEST_F(ModelHostile, Ndim7) {
  put_u32(bytes_, entry(0) + e::kNdim, 7);
  expect_refused(StatusCode::kCorruptData, "ndim 7 exceeds 6");
}

TEST_F(ModelHostile, DimPastNdimNotZero) {
  put_u64(bytes_, entry(0) + e::kShape + 8 * 5, 1);
  expect_refused(StatusCode::kCorruptData, "dims past ndim are not 0");
}

TEST_F(ModelHostile, ShapeProductOverflow) {
  put_u32(bytes_, entry(0) + e::kNdim, 2);
  put_u64(bytes_, entry(0) + e::kShape, 1ull << 40);
  put_u64(bytes_, entry(0) + e::kShape + 8, 1ull << 40);
  put_u64(bytes_, entry(0) + e::kShape + 16, 0);
  expect_refused(StatusCode::kCorruptData, "overflows");
}

TEST_F(ModelHostile, ElementsTimesSizeOverflow) {
  // 2^62 f32 elements fit in u64, their 2^64 bytes do not.
  put_u32(bytes_, entry(0) + e::kNdim, 1);
  put_u64(bytes_, entry(0) + e::kShape, 1ull << 62);
  put_u64(bytes_, entry(0) + e::kShape + 8, 0);
  put_u64(bytes_, entry(0) + e::kShape + 16, 0);
  expect_refused(StatusCode::kCorruptData, "overflows");
}

TEST_F(ModelHostile, NbytesMismatch) {
  put_u64(bytes_, entry(0) + e::kNbytes, get_u64(bytes_, entry(0) + e::kNbytes) + 4);
  expect_refused(StatusCode::kCorruptData, "shape and dtype give 480 bytes, entry says 484");
}

TEST_F(ModelHostile, OffsetUnaligned) {
  put_u64(bytes_, entry(1) + e::kOffset, get_u64(bytes_, entry(1) + e::kOffset) + 1);
  expect_refused(StatusCode::kCorruptData, "is not a multiple of 64");
}

TEST_F(ModelHostile, OffsetPastEnd) {
  put_u64(bytes_, entry(1) + e::kOffset, (bytes_.size() + 64) / 64 * 64);
  expect_refused(StatusCode::kCorruptData, "runs past the data end");
}

TEST_F(ModelHostile, OffsetIntoHashTrailer) {
  // fc.weight (37 bytes) moved to the last 64-byte boundary: it would cover the trailer.
  put_u64(bytes_, entry(1) + e::kOffset, (bytes_.size() - 33) / 64 * 64);
  expect_refused(StatusCode::kCorruptData, "runs past the data end");
}

TEST_F(ModelHostile, OffsetPlusNbytesOverflow) {
  put_u64(bytes_, entry(1) + e::kOffset, UINT64_MAX & ~std::uint64_t{63});
  expect_refused(StatusCode::kCorruptData, "runs past the data end");
}

TEST_F(ModelHostile, NbytesMaxOverflow) {
  // u8 [UINT64_MAX]: the shape is consistent, offset + nbytes wraps.
  put_u32(bytes_, entry(1) + e::kDtype, 3);
  put_u64(bytes_, entry(1) + e::kShape, UINT64_MAX);
  put_u64(bytes_, entry(1) + e::kNbytes, UINT64_MAX);
  expect_refused(StatusCode::kCorruptData, "runs past the data end");
}

TEST_F(ModelHostile, OverlappingTensors) {
  put_u64(bytes_, entry(1) + e::kOffset, get_u64(bytes_, entry(0) + e::kOffset) + 64);
  expect_refused(StatusCode::kCorruptData, "tensors 'conv.weight' and 'fc.weight' overlap");
}

TEST_F(ModelHostile, TensorInsideHeader) {
  put_u64(bytes_, entry(0) + e::kOffset, 0);
  expect_refused(StatusCode::kCorruptData, "is before data_offset");
}

TEST_F(ModelHostile, TensorInsideTable) {
  put_u64(bytes_, entry(0) + e::kOffset, get_u64(bytes_, h::kTableOffset) / 64 * 64);
  expect_refused(StatusCode::kCorruptData, "is before data_offset");
}

TEST_F(ModelHostile, HashMismatch) {
  const auto at = static_cast<std::size_t>(get_u64(bytes_, entry(0) + e::kOffset)) + 5;
  bytes_[at] ^= 0x01;
  expect_refused(StatusCode::kCorruptData, "SHA-256 mismatch", {}, false);
  // Without verification the structure is still sound, so it opens.
  auto m = testing::open_bytes(bytes_, {.verify_hash = false, .expected_stage = {}});
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_FALSE(m->hash_verified());
}

TEST_F(ModelHostile, HashTrailerFlipped) {
  bytes_.back() ^= 0x80;
  expect_refused(StatusCode::kCorruptData, "SHA-256 mismatch", {}, false);
}

TEST_F(ModelHostile, WrongDtypeAccess) {
  auto m = testing::open_bytes(bytes_);
  ASSERT_TRUE(m.ok());
  auto as_i8 = m->tensor_as<std::int8_t>("conv.weight");
  ASSERT_FALSE(as_i8.ok());
  EXPECT_EQ(as_i8.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(as_i8.status().message().find("is f32, read as i8"), std::string::npos);
  EXPECT_FALSE(m->tensor_as<std::uint16_t>("fc.weight").ok());
  EXPECT_TRUE(m->tensor_as<std::int8_t>("fc.weight").ok());
}

}  // namespace
}  // namespace earshot::model
