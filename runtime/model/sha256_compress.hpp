// The SHA-256 block functions behind Sha256: the portable reference and, on x86-64 CPUs with
// the SHA extensions, a SHA-NI version (about 5x faster); picked once at first use.
#pragma once

#include <cstddef>
#include <cstdint>

namespace earshot::model::detail {

extern const std::uint32_t kSha256Round[64];

// Runs `count` 64-byte blocks through the compression function, updating `state`.
using Sha256CompressFn = void (*)(std::uint32_t state[8], const std::uint8_t* blocks,
                                  std::size_t count);
void sha256_compress_ref(std::uint32_t state[8], const std::uint8_t* blocks, std::size_t count);
// nullptr when this CPU (or this build) has no SHA-NI version.
Sha256CompressFn sha256_compress_shani();
// The fastest available, chosen once.
Sha256CompressFn sha256_compress_best();

}  // namespace earshot::model::detail
