// Real speech for the feature tests: Debian's pocketsphinx-testdata recordings (all librivox
// WAVs, the cards WAVs and the 16 kHz raw files), as 16 kHz mono int16.
#pragma once

#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

#include "audio/audio_file.hpp"

namespace earshot::features::test {

inline std::vector<std::string> speech_files() {
  const std::string d = EARSHOT_SPEECH_DIR;
  return {d + "/librivox/sense_and_sensibility_01_austen_64kb-0870.wav",
          d + "/librivox/sense_and_sensibility_01_austen_64kb-0880.wav",
          d + "/librivox/sense_and_sensibility_01_austen_64kb-0890.wav",
          d + "/librivox/sense_and_sensibility_01_austen_64kb-0920.wav",
          d + "/librivox/sense_and_sensibility_01_austen_64kb-0930.wav",
          d + "/cards/001.wav",
          d + "/cards/003.wav",
          d + "/goforward.raw",
          d + "/numbers.raw"};
}

// .raw files are headerless 16 kHz s16le mono; everything else goes through libsndfile.
inline std::vector<int16_t> load_speech(const std::string& path) {
  if (path.size() > 4 && path.compare(path.size() - 4, 4, ".raw") == 0) {
    std::ifstream in(path, std::ios::binary);
    std::vector<char> bytes((std::istreambuf_iterator<char>(in)), {});
    std::vector<int16_t> s(bytes.size() / 2);
    for (std::size_t i = 0; i < s.size(); ++i) {
      s[i] = static_cast<int16_t>(static_cast<uint8_t>(bytes[2 * i]) |
                                  (static_cast<uint8_t>(bytes[2 * i + 1]) << 8));
    }
    return s;
  }
  auto r = audio::read_mono16k(path);
  return r.ok() ? std::move(r.value()) : std::vector<int16_t>{};
}

}  // namespace earshot::features::test
