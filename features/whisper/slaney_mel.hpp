// The Slaney-style mel filterbank librosa builds by default (librosa.filters.mel with
// htk=False, norm="slaney"), which Whisper's feature extractor uses: mel scale linear below
// 1 kHz and logarithmic above, triangles in Hz, each scaled by 2 / (its width in Hz).
#pragma once

#include <vector>

namespace earshot::features::whisper {

double slaney_hz_to_mel(double hz);
double slaney_mel_to_hz(double mel);

// Dense [n_mels][n_fft/2 + 1] weights, row-major, in double (computed at setup).
std::vector<double> slaney_mel_filterbank(int sample_rate, int n_fft, int n_mels);

}  // namespace earshot::features::whisper
