// Configuration shared by the fixed-point MFCC / log-mel frontend and its float reference.
#pragma once

#include "earshot/status.hpp"

namespace earshot::features::mfcc {

enum class WindowType { kHamming, kHann };

struct MfccConfig {
  int sample_rate = 16000;
  int frame_length = 400;  // samples per analysis frame (25 ms)
  int hop_length = 160;    // samples per frame step (10 ms)
  int fft_size = 512;      // power of two >= frame_length
  int mel_bins = 40;
  int cepstra = 13;            // MFCC coefficients kept (c0..c[cepstra-1])
  double pre_emphasis = 0.97;  // y[n] = x[n] - a * x[n-1]; 0 turns it off
  int lifter = 22;             // HTK sinusoidal lifter 1 + L/2 sin(pi n / L); 0 turns it off
  double low_hz = 20.0;
  double high_hz = 0.0;  // <= 0 means the Nyquist frequency
  WindowType window = WindowType::kHamming;
  bool log_mel = false;  // output log-mel energies (mel_bins values) instead of MFCC

  // Values per output frame: mel_bins for log-mel, cepstra for MFCC.
  int frame_size() const { return log_mel ? mel_bins : cepstra; }
  // high_hz with the "Nyquist" default resolved.
  double effective_high_hz() const { return high_hz > 0.0 ? high_hz : sample_rate / 2.0; }
};

// Checks every field; the error names the field and the allowed range.
Status validate(const MfccConfig& config);

}  // namespace earshot::features::mfcc
