#include "asr/streaming_endpointer.hpp"

namespace earshot::asr {

EndpointEvent Endpointer::push(int32_t prob_q15) noexcept {
  const bool speech = prob_q15 >= c_.threshold_q15;
  if (!in_utterance_) {
    speech_run_ = speech ? speech_run_ + 1 : 0;
    if (speech_run_ < c_.min_speech_frames) return EndpointEvent::kNone;
    in_utterance_ = true;
    silence_ = 0;
    return EndpointEvent::kSpeechStart;
  }
  if (speech) {
    silence_ = 0;
    return EndpointEvent::kNone;
  }
  ++silence_;
  if (silence_ >= c_.endpoint_frames) {
    reset();
    return EndpointEvent::kEndpoint;
  }
  return silence_ == c_.pause_frames ? EndpointEvent::kPause : EndpointEvent::kNone;
}

void Endpointer::reset() noexcept {
  in_utterance_ = false;
  speech_run_ = 0;
  silence_ = 0;
}

}  // namespace earshot::asr
