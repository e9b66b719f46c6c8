// Microphone capture through ALSA (snd_pcm) directly, with its own capture thread.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "audio/audio_source.hpp"
#include "audio/capture_device.hpp"

namespace earshot::audio {

// Every card's capture PCM as alsa:hw:C,D, and alsa:default when there is any card. An
// empty list (no error) on a machine without sound cards.
Result<std::vector<CaptureDevice>> list_alsa_capture_devices();

// Opens an ALSA PCM by name ("default", "hw:1,0", "plughw:1,0", ...) for capture. Asks for
// 16 kHz mono and takes what the device offers otherwise (converted in software).
Result<std::unique_ptr<AudioSource>> open_alsa_source(const std::string& device,
                                                      const LiveSourceConfig& config = {});

// Stops alsa-lib printing its own diagnostics to stderr (earshot reports errors itself).
void silence_alsa_library_errors();

}  // namespace earshot::audio
