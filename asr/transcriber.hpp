// Offline transcription of a whole recording with Whisper, the way faster-whisper does it:
// log-mel of the clip (normalised over the clip), 30 s windows (a clip under 30 s: 10 s by
// default, see TranscriberConfig::short_windows) that seek by the decoded
// timestamps, the previous window's text as prompt, temperature fallback on repetitive or
// improbable output, and windows the model calls silent (no-speech probability) skipped.
//
//   auto t = Transcriber::create(config, std::move(model));
//   auto r = t->transcribe(samples);   // 16 kHz mono int16
#pragma once

#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "asr/speech_gate.hpp"
#include "asr/tokenizer.hpp"
#include "asr/whisper_decoder.hpp"
#include "asr/whisper_encoder.hpp"
#include "asr/window_decoder.hpp"
#include "runtime/stage/stage_info.hpp"

namespace earshot::asr {

struct TranscriberConfig {
  int threads = 1;
  int beam_size = 1;  // 1 = greedy
  float patience = 1.0f;
  // Tried in order while the output looks wrong (compression ratio, log probability).
  std::vector<float> temperatures = {0.0f, 0.2f, 0.4f, 0.6f, 0.8f, 1.0f};
  float compression_ratio_threshold = 2.4f;
  float log_prob_threshold = -1.0f;
  float no_speech_threshold = 0.6f;
  bool condition_on_previous_text = true;
  float prompt_reset_on_temperature = 0.5f;
  bool timestamps = true;
  // Encoder input for a window with less than 30 s of audio (a short clip, or the end of a
  // long one): true runs the encoder on the audio rounded up to `pad_multiple` frames (zeros
  // after it), false pads to 30 s as Whisper was trained. Full windows are always 30 s. Below about
  // 8 s of input tiny.en loses track of where the audio ends and loops on the last words; at 10 s
  // the librivox clips keep their WER (int8 one phrase better, f32 one phrase worse;
  // bench/eval_asr) at a third of the time. A shortened window whose output fails the checks
  // (repetition, low probability) is decoded again at 30 s.
  bool short_windows = true;
  int pad_multiple = 1000;  // 10 s
  Status validate() const;
};

struct Word {
  std::string word;
  double start = 0, end = 0;
  float p = 0;
};

struct Segment {
  double start = 0, end = 0;
  std::string text;
  std::vector<int> tokens;
  std::vector<float> probs;
  double avg_logprob = 0;
  float no_speech_prob = 0;
  float temperature = 0;
  double compression_ratio = 0;
  std::vector<Word> words;
};

struct Transcript {
  std::string text;
  std::vector<Segment> segments;
  double duration = 0;  // seconds of audio
};

class Transcriber {
 public:
  // `model` must be an asr/whisper model file.
  static Result<std::unique_ptr<Transcriber>> create(const TranscriberConfig& config,
                                                     std::shared_ptr<model::Model> model);

  // progress(done_seconds, total_seconds) is called after each window when given. With a
  // `gate`, audio outside its speech spans is skipped and segments without speech under them
  // are dropped.
  Result<Transcript> transcribe(std::span<const int16_t> audio,
                                const std::function<void(double, double)>& progress = {},
                                const SpeechGate* gate = nullptr);
  // Decodes precomputed normalised features [frames][80] (content frames only).
  Result<Transcript> transcribe_features(std::span<const float> mel, int frames,
                                         const std::function<void(double, double)>& progress = {},
                                         const SpeechGate* gate = nullptr);

  // Pulls 16 kHz mono samples: writes up to `max` to `out` and returns how many; 0 at the end.
  using AudioPull = std::function<Result<size_t>(int16_t* out, size_t max)>;
  // A recording of any length, read in chunks of `chunk_seconds` (at least 60): memory is
  // bounded by one chunk plus the unfinished window before it. Each chunk's log-mel is
  // normalised over the chunk, so a recording no longer than one chunk gives transcribe()'s
  // result. With `vad`, every chunk is gated as transcribe() gates with a SpeechGate.
  // `total_seconds` (0 if unknown) only feeds progress.
  Result<Transcript> transcribe_stream(const AudioPull& pull, double total_seconds,
                                       const std::function<void(double, double)>& progress = {},
                                       vad::VadEngine* vad = nullptr, double chunk_seconds = 120);

