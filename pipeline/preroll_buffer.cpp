#include "pipeline/preroll_buffer.hpp"

#include <algorithm>

namespace earshot::pipeline {

void PrerollBuffer::write(std::span<const int16_t> samples) noexcept {
  const size_t cap = data_.size();
  end_ += static_cast<int64_t>(samples.size());
  if (samples.size() >= cap) samples = samples.last(cap);
  const size_t a = std::min(samples.size(), cap - pos_);
  std::copy_n(samples.data(), a, data_.data() + pos_);
  std::copy_n(samples.data() + a, samples.size() - a, data_.data());
  pos_ = (pos_ + samples.size()) % cap;
  fill_ = std::min(cap, fill_ + samples.size());
}

void PrerollBuffer::reset(int64_t origin) noexcept {
  pos_ = 0;
  fill_ = 0;
  end_ = origin;
}

}  // namespace earshot::pipeline
