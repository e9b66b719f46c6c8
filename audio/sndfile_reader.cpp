#include "audio/sndfile_reader.hpp"

#include <sndfile.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "audio/sample_format.hpp"

namespace earshot::audio {
namespace {

std::string describe_format(int format) {
  SF_FORMAT_INFO info{};
  std::string out;
  info.format = format & SF_FORMAT_TYPEMASK;
  if (sf_command(nullptr, SFC_GET_FORMAT_INFO, &info, sizeof info) == 0 && info.name) {
    out = info.name;
  }
  info = {};
  info.format = format & SF_FORMAT_SUBMASK;
  if (sf_command(nullptr, SFC_GET_FORMAT_INFO, &info, sizeof info) == 0 && info.name) {
    out += out.empty() ? "" : " ";
    out += info.name;
  }
  return out.empty() ? "unknown format" : out;
}

// libsndfile opens a file whose audio chunk is cut short and quietly shortens its length;
// its log still says "data : <declared> (should be <actual>)". Returns that line, if any.
// Writers streaming to a pipe put a huge placeholder size in the header; those are fine.
constexpr long long kStreamedSizeMarker = 0x7FFF0000LL;

std::string truncation_note(SNDFILE* file) {
  char log[8192] = {};
  sf_command(file, SFC_GET_LOG_INFO, log, sizeof log);
  std::string text(log);
  for (std::size_t pos = 0; pos < text.size();) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    const std::string line = text.substr(pos, end - pos);
    pos = end + 1;
    long long declared = 0, actual = 0;
    if ((line.rfind("data", 0) == 0 || line.rfind("SSND", 0) == 0) &&
        std::sscanf(line.c_str(), "%*4s : %lld (should be %lld)", &declared, &actual) == 2 &&
        actual < declared && declared < kStreamedSizeMarker) {
      return "the header declares " + std::to_string(declared) +
             " bytes of audio data but the file holds only " + std::to_string(actual);
    }
  }
  return {};
}

}  // namespace

Result<std::unique_ptr<SndfileReader>> SndfileReader::open(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return NotFound(path + ": no such file");
    return IoError(path + ": cannot open: " + std::strerror(errno));
  }
  if (S_ISDIR(st.st_mode)) return InvalidArgument(path + ": is a directory, not an audio file");
  if (S_ISREG(st.st_mode) && st.st_size == 0) return CorruptData(path + ": empty file (0 bytes)");

  SF_INFO info{};
  SNDFILE* file = sf_open(path.c_str(), SFM_READ, &info);
  if (file == nullptr) {
    return CorruptData(path + ": not a readable audio file (libsndfile: " + sf_strerror(nullptr) +
                       ")");
  }
  std::unique_ptr<SndfileReader> reader(new SndfileReader());
  reader->file_ = file;
  reader->path_ = path;
  reader->sample_rate_ = info.samplerate;
  reader->channels_ = info.channels;
  reader->frames_ = info.frames;
  reader->format_name_ = describe_format(info.format);

  if (const std::string note = truncation_note(file); !note.empty()) {
    return CorruptData(path + ": truncated: " + note);
  }
  if (info.samplerate < kMinSampleRate || info.samplerate > kMaxSampleRate) {
    return CorruptData(path + ": absurd sample rate " + std::to_string(info.samplerate) +
                       " Hz in the header (accepted: " + std::to_string(kMinSampleRate) + ".." +
                       std::to_string(kMaxSampleRate) + " Hz)");
  }
  if (info.channels < 1 || info.channels > kMaxChannels) {
    return CorruptData(path + ": absurd channel count " + std::to_string(info.channels) +
                       " in the header (accepted: 1.." + std::to_string(kMaxChannels) + ")");
  }
  if (info.frames <= 0) {
    return CorruptData(path + ": no audio in the file (zero-length " + reader->format_name_ +
                       " data)");
  }
  return reader;
}

SndfileReader::~SndfileReader() {
  if (file_ != nullptr) sf_close(static_cast<SNDFILE*>(file_));
}

Result<std::size_t> SndfileReader::read(float* out, std::size_t frames) {
  const std::int64_t left = frames_ - frames_read_;
  if (left <= 0) return std::size_t{0};
  const auto want = static_cast<sf_count_t>(std::min<std::int64_t>(left, frames));
  auto* file = static_cast<SNDFILE*>(file_);
  const sf_count_t got = sf_readf_float(file, out, want);
  if (got < 0 || sf_error(file) != SF_ERR_NO_ERROR) {
    return CorruptData(path_ + ": read failed after " + std::to_string(frames_read_) +
                       " frames (libsndfile: " + sf_strerror(file) + ")");
  }
  if (got == 0) {
    return CorruptData(path_ + ": truncated: the header promises " + std::to_string(frames_) +
                       " frames but the data ends after " + std::to_string(frames_read_));
  }
  frames_read_ += got;
  return static_cast<std::size_t>(got);
}

}  // namespace earshot::audio
