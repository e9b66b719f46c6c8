// The audio input of a CLI command: a file, "-" (raw PCM on stdin, described by --rate,
// --channels and --format) or a microphone ("alsa:hw:1,0", "pa:default", recorded for
// --seconds). Everything arrives as 16 kHz mono int16.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "earshot/status.hpp"

namespace earshot::cli {

struct AudioInput {
  std::string spec;              // path, "-", "alsa:..." or "pa:..."
  int rate = 16000;              // "-" only
  int channels = 1;              // "-" only
  std::string format = "s16le";  // "-" only: s16le, s32le, f32le, u8
  double seconds = 5.0;          // microphones only
};

// Adds the positional input and its options to `cmd`.
void add_audio_input(CLI::App* cmd, AudioInput& input);

// Reads the whole input as 16 kHz mono int16.
Result<std::vector<int16_t>> read_audio_input(const AudioInput& input);

}  // namespace earshot::cli
