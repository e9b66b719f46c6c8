#include "features/frame_buffer.hpp"

#include <algorithm>

namespace earshot::features {

FrameBuffer::FrameBuffer(int frame_length, int hop)
    : frame_length_(frame_length), hop_(hop), buf_(static_cast<std::size_t>(frame_length) + 1) {}

bool FrameBuffer::fill(std::span<const int16_t> input, std::size_t* pos) {
  const std::size_t want = buf_.size() - fill_;
  const std::size_t take = std::min(want, input.size() - *pos);
  std::copy_n(input.data() + *pos, take, buf_.data() + fill_);
  fill_ += take;
  *pos += take;
  return fill_ == buf_.size();
}

void FrameBuffer::advance() {
  std::copy(buf_.begin() + hop_, buf_.end(), buf_.begin());
  fill_ -= hop_;
}

std::size_t FrameBuffer::frames_for(std::size_t n) const {
  const std::size_t have = fill_ - 1 + n;
  if (have < static_cast<std::size_t>(frame_length_)) return 0;
  return (have - frame_length_) / hop_ + 1;
}

void FrameBuffer::reset() {
  std::fill(buf_.begin(), buf_.end(), int16_t{0});
  fill_ = 1;
}

}  // namespace earshot::features
