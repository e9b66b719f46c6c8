// Streaming Whisper: audio pushed as it arrives, partial hypotheses about every `step_s`
// seconds of new speech, a final result at the endpoint (VAD silence) or at finish().
//
//   producer thread (capture callback)   consumer thread
//   ----------------------------------   ------------------------------------------------
//   s->push(block);  // copy, no alloc   for (auto e = s->step(); e.ok() && e->has_value();
//   ...                                       e = s->step()) {
//   s->finish();     // end of input       show(**e);  // partial or final
//                                        }
//
// push() and finish() only touch a lock-free single-producer ring buffer; all the work (VAD,
// log-mel, Whisper) happens in step(). Within an utterance every decode runs on the audio of
// the current window (from the utterance start or the last commit, at most 30 s) and is
// forced to begin with the confirmed tokens (the decoder prefix), so confirmed words never
// change. The new words of two consecutive decodes that agree become confirmed
// (LocalAgreement-2); the partial is the confirmed text plus the newest tentative tail.
// A decode also runs when the VAD hears a pause, so at the endpoint the final is usually
// ready without another decode. Past `max_window_s` the window's text is committed at the
// quietest frame of its last seconds and the window moves on. Decode points depend only on
// the audio (not on how it was chunked), except that partials wait while step() is more than
// `catch_up_s` behind.
//
// Without a VAD engine the whole stream is one utterance ended by finish().
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "asr/streaming_endpointer.hpp"
#include "asr/transcriber.hpp"
#include "audio/spsc_ring_buffer.hpp"
#include "features/whisper/streaming_whisper_mel.hpp"
#include "vad/vad_engine.hpp"

namespace earshot::asr {

struct StreamingConfig {
  float step_s = 0.5f;              // new utterance audio between two partial decodes
  float first_decode_s = 1.0f;      // utterance audio before the first partial (less is noise)
  float endpoint_silence_s = 0.7f;  // VAD silence that ends an utterance
  float pause_silence_s = 0.25f;    // VAD silence that triggers a decode (final precompute)
  float min_speech_s = 0.1f;        // VAD speech that opens an utterance
  float vad_threshold = 0.5f;       // speech probability threshold
  float preroll_s = 0.3f;           // audio kept before the detected speech start
  float max_window_s = 25.0f;       // a longer window commits its text and moves on
  float max_tokens_per_s = 8.0f;    // more new tokens per second of audio is a loop
  float compression_ratio_threshold = 2.4f;  // a more repetitive hypothesis is rejected
  // Partial decodes wait while more than this much audio is queued (the consumer is behind
  // real time: catch up first; the final is decoded at the endpoint either way).
  float catch_up_s = 2.0f;
  float ring_s = 30.0f;  // push() buffer: audio not yet taken by step()
  // The final of an utterance decoded afresh from its whole window (as an offline decode of
  // the same audio would be), not continued from the confirmed partial text. Partials still
  // confirm words as they stabilise; the final may differ from them. The fresh decode is made
  // at the pause before the endpoint when it can be, so it rarely adds latency.
  bool fresh_final = false;
  // Used when the streaming transcriber makes its own Transcriber from a model (the
  // encoder window is the window rounded up to `pad_s`, see TranscriberConfig).
  int threads = 1;
  float pad_s = 10.0f;
  Status validate() const;
};

struct StreamEvent {
  enum class Type : uint8_t { kPartial, kFinal };
  Type type = Type::kPartial;
  std::string text;       // whole utterance so far (final: the result)
  std::string confirmed;  // prefix of `text` that will not change (final: all of it)
  double start = 0;       // utterance start, seconds since the stream began
  double end = 0;         // end of the audio this text was decoded from
  double speech_end = 0;  // final: where the VAD last heard speech in the utterance
  int utterance = 0;      // 0, 1, ... per stream
};

class StreamingTranscriber {
 public:
  // Shares `transcriber` (which must not be used elsewhere at the same time); it must decode
  // without timestamps (TranscriberConfig::timestamps = false), since confirmed text is fed
  // as the decoder prefix. `vad` is optional (see above).
  static Result<std::unique_ptr<StreamingTranscriber>> create(
      const StreamingConfig& config, std::shared_ptr<Transcriber> transcriber,
      std::unique_ptr<vad::VadEngine> vad = nullptr);
  // Makes its own Transcriber from an asr/whisper model.
  static Result<std::unique_ptr<StreamingTranscriber>> create(
      const StreamingConfig& config, std::shared_ptr<model::Model> model,
      std::unique_ptr<vad::VadEngine> vad = nullptr);

  // Producer. Copies 16 kHz mono int16 into the ring buffer: no allocation, no lock (an
  // error Status builds its message). Fails after finish() and when the ring is full (the
  // consumer is behind: nothing is copied then, push again after step()).
  Status push(std::span<const int16_t> samples) noexcept;
  // Producer: the input has ended. step() drains the audio and ends the open utterance.
  Status finish() noexcept;

