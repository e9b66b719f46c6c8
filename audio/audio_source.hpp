// The one interface every audio source has (file, stdin, ALSA, PortAudio): start it, then
// read 10 ms blocks of 16 kHz mono int16 until it ends, fails or is stopped.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "audio/sample_format.hpp"
#include "earshot/status.hpp"

namespace earshot::audio {

class AudioSource {
 public:
  virtual ~AudioSource() = default;

  // Begins capture or playback. Calling it twice is an error.
  virtual Status start() = 0;
  // Stops the producer; later reads return what was already captured, then 0. Idempotent.
  virtual void stop() = 0;
  // Writes the next block, kBlockSamples (160) samples, to `block`, waiting for it when the
  // source is live. Returns the samples written: 160, fewer for the last block of a finite
  // source, 0 at the end or after stop(). A device that fails, vanishes or goes silent gives
  // DeviceError rather than a hang.
  virtual Result<std::size_t> read_block(std::int16_t* block) = 0;

  // What this source is, e.g. "alsa:hw:1,0 (USB Audio, 48000 Hz, 2 ch)".
  virtual std::string description() const = 0;
  // Input frames dropped because the reader fell behind (live sources only).
  virtual std::uint64_t overruns() const { return 0; }
};

}  // namespace earshot::audio
