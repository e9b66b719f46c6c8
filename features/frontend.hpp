// The shape every streaming feature frontend shares, so the CLI, the tests and the pipeline
// can drive any of them: push 16 kHz mono int16 samples in chunks of any size, get whole
// frames out. Feeding a file in random-sized chunks gives the same frames as feeding it whole.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "earshot/status.hpp"

namespace earshot::features {

class StreamingFrontend {
 public:
  virtual ~StreamingFrontend() = default;

  virtual const char* name() const = 0;         // "mfcc", "kws", "whisper-mel"
  virtual std::size_t frame_size() const = 0;   // feature values per frame
  virtual std::size_t hop_samples() const = 0;  // samples per frame step (160 = 10 ms)

  // Consumes `samples` and writes every frame it completes to `out` as real-valued features
  // (integer frontends convert their native fixed-point output; `frame_scale()` says how).
  // `out` must hold at least max_frames_for(samples.size()) * frame_size() values. Returns the
  // number of frames written. Does not allocate.
  virtual std::size_t push(std::span<const int16_t> samples, std::span<float> out) = 0;

  // Frames that push() of `n` more samples can produce at most.
  virtual std::size_t max_frames_for(std::size_t n) const = 0;

  // The value a native fixed-point output unit is worth in push()'s float output (1 for
  // float frontends).
  virtual double frame_scale() const { return 1.0; }

  // Ends the stream: writes the frames that could only be computed once the end of the audio
  // is known (Whisper's reflect padding) and then resets. Most frontends have none. `out`
  // must hold max_flush_frames() * frame_size() values. Does not allocate.
  virtual std::size_t flush(std::span<float> out) {
    (void)out;
    reset();
    return 0;
  }
  virtual std::size_t max_flush_frames() const { return 0; }

  virtual void reset() = 0;
};

}  // namespace earshot::features
