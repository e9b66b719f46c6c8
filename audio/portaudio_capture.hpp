// Microphone capture through PortAudio: its callback only copies into the lock-free ring.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "audio/audio_source.hpp"
#include "audio/capture_device.hpp"

namespace earshot::audio {

// Every PortAudio device with input channels as pa:<index>, plus pa:default when there is a
// default input. Empty (no error) on a machine without sound devices.
Result<std::vector<CaptureDevice>> list_portaudio_capture_devices();

// Opens "default", a device index ("3") or a device name (exact, else a unique substring).
Result<std::unique_ptr<AudioSource>> open_portaudio_source(const std::string& device,
                                                           const LiveSourceConfig& config = {});

}  // namespace earshot::audio
