// Streaming depthwise 1-D convolution over time (microWakeWord's streaming layers): a ring of
// the last (kernel - 1) * dilation + 1 input frames per channel, fed a few frames at a time.
//
// Contract: the outputs of every push() call, concatenated, equal dwconv over the input
// [history ++ all pushed frames] with VALID padding and the same stride / dilation, where the
// history is (kernel - 1) * dilation frames of zeros (float) or of the input zero point (int8):
// a causal convolution. reset() restores that history.
//
// create() allocates; push() and reset() never allocate or lock (audio path). Weights, bias and
// quantization arrays are not copied: they must outlive the stream (they live in the model).
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "earshot/status.hpp"
#include "runtime/kernels/dwconv.hpp"

namespace earshot::kernels {

// The last `span` frames of `channels` values, always readable as one contiguous block: every
// frame is written twice, at slot j and j + span of a buffer of 2 * span frames.
template <typename T>
class FrameRing {
 public:
  void init(int span, int channels, T fill) {
    span_ = span;
    channels_ = channels;
    fill_ = fill;
    buf_.assign(static_cast<size_t>(2) * span * channels, fill);
    reset();
  }
  void reset() noexcept {
    std::fill(buf_.begin(), buf_.end(), fill_);
    last_ = span_ - 1;
  }
  void push(const T* frame) noexcept {
    last_ = last_ + 1 == span_ ? 0 : last_ + 1;
    const size_t c = static_cast<size_t>(channels_);
    std::copy(frame, frame + c, buf_.data() + static_cast<size_t>(last_) * c);
    std::copy(frame, frame + c, buf_.data() + static_cast<size_t>(last_ + span_) * c);
  }
  // The last `span` frames, oldest first.
  const T* window() const noexcept {
    return buf_.data() + static_cast<size_t>(last_ + 1) * static_cast<size_t>(channels_);
  }
  int span() const noexcept { return span_; }

 private:
  std::vector<T> buf_;
  int span_ = 0;
  int channels_ = 0;
  int last_ = 0;  // slot of the newest frame
  T fill_{};
};

struct DwStreamConfig {
  int channels = 0;
  int kernel = 1;
  int stride = 1;
  int dilation = 1;
};

// Shared timing of the streaming convolutions: which pushed frames complete an output.
class StreamPhase {
 public:
  explicit StreamPhase(int stride = 1) : stride_(stride) {}
  void reset() noexcept { until_next_ = 1; }
  // Called once per pushed frame; true when that frame ends an output window.
  bool step() noexcept {
    if (--until_next_ > 0) return false;
    until_next_ = stride_;
    return true;
  }
  // Most outputs n more frames can produce.
  int max_outputs(int n) const noexcept { return n <= 0 ? 0 : (n - 1) / stride_ + 1; }

 private:
  int stride_ = 1;
  int until_next_ = 1;
};

Status check_stream_config(const DwStreamConfig& c) noexcept;

class F32DwConvStream {
 public:
  // weights [kernel][channels], bias [channels] (optional).
  static Result<F32DwConvStream> create(const DwStreamConfig& config, const float* weights,
                                        const float* bias, FusedActivation act);
  // Consumes n frames of `channels` values; writes an output frame for each completed window
  // to out (room for out_capacity frames) and sets *produced. ResourceExhausted (nothing
  // consumed) when out is too small: size it with max_outputs(n).
  Status push(const float* frames, int n, float* out, int out_capacity, int* produced) noexcept;
  int max_outputs(int n) const noexcept { return phase_.max_outputs(n); }
  void reset() noexcept;
  void set_kernels(const DwConvKernels& k) noexcept { kernels_ = &k; }  // tests, benchmarks

 private:
  DwStreamConfig cfg_;
  const float* w_ = nullptr;
  const float* bias_ = nullptr;
  F32Range range_{};
  FrameRing<float> ring_;
  StreamPhase phase_;
  const DwConvKernels* kernels_ = nullptr;
};

class I8DwConvStream {
 public:
  // weights [kernel][channels] int8 (symmetric), bias [channels] int32 (optional); q's arrays
  // hold `channels` entries.
  static Result<I8DwConvStream> create(const DwStreamConfig& config, const int8_t* weights,
                                       const int32_t* bias, const I8ConvQuant& q);
  Status push(const int8_t* frames, int n, int8_t* out, int out_capacity, int* produced) noexcept;
  int max_outputs(int n) const noexcept { return phase_.max_outputs(n); }
  void reset() noexcept;
  void set_kernels(const DwConvKernels& k) noexcept { kernels_ = &k; }

 private:
  DwStreamConfig cfg_;
  const int8_t* w_ = nullptr;
  const int32_t* bias_ = nullptr;
  I8ConvQuant q_{};
  FrameRing<int8_t> ring_;
  StreamPhase phase_;
  const DwConvKernels* kernels_ = nullptr;
};

}  // namespace earshot::kernels
