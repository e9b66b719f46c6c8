// SHA-256 against the FIPS 180-4 / NIST example vectors, in one call and in odd-sized pieces.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "runtime/model/sha256.hpp"
#include "runtime/model/sha256_compress.hpp"

namespace earshot::model {
namespace {

std::string hex_of(const std::string& s) {
  return to_hex(Sha256::digest(s.data(), s.size()));
}

TEST(Sha256, EmptyString) {
  EXPECT_EQ(hex_of(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Sha256, Abc) {
  EXPECT_EQ(hex_of("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256, TwoBlockMessage448Bits) {
  EXPECT_EQ(hex_of("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256, Message896Bits) {
  EXPECT_EQ(hex_of("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnop"
                   "qklmnopqrlmnopqrsmnopqrstnopqrstu"),
            "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

TEST(Sha256, MillionA) {
  EXPECT_EQ(hex_of(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256, PiecewiseEqualsOneShot) {
  std::string msg(1000, '\0');
  for (std::size_t i = 0; i < msg.size(); ++i) msg[i] = static_cast<char>(i * 131 + 7);
  const Sha256Digest whole = Sha256::digest(msg.data(), msg.size());
  for (std::size_t piece : {1u, 3u, 55u, 56u, 63u, 64u, 65u, 127u, 999u}) {
    Sha256 h;
    for (std::size_t at = 0; at < msg.size(); at += piece) {
      h.update(msg.data() + at, std::min(piece, msg.size() - at));
    }
    EXPECT_EQ(h.finish(), whole) << "piece " << piece;
  }
}

TEST(Sha256, PaddingBoundaries) {
  // Lengths around the 55/56/64-byte padding edges, against values from Python's hashlib.
  EXPECT_EQ(hex_of(std::string(55, 'a')),
            "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
  EXPECT_EQ(hex_of(std::string(56, 'a')),
            "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
  EXPECT_EQ(hex_of(std::string(64, 'a')),
            "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
}

TEST(Sha256, FinishResets) {
  Sha256 h;
  h.update("abc", 3);
  (void)h.finish();
  h.update("abc", 3);
  EXPECT_EQ(to_hex(h.finish()), hex_of("abc"));
}

TEST(Sha256, ShaNiMatchesReference) {
  const detail::Sha256CompressFn shani = detail::sha256_compress_shani();
  if (shani == nullptr) GTEST_SKIP() << "this CPU has no SHA extensions";
  std::mt19937 rng(99);
  for (std::size_t count : {1u, 2u, 3u, 7u, 16u, 33u}) {
    std::vector<std::uint8_t> blocks(64 * count);
    for (auto& b : blocks) b = static_cast<std::uint8_t>(rng());
    std::uint32_t ref[8], fast[8];
    for (int i = 0; i < 8; ++i) ref[i] = fast[i] = static_cast<std::uint32_t>(rng());
    detail::sha256_compress_ref(ref, blocks.data(), count);
    shani(fast, blocks.data(), count);
    EXPECT_EQ(std::vector<std::uint32_t>(ref, ref + 8), std::vector<std::uint32_t>(fast, fast + 8))
        << count << " blocks";
  }
}

TEST(Sha256, ReferenceGivesTheAbcVector) {
  // "abc" padded to one block, straight through the scalar reference.
  std::uint8_t block[64] = {'a', 'b', 'c', 0x80};
  block[63] = 24;
  std::uint32_t state[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                            0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  detail::sha256_compress_ref(state, block, 1);
  EXPECT_EQ(state[0], 0xba7816bfu);
  EXPECT_EQ(state[7], 0xf20015adu);
}

}  // namespace
}  // namespace earshot::model
