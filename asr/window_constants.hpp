// Whisper's fixed time grid, shared by the transcriber's files.
#pragma once

#include <string>

namespace earshot::asr::detail {

inline constexpr int kWindowFrames = 3000;  // 30 s of mel frames
inline constexpr double kFrameSeconds = 0.01;
inline constexpr double kTimePrecision = 0.02;  // seconds per timestamp token
inline constexpr int kInputStride = 2;          // mel frames per encoder output frame
inline constexpr int kSamplesPerFrame = 160;    // 16 kHz samples per mel frame

inline std::string trim(const std::string& s) {
  const size_t b = s.find_first_not_of(" \t\n");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\n") - b + 1);
}

}  // namespace earshot::asr::detail