  const WhisperTokenizer& tokenizer() const { return tok_; }
  const WhisperWeights& weights() const { return *w_; }
  const runtime::StageCounters& counters() const { return counters_; }
  // Short windows that failed the output checks and were decoded again at 30 s.
  int full_window_retries() const { return full_window_retries_; }
  runtime::KernelEngine engine() const {
    return w_->int8 ? runtime::KernelEngine::kI8 : runtime::KernelEngine::kF32;
  }
  runtime::PowerTier tier() const { return runtime::PowerTier::kTier2; }

  // One window: encoder + decoding with fallback (exposed for streaming and tests).
  struct WindowOutput {
    WindowResult result;
    float temperature = 0;
    double compression_ratio = 0;
  };
  // `allow_short`: the window may be shortened (config short_windows); for a window with less
  // than 30 s of audio. `timestamps`: 1 or 0 overrides the config's timestamp rules for this
  // window (the prompt must then end with, or without, <|notimestamps|> to match).
  Result<WindowOutput> decode_window(const float* mel, int frames, int content_frames,
                                     std::span<const int> prompt, bool allow_short = false,
                                     int timestamps = -1);
  std::vector<int> make_prompt(std::span<const int> previous) const;

 private:
  // What long-form decoding carries from one chunk of a recording to the next.
  struct LongForm {
    Transcript tr;
    std::vector<int> all_tokens;  // the text so far, the next window's prompt
    size_t prompt_reset_since = 0;
  };
  // Frames a gated chunk keeps when no speech is left in it: the VAD of the next chunk sees
  // the start of speech that begins at the boundary.
  static constexpr int kGateCarryFrames = 100;
  // Less of a speech span than this after the seek point is its end padding (0.4 s): skipped.
  static constexpr int kMinSpanRestFrames = 40;
  // Decodes windows of `mel` (`content_frames` frames, frame 0 at `offset` frames into the
  // recording) into st. Unless `final_chunk`, stops where a whole 30 s window no longer fits and
  // returns that frame; the caller passes the frames from there again with more after them.
  Result<int> decode_windows(std::span<const float> mel, int content_frames, bool final_chunk,
                             int64_t offset, const SpeechGate* gate, LongForm& st,
                             const std::function<void(double, double)>& progress);
  Result<Transcript> finish(LongForm st, const std::function<void(double, double)>& progress);
  // Whisper's log-mel of `audio` (extended for the computation, then restored) and the number
  // of content frames in it.
  Result<std::vector<float>> content_log_mel(std::vector<int16_t>& audio, int& frames) const;
  // Copies `content_frames` of `mel` into a window of `enc_frames` (the rest padding), runs
  // the encoder and hands its output to the decoder.
  Status encode_window(const float* mel, int content_frames, int enc_frames);
  Transcriber(const TranscriberConfig& c, std::shared_ptr<const WhisperWeights> w,
              WhisperTokenizer tok, WhisperEncoder enc, WhisperDecoder dec);

  TranscriberConfig cfg_;
  std::shared_ptr<const WhisperWeights> w_;
  WhisperTokenizer tok_;
  WhisperEncoder enc_;
  WhisperDecoder dec_;
  std::unique_ptr<runtime::ThreadPool> pool_;
  WindowDecoder wdec_;
  std::vector<float> window_;
  runtime::StageCounters counters_;
  int full_window_retries_ = 0;
};

// len(text) / len(zlib(text)), Whisper's repetition measure.
double compression_ratio(const std::string& text);

// Splits a segment's text into words (a word starts at a token beginning with a space) with
// times spread over the segment in proportion to their length (approximate, no alignment).
std::vector<Word> spread_words(const WhisperTokenizer& tok, const Segment& s);

}  // namespace earshot::asr
