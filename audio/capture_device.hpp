// Live capture: the devices that can be listed and opened, and how a live source behaves.
#pragma once

#include <chrono>
#include <string>

namespace earshot::audio {

// One capture device as `earshot devices` lists it.
struct CaptureDevice {
  std::string spec;         // what to pass as a source, e.g. "alsa:hw:1,0", "pa:3"
  std::string description;  // e.g. "USB Audio Device: USB Audio (2 ch, 48000 Hz)"
};

struct LiveSourceConfig {
  double ring_seconds = 2.0;  // audio buffered before overruns start
  // A device that delivers nothing for this long is reported as failed, not waited on.
  std::chrono::milliseconds stall_timeout{2000};
};

}  // namespace earshot::audio
