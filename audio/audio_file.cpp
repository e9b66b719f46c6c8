// read_audio_file, read_mono16k and write_wav (declared in audio_file.hpp).
#include "audio/audio_file.hpp"

#include <sndfile.h>

#include "audio/audio_file_stream.hpp"
#include "audio/sample_format.hpp"
#include "audio/sndfile_reader.hpp"

namespace earshot::audio {
namespace {

// Whole-file reads stop here; longer recordings go through AudioFileStream.
constexpr double kMaxWholeFileSeconds = 4 * 3600.0;

Status check_length(const SndfileReader& r) {
  if (r.seconds() > kMaxWholeFileSeconds) {
    return ResourceExhausted(r.path() + ": " + std::to_string(static_cast<long long>(r.seconds())) +
                             " s of audio is more than the 4 hours read in one piece; read it "
                             "in blocks with earshot::audio::AudioFileStream");
  }
  return Status::Ok();
}

}  // namespace

Result<AudioClip> read_audio_file(const std::string& path) {
  auto reader = SndfileReader::open(path);
  if (!reader.ok()) return reader.status();
  SndfileReader& r = **reader;
  EARSHOT_RETURN_IF_ERROR(check_length(r));
  AudioClip clip;
  clip.sample_rate = r.sample_rate();
  clip.channels = r.channels();
  clip.samples.resize(static_cast<std::size_t>(r.frames()) * r.channels());
  std::size_t done = 0;
  const auto total = static_cast<std::size_t>(r.frames());
  while (done < total) {
    auto got = r.read(clip.samples.data() + done * r.channels(), total - done);
    if (!got.ok()) return got.status();
    if (*got == 0) break;
    done += *got;
  }
  return clip;
}

Result<std::vector<int16_t>> read_mono16k(const std::string& path) {
  auto stream = AudioFileStream::open(path);
  if (!stream.ok()) return stream.status();
  EARSHOT_RETURN_IF_ERROR(check_length((*stream)->file()));
  std::vector<int16_t> out((*stream)->expected_samples() + 64);
  std::size_t done = 0;
  for (;;) {
    if (done == out.size()) out.resize(out.size() + 4096);
    auto got = (*stream)->read(out.data() + done, out.size() - done);
    if (!got.ok()) return got.status();
    if (*got == 0) break;
    done += *got;
  }
  out.resize(done);
  return out;
}

Status write_wav(const std::string& path, const int16_t* samples, std::size_t frames,
                 int sample_rate, int channels) {
  EARSHOT_RETURN_IF_ERROR(validate_format(path, sample_rate, channels));
  SF_INFO info{};
  info.samplerate = sample_rate;
  info.channels = channels;
  info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
  SNDFILE* file = sf_open(path.c_str(), SFM_WRITE, &info);
  if (file == nullptr) {
    return IoError(path + ": cannot write WAV (libsndfile: " + sf_strerror(nullptr) + ")");
  }
  const auto written = sf_writef_short(file, samples, static_cast<sf_count_t>(frames));
  const bool failed = written != static_cast<sf_count_t>(frames);
  std::string why = failed ? sf_strerror(file) : "";
  if (sf_close(file) != 0 && !failed) return IoError(path + ": closing the WAV failed");
  if (failed) return IoError(path + ": short write (libsndfile: " + why + ")");
  return Status::Ok();
}

}  // namespace earshot::audio
