// Opens an AudioSource from a spec string: a file path, "-" for raw PCM on stdin,
// "alsa:<pcm>" (alsa:default, alsa:hw:1,0) or "pa:<default|index|name>".
#pragma once

#include <memory>
#include <string>

#include "audio/audio_source.hpp"
#include "audio/capture_device.hpp"
#include "audio/file_source.hpp"
#include "audio/raw_pcm_source.hpp"

namespace earshot::audio {

struct SourceOptions {
  FilePace file_pace = FilePace::kFast;  // files: as fast as read, or real time
  RawPcmConfig raw;                      // "-": rate, channels and format of stdin (fd ignored)
  LiveSourceConfig live;                 // alsa: and pa:
};

Result<std::unique_ptr<AudioSource>> open_source(const std::string& spec,
                                                 const SourceOptions& options = {});

}  // namespace earshot::audio
