#include "features/mfcc/fixed_point_mfcc.hpp"

#include <algorithm>
#include <cstdlib>

#include "features/mfcc/mel_filterbank.hpp"
#include "features/mfcc/q15.hpp"

namespace earshot::features::mfcc {
namespace {

constexpr int32_t kLn2Q30 = 744261118;  // ln(2) * 2^30

}  // namespace

Result<std::unique_ptr<FixedPointMfcc>> FixedPointMfcc::create(const MfccConfig& config) {
  auto fb = make_mel_filterbank(config);  // validates the config
  if (!fb.ok()) return fb.status();
  auto fft = FixedRealFft::create(config.fft_size);
  if (!fft.ok()) return fft.status();
  std::unique_ptr<FixedPointMfcc> m(new FixedPointMfcc(config, std::move(fft.value())));

  m->pre_emphasis_q15_ = to_q15(config.pre_emphasis);
  for (double w : make_window(config.window, config.frame_length)) {
    m->window_q15_.push_back(to_q15(w));
  }
  uint64_t max_weight_sum = 1;
  m->first_bin_ = fb->first_bin.front();
  m->last_bin_ = 0;
  for (int f = 0; f < fb->size(); ++f) {
    m->mel_first_.push_back(fb->first_bin[f]);
    m->mel_count_.push_back(fb->num_bins[f]);
    m->mel_offset_.push_back(fb->offset[f]);
    uint64_t sum = 0;
    for (int i = 0; i < fb->num_bins[f]; ++i) {
      const auto w = static_cast<uint16_t>(to_q15(fb->weights[fb->offset[f] + i]));
      m->mel_weights_q15_.push_back(w);
      sum += w;
    }
    max_weight_sum = std::max(max_weight_sum, sum);
    m->first_bin_ = std::min(m->first_bin_, fb->first_bin[f]);
    m->last_bin_ = std::max(m->last_bin_, fb->first_bin[f] + fb->num_bins[f] - 1);
  }
  // A mel sum is at most max_weight_sum * max power: keep it below 2^63.
  m->power_bits_ = 63 - bit_length(max_weight_sum);
  if (!config.log_mel) {
    for (double d : make_lifted_dct(config)) m->dct_q15_.push_back(to_q15(d));
  }
  m->fft_in_.assign(config.fft_size, 0);
  m->windowed_.assign(config.frame_length, 0);
  m->fft_out_.assign(config.fft_size + 2, 0);
  m->power_.assign(config.fft_size / 2 + 1, 0);
  m->log_mel_q16_.assign(config.mel_bins, 0);
  m->frame_q16_.assign(config.frame_size(), 0);
  return m;
}

FixedPointMfcc::FixedPointMfcc(const MfccConfig& config, FixedRealFft fft)
    : config_(config), fft_(std::move(fft)), buffer_(config.frame_length, config.hop_length) {}

void FixedPointMfcc::compute_frame(const int16_t* x, int32_t* out) {
  const int len = config_.frame_length;
  // Pre-emphasis keeps 14 fraction bits (|y| < 2^16 * 2^14), so quiet input loses nothing to
  // rounding here; y * w (Q15 window) is Q29, below 2^46.
  // OR of the magnitudes has the same bit length as their maximum, and is cheaper.
  uint64_t max_abs = 0;
  for (int n = 0; n < len; ++n) {
    const int32_t y = (static_cast<int32_t>(x[n + 1]) << 14) - ((pre_emphasis_q15_ * x[n]) >> 1);
    const int64_t v = static_cast<int64_t>(y) * window_q15_[n];
    windowed_[n] = v;
    max_abs |= static_cast<uint64_t>((v ^ (v >> 63)) - (v >> 63));
  }
  if (max_abs == 0) {  // digital silence: every mel energy is below the floor
    std::fill(out, out + frame_size(), 0);
    return;
  }
  // Block normalisation: bring the peak just under the FFT's input limit (2^20 for N = 512).
  const int shift = fft_.max_input_bits() - bit_length(max_abs);
  if (shift >= 0) {
    for (int n = 0; n < len; ++n) fft_in_[n] = static_cast<int32_t>(windowed_[n] << shift);
  } else {
    for (int n = 0; n < len; ++n) {
      fft_in_[n] = static_cast<int32_t>(round_shift_right(windowed_[n], -shift));
    }
  }
  fft_.forward(fft_in_.data(), fft_out_.data());

  // Power of 2 X[k]; |2 X| < 2^30 so re^2 + im^2 < 2^61.
  uint64_t max_power = 0;
  for (int k = first_bin_; k <= last_bin_; ++k) {
    const int64_t re = fft_out_[2 * k], im = fft_out_[2 * k + 1];
    const auto p = static_cast<uint64_t>(re * re + im * im);
    power_[k] = p;
    max_power |= p;
  }
  const int power_shift = std::max(0, bit_length(max_power) - power_bits_);
  // mel' = E * 2^exponent, E the mel energy in int16 units (see the header for the terms:
  // Q29 windowed frame and FFT factor 2 -> 2^(30+shift) in amplitude, weights Q15, power
  // shift).
  const int64_t exponent = 2 * (30 + shift) + 15 - power_shift;
  const int mel_bins = config_.mel_bins;
  for (int f = 0; f < mel_bins; ++f) {
    const uint64_t* p = power_.data() + mel_first_[f];
    const uint16_t* w = mel_weights_q15_.data() + mel_offset_[f];
    uint64_t acc = 0;
    for (int i = 0; i < mel_count_[f]; ++i) acc += (p[i] >> power_shift) * w[i];
    // ln(max(E, 1)) = ln2 * max(log2 mel' - exponent, 0)
    const int64_t log2_e = static_cast<int64_t>(log2_.log2_q24(acc)) - (exponent << kLog2FracBits);
    const int64_t clamped = acc == 0 ? 0 : std::max<int64_t>(log2_e, 0);
    log_mel_q16_[f] = static_cast<int32_t>(
        round_shift_right(clamped * kLn2Q30, kLog2FracBits + 30 - kOutputFracBits));
  }
  if (config_.log_mel) {
    std::copy(log_mel_q16_.begin(), log_mel_q16_.end(), out);
    return;
  }
  for (int i = 0; i < config_.cepstra; ++i) {
    const int32_t* d = dct_q15_.data() + static_cast<std::size_t>(i) * mel_bins;
    int64_t acc = 0;
    for (int j = 0; j < mel_bins; ++j) acc += static_cast<int64_t>(log_mel_q16_[j]) * d[j];
    out[i] = static_cast<int32_t>(round_shift_right(acc, 15));
  }
}

std::size_t FixedPointMfcc::push_fixed(std::span<const int16_t> samples, std::span<int32_t> out) {
  const std::size_t fs = frame_size();
  if (out.size() < buffer_.frames_for(samples.size()) * fs) return 0;
  std::size_t pos = 0, frames = 0;
  while (buffer_.fill(samples, &pos)) {
    compute_frame(buffer_.frame_with_previous(), out.data() + frames * fs);
    buffer_.advance();
    ++frames;
  }
  return frames;
}

std::size_t FixedPointMfcc::push(std::span<const int16_t> samples, std::span<float> out) {
  const std::size_t fs = frame_size();
  if (out.size() < buffer_.frames_for(samples.size()) * fs) return 0;
  const float scale = static_cast<float>(frame_scale());
  std::size_t pos = 0, frames = 0;
  while (buffer_.fill(samples, &pos)) {
    compute_frame(buffer_.frame_with_previous(), frame_q16_.data());
    buffer_.advance();
    float* dst = out.data() + frames * fs;
    for (std::size_t i = 0; i < fs; ++i) dst[i] = static_cast<float>(frame_q16_[i]) * scale;
    ++frames;
  }
  return frames;
}

}  // namespace earshot::features::mfcc
