// Tier-0 VAD: integer only, on the shared fixed-point log-mel frontend (FixedPointMfcc,
// 40 bins, 25 ms frames every 10 ms).
//
// Per frame: 8 bands of 5 mel bins; a per-band adaptive noise floor (falls fast, rises at most
// kFloorRiseQ16 per frame); features in Q8 natural-log units: band SNRs above the floor, their
// mean now and over the last 4 and 16 frames, spectral tilt, roughness across mel bins,
// spectral flux and its 16-frame mean, absolute level. A logistic regression over them
// (weights trained by tools/train_fixed_vad.py, vad/fixed_vad_weights.hpp) gives a Q12 logit;
// a 256-entry table turns it into a Q15 probability. State: a few hundred bytes beside the
// frontend's frame buffer.
#pragma once

#include <array>
#include <cstdint>
#include <memory>

#include "earshot/status.hpp"
#include "features/mfcc/fixed_point_mfcc.hpp"
#include "vad/vad_engine.hpp"

namespace earshot::vad {

class FixedPointVad final : public VadEngine {
 public:
  static constexpr int kHop = 160;
  static constexpr int kMelBins = 40;
  static constexpr int kBands = 8;
  static constexpr int kFeatures = 17;
  static constexpr int kHistory = 16;

  static Result<std::unique_ptr<FixedPointVad>> create();

  const char* name() const noexcept override { return "fixed"; }
  int frame_samples() const noexcept override { return kHop; }
  Status process_frame(const int16_t* samples, int32_t* prob_q15) noexcept override;
  void reset() noexcept override;
  runtime::PowerTier tier() const noexcept override { return runtime::PowerTier::kTier0; }
  runtime::KernelEngine engine() const noexcept override { return runtime::KernelEngine::kQ15; }
  const runtime::StageCounters& counters() const noexcept override { return counters_; }

  // The features of the last frame (training, tests); zero before the first full frame.
  const std::array<int32_t, kFeatures>& features() const noexcept { return features_; }
  // Features and probability from one Q16 log-mel frame (the part after the frontend).
  int32_t score_frame(const int32_t* log_mel_q16) noexcept;
  // Bytes of state the VAD keeps beyond the frontend.
  static constexpr size_t state_bytes() noexcept { return sizeof(State); }

 private:
  struct State {
    std::array<int32_t, kBands> floor_q16{};
    std::array<int32_t, kBands> prev_band_q16{};
    std::array<int16_t, kHistory> snr_hist{};   // mean SNR, Q8
    std::array<int16_t, kHistory> flux_hist{};  // spectral flux, Q8
    int32_t frames = 0;
  };

  explicit FixedPointVad(std::unique_ptr<features::mfcc::FixedPointMfcc> mfcc);

  std::unique_ptr<features::mfcc::FixedPointMfcc> mfcc_;
  State st_;
  std::array<int32_t, kMelBins> log_mel_{};
  std::array<int32_t, kFeatures> features_{};
  runtime::StageCounters counters_;
};

}  // namespace earshot::vad
