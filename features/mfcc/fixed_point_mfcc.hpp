// Integer-only MFCC / log-mel frontend for the always-on tier: int16 in, Q16 out, no float on
// the per-frame path (tables are built in double at setup and quantised).
//
// Per frame: pre-emphasis (Q15 coefficient, Q14 result) -> window (Q15 table) -> block
// normalisation to the FFT's input range (one shift per frame, so quiet input keeps its precision)
// -> integer real FFT (Q30 twiddles) -> power (uint64) -> shift to the mel accumulator's headroom
// -> sparse mel filterbank (Q15 weights, uint64 sums) -> log2 via leading zeros + table, with the
// frame's shifts added back as an exact exponent -> natural log in Q16 -> optionally DCT-II with
// the lifter folded in (Q15 table) -> Q16 MFCC.
//
// Output units (frame_scale() = 2^-16): log-mel = ln(max(E, 1)) where E is the mel energy of
// the raw int16 signal (|FFT|^2 of the windowed frame in int16 units); MFCC = lifted
// orthonormal DCT-II of that log-mel. FloatMfccReference computes the same in float/double.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "earshot/status.hpp"
#include "features/frame_buffer.hpp"
#include "features/frontend.hpp"
#include "features/mfcc/fixed_real_fft.hpp"
#include "features/mfcc/integer_log.hpp"
#include "features/mfcc/mfcc_config.hpp"

namespace earshot::features::mfcc {

class FixedPointMfcc final : public StreamingFrontend {
 public:
  static constexpr int kOutputFracBits = 16;

  static Result<std::unique_ptr<FixedPointMfcc>> create(const MfccConfig& config);

  const char* name() const override { return "mfcc"; }
  std::size_t frame_size() const override { return config_.frame_size(); }
  std::size_t hop_samples() const override { return config_.hop_length; }
  std::size_t max_frames_for(std::size_t n) const override { return buffer_.frames_for(n); }
  double frame_scale() const override { return 1.0 / (1 << kOutputFracBits); }
  void reset() override { buffer_.reset(); }

  // Float view of push_fixed(): each Q16 value times frame_scale().
  std::size_t push(std::span<const int16_t> samples, std::span<float> out) override;
  // Native output, Q16. When `out` cannot hold max_frames_for(samples.size()) frames nothing
  // is consumed and 0 is returned.
  std::size_t push_fixed(std::span<const int16_t> samples, std::span<int32_t> out);

  // One frame from frame_length + 1 samples (the sample before the frame first) to
  // frame_size() Q16 values. Stateless apart from scratch buffers.
  void compute_frame(const int16_t* frame_with_previous, int32_t* out);

  const MfccConfig& config() const { return config_; }

 private:
  explicit FixedPointMfcc(const MfccConfig& config, FixedRealFft fft);

  MfccConfig config_;
  FixedRealFft fft_;
  IntegerLog2 log2_;
  FrameBuffer buffer_;
  int32_t pre_emphasis_q15_ = 0;
  int power_bits_ = 0;                // powers are shifted below 2^power_bits_ before the mel sums
  int first_bin_ = 0, last_bin_ = 0;  // FFT bins any mel filter uses
  std::vector<int32_t> window_q15_;   // up to 32768 (1.0)
  std::vector<int32_t> mel_first_, mel_count_, mel_offset_;
  std::vector<uint16_t> mel_weights_q15_;  // up to 32768 (a weight of 1.0)
  std::vector<int32_t> dct_q15_;           // cepstra x mel_bins, lifter folded in
  // Scratch, sized at creation.
  std::vector<int64_t> windowed_;
  std::vector<int32_t> fft_in_, fft_out_;
  std::vector<uint64_t> power_;
  std::vector<int32_t> log_mel_q16_, frame_q16_;
};

}  // namespace earshot::features::mfcc
