// PortAudio capture when earshot is built without PortAudio (EARSHOT_WITH_PORTAUDIO=OFF):
// "pa:" sources are refused with a clear error; ALSA capture is unaffected.
#include "audio/portaudio_capture.hpp"

namespace earshot::audio {

Result<std::vector<CaptureDevice>> list_portaudio_capture_devices() {
  return std::vector<CaptureDevice>{};
}

Result<std::unique_ptr<AudioSource>> open_portaudio_source(const std::string& device,
                                                           const LiveSourceConfig&) {
  return Unsupported("pa:" + device + ": this earshot was built without PortAudio (use alsa:)");
}

}  // namespace earshot::audio
