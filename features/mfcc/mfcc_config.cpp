#include "features/mfcc/mfcc_config.hpp"

#include <cstdio>
#include <string>

namespace earshot::features::mfcc {
namespace {

Status out_of_range(const char* field, double value, const std::string& allowed) {
  char text[32];
  std::snprintf(text, sizeof(text), "%g", value);
  return InvalidArgument(std::string("mfcc config: ") + field + " = " + text +
                         " is out of range (" + allowed + ")");
}

}  // namespace

Status validate(const MfccConfig& c) {
  if (c.sample_rate < 4000 || c.sample_rate > 192000) {
    return out_of_range("sample_rate", c.sample_rate, "4000..192000");
  }
  if (c.fft_size < 32 || c.fft_size > 4096 || (c.fft_size & (c.fft_size - 1)) != 0) {
    return out_of_range("fft_size", c.fft_size, "a power of two in 32..4096");
  }
  if (c.frame_length < 16 || c.frame_length > c.fft_size) {
    return out_of_range("frame_length", c.frame_length, "16..fft_size");
  }
  if (c.hop_length < 1 || c.hop_length > c.frame_length) {
    return out_of_range("hop_length", c.hop_length, "1..frame_length");
  }
  if (c.mel_bins < 1 || c.mel_bins > c.fft_size / 2) {
    return out_of_range("mel_bins", c.mel_bins, "1..fft_size/2");
  }
  if (!c.log_mel && (c.cepstra < 1 || c.cepstra > c.mel_bins)) {
    return out_of_range("cepstra", c.cepstra, "1..mel_bins");
  }
  if (!(c.pre_emphasis >= 0.0 && c.pre_emphasis < 1.0)) {
    return out_of_range("pre_emphasis", c.pre_emphasis, "0 <= a < 1");
  }
  if (c.lifter < 0 || c.lifter > 1000) return out_of_range("lifter", c.lifter, "0..1000");
  const double nyquist = c.sample_rate / 2.0;
  if (!(c.low_hz >= 0.0 && c.low_hz < nyquist)) {
    return out_of_range("low_hz", c.low_hz, "0 <= low_hz < sample_rate/2");
  }
  const double high = c.effective_high_hz();
  if (!(high > c.low_hz && high <= nyquist)) {
    return out_of_range("high_hz", c.high_hz, "low_hz < high_hz <= sample_rate/2, or 0");
  }
  return Status::Ok();
}

}  // namespace earshot::features::mfcc
