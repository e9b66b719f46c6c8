// Raw PCM from a file descriptor (stdin by default): headerless samples with a rate, channel
// count and format the caller states, e.g. `arecord -t raw ... | earshot ... -`.
#pragma once

#include <memory>

#include "audio/audio_source.hpp"
#include "audio/sample_format.hpp"

namespace earshot::audio {

struct RawPcmConfig {
  int fd = 0;  // not closed by the source
  int sample_rate = 16000;
  int channels = 1;
  SampleFormat format = SampleFormat::kS16Le;
};

Result<std::unique_ptr<AudioSource>> open_raw_pcm_source(const RawPcmConfig& config);

}  // namespace earshot::audio
