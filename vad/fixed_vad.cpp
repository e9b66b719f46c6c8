#include "vad/fixed_vad.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "vad/fixed_vad_weights.hpp"

namespace earshot::vad {
namespace {

namespace w = fixed_vad_weights;
static_assert(sizeof(w::kWeights) / sizeof(w::kWeights[0]) == FixedPointVad::kFeatures);

constexpr int kBinsPerBand = FixedPointVad::kMelBins / FixedPointVad::kBands;
constexpr int32_t kFloorRiseQ16 = 328;  // 0.005 ln per 10 ms frame: ~2 dB/s
constexpr int32_t kMaxQ8 = 12 * 256;    // features are clamped to 12 ln (52 dB)
constexpr int kLutSize = 256;           // sigmoid over logits [-8, 8), 1/16 apart
constexpr int32_t kLogitMinQ12 = -8 * 4096;

// Q15 sigmoid at the table points, built once at creation (not on the per-frame path).
const std::array<int32_t, kLutSize + 1>& sigmoid_table() {
  static const std::array<int32_t, kLutSize + 1> t = [] {
    std::array<int32_t, kLutSize + 1> a{};
    for (int i = 0; i <= kLutSize; ++i) {
      const double x = -8.0 + i / 16.0;
      a[i] = static_cast<int32_t>(std::lround(32768.0 / (1.0 + std::exp(-x))));
    }
    return a;
  }();
  return t;
}

int32_t sigmoid_q15(int32_t logit_q12) {
  const auto& t = sigmoid_table();
  const int32_t x = std::clamp(logit_q12 - kLogitMinQ12, 0, kLutSize * 256 - 1);
  const int32_t i = x >> 8, frac = x & 255;
  return t[i] + (((t[i + 1] - t[i]) * frac) >> 8);
}

int32_t clamp_q8(int32_t v) {
  return std::clamp(v, 0, kMaxQ8);
}

}  // namespace

Result<std::unique_ptr<FixedPointVad>> FixedPointVad::create() {
  features::mfcc::MfccConfig cfg;
  cfg.log_mel = true;
  cfg.mel_bins = kMelBins;
  cfg.hop_length = kHop;
  auto mfcc = features::mfcc::FixedPointMfcc::create(cfg);
  if (!mfcc.ok()) return mfcc.status();
  (void)sigmoid_table();
  std::unique_ptr<FixedPointVad> vad(new FixedPointVad(std::move(mfcc.value())));
  return vad;
}

FixedPointVad::FixedPointVad(std::unique_ptr<features::mfcc::FixedPointMfcc> mfcc)
    : mfcc_(std::move(mfcc)) {
  counters_.state_bytes = sizeof(State);
}

void FixedPointVad::reset() noexcept {
  mfcc_->reset();
  st_ = State{};
  features_.fill(0);
}

int32_t FixedPointVad::score_frame(const int32_t* lm) noexcept {
  std::array<int32_t, kBands> band{};
  for (int k = 0; k < kBands; ++k) {
    int32_t s = 0;
    for (int j = 0; j < kBinsPerBand; ++j) s += lm[k * kBinsPerBand + j] / kBinsPerBand;
    band[k] = s;
  }
  if (st_.frames == 0) {
    st_.floor_q16 = band;
    st_.prev_band_q16 = band;
  }
  // Noise floor: follows a drop within a few frames, a rise only slowly (speech is not noise).
  int32_t snr_sum = 0, snr_max = 0, flux = 0;
  for (int k = 0; k < kBands; ++k) {
    int32_t& f = st_.floor_q16[k];
    if (band[k] < f) {
      f -= (f - band[k]) >> 2;
    } else {
      f += std::min((band[k] - f) >> 6, kFloorRiseQ16);
    }
    const int32_t snr = clamp_q8((band[k] - f) >> 8);
    features_[k] = snr;
    snr_sum += snr;
    snr_max = std::max(snr_max, snr);
    flux += std::abs(band[k] - st_.prev_band_q16[k]) >> 8;
  }
  st_.prev_band_q16 = band;
  const int slot = st_.frames % kHistory;
  st_.snr_hist[slot] = static_cast<int16_t>(snr_sum / kBands);
  st_.flux_hist[slot] = static_cast<int16_t>(clamp_q8(flux / kBands));
  int32_t snr4 = 0, snr16 = 0, flux16 = 0;
  for (int i = 0; i < kHistory; ++i) {
    snr16 += st_.snr_hist[i];
    flux16 += st_.flux_hist[i];
    if (((slot - i) & (kHistory - 1)) < 4) snr4 += st_.snr_hist[i];
  }
  int32_t rough = 0;
  for (int b = 1; b < kMelBins; ++b) rough += std::abs(lm[b] - lm[b - 1]) >> 8;
  features_[8] = snr_sum / kBands;
  features_[9] = snr4 / 4;
  features_[10] = snr16 / kHistory;
  features_[11] = std::clamp(((band[0] + band[1] + band[2]) - (band[5] + band[6] + band[7])) / 768,
                             -kMaxQ8, kMaxQ8);
  features_[12] = clamp_q8(rough / (kMelBins - 1));
  features_[13] = clamp_q8(flux / kBands);
  features_[14] = flux16 / kHistory;
  features_[15] = std::clamp(
      (band[0] + band[1] + band[2] + band[3] + band[4] + band[5] + band[6] + band[7]) / (8 * 256),
      0, 40 * 256);
  features_[16] = snr_max;
  ++st_.frames;
  if (st_.frames > (1 << 30)) st_.frames = kHistory;  // keeps the history index valid forever

  int64_t acc = w::kBias;
  for (int i = 0; i < kFeatures; ++i) acc += int64_t{w::kWeights[i]} * features_[i];
  const int64_t logit = std::clamp<int64_t>(acc >> w::kShift, -(1 << 20), 1 << 20);
  return sigmoid_q15(static_cast<int32_t>(logit));
}

Status FixedPointVad::process_frame(const int16_t* samples, int32_t* prob_q15) noexcept {
  if (samples == nullptr || prob_q15 == nullptr) return InvalidArgument("fixed vad: null frame");
  runtime::ScopedStageTimer timer(counters_);
  const size_t n = mfcc_->push_fixed(std::span<const int16_t>(samples, kHop), log_mel_);
  // Until the frontend has a whole 25 ms frame there is nothing to judge: not speech.
  *prob_q15 = n == 1 ? score_frame(log_mel_.data()) : 0;
  ++counters_.frames;
  return Status::Ok();
}

}  // namespace earshot::vad
