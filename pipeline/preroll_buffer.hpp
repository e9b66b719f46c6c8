// The last few seconds of audio, kept so that a stage switched on late hears what woke it:
// the wake word that began while tier 0 was still deciding, and the command that followed the
// wake word without a pause. Fixed storage; write() and read() never allocate.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace earshot::pipeline {

class PrerollBuffer {
 public:
  explicit PrerollBuffer(size_t capacity) : data_(capacity > 0 ? capacity : 1) {}

  // Appends audio; the oldest is overwritten once full.
  void write(std::span<const int16_t> samples) noexcept;
  // Stream time of the sample after the newest one (= samples written so far + origin).
  int64_t end() const noexcept { return end_; }
  // Stream time of the oldest sample held.
  int64_t begin() const noexcept { return end_ - static_cast<int64_t>(fill_); }
  // Calls fn(span) for the held audio from stream time `from` (clamped to begin()) to end(),
  // oldest first, in at most two spans.
  template <typename Fn>
  void read(int64_t from, Fn&& fn) const {
    if (from < begin()) from = begin();
    if (from >= end_) return;
    const size_t n = static_cast<size_t>(end_ - from);
    const size_t cap = data_.size();
    const size_t start = (pos_ + cap - n) % cap;
    const size_t a = n < cap - start ? n : cap - start;
    fn(std::span<const int16_t>(data_.data() + start, a), from);
    if (n > a) fn(std::span<const int16_t>(data_.data(), n - a), from + static_cast<int64_t>(a));
  }
  // Forgets the audio; the next sample written has stream time `origin`.
  void reset(int64_t origin = 0) noexcept;
  size_t capacity() const noexcept { return data_.size(); }

 private:
  std::vector<int16_t> data_;
  size_t pos_ = 0;   // where the next sample goes
  size_t fill_ = 0;  // samples held
  int64_t end_ = 0;
};

}  // namespace earshot::pipeline
