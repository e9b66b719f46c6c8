// Transcription of a recording pulled in chunks (multi-hour files with bounded memory): each
// chunk joins the unfinished window left from the one before, its log-mel is computed, the
// seek loop decodes every whole window, and the audio before the stop point is dropped.
#include <algorithm>
#include <optional>

#include "asr/transcriber.hpp"
#include "asr/window_constants.hpp"
#include "features/whisper/whisper_log_mel.hpp"

namespace earshot::asr {

using detail::kFrameSeconds;
using detail::kSamplesPerFrame;
using detail::kWindowFrames;

Result<Transcript> Transcriber::transcribe_stream(
    const AudioPull& pull, double total_seconds,
    const std::function<void(double, double)>& progress, vad::VadEngine* vad,
    double chunk_seconds) {
  if (!pull) return InvalidArgument("transcribe_stream: no audio source");
  if (!(chunk_seconds >= 60.0) || chunk_seconds > 3600.0) {
    return InvalidArgument("transcribe_stream: chunk_seconds must be in [60, 3600]");
  }
  runtime::ScopedStageTimer timer(counters_);
  const size_t chunk = static_cast<size_t>(chunk_seconds * 16000.0);
  const size_t carry_max = static_cast<size_t>(kWindowFrames) * kSamplesPerFrame;
  std::vector<int16_t> buf;
  buf.reserve(chunk + carry_max + features::whisper::kHop);
  int64_t base = 0;  // recording sample of buf[0]
  int64_t read = 0;
  bool eof = false;
  LongForm st;
  st.tr.duration = total_seconds;
  while (!eof) {
    // Fill up to one chunk of new samples after what is left of the previous one.
    const size_t target = buf.size() + chunk;
    while (!eof && buf.size() < target) {
      const size_t old = buf.size(), want = std::min<size_t>(target - old, 1 << 16);
      buf.resize(old + want);
      auto n = pull(buf.data() + old, want);
      if (!n.ok()) return n.status();
      if (*n > want) return Internal("transcribe_stream: the source wrote past its buffer");
      buf.resize(old + *n);
      read += static_cast<int64_t>(*n);
      eof = *n == 0;
    }
    if (eof) st.tr.duration = static_cast<double>(read) / 16000.0;
    if (buf.size() <= static_cast<size_t>(features::whisper::kPad)) {
      if (read <= features::whisper::kPad) {
        return InvalidArgument("audio too short to transcribe (" + std::to_string(read) +
                               " samples)");
      }
      break;  // a few ms left at the end: nothing to decode
    }
    int frames = 0;
    auto mel = content_log_mel(buf, frames);
    if (!mel.ok()) return mel.status();
    std::optional<SpeechGate> gate;
    if (vad != nullptr) {
      auto g = SpeechGate::detect(*vad, buf);
      if (!g.ok()) return g.status();
      gate = std::move(g).value();
    }
    auto stop = decode_windows(*mel, frames, eof, base / kSamplesPerFrame, gate ? &*gate : nullptr,
                               st, progress);
    if (!stop.ok()) return stop.status();
    if (eof) break;
    const size_t keep_from = std::min(buf.size(), static_cast<size_t>(*stop) * kSamplesPerFrame);
    buf.erase(buf.begin(), buf.begin() + static_cast<ptrdiff_t>(keep_from));
    base += static_cast<int64_t>(keep_from);
    if (st.tr.duration < static_cast<double>(read) / 16000.0) {
      st.tr.duration = static_cast<double>(read) / 16000.0;  // total unknown or exceeded
    }
  }
  return finish(std::move(st), progress);
}

}  // namespace earshot::asr
