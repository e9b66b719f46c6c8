// The seek loop of long-form transcription (Whisper's transcribe(), as faster-whisper runs
// it): 30 s windows that advance by the last timestamp the model wrote, the previous text as
// prompt, windows the model calls silent skipped, tokens split into segments at timestamp
// pairs. Resumable, so a recording can arrive in chunks (transcriber_stream.cpp).
#include <algorithm>

#include "asr/transcriber.hpp"
#include "asr/window_constants.hpp"

namespace earshot::asr {

using detail::kFrameSeconds;
using detail::kInputStride;
using detail::kTimePrecision;
using detail::kWindowFrames;
using detail::trim;

Result<int> Transcriber::decode_windows(std::span<const float> mel, int content_frames,
                                        bool final_chunk, int64_t offset, const SpeechGate* gate,
                                        LongForm& st,
                                        const std::function<void(double, double)>& progress) {
  const int tb = tok_.special().timestamp_begin;
  const int n_mels = w_->hp.n_mels;
  const double base_s = static_cast<double>(offset) * kFrameSeconds;
  std::vector<int>& all_tokens = st.all_tokens;
  size_t& prompt_reset_since = st.prompt_reset_since;
  Transcript& tr = st.tr;
  int seek = 0;
  while (seek < content_frames) {
    if (gate != nullptr) {
      const int next = gate->next_speech_frame(seek);
      if (next < 0) {  // no speech left in these frames; keep a little for the next call
        seek = final_chunk ? content_frames : std::max(seek, content_frames - kGateCarryFrames);
        break;
      }
      seek = next;
      if (seek >= content_frames) break;
    }
    // With a gate, a window ends where its speech span does: Whisper given a span and the
    // silence after it (up to the next span) stretches the span's last segment over the
    // silence and starts the next span's words early, and the seek then cuts into the next
    // span, which is decoded twice.
    int limit = content_frames;
    if (gate != nullptr) {
      const int end = gate->speech_end_frame(seek);
      if (end > 0 && end < content_frames) {
        if (end - seek < kMinSpanRestFrames) {  // only the span's trailing padding is left
          seek = end;
          continue;
        }
        limit = end;
      }
    }
    // A window that does not fit waits for the next call's frames, unless these are the final
    // ones.
    if (!final_chunk && limit == content_frames && content_frames - seek < kWindowFrames) break;
    const int segment_size = std::min(kWindowFrames, limit - seek);
    const double time_offset = base_s + seek * kFrameSeconds;
    std::span<const int> previous;
    if (cfg_.condition_on_previous_text) {
      previous = std::span<const int>(all_tokens).subspan(prompt_reset_since);
    }
    const std::vector<int> prompt = make_prompt(previous);
    auto win = decode_window(mel.data() + static_cast<size_t>(seek) * n_mels, segment_size,
                             segment_size, prompt, segment_size < kWindowFrames);
    if (!win.ok()) return win.status();
    const WindowResult& r = win->result;
    if (r.no_speech_prob > cfg_.no_speech_threshold && r.avg_logprob < cfg_.log_prob_threshold) {
      seek += segment_size;  // silence
      if (progress) progress(base_s + std::min(seek, content_frames) * kFrameSeconds, tr.duration);
      continue;
    }
    const std::vector<int>& tokens = r.tokens;
    std::vector<Segment> current;
    auto make = [&](size_t b, size_t e, double start, double end) {
      Segment s;
      s.start = start;
      s.end = end;
      s.tokens.assign(tokens.begin() + b, tokens.begin() + e);
      s.probs.assign(r.probs.begin() + b, r.probs.begin() + e);
      s.avg_logprob = r.avg_logprob;
      s.no_speech_prob = r.no_speech_prob;
      s.temperature = win->temperature;
      s.compression_ratio = win->compression_ratio;
      current.push_back(std::move(s));
    };
    const size_t n = tokens.size();
    const bool single_ts_ending = n >= 2 && tokens[n - 2] < tb && tokens[n - 1] >= tb;
    std::vector<size_t> slices;
    for (size_t i = 1; i < n; ++i) {
      if (tokens[i] >= tb && tokens[i - 1] >= tb) slices.push_back(i);
    }
    if (!slices.empty()) {
      if (single_ts_ending) slices.push_back(n);
      size_t last = 0;
      for (size_t cut : slices) {
        make(last, cut, time_offset + (tokens[last] - tb) * kTimePrecision,
             time_offset + (tokens[cut - 1] - tb) * kTimePrecision);
        last = cut;
      }
      if (single_ts_ending) {
        seek += segment_size;
      } else {
        seek += (tokens[last - 1] - tb) * kInputStride;
      }
    } else {
      double duration = segment_size * kFrameSeconds;
      for (size_t i = n; i-- > 0;) {
        if (tokens[i] >= tb) {
          if (tokens[i] != tb) duration = (tokens[i] - tb) * kTimePrecision;
          break;
        }
      }
      make(0, n, time_offset, time_offset + duration);
      seek += segment_size;
    }
    for (Segment& s : current) {
      s.text = tok_.decode(s.tokens);
      if (s.start == s.end || trim(s.text).empty()) continue;
      if (gate != nullptr && !gate->overlaps(s.start - base_s, s.end - base_s)) continue;
      all_tokens.insert(all_tokens.end(), s.tokens.begin(), s.tokens.end());
      s.words = spread_words(tok_, s);
      tr.segments.push_back(std::move(s));
    }
    if (!cfg_.condition_on_previous_text || win->temperature > cfg_.prompt_reset_on_temperature) {
      prompt_reset_since = all_tokens.size();
    }
    if (progress) progress(base_s + std::min(seek, content_frames) * kFrameSeconds, tr.duration);
  }
  return std::min(seek, content_frames);
}

}  // namespace earshot::asr
