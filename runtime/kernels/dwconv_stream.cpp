// Streaming depthwise convolution: ring of past frames + the shared depthwise row kernel.
#include "runtime/kernels/dwconv_stream.hpp"

#include <string>

namespace earshot::kernels {

Status check_stream_config(const DwStreamConfig& c) noexcept {
  if (c.channels < 1 || c.channels > (1 << 20) || c.kernel < 1 || c.kernel > kMaxDwTaps ||
      c.stride < 1 || c.stride > 4096 || c.dilation < 1 || c.dilation > 4096) {
    return InvalidArgument("streaming convolution: channels " + std::to_string(c.channels) +
                           ", kernel " + std::to_string(c.kernel) + ", stride " +
                           std::to_string(c.stride) + ", dilation " + std::to_string(c.dilation) +
                           " out of range (channels 1..2^20, kernel 1..256, stride and "
                           "dilation 1..4096)");
  }
  return Status::Ok();
}

namespace {

int span_of(const DwStreamConfig& c) {
  return (c.kernel - 1) * c.dilation + 1;
}

// Tap pointers into the ring's contiguous window: tap k reads frame k * dilation.
template <typename T>
void window_taps(const FrameRing<T>& ring, const DwStreamConfig& c, const T* w, const T** in_taps,
                 const T** w_taps) {
  const T* win = ring.window();
  for (int k = 0; k < c.kernel; ++k) {
    in_taps[k] = win + static_cast<size_t>(k) * c.dilation * c.channels;
    w_taps[k] = w + static_cast<size_t>(k) * c.channels;
  }
}

}  // namespace

Result<F32DwConvStream> F32DwConvStream::create(const DwStreamConfig& config, const float* weights,
                                                const float* bias, FusedActivation act) {
  EARSHOT_RETURN_IF_ERROR(check_stream_config(config));
  if (!weights) return InvalidArgument("streaming depthwise convolution: null weights");
  F32DwConvStream s;
  s.cfg_ = config;
  s.w_ = weights;
  s.bias_ = bias;
  s.range_ = activation_range_f32(act);
  s.ring_.init(span_of(config), config.channels, 0.0f);
  s.phase_ = StreamPhase(config.stride);
  s.kernels_ = &dwconv_kernels();
  return s;
}

void F32DwConvStream::reset() noexcept {
  ring_.reset();
  phase_.reset();
}

Status F32DwConvStream::push(const float* frames, int n, float* out, int out_capacity,
                             int* produced) noexcept {
  *produced = 0;
  if (n < 0 || (n > 0 && (!frames || !out))) return InvalidArgument("push: bad frames / output");
  if (out_capacity < max_outputs(n)) {
    return ResourceExhausted("push: output holds " + std::to_string(out_capacity) +
                             " frames, up to " + std::to_string(max_outputs(n)) + " needed");
  }
  const float* in_taps[kMaxDwTaps];
  const float* w_taps[kMaxDwTaps];
  for (int i = 0; i < n; ++i) {
    ring_.push(frames + static_cast<size_t>(i) * cfg_.channels);
    if (!phase_.step()) continue;
    window_taps(ring_, cfg_, w_, in_taps, w_taps);
    DwRowF32 r{in_taps,       w_taps,
               cfg_.kernel,   bias_,
               cfg_.channels, range_.lo,
               range_.hi,     out + static_cast<size_t>(*produced) * cfg_.channels};
    kernels_->row_f32(r);
    ++*produced;
  }
  return Status::Ok();
}

Result<I8DwConvStream> I8DwConvStream::create(const DwStreamConfig& config, const int8_t* weights,
                                              const int32_t* bias, const I8ConvQuant& q) {
  EARSHOT_RETURN_IF_ERROR(check_stream_config(config));
  if (!weights || !q.multiplier || !q.shift) {
    return InvalidArgument("streaming depthwise convolution: null weights or quantization");
  }
  if (q.in_zp < -128 || q.in_zp > 127) {
    return InvalidArgument("streaming depthwise convolution: input zero point " +
                           std::to_string(q.in_zp) + " outside int8");
  }
  I8DwConvStream s;
  s.cfg_ = config;
  s.w_ = weights;
  s.bias_ = bias;
  s.q_ = q;
  s.ring_.init(span_of(config), config.channels, static_cast<int8_t>(q.in_zp));
  s.phase_ = StreamPhase(config.stride);
  s.kernels_ = &dwconv_kernels();
  return s;
}

void I8DwConvStream::reset() noexcept {
  ring_.reset();
  phase_.reset();
}

Status I8DwConvStream::push(const int8_t* frames, int n, int8_t* out, int out_capacity,
                            int* produced) noexcept {
  *produced = 0;
  if (n < 0 || (n > 0 && (!frames || !out))) return InvalidArgument("push: bad frames / output");
  if (out_capacity < max_outputs(n)) {
    return ResourceExhausted("push: output holds " + std::to_string(out_capacity) +
                             " frames, up to " + std::to_string(max_outputs(n)) + " needed");
  }
  const int8_t* in_taps[kMaxDwTaps];
  const int8_t* w_taps[kMaxDwTaps];
  for (int i = 0; i < n; ++i) {
    ring_.push(frames + static_cast<size_t>(i) * cfg_.channels);
    if (!phase_.step()) continue;
    window_taps(ring_, cfg_, w_, in_taps, w_taps);
    DwRowI8 r{in_taps,
              w_taps,
              cfg_.kernel,
              bias_,
              cfg_.channels,
              &q_,
              out + static_cast<size_t>(*produced) * cfg_.channels};
    kernels_->row_i8(r);
    ++*produced;
  }
  return Status::Ok();
}

}  // namespace earshot::kernels
