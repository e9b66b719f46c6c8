#include "kws/kws_detector.hpp"

#include <algorithm>
#include <cmath>

#include "runtime/model/model_paths.hpp"

namespace earshot::kws {

namespace {
constexpr std::size_t kSampleRate = 16000;
}

Status KwsConfig::validate() const {
  if (keywords.empty()) return InvalidArgument("kws: no keyword given");
  for (const auto& k : keywords) {
    if (k.empty() || k.find_first_of("/\\.") != std::string::npos) {
      return InvalidArgument("kws: keyword name '" + k + "' is not a plain name");
    }
    if (std::count(keywords.begin(), keywords.end(), k) > 1) {
      return InvalidArgument("kws: keyword '" + k + "' given twice");
    }
  }
  if (!(threshold < 1.0f) || std::isnan(threshold)) {
    return InvalidArgument("kws: threshold must be below 1 (<= 0 uses each model's cutoff)");
  }
  if (!(refractory_s >= 0.0 && refractory_s <= 3600.0)) {
    return InvalidArgument("kws: refractory time must be within [0, 3600] seconds");
  }
  return Status::Ok();
}

Result<std::unique_ptr<KwsDetector>> KwsDetector::create(const KwsConfig& config) {
  EARSHOT_RETURN_IF_ERROR(config.validate());
  std::vector<model::Model> models;
  for (const auto& k : config.keywords) {
    auto path = model::find_model("kws-" + k + ".esm");
    if (!path.ok()) {
      return Status(NotFound(
          "kws: unknown keyword '" + k +
          "' (known: okay_nabu, hey_jarvis, alexa, hey_mycroft): " + path.status().message()));
    }
    auto m = model::Model::open(*path, {.verify_hash = true, .expected_stage = "kws"});
    if (!m.ok()) return m.status();
    models.push_back(std::move(*m));
  }
  return create(config, std::move(models));
}

Result<std::unique_ptr<KwsDetector>> KwsDetector::create(const KwsConfig& config,
                                                         std::vector<model::Model> models) {
  EARSHOT_RETURN_IF_ERROR(config.validate());
  if (models.size() != config.keywords.size()) {
    return Status(InvalidArgument("kws: one model per keyword expected"));
  }
  std::unique_ptr<KwsDetector> d(new KwsDetector());
  d->config_ = config;
  auto fe = features::kws::KwsFrontend::create();
  if (!fe.ok()) return fe.status();
  d->frontend_ = std::move(*fe);
  d->frame_values_ = d->frontend_->frame_size();
  std::size_t input_size = 0;
  for (std::size_t i = 0; i < models.size(); ++i) {
    Keyword k;
    k.name = config.keywords[i];
    k.model = std::make_unique<model::Model>(std::move(models[i]));
    const auto& meta = k.model->metadata();
    if (k.model->stage() != "kws") {
      return Status(InvalidArgument(k.model->path() + ": a model of stage '" + k.model->stage() +
                                    "', not a wake-word (kws) model"));
    }
    auto net = KwsNet::create(*k.model);
    if (!net.ok()) return net.status();
    k.net = std::move(*net);
    const double cutoff = meta.value("probability_cutoff", 0.0);
    const int window = meta.value("sliding_window_size", 0);
    const int frames = meta.contains("features") && meta["features"].is_object()
                           ? meta["features"].value("frames_per_inference", 0)
                           : 0;
    if (!(cutoff > 0.0 && cutoff < 1.0) || window < 1 || window > kMaxWindow) {
      return Status(CorruptData(k.model->path() +
                                ": probability_cutoff or sliding_window_size out of range"));
    }
    if (frames < 1 || k.net->input_size() != static_cast<std::size_t>(frames) * d->frame_values_) {
      return Status(Unsupported(k.model->path() + ": the model's input is not " +
                                std::to_string(frames) + " frames of " +
                                std::to_string(d->frame_values_) + " features"));
    }
    if (i > 0 && frames != d->frames_per_inference_) {
      return Status(Unsupported("kws: keywords with different frames per inference"));
    }
    d->frames_per_inference_ = frames;
    k.cutoff = config.threshold > 0.0f ? config.threshold : static_cast<float>(cutoff);
    k.window = window;
    auto q =
        features::kws::KwsInputQuantizer::create(k.net->input_scale(), k.net->input_zero_point());
    if (!q.ok()) return q.status();
    k.quantizer.emplace(*q);
    input_size += k.net->input_size();
    d->counters_.weight_bytes += k.model->file_size();
    d->keywords_.push_back(std::move(k));
  }
  d->input_.assign(input_size, 0);
  // Most frames one chunk can complete, whatever the frontend holds already.
  d->frames_.assign((kChunk / d->frontend_->hop_samples() + 1) * d->frame_values_, 0);
  d->counters_.state_bytes = d->arena_and_state_bytes();
  d->reset();
  return d;
}

std::size_t KwsDetector::arena_and_state_bytes() const noexcept {
  std::size_t n = 0;
  for (const auto& k : keywords_) n += k.net->arena_bytes() + k.net->state_bytes();
  return n;
}

void KwsDetector::reset() noexcept {
  frontend_->reset();
  frames_buffered_ = 0;
  frames_seen_ = 0;
  for (auto& k : keywords_) {
    k.net->reset();
    k.prob_count = 0;
    k.prob_next = 0;
    k.quiet_until = 0;
    k.inferences = 0;
  }
}

void KwsDetector::process(std::span<const int16_t> block, const KwsDetectionSink& sink) noexcept {
  runtime::ScopedStageTimer timer(counters_);
  for (std::size_t pos = 0; pos < block.size(); pos += kChunk) {
    const auto chunk = block.subspan(pos, std::min(kChunk, block.size() - pos));
    const std::size_t n = frontend_->push_native(chunk, frames_);
    for (std::size_t f = 0; f < n; ++f) on_frame(frames_.data() + f * frame_values_, sink);
  }
}

void KwsDetector::process_features(std::span<const uint16_t> frames,
                                   const KwsDetectionSink& sink) noexcept {
  runtime::ScopedStageTimer timer(counters_);
  for (std::size_t f = 0; f + frame_values_ <= frames.size(); f += frame_values_) {
    on_frame(frames.data() + f, sink);
  }
}

void KwsDetector::on_frame(const uint16_t* frame, const KwsDetectionSink& sink) noexcept {
  ++counters_.frames;
  ++frames_seen_;
  std::size_t offset = 0;
  for (auto& k : keywords_) {
    k.quantizer->quantize(
        std::span<const uint16_t>(frame, frame_values_),
        std::span<int8_t>(input_.data() + offset + frames_buffered_ * frame_values_,
                          frame_values_));
    offset += k.net->input_size();
  }
  if (++frames_buffered_ < frames_per_inference_) return;
  frames_buffered_ = 0;
  // The last frame covers samples [(f - 1) * hop, (f - 1) * hop + window).
  const uint64_t end_sample =
      (frames_seen_ - 1) * frontend_->hop_samples() + frontend_->config().window_samples();
  offset = 0;
  for (std::size_t i = 0; i < keywords_.size(); ++i) {
    Keyword& k = keywords_[i];
    const uint8_t out = k.net->invoke(input_.data() + offset);
    offset += k.net->input_size();
    counters_.macs += k.net->macs_per_invoke();
    if (sink.on_inference) sink.on_inference(sink.user, static_cast<int>(i), k.inferences, out);
    ++k.inferences;
    k.probs[k.prob_next] = static_cast<float>(out) / 256.0f;
    k.prob_next = (k.prob_next + 1) % k.window;
    k.prob_count = std::min(k.prob_count + 1, k.window);
    if (k.prob_count < k.window || end_sample < k.quiet_until) continue;
    float sum = 0.0f;
    for (int j = 0; j < k.window; ++j) sum += k.probs[j];
    const float mean = sum / static_cast<float>(k.window);
    if (mean <= k.cutoff) continue;
    KwsDetection det;
    det.keyword = static_cast<int>(i);
    det.end_sample = end_sample;
    det.time_s = static_cast<double>(end_sample) / kSampleRate;
    det.score = mean;
    k.quiet_until =
        end_sample + static_cast<uint64_t>(std::llround(config_.refractory_s * kSampleRate));
    k.prob_count = 0;
    k.prob_next = 0;
    if (sink.on_detection) sink.on_detection(sink.user, det);
  }
}

}  // namespace earshot::kws
