// Shared by the ASR tests: converted model paths and raw 16 kHz speech fixtures.
#pragma once

#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace earshot::asr::test {

// `<cache>/models/<name>`, e.g. "whisper-tiny.en.int8.esm".
inline std::string cached_model(const std::string& name) {
  return std::string(EARSHOT_CACHE_DIR) + "/models/" + name;
}

// A headerless s16le file (pocketsphinx-testdata's *.raw), empty if unreadable.
inline std::vector<int16_t> read_raw(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::vector<char> b((std::istreambuf_iterator<char>(f)), {});
  std::vector<int16_t> s(b.size() / 2);
  std::memcpy(s.data(), b.data(), s.size() * 2);
  return s;
}

}  // namespace earshot::asr::test
