#include "audio_input.hpp"

#include <cmath>

#include "audio/audio_file.hpp"
#include "audio/sample_format.hpp"
#include "audio/source_factory.hpp"

namespace earshot::cli {

namespace {
bool is_live(const std::string& spec) {
  return spec.rfind("alsa:", 0) == 0 || spec.rfind("pa:", 0) == 0;
}
}  // namespace

void add_audio_input(CLI::App* cmd, AudioInput& input) {
  cmd->add_option("input", input.spec,
                  "Audio file (any format libsndfile reads), - for raw PCM on stdin, or a "
                  "microphone (alsa:hw:1,0, pa:default; see `earshot devices`)")
      ->required();
  cmd->add_option("--rate", input.rate, "stdin: sample rate of the raw PCM")->capture_default_str();
  cmd->add_option("--channels", input.channels, "stdin: interleaved channels of the raw PCM")
      ->capture_default_str();
  cmd->add_option("--format", input.format, "stdin: sample format (s16le, s32le, f32le, u8)")
      ->capture_default_str();
  cmd->add_option("--seconds", input.seconds, "microphone: seconds to record")
      ->capture_default_str();
}

Result<std::vector<int16_t>> read_audio_input(const AudioInput& input) {
  if (input.spec != "-" && !is_live(input.spec)) return audio::read_mono16k(input.spec);

  audio::SourceOptions options;
  if (input.spec == "-") {
    auto format = audio::parse_sample_format(input.format);
    if (!format.ok()) return format.status();
    options.raw.sample_rate = input.rate;
    options.raw.channels = input.channels;
    options.raw.format = *format;
  } else if (!(input.seconds > 0 && input.seconds <= 3600)) {
    return InvalidArgument("--seconds must be in (0, 3600], got " + std::to_string(input.seconds));
  }
  auto source = audio::open_source(input.spec, options);
  if (!source.ok()) return source.status();
  EARSHOT_RETURN_IF_ERROR((*source)->start());

  // Files end by themselves; microphones stop after --seconds.
  const std::size_t limit = is_live(input.spec)
                                ? static_cast<std::size_t>(std::llround(input.seconds * 16000))
                                : SIZE_MAX;
  std::vector<int16_t> samples;
  int16_t block[audio::kBlockSamples];
  while (samples.size() < limit) {
    auto n = (*source)->read_block(block);
    if (!n.ok()) {
      (*source)->stop();
      return Status(n.status().code(), input.spec + ": " + n.status().message());
    }
    if (*n == 0) break;
    samples.insert(samples.end(), block, block + *n);
  }
  (*source)->stop();
  if (samples.size() > limit) samples.resize(limit);
  return samples;
}

}  // namespace earshot::cli
