// A file as an audio source: as fast as the reader asks, or replayed at real-time pace by a
// thread through the ring buffer, standing in for a microphone.
#pragma once

#include <memory>
#include <string>

#include "audio/audio_source.hpp"

namespace earshot::audio {

enum class FilePace { kFast, kRealtime };

Result<std::unique_ptr<AudioSource>> open_file_source(const std::string& path,
                                                      FilePace pace = FilePace::kFast);

}  // namespace earshot::audio
