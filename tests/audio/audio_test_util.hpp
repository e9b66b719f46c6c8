// Helpers for the audio tests: a temporary folder, sine fixtures written with libsndfile at
// test time, and signal measurements (frequency by zero crossings, amplitude by RMS).
#pragma once

#include <sndfile.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace earshot::audio::testing {

inline constexpr double kPi = 3.14159265358979323846;

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "earshot-audio-XXXXXX").string();
    path_ = ::mkdtemp(tmpl.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// Interleaved sine: every channel carries the same tone (so the down-mix keeps amplitude).
inline std::vector<float> sine(int rate, int channels, double freq, double amp, double seconds) {
  const auto frames = static_cast<std::size_t>(std::llround(seconds * rate));
  std::vector<float> out(frames * channels);
  for (std::size_t i = 0; i < frames; ++i) {
    const auto v = static_cast<float>(amp * std::sin(2 * kPi * freq * i / rate));
    for (int c = 0; c < channels; ++c) out[i * channels + c] = v;
  }
  return out;
}

// Writes interleaved floats with libsndfile in `format` (e.g. SF_FORMAT_WAV|SF_FORMAT_PCM_16).
inline bool write_sndfile(const std::string& path, int format, int rate, int channels,
                          const std::vector<float>& samples) {
  SF_INFO info{};
  info.samplerate = rate;
  info.channels = channels;
  info.format = format;
  SNDFILE* f = sf_open(path.c_str(), SFM_WRITE, &info);
  if (f == nullptr) return false;
  const sf_count_t frames = static_cast<sf_count_t>(samples.size() / channels);
  const bool ok = sf_writef_float(f, samples.data(), frames) == frames;
  return sf_close(f) == 0 && ok;
}

inline void write_bytes(const std::string& path, const std::vector<std::uint8_t>& bytes) {
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()),
             static_cast<std::streamsize>(bytes.size()));
}

inline std::vector<std::uint8_t> read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Frequency from rising zero crossings over samples [begin, end).
inline double zero_crossing_hz(const std::vector<std::int16_t>& x, std::size_t begin,
                               std::size_t end, int rate) {
  double first = -1, last = -1;
  int crossings = 0;
  for (std::size_t i = begin + 1; i < end; ++i) {
    if (x[i - 1] < 0 && x[i] >= 0) {
      // Interpolate the crossing for sub-sample precision.
      const double t = (i - 1) + static_cast<double>(-x[i - 1]) / (x[i] - x[i - 1]);
      if (first < 0) first = t;
      last = t;
      ++crossings;
    }
  }
  if (crossings < 2) return 0;
  return (crossings - 1) * rate / (last - first);
}

// Peak amplitude (as a fraction of full scale) of a sine, from its RMS.
inline double sine_amplitude(const std::vector<std::int16_t>& x, std::size_t begin,
                             std::size_t end) {
  double sum = 0;
  for (std::size_t i = begin; i < end; ++i) sum += static_cast<double>(x[i]) * x[i];
  return std::sqrt(2 * sum / (end - begin)) / 32768.0;
}

}  // namespace earshot::audio::testing
