#include "asr/streaming_transcriber.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "asr/streaming_hypothesis.hpp"
#include "features/whisper/whisper_log_mel.hpp"

namespace earshot::asr {
namespace {

namespace wm = features::whisper;

constexpr int kSampleRate = 16000;
constexpr int kMaxWindowFrames = 3000;  // Whisper's 30 s input
constexpr int kHop = wm::kHop;
constexpr int kMels = wm::kMelBins;
// Window frames scanned for the quietest commit point, ending at max_window_s.
constexpr int kCommitSearchFrames = 300;
// Decoder positions kept free after the prompt: start tokens and room to generate.
constexpr size_t kPromptReserve = 96;

int frames_for(float seconds, int frame_samples) {
  return std::max(1, static_cast<int>(std::lround(seconds * kSampleRate / frame_samples)));
}

std::string drop_leading_space(std::string s) {
  const size_t b = s.find_first_not_of(' ');
  return b == std::string::npos ? std::string() : s.substr(b);
}

}  // namespace

Status StreamingConfig::validate() const {
  auto in = [](float v, float lo, float hi) { return std::isfinite(v) && v >= lo && v <= hi; };
  if (!in(step_s, 0.1f, 10.0f)) return InvalidArgument("step_s must be in [0.1, 10]");
  if (!in(first_decode_s, 0.1f, 10.0f))
    return InvalidArgument("first_decode_s must be in [0.1, 10]");
  if (!in(endpoint_silence_s, 0.1f, 10.0f)) {
    return InvalidArgument("endpoint_silence_s must be in [0.1, 10]");
  }
  if (!in(pause_silence_s, 0.01f, endpoint_silence_s)) {
    return InvalidArgument("pause_silence_s must be in [0.01, endpoint_silence_s]");
  }
  if (!in(min_speech_s, 0.0f, 2.0f)) return InvalidArgument("min_speech_s must be in [0, 2]");
  if (!in(vad_threshold, 0.01f, 0.99f))
    return InvalidArgument("vad_threshold must be in [0.01, 0.99]");
  if (!in(preroll_s, 0.0f, 2.0f)) return InvalidArgument("preroll_s must be in [0, 2]");
  if (!in(max_window_s, 5.0f, 28.0f)) return InvalidArgument("max_window_s must be in [5, 28]");
  if (!in(max_tokens_per_s, 1.0f, 50.0f))
    return InvalidArgument("max_tokens_per_s must be in [1, 50]");
  if (!in(compression_ratio_threshold, 1.0f, 100.0f)) {
    return InvalidArgument("compression_ratio_threshold must be in [1, 100]");
  }
  if (!in(ring_s, 1.0f, 600.0f)) return InvalidArgument("ring_s must be in [1, 600]");
  if (!in(catch_up_s, 0.1f, ring_s)) return InvalidArgument("catch_up_s must be in [0.1, ring_s]");
  if (threads < 1 || threads > 256) return InvalidArgument("threads must be in [1, 256]");
  if (!in(pad_s, 0.02f, 30.0f)) return InvalidArgument("pad_s must be in [0.02, 30]");
  return Status::Ok();
}

StreamingTranscriber::StreamingTranscriber(const StreamingConfig& c, std::shared_ptr<Transcriber> t,
                                           std::unique_ptr<vad::VadEngine> vad)
    : cfg_(c),
      t_(std::move(t)),
      vad_(std::move(vad)),
      endpointer_({}),
      ring_(static_cast<size_t>(std::lround(c.ring_s * kSampleRate))) {
  frame_samples_ = vad_ ? vad_->frame_samples() : kHop;
  EndpointerConfig e;
  e.threshold_q15 = static_cast<int32_t>(std::lround(c.vad_threshold * 32768.0f));
  e.min_speech_frames = frames_for(c.min_speech_s, frame_samples_);
  e.pause_frames = frames_for(c.pause_silence_s, frame_samples_);
  e.endpoint_frames =
      std::max(e.pause_frames + 1, frames_for(c.endpoint_silence_s, frame_samples_));
  endpointer_ = Endpointer(e);
  frame_.resize(frame_samples_);
  preroll_.resize(static_cast<size_t>(std::lround((c.preroll_s + c.min_speech_s) * kSampleRate)) +
                  frame_samples_);
  max_frames_ = kMaxWindowFrames;
  mel_buf_.resize(static_cast<size_t>(max_frames_ + 2) * kMels);
  mel_out_.resize(static_cast<size_t>(std::max<size_t>(16, preroll_.size() / kHop + 4)) * kMels);
  window_.resize(static_cast<size_t>(max_frames_) * kMels);
  counters_.state_bytes = (mel_buf_.size() + mel_out_.size() + window_.size()) * sizeof(float) +
                          (ring_.capacity() + preroll_.size() + frame_.size()) * sizeof(int16_t);
}

Result<std::unique_ptr<StreamingTranscriber>> StreamingTranscriber::create(
    const StreamingConfig& config, std::shared_ptr<Transcriber> transcriber,
    std::unique_ptr<vad::VadEngine> vad) {
  EARSHOT_RETURN_IF_ERROR(config.validate());
  if (!transcriber) return InvalidArgument("StreamingTranscriber: no transcriber");
  const std::vector<int> p = transcriber->make_prompt({});
  if (p.empty() || p.back() != transcriber->tokenizer().special().no_timestamps) {
    return InvalidArgument(
        "StreamingTranscriber: the transcriber must decode without timestamps "
        "(TranscriberConfig::timestamps = false)");
  }
  if (vad && (vad->frame_samples() < 1 || vad->frame_samples() > kSampleRate)) {
    return InvalidArgument("StreamingTranscriber: VAD frame size out of range");
  }
  std::unique_ptr<StreamingTranscriber> s(
      new StreamingTranscriber(config, std::move(transcriber), std::move(vad)));
  if (!s->mel_.ok()) return Internal("StreamingTranscriber: log-mel setup failed");
  return s;
}

Result<std::unique_ptr<StreamingTranscriber>> StreamingTranscriber::create(
    const StreamingConfig& config, std::shared_ptr<model::Model> model,
    std::unique_ptr<vad::VadEngine> vad) {
  EARSHOT_RETURN_IF_ERROR(config.validate());
  TranscriberConfig tc;
  tc.threads = config.threads;
  tc.timestamps = false;
  // A decode continuing the confirmed prefix may generate little more than end-of-text, so
  // its average log probability says little; low-probability fallbacks (another decode at
  // 30 s, then at higher temperatures) would only add latency. Repetition still falls back.
  tc.log_prob_threshold = -std::numeric_limits<float>::infinity();
  tc.short_windows = true;
  tc.pad_multiple =
      std::clamp(2 * static_cast<int>(std::lround(config.pad_s * 50.0f)), 2, kMaxWindowFrames);
  auto t = Transcriber::create(tc, std::move(model));
  if (!t.ok()) return t.status();
  return create(config, std::shared_ptr<Transcriber>(std::move(t).value()), std::move(vad));
}

Status StreamingTranscriber::push(std::span<const int16_t> samples) noexcept {
  if (finish_requested_.load(std::memory_order_acquire)) {
    return InvalidArgument("StreamingTranscriber: push() after finish(); reset() first");
  }
  if (samples.empty()) return Status::Ok();
  if (samples.size() > ring_.free_space()) {
    return ResourceExhausted("StreamingTranscriber: buffer full, call step() (nothing copied)");
  }
  ring_.push(samples.data(), samples.size());
  return Status::Ok();
}

Status StreamingTranscriber::finish() noexcept {
  if (finish_requested_.exchange(true, std::memory_order_acq_rel)) {
    return InvalidArgument("StreamingTranscriber: finish() called twice; reset() first");
  }
  return Status::Ok();
}

bool StreamingTranscriber::is_ready() const noexcept {
  if (finished_) return false;
  return ring_.available() > 0 || finish_requested_.load(std::memory_order_acquire) ||
         pause_pending_;
}

void StreamingTranscriber::reset() noexcept {
  int16_t scratch[256];
  while (ring_.pop(scratch, 256) > 0) {
  }
  finish_requested_.store(false, std::memory_order_release);
  if (vad_) vad_->reset();
  endpointer_.reset();
  mel_.reset();
  frame_fill_ = 0;
  preroll_pos_ = preroll_fill_ = 0;
  mel_frames_ = 0;
  stream_samples_ = utt_start_ = window_start_ = last_speech_end_ = 0;
  in_utterance_ = finished_ = endpoint_pending_ = pause_pending_ = false;
  utterance_ = 0;
  clear_hypotheses();
  last_ = {};
}

void StreamingTranscriber::clear_hypotheses() {
  committed_.clear();
  confirmed_.clear();
  tail_.clear();
  have_tail_ = false;
  decoded_frames_ = -1;
  frames_at_last_decode_ = 0;
  last_partial_text_.clear();
  fresh_tokens_.clear();
  fresh_frames_ = -1;
}

void StreamingTranscriber::append_mel(std::span<const int16_t> samples) {
  // Frames beyond the buffer cannot happen: the window is committed at max_window_s < 30 s.
  while (!samples.empty()) {
    const std::span<const int16_t> part = samples.first(std::min<size_t>(samples.size(), 4 * kHop));
    samples = samples.subspan(part.size());
    const size_t n = mel_.push(part, mel_out_);
    const size_t room = static_cast<size_t>(max_frames_ + 2 - mel_frames_);
    const size_t keep = std::min(n, room);
    std::copy_n(mel_out_.begin(), keep * kMels,
                mel_buf_.begin() + static_cast<size_t>(mel_frames_) * kMels);
    mel_frames_ += static_cast<int>(keep);
  }
}

void StreamingTranscriber::start_utterance() {
  in_utterance_ = true;
  mel_.reset();
  mel_frames_ = 0;
  clear_hypotheses();
  pause_pending_ = false;
  // The pre-roll, oldest sample first.
  const size_t cap = preroll_.size();
  const size_t first = (preroll_pos_ + cap - preroll_fill_) % cap;
  const size_t a = std::min(preroll_fill_, cap - first);
  utt_start_ = window_start_ = stream_samples_ - static_cast<int64_t>(preroll_fill_);
  append_mel(std::span<const int16_t>(preroll_.data() + first, a));
  append_mel(std::span<const int16_t>(preroll_.data(), preroll_fill_ - a));
  preroll_fill_ = 0;
}

Status StreamingTranscriber::consume_frame(const int16_t* samples, int n) {
  EndpointEvent ev = EndpointEvent::kNone;
  bool speech = true;
  if (vad_) {
    int32_t p = 0;
    EARSHOT_RETURN_IF_ERROR(vad_->process_frame(samples, &p));
    ev = endpointer_.push(p);
    speech = endpointer_.in_utterance() && endpointer_.silence_frames() == 0;
  } else if (!in_utterance_) {
    ev = EndpointEvent::kSpeechStart;
  }
  const std::span<const int16_t> audio(samples, static_cast<size_t>(n));
  if (!in_utterance_) {
    for (int16_t v : audio) {
      preroll_[preroll_pos_] = v;
      preroll_pos_ = (preroll_pos_ + 1) % preroll_.size();
    }
    preroll_fill_ = std::min(preroll_.size(), preroll_fill_ + audio.size());
    stream_samples_ += n;
    if (ev == EndpointEvent::kSpeechStart) start_utterance();
  } else {
    append_mel(audio);
    stream_samples_ += n;
    if (ev == EndpointEvent::kPause) pause_pending_ = true;
    if (ev == EndpointEvent::kEndpoint) endpoint_pending_ = true;
  }
  if (in_utterance_ && speech) last_speech_end_ = stream_samples_;
  ++counters_.frames;
  return Status::Ok();
}

Result<std::optional<std::vector<int>>> StreamingTranscriber::decode(int frames, bool final,
                                                                     bool timestamped) {
  if (frames < 1) return std::optional<std::vector<int>>(std::vector<int>{});
  const size_t values = static_cast<size_t>(frames) * kMels;
  std::copy_n(mel_buf_.begin(), values, window_.begin());
  wm::whisper_normalize(std::span<float>(window_.data(), values));
  // Earlier windows' text as context, as much as leaves the decoder room after the prefix.
  const size_t ctx = static_cast<size_t>(t_->weights().hp.n_text_ctx);
  const size_t used = confirmed_.size() + kPromptReserve;
  const size_t context = std::min(committed_.size(), ctx > used ? (ctx - used) : size_t{0});
  std::vector<int> prompt = t_->make_prompt(std::span<const int>(committed_).last(context));
  if (timestamped && !prompt.empty()) prompt.pop_back();  // <|notimestamps|>
  prompt.insert(prompt.end(), confirmed_.begin(), confirmed_.end());
  auto r = t_->decode_window(window_.data(), frames, frames, prompt, true, timestamped ? 1 : -1);
  if (!r.ok()) return r.status();
  ++decodes_;
  const WhisperTokenizer& tok = t_->tokenizer();
  std::vector<int> tail;
  for (int x : r->result.tokens) {
    if (tok.is_text(x)) tail.push_back(x);
  }
  // Whisper's own silence test, meaningful only right after the start token.
  if (committed_.empty() && confirmed_.empty() && r->result.no_speech_prob > 0.6f &&
      r->result.avg_logprob < -1.0) {
    return std::optional<std::vector<int>>(std::vector<int>{});
  }
  tail.resize(loop_free_prefix(tok, confirmed_, tail));
  // More text than anyone speaks in this much audio: keep the words that fit.
  const double window_s = frames / 100.0;
  const size_t cap = static_cast<size_t>(cfg_.max_tokens_per_s * window_s) + 4;
  if (confirmed_.size() + tail.size() > cap) {
    const size_t room = cap > confirmed_.size() ? cap - confirmed_.size() : 0;
    size_t keep = 0;
    for (const auto& w : split_words(tok, tail)) {
      if (w.end > room) break;
      keep = w.end;
    }
    tail.resize(keep);
    if (!final) return std::optional<std::vector<int>>();
  }
  if (!final) {
    // A partial that starts the confirmed text over or compresses too well is a loop
    // beginning; the final keeps such a tail (the speaker may have repeated themselves).
    std::vector<int> all = confirmed_;
    all.insert(all.end(), tail.begin(), tail.end());
    if (repeats_confirmed_end(tok, confirmed_, tail) ||
        compression_ratio(tok.decode(all)) > cfg_.compression_ratio_threshold) {
      return std::optional<std::vector<int>>();
    }
  }
  return std::optional<std::vector<int>>(std::move(tail));
}

Result<std::vector<int>> StreamingTranscriber::fresh_tokens(int frames) {
  std::vector<int> confirmed;
  confirmed.swap(confirmed_);
  auto r = decode(frames, true, true);
  confirmed_.swap(confirmed);
  if (!r.ok()) return r.status();
  return r->has_value() ? std::move(**r) : std::vector<int>{};
}

Status StreamingTranscriber::partial_decode() {
  const int frames = mel_frames_;
  frames_at_last_decode_ = frames;
  auto r = decode(frames, false);
  if (!r.ok()) return r.status();
  if (!r->has_value()) return Status::Ok();  // rejected: keep the previous partial
  std::vector<int> tail = std::move(**r);
  if (have_tail_) {
    const WhisperTokenizer& tok = t_->tokenizer();
    const size_t n = agreed_prefix_tokens(tok, tail_, tail);
    std::span<const int> agreed(tail.data(), n);
    // The newer decode's spelling, except a sentence start that lost its capital (tiny.en
    // flips it between decodes, and confirmed text is kept as confirmed).
    if (n > 0 && committed_.empty() && confirmed_.empty() && starts_upper(tok, tail_) &&
        !starts_upper(tok, tail)) {
      const size_t words = split_words(tok, agreed).size();
      agreed = std::span<const int>(tail_.data(), word_prefix_tokens(tok, tail_, words));
    }
    confirmed_.insert(confirmed_.end(), agreed.begin(), agreed.end());
    tail.erase(tail.begin(), tail.begin() + n);
  }
  tail_ = std::move(tail);
  have_tail_ = true;
  decoded_frames_ = frames;
  return Status::Ok();
}

Result<std::vector<int>> StreamingTranscriber::final_tokens(int frames) {
  auto r = decode(frames, true);
  if (!r.ok()) return r.status();
  return r->has_value() ? std::move(**r) : std::vector<int>{};
}

Status StreamingTranscriber::commit_window() {
  // Cut at the quietest frame (lowest mean log-mel over 5 frames) of the last seconds.
  const int hi = std::min(mel_frames_, max_frames_) - 3;
  const int lo = std::max(3, hi - kCommitSearchFrames);
  int cut = hi;
  float best = 0.0f;
  for (int f = lo; f < hi; ++f) {
    float e = 0.0f;
    for (int d = -2; d <= 2; ++d) {
      const float* m = mel_buf_.data() + static_cast<size_t>(f + d) * kMels;
      for (int k = 0; k < kMels; ++k) e += m[k];
    }
    if (f == lo || e < best) {
      best = e;
      cut = f;
    }
  }
  cut = std::clamp(cut, std::min(1, mel_frames_), mel_frames_);
  auto tail = final_tokens(cut);
  if (!tail.ok()) return tail.status();
  committed_.insert(committed_.end(), confirmed_.begin(), confirmed_.end());
  committed_.insert(committed_.end(), tail->begin(), tail->end());
  confirmed_.clear();
  tail_.clear();
  have_tail_ = false;
  std::copy(mel_buf_.begin() + static_cast<size_t>(cut) * kMels,
            mel_buf_.begin() + static_cast<size_t>(mel_frames_) * kMels, mel_buf_.begin());
  mel_frames_ -= cut;
  window_start_ += static_cast<int64_t>(cut) * kHop;
  decoded_frames_ = -1;
  frames_at_last_decode_ = 0;
  fresh_frames_ = -1;
  return Status::Ok();
}

StreamEvent StreamingTranscriber::make_event(StreamEvent::Type type,
                                             std::span<const int> tail) const {
  const WhisperTokenizer& tok = t_->tokenizer();
  std::vector<int> all = committed_;
  all.insert(all.end(), confirmed_.begin(), confirmed_.end());
  StreamEvent e;
  e.type = type;
  e.confirmed = drop_leading_space(tok.decode(all));
  all.insert(all.end(), tail.begin(), tail.end());
  e.text = drop_leading_space(tok.decode(all));
  if (type == StreamEvent::Type::kFinal) e.confirmed = e.text;
  e.start = seconds(utt_start_);
  e.end = seconds(window_start_ + static_cast<int64_t>(std::max(decoded_frames_, 0)) * kHop);
  e.utterance = utterance_;
  return e;
}

Result<std::optional<StreamEvent>> StreamingTranscriber::end_utterance() {
  endpoint_pending_ = false;
  pause_pending_ = false;
  if (!in_utterance_) return std::optional<StreamEvent>();
  in_utterance_ = false;
  endpointer_.reset();
  const int64_t decoded_end =
      window_start_ + static_cast<int64_t>(std::max(decoded_frames_, 0)) * kHop;
  std::vector<int> tail;
  const int64_t fresh_end = window_start_ + static_cast<int64_t>(fresh_frames_) * kHop;
  if (cfg_.fresh_final && fresh_frames_ >= 0 && fresh_end >= last_speech_end_) {
    // Nothing was said after the whole-window decode made at the pause.
    tail = fresh_tokens_;
    confirmed_.clear();
    decoded_frames_ = fresh_frames_;
    ++finals_precomputed_;
  } else if (!cfg_.fresh_final && have_tail_ && decoded_end >= last_speech_end_) {
    // Nothing was said after the last decode (made at the pause): it is the final.
    tail = tail_;
    ++finals_precomputed_;
  } else {
    // The last frames, as the offline log-mel makes them: 160 zeros appended, the end
    // reflected, the extra frame dropped.
    const int16_t zeros[kHop] = {};
    append_mel(zeros);
    const size_t n = mel_.flush(mel_out_);
    const int content = static_cast<int>((stream_samples_ - window_start_) / kHop);
    const size_t keep = std::min<size_t>(n, static_cast<size_t>(max_frames_ + 2 - mel_frames_));
    std::copy_n(mel_out_.begin(), keep * kMels,
                mel_buf_.begin() + static_cast<size_t>(mel_frames_) * kMels);
    mel_frames_ = std::min(mel_frames_ + static_cast<int>(keep), std::min(content, max_frames_));
    auto r = cfg_.fresh_final ? fresh_tokens(mel_frames_) : final_tokens(mel_frames_);
    if (!r.ok()) return r.status();
    tail = std::move(r).value();
    if (cfg_.fresh_final) confirmed_.clear();
    decoded_frames_ = mel_frames_;
  }
  mel_.reset();
  StreamEvent e = make_event(StreamEvent::Type::kFinal, tail);
  e.speech_end = seconds(last_speech_end_);
  committed_.clear();
  confirmed_.clear();
  tail_.clear();
  have_tail_ = false;
  last_partial_text_.clear();
  fresh_tokens_.clear();
  fresh_frames_ = -1;
  if (e.text.empty()) return std::optional<StreamEvent>();  // nothing said after all
  ++utterance_;
  last_ = e;
  return std::optional<StreamEvent>(std::move(e));
}

Result<std::optional<StreamEvent>> StreamingTranscriber::step() {
  runtime::ScopedStageTimer timer(counters_);
  const int step_frames = std::max(1, static_cast<int>(std::lround(cfg_.step_s * 100.0f)));
  const int first_frames = static_cast<int>(std::lround(cfg_.first_decode_s * 100.0f));
  while (!finished_) {
    if (endpoint_pending_) {
      auto e = end_utterance();
      if (!e.ok() || e->has_value()) return e;
      continue;
    }
    if (in_utterance_) {
      // Also when the confirmed prefix would crowd the decoder's text context.
      const size_t prefix_limit = static_cast<size_t>(t_->weights().hp.n_text_ctx) / 2;
      if (mel_frames_ >= static_cast<int>(std::lround(cfg_.max_window_s * 100.0f)) ||
          confirmed_.size() > prefix_limit) {
        EARSHOT_RETURN_IF_ERROR(commit_window());
      }
      const int fresh = mel_frames_ - frames_at_last_decode_;
      // On the step cadence once there is enough audio, and at a pause (the final's decode).
      const bool cadence = fresh >= step_frames && mel_frames_ >= first_frames;
      const bool behind = static_cast<double>(ring_.available()) > cfg_.catch_up_s * kSampleRate;
      if (!behind && (cadence || (pause_pending_ && fresh > 0))) {
        const bool at_pause = pause_pending_;
        pause_pending_ = false;
        EARSHOT_RETURN_IF_ERROR(partial_decode());
        if (cfg_.fresh_final && at_pause) {
          auto f = fresh_tokens(mel_frames_);
          if (!f.ok()) return f.status();
          fresh_tokens_ = std::move(f).value();
          fresh_frames_ = mel_frames_;
        }
        StreamEvent e = make_event(StreamEvent::Type::kPartial, tail_);
        if (!e.text.empty() && e.text != last_partial_text_) {
          last_partial_text_ = e.text;
          last_ = e;
          return std::optional<StreamEvent>(std::move(e));
        }
        continue;
      }
    }
    // Read before the ring: every push() made before finish() is visible once the flag is.
    const bool ending = finish_requested_.load(std::memory_order_acquire);
    frame_fill_ += ring_.pop(frame_.data() + frame_fill_, frame_.size() - frame_fill_);
    if (frame_fill_ == frame_.size()) {
      frame_fill_ = 0;
      EARSHOT_RETURN_IF_ERROR(consume_frame(frame_.data(), frame_samples_));
      continue;
    }
    if (!ending) return std::optional<StreamEvent>();  // wait for more audio
    if (frame_fill_ > 0) {
      // The last partial frame: the VAD hears it zero-padded, the log-mel only the audio.
      const int n = static_cast<int>(frame_fill_);
      std::fill(frame_.begin() + n, frame_.end(), int16_t{0});
      frame_fill_ = 0;
      EARSHOT_RETURN_IF_ERROR(consume_frame(frame_.data(), n));
    }
    finished_ = true;
    return end_utterance();
  }
  return std::optional<StreamEvent>();
}

}  // namespace earshot::asr