  // Consumer. Works until something happens: a new partial (text changed) or a final.
  // Returns no event when the audio pushed so far is used up.
  Result<std::optional<StreamEvent>> step();
  // Consumer: true while step() has audio or an end of stream to work on.
  bool is_ready() const noexcept;
  // Consumer: after finish() was seen and everything drained.
  bool is_finished() const noexcept { return finished_; }
  // Consumer: an utterance has begun (the VAD heard speech) and has not ended.
  bool in_utterance() const noexcept { return in_utterance_; }
  // Consumer: samples taken from the buffer since the stream began.
  int64_t samples_consumed() const noexcept { return stream_samples_; }
  // The latest partial (or the last final, until the next utterance starts).
  const StreamEvent& result() const noexcept { return last_; }
  // Forgets all audio and state; the stream can be pushed again. Neither side may run.
  void reset() noexcept;

  const Transcriber& transcriber() const noexcept { return *t_; }
  // Decodes run so far, and finals that reused the decode made at a pause.
  int decodes() const noexcept { return decodes_; }
  int finals_precomputed() const noexcept { return finals_precomputed_; }
  const runtime::StageCounters& counters() const noexcept { return counters_; }
  runtime::PowerTier tier() const noexcept { return runtime::PowerTier::kTier2; }
  runtime::KernelEngine engine() const noexcept { return t_->engine(); }

 private:
  StreamingTranscriber(const StreamingConfig& c, std::shared_ptr<Transcriber> t,
                       std::unique_ptr<vad::VadEngine> vad);
  // One VAD frame (or 10 ms without VAD) of audio through the endpointer and the log-mel.
  Status consume_frame(const int16_t* samples, int n);
  void start_utterance();
  // Forgets the utterance's text: committed, confirmed and tentative words.
  void clear_hypotheses();
  void append_mel(std::span<const int16_t> samples);
  // Decodes the window's first `frames` mel frames after the confirmed prefix; returns the
  // new tail tokens (loop guarded) or nothing when the decode looks wrong.
  // `timestamped`: with Whisper's timestamp rules, as offline transcription decodes (a short
  // window then cannot run past the end of its audio into a repeat of itself).
  Result<std::optional<std::vector<int>>> decode(int frames, bool final, bool timestamped = false);
  // fresh_final: the window's first `frames` frames decoded without the confirmed prefix.
  Result<std::vector<int>> fresh_tokens(int frames);
  Status partial_decode();
  // Final decode of the window up to `frames` (all of it, or a commit point).
  Result<std::vector<int>> final_tokens(int frames);
  Status commit_window();
  Result<std::optional<StreamEvent>> end_utterance();
  StreamEvent make_event(StreamEvent::Type type, std::span<const int> tail) const;
  double seconds(int64_t samples) const { return static_cast<double>(samples) / 16000.0; }

  StreamingConfig cfg_;
  std::shared_ptr<Transcriber> t_;
  std::unique_ptr<vad::VadEngine> vad_;
  Endpointer endpointer_;
  audio::SpscRingBuffer<int16_t> ring_;
  std::atomic<bool> finish_requested_{false};

  // Consumer state, all sized at creation.
  int frame_samples_ = 160;  // samples per VAD frame (160 without VAD)
  std::vector<int16_t> frame_;
  size_t frame_fill_ = 0;
  std::vector<int16_t> preroll_;  // circular, the last preroll_s of audio before speech
  size_t preroll_pos_ = 0, preroll_fill_ = 0;
  features::whisper::StreamingWhisperMel mel_;
  std::vector<float> mel_buf_;  // window frames [frames][80], log10 mel
  std::vector<float> mel_out_;  // one push() worth of frames
  std::vector<float> window_;   // normalised copy handed to the encoder
  int mel_frames_ = 0;          // frames in mel_buf_
  int max_frames_ = 0;          // capacity of mel_buf_ in frames
  int64_t stream_samples_ = 0;  // samples consumed since the stream began
  int64_t utt_start_ = 0;       // stream sample where the utterance's audio starts
  int64_t window_start_ = 0;    // stream sample of mel_buf_ frame 0
  bool in_utterance_ = false;
  bool finished_ = false;
  int utterance_ = 0;

  // Hypotheses (tokens).
  std::vector<int> committed_;  // earlier windows of this utterance
  std::vector<int> confirmed_;  // this window, agreed; fed as the decoder prefix
  std::vector<int> tail_;       // newest decode after confirmed_
  bool have_tail_ = false;
  int decoded_frames_ = -1;  // window frames the last decode saw (-1: none yet)
  int frames_at_last_decode_ = 0;
  bool pause_pending_ = false;  // the VAD heard a pause not decoded yet
  // fresh_final: the whole-window decode made at the last pause, and the frames it saw.
  std::vector<int> fresh_tokens_;
  int fresh_frames_ = -1;
  bool endpoint_pending_ = false;
  int64_t last_speech_end_ = 0;  // stream sample after the last VAD speech frame
  StreamEvent last_;
  std::string last_partial_text_;

  int decodes_ = 0;
  int finals_precomputed_ = 0;
  runtime::StageCounters counters_;
};

}  // namespace earshot::asr
