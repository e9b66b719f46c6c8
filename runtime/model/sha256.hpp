// SHA-256 (FIPS 180-4), incremental: the hash trailer of model files and source checksums.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

namespace earshot::model {

using Sha256Digest = std::array<std::uint8_t, 32>;

class Sha256 {
 public:
  Sha256() { reset(); }

  void reset();
  void update(const void* data, std::size_t size);
  // Completes the hash and returns it; the object is reset afterwards.
  Sha256Digest finish();

  static Sha256Digest digest(const void* data, std::size_t size);

 private:
  void compress(const std::uint8_t* blocks, std::size_t count);

  std::array<std::uint32_t, 8> state_;
  std::array<std::uint8_t, 64> buffer_;
  std::size_t buffered_ = 0;
  std::uint64_t total_bytes_ = 0;
};

// Lower-case hexadecimal, 64 characters.
std::string to_hex(const Sha256Digest& digest);

}  // namespace earshot::model
