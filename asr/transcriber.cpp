#include "asr/transcriber.hpp"

#include <zlib.h>

#include <algorithm>
#include <cmath>

#include "asr/window_constants.hpp"
#include "features/whisper/whisper_log_mel.hpp"

namespace earshot::asr {
namespace {

using detail::kFrameSeconds;
using detail::kInputStride;
using detail::kWindowFrames;
using detail::trim;

}  // namespace

Status TranscriberConfig::validate() const {
  if (threads < 1 || threads > 256) return InvalidArgument("threads must be in [1, 256]");
  if (beam_size < 1 || beam_size > 8) return InvalidArgument("beam size must be in [1, 8]");
  if (patience <= 0.0f || patience > 8.0f) return InvalidArgument("patience must be in (0, 8]");
  if (temperatures.empty()) return InvalidArgument("need at least one temperature");
  for (float t : temperatures) {
    if (!(t >= 0.0f && t <= 2.0f)) return InvalidArgument("temperatures must be in [0, 2]");
  }
  if (pad_multiple < 2 || pad_multiple % 2 != 0 || pad_multiple > kWindowFrames) {
    return InvalidArgument("pad_multiple must be even and in [2, 3000]");
  }
  return Status::Ok();
}

double compression_ratio(const std::string& text) {
  if (text.empty()) return 0.0;
  uLongf n = compressBound(text.size());
  std::vector<Bytef> buf(n);
  if (compress2(buf.data(), &n, reinterpret_cast<const Bytef*>(text.data()), text.size(),
                Z_DEFAULT_COMPRESSION) != Z_OK ||
      n == 0) {
    return 0.0;
  }
  return static_cast<double>(text.size()) / static_cast<double>(n);
}

std::vector<Word> spread_words(const WhisperTokenizer& tok, const Segment& s) {
  std::vector<Word> words;
  std::vector<int> counts;
  std::vector<double> psum;
  for (size_t i = 0; i < s.tokens.size(); ++i) {
    const int t = s.tokens[i];
    if (!tok.is_text(t)) continue;
    const std::string_view b = tok.bytes(t);
    if (words.empty() || (!b.empty() && b[0] == ' ')) {
      words.push_back({});
      counts.push_back(0);
      psum.push_back(0.0);
    }
    words.back().word += b;
    counts.back() += 1;
    psum.back() += i < s.probs.size() ? s.probs[i] : 0.0f;
  }
  size_t total = 0;
  for (const auto& w : words) total += std::max<size_t>(1, w.word.size());
  double t = s.start;
  const double dur = std::max(0.0, s.end - s.start);
  for (size_t i = 0; i < words.size(); ++i) {
    const double share = total ? dur * std::max<size_t>(1, words[i].word.size()) / total : 0.0;
    words[i].start = t;
    words[i].end = t + share;
    t += share;
    words[i].p = counts[i] ? static_cast<float>(psum[i] / counts[i]) : 0.0f;
  }
  return words;
}

Transcriber::Transcriber(const TranscriberConfig& c, std::shared_ptr<const WhisperWeights> w,
                         WhisperTokenizer tok, WhisperEncoder enc, WhisperDecoder dec)
    : cfg_(c),
      w_(std::move(w)),
      tok_(std::move(tok)),
      enc_(std::move(enc)),
      dec_(std::move(dec)),
      wdec_(dec_, tok_) {}

Result<std::unique_ptr<Transcriber>> Transcriber::create(const TranscriberConfig& config,
                                                         std::shared_ptr<model::Model> model) {
  EARSHOT_RETURN_IF_ERROR(config.validate());
  if (!model) return InvalidArgument("Transcriber: no model");
  if (model->stage() != "asr" || model->architecture() != "whisper") {
    return InvalidArgument(model->path() + ": not a Whisper ASR model (stage '" + model->stage() +
                           "', architecture '" + model->architecture() + "')");
  }
  auto tok = WhisperTokenizer::load(*model);
  if (!tok.ok()) return tok.status();
  auto w = WhisperWeights::load(model);
  if (!w.ok()) return w.status();
  if (tok->vocab_size() != (*w)->hp.n_vocab) {
    return CorruptData(model->path() + ": vocabulary size differs from n_vocab");
  }
  std::shared_ptr<const WhisperWeights> weights = std::move(w).value();
  auto enc = WhisperEncoder::create(weights);
  if (!enc.ok()) return enc.status();
  auto dec = WhisperDecoder::create(weights, config.beam_size > 1 ? 2 * config.beam_size : 1);
  if (!dec.ok()) return dec.status();
  std::unique_ptr<Transcriber> t(new Transcriber(config, weights, std::move(tok).value(),
                                                 std::move(enc).value(), std::move(dec).value()));
  if (config.threads > 1) {
    auto pool = runtime::ThreadPool::create(config.threads);
    if (!pool.ok()) return pool.status();
    t->pool_ = std::move(pool).value();
  }
  t->window_.resize(static_cast<size_t>(kWindowFrames) * weights->hp.n_mels);
  return t;
}

std::vector<int> Transcriber::make_prompt(std::span<const int> previous) const {
  std::vector<int> p;
  const auto& sp = tok_.special();
  if (!previous.empty()) {
    p.push_back(sp.sot_prev);
    const size_t keep = std::min<size_t>(previous.size(), w_->hp.n_text_ctx / 2 - 1);
    p.insert(p.end(), previous.end() - keep, previous.end());
  }
  p.push_back(sp.sot);
  if (!cfg_.timestamps) p.push_back(sp.no_timestamps);
  return p;
}

Status Transcriber::encode_window(const float* mel, int content_frames, int enc_frames) {
  const int n_mels = w_->hp.n_mels;
  // Zeros, as faster-whisper pads its features.
  std::fill(window_.begin(), window_.end(), 0.0f);
  std::copy(mel, mel + static_cast<size_t>(std::min(content_frames, enc_frames)) * n_mels,
            window_.begin());
  auto encoded = enc_.encode(window_.data(), enc_frames, pool_.get());
  if (!encoded.ok()) return encoded.status();
  return dec_.set_audio(*encoded, enc_.output_frames(), pool_.get());
}

Result<Transcriber::WindowOutput> Transcriber::decode_window(const float* mel, int frames,
                                                             int content_frames,
                                                             std::span<const int> prompt,
                                                             bool allow_short, int timestamps) {
  const int max_frames = 2 * w_->hp.n_audio_ctx;
  content_frames = std::min(content_frames, frames);
  int enc_frames = max_frames;
  if (cfg_.short_windows && allow_short) {
    enc_frames = (content_frames + cfg_.pad_multiple - 1) / cfg_.pad_multiple * cfg_.pad_multiple;
    enc_frames = std::clamp(enc_frames, cfg_.pad_multiple, max_frames);
  }
  EARSHOT_RETURN_IF_ERROR(encode_window(mel, content_frames, enc_frames));
  counters_.frames += content_frames;

  WindowDecodeOptions o;
  o.beam_size = cfg_.beam_size;
  o.patience = cfg_.patience;
  o.filter.timestamps = timestamps < 0 ? cfg_.timestamps : timestamps != 0;
  // A shortened window must not let the model place text beyond the audio it was given.
  if (enc_frames < max_frames) o.filter.max_timestamp_index = content_frames / kInputStride;
  WindowOutput out;
  for (size_t i = 0; i < cfg_.temperatures.size(); ++i) {
    o.temperature = cfg_.temperatures[i];
    auto r = wdec_.decode(prompt, o, pool_.get());
    if (!r.ok()) return r.status();
    out.result = std::move(r).value();
    out.temperature = o.temperature;
    out.compression_ratio = compression_ratio(tok_.decode(out.result.tokens));
    const bool too_repetitive = out.compression_ratio > cfg_.compression_ratio_threshold;
    const bool too_unlikely = out.result.avg_logprob < cfg_.log_prob_threshold;
    const bool silent = out.result.no_speech_prob > cfg_.no_speech_threshold && too_unlikely;
    if (silent || (!too_repetitive && !too_unlikely)) break;
    if (enc_frames < max_frames) {
      // Whisper only ever saw 30 s inputs: when a shortened window fails the checks, the
      // shortening is the first suspect, so decode the full window before raising the
      // temperature.
      enc_frames = max_frames;
      EARSHOT_RETURN_IF_ERROR(encode_window(mel, content_frames, enc_frames));
      o.filter.max_timestamp_index = -1;
      ++full_window_retries_;
      i = static_cast<size_t>(-1);  // restart at the first temperature (++i wraps to 0)
    }
  }
  return out;
}

Result<Transcript> Transcriber::transcribe(std::span<const int16_t> audio,
                                           const std::function<void(double, double)>& progress,
                                           const SpeechGate* gate) {
  if (audio.size() <= static_cast<size_t>(features::whisper::kPad)) {
    return InvalidArgument("audio too short to transcribe (" + std::to_string(audio.size()) +
                           " samples)");
  }
  std::vector<int16_t> copy(audio.begin(), audio.end());
  int frames = 0;
  auto mel = content_log_mel(copy, frames);
  if (!mel.ok()) return mel.status();
  return transcribe_features(*mel, frames, progress, gate);
}

Result<std::vector<float>> Transcriber::content_log_mel(std::vector<int16_t>& audio,
                                                        int& frames) const {
  // As faster-whisper: 160 zero samples appended, the last frame is not content.
  const size_t content = audio.size();
  audio.resize(content + features::whisper::kHop, 0);
  auto mel = features::whisper::whisper_log_mel(audio);
  audio.resize(content);
  if (!mel.ok()) return mel.status();
  frames = static_cast<int>(mel->size() / w_->hp.n_mels) - 1;
  return mel;
}

Result<Transcript> Transcriber::transcribe_features(
    std::span<const float> mel, int content_frames,
    const std::function<void(double, double)>& progress, const SpeechGate* gate) {
  const int n_mels = w_->hp.n_mels;
  if (content_frames < 1 || mel.size() < static_cast<size_t>(content_frames) * n_mels) {
    return InvalidArgument("transcribe_features: not enough features");
  }
  runtime::ScopedStageTimer timer(counters_);
  LongForm st;
  st.tr.duration = content_frames * kFrameSeconds;
  auto seek = decode_windows(mel, content_frames, true, 0, gate, st, progress);
  if (!seek.ok()) return seek.status();
  return finish(std::move(st), progress);
}

Result<Transcript> Transcriber::finish(LongForm st,
                                       const std::function<void(double, double)>& progress) {
  if (progress) progress(st.tr.duration, st.tr.duration);
  for (const auto& s : st.tr.segments) st.tr.text += s.text;
  st.tr.text = trim(st.tr.text);
  return std::move(st.tr);
}

}  // namespace earshot::asr
