// Configuration of the wake-word frontend: the TensorFlow Lite Micro audio frontend algorithm
// that microWakeWord models are trained on. The defaults are the values pymicro-features 2.0.2
// (and ESPHome's micro_wake_word) use: 16 kHz, 30 ms window, 10 ms step, 40 channels from 125
// to 7500 Hz, noise reduction, PCAN gain control, log scale with shift 6.
#pragma once

#include <cstddef>

#include "earshot/status.hpp"

namespace earshot::features::kws {

struct KwsFrontendConfig {
  int sample_rate = 16000;
  int window_ms = 30;
  int step_ms = 10;

  int num_channels = 40;
  float lower_band_hz = 125.0f;
  float upper_band_hz = 7500.0f;

  int smoothing_bits = 10;  // extra precision bits of the noise estimate
  float even_smoothing = 0.025f;
  float odd_smoothing = 0.06f;
  float min_signal_remaining = 0.05f;

  bool enable_pcan = true;
  float pcan_strength = 0.95f;
  float pcan_offset = 80.0f;
  int pcan_gain_bits = 21;

  bool enable_log = true;
  int log_scale_shift = 6;

  // The value one native output unit is worth in pymicro-features' float output (1 / 25.6).
  static constexpr double kFloatScale = 0.0390625;

  // Derived sizes (valid after validate() succeeded).
  std::size_t window_samples() const { return std::size_t(window_ms) * sample_rate / 1000; }
  std::size_t step_samples() const { return std::size_t(step_ms) * sample_rate / 1000; }
  std::size_t fft_size() const;  // next power of two >= window_samples()
  // Bits the log stage shifts the filterbank output by: log2(fft_size) - 1 - 6.
  int correction_bits() const;

  // Checks every value against the ranges the fixed-point arithmetic supports.
  Status validate() const;
};

}  // namespace earshot::features::kws
