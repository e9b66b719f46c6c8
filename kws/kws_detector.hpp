// The wake-word stage: one wake-word frontend shared by several microWakeWord models, each
// with its own streaming state, probability cutoff and sliding-window average (from the model's
// JSON manifest), and a refractory time after each detection.
//
// Timing follows pymicro-wakeword: every 10 ms of audio gives one feature frame; every 3 frames
// each model runs once; its uint8 output / 256 is the probability; a keyword fires when the mean
// of its last `sliding_window_size` probabilities is above the cutoff. After a detection the
// window is cleared and the keyword stays quiet for `refractory_s` seconds.
//
//   auto det = KwsDetector::create(config);           // loads kws-<keyword>.esm by name
//   det->process(block, [](const KwsDetection& d) { ... });
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "earshot/status.hpp"
#include "features/kws/kws_frontend.hpp"
#include "features/kws/kws_input_quantizer.hpp"
#include "kws/kws_net.hpp"
#include "runtime/model/model_file.hpp"
#include "runtime/stage/stage_info.hpp"

namespace earshot::kws {

struct KwsConfig {
  // Keyword names; the model of `name` is `kws-<name>.esm` in the models folder
  // (runtime/model/model_paths.hpp). Available: okay_nabu, hey_jarvis, alexa, hey_mycroft.
  std::vector<std::string> keywords = {"okay_nabu"};
  // Probability cutoff for every keyword; <= 0 uses each model's own (probability_cutoff).
  float threshold = 0.0f;
  // Seconds a keyword stays quiet after it fired.
  double refractory_s = 2.0;
  Status validate() const;
};

struct KwsDetection {
  int keyword = 0;          // index into KwsConfig::keywords / KwsDetector::keyword_name()
  uint64_t end_sample = 0;  // first sample after the audio the deciding inference saw
  double time_s = 0.0;      // end_sample / 16000
  float score = 0.0f;       // the sliding-window mean that crossed the cutoff
};

// Called for each detection (and, when set, for each inference with its raw uint8 output).
struct KwsDetectionSink {
  void* user = nullptr;
  void (*on_detection)(void* user, const KwsDetection& d) = nullptr;
  // keyword, inference index (0-based, per keyword), uint8 output of the model.
  void (*on_inference)(void* user, int keyword, uint64_t index, uint8_t output) = nullptr;
};

class KwsDetector {
 public:
  static Result<std::unique_ptr<KwsDetector>> create(const KwsConfig& config);
  // With models already opened (one per keyword, same order); they are moved in.
  static Result<std::unique_ptr<KwsDetector>> create(const KwsConfig& config,
                                                     std::vector<model::Model> models);

  // Pushes 16 kHz mono audio of any length. No heap allocation.
  void process(std::span<const int16_t> block, const KwsDetectionSink& sink) noexcept;
  // Same, from features already computed by the wake-word frontend (40 uint16 per frame).
  void process_features(std::span<const uint16_t> frames, const KwsDetectionSink& sink) noexcept;
  void reset() noexcept;

  int keyword_count() const noexcept { return static_cast<int>(keywords_.size()); }
  const std::string& keyword_name(int k) const { return keywords_[k].name; }
  float cutoff(int k) const noexcept { return keywords_[k].cutoff; }
  int window_size(int k) const noexcept { return keywords_[k].window; }
  const KwsNet& net(int k) const noexcept { return *keywords_[k].net; }
  // Bytes of activations and streaming state across all models.
  std::size_t arena_and_state_bytes() const noexcept;

  const runtime::StageCounters& counters() const noexcept { return counters_; }
  runtime::KernelEngine engine() const noexcept { return runtime::KernelEngine::kI8; }
  runtime::PowerTier tier() const noexcept { return runtime::PowerTier::kTier1; }

 private:
  static constexpr int kMaxWindow = 64;
  static constexpr std::size_t kChunk = 1600;  // samples fed to the frontend at a time
  struct Keyword {
    std::string name;
    std::unique_ptr<model::Model> model;
    std::unique_ptr<KwsNet> net;
    std::optional<features::kws::KwsInputQuantizer> quantizer;
    float cutoff = 0.0f;
    int window = 1;
    float probs[kMaxWindow] = {};
    int prob_count = 0;  // valid entries (capped at window)
    int prob_next = 0;
    uint64_t quiet_until = 0;  // sample index
    uint64_t inferences = 0;
  };
  KwsDetector() = default;
  void on_frame(const uint16_t* frame, const KwsDetectionSink& sink) noexcept;

  KwsConfig config_;
  std::unique_ptr<features::kws::KwsFrontend> frontend_;
  std::vector<Keyword> keywords_;
  std::vector<uint16_t> frames_;  // frontend output for one chunk
  std::vector<int8_t> input_;     // one inference's quantized input per keyword, back to back
  std::size_t frame_values_ = 40;
  int frames_per_inference_ = 3;
  int frames_buffered_ = 0;
  uint64_t frames_seen_ = 0;
  runtime::StageCounters counters_;
};

}  // namespace earshot::kws
