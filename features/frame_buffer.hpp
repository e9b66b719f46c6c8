// Overlapping-frame buffer for the streaming frontends: collects pushed samples and hands out
// whole frames of `frame_length` samples every `hop` samples, plus the one sample before each
// frame (pre-emphasis needs it; 0 before the first frame). Chunk boundaries never matter:
// any split of the input yields the same frames. Allocates only in the constructor.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace earshot::features {

class FrameBuffer {
 public:
  FrameBuffer(int frame_length, int hop);

  // Copies samples from `input` starting at `*pos` until a frame is complete or the input is
  // used up; advances `*pos`. Returns true when frame() holds a complete frame.
  bool fill(std::span<const int16_t> input, std::size_t* pos);

  // frame_length + 1 samples: [0] is the sample before the frame, [1..] the frame.
  const int16_t* frame_with_previous() const { return buf_.data(); }

  // Drops the first `hop` samples of the current frame (call after using a complete frame).
  void advance();

  // Frames that `n` more samples complete, given what is buffered now.
  std::size_t frames_for(std::size_t n) const;

  void reset();

 private:
  int frame_length_;
  int hop_;
  std::vector<int16_t> buf_;
  std::size_t fill_ = 1;  // buf_[0] (the previous sample) always counts
};

}  // namespace earshot::features
