#include "audio/source_factory.hpp"

#include <unistd.h>

#include "audio/alsa_capture.hpp"
#include "audio/portaudio_capture.hpp"

namespace earshot::audio {

Result<std::unique_ptr<AudioSource>> open_source(const std::string& spec,
                                                 const SourceOptions& options) {
  if (spec.empty())
    return InvalidArgument("empty audio source (give a file, -, alsa:... or pa:...)");
  if (spec == "-") {
    RawPcmConfig raw = options.raw;
    raw.fd = STDIN_FILENO;
    return open_raw_pcm_source(raw);
  }
  if (spec.rfind("alsa:", 0) == 0) return open_alsa_source(spec.substr(5), options.live);
  if (spec.rfind("pa:", 0) == 0) return open_portaudio_source(spec.substr(3), options.live);
  return open_file_source(spec, options.file_pace);
}

}  // namespace earshot::audio
