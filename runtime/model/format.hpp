// The byte layout of the earshot model file (.esm, docs/model-format.md): field offsets,
// limits, and little-endian load/store helpers shared by the reader and the writer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace earshot::model::format {

inline constexpr char kMagic[8] = {'E', 'A', 'R', 'S', 'H', 'O', 'T', '\0'};
inline constexpr std::uint32_t kVersion = 1;
inline constexpr std::uint64_t kHeaderSize = 64;
inline constexpr std::uint64_t kHashSize = 32;
inline constexpr std::uint64_t kEntrySize = 168;
inline constexpr std::uint64_t kTableAlign = 8;
inline constexpr std::uint64_t kDataAlign = 64;
inline constexpr std::uint32_t kMaxTensors = 65536;
inline constexpr std::uint32_t kMaxDims = 6;
inline constexpr std::size_t kNameSize = 96;

// Header field offsets.
namespace header {
inline constexpr std::size_t kMagic = 0;
inline constexpr std::size_t kVersion = 8;
inline constexpr std::size_t kHeaderSize = 12;
inline constexpr std::size_t kFileSize = 16;
inline constexpr std::size_t kMetaOffset = 24;
inline constexpr std::size_t kMetaSize = 32;
inline constexpr std::size_t kTableOffset = 40;
inline constexpr std::size_t kTensorCount = 48;
inline constexpr std::size_t kFlags = 52;
inline constexpr std::size_t kDataOffset = 56;
}  // namespace header

// Tensor table entry field offsets.
namespace entry {
inline constexpr std::size_t kName = 0;
inline constexpr std::size_t kDtype = 96;
inline constexpr std::size_t kNdim = 100;
inline constexpr std::size_t kShape = 104;
inline constexpr std::size_t kOffset = 152;
inline constexpr std::size_t kNbytes = 160;
}  // namespace entry

// Byte-wise so the format reads the same on any host endianness and any alignment.
inline std::uint32_t load_u32(const unsigned char* p) {
  return std::uint32_t{p[0]} | std::uint32_t{p[1]} << 8 | std::uint32_t{p[2]} << 16 |
         std::uint32_t{p[3]} << 24;
}
inline std::uint64_t load_u64(const unsigned char* p) {
  return std::uint64_t{load_u32(p)} | std::uint64_t{load_u32(p + 4)} << 32;
}
inline void store_u32(unsigned char* p, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<unsigned char>(v >> (8 * i));
}
inline void store_u64(unsigned char* p, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<unsigned char>(v >> (8 * i));
}

// Rounds `v` up to a multiple of the power of two `align`; false when that overflows.
inline bool align_up(std::uint64_t v, std::uint64_t align, std::uint64_t* out) {
  const std::uint64_t r = v + (align - 1);
  if (r < v) return false;
  *out = r & ~(align - 1);
  return true;
}

}  // namespace earshot::model::format
