// Triangular mel filterbank on the HTK/Kaldi mel scale (mel = 1127 ln(1 + f/700)), triangles
// drawn in the mel domain, stored sparsely: each filter keeps only its non-zero FFT bins.
// Built once at setup in double; the fixed-point frontend quantises the weights to Q15.
#pragma once

#include <vector>

#include "earshot/status.hpp"
#include "features/mfcc/mfcc_config.hpp"

namespace earshot::features::mfcc {

struct MelFilterbank {
  std::vector<int> first_bin;   // per filter: FFT bin of its first weight
  std::vector<int> offset;      // per filter: index of its first weight in `weights`
  std::vector<int> num_bins;    // per filter: how many weights
  std::vector<double> weights;  // all filters' weights, filter after filter
  int size() const { return static_cast<int>(first_bin.size()); }
};

double hz_to_mel(double hz);

// Fails (naming the filter) when a filter covers no FFT bin: too many mel bins for the FFT
// size and frequency range.
Result<MelFilterbank> make_mel_filterbank(const MfccConfig& config);

// The HTK analysis window of `length` samples (symmetric Hamming or Hann, as HTK and Kaldi).
std::vector<double> make_window(WindowType type, int length);

// DCT-II rows (orthonormal scaling sqrt(2/M), c0 with sqrt(1/M)) times the HTK lifter:
// table[i * mel_bins + j] for cepstrum i, mel bin j.
std::vector<double> make_lifted_dct(const MfccConfig& config);

}  // namespace earshot::features::mfcc
