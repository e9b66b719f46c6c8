// The AudioSource implementations: raw PCM from a pipe, files at fast and real-time pace, the
// spec factory, and ALSA / PortAudio error paths (CI machines have no sound card).
#include <gtest/gtest.h>
#include <sndfile.h>
#include <unistd.h>

#include <cmath>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "audio/alsa_capture.hpp"
#include "audio/audio_file.hpp"
#include "audio/portaudio_capture.hpp"
#include "audio/source_factory.hpp"
#include "audio_test_util.hpp"

namespace earshot::audio {
namespace {

using testing::TempDir;

const std::string kSpeech =
    std::string(EARSHOT_SPEECH_DIR) + "/librivox/sense_and_sensibility_01_austen_64kb-0890.wav";

// Reads blocks until the end; every block but the last must be full.
Result<std::vector<std::int16_t>> drain(AudioSource& source) {
  EARSHOT_RETURN_IF_ERROR(source.start());
  std::vector<std::int16_t> all;
  std::int16_t block[kBlockSamples];
  bool short_seen = false;
  for (;;) {
    auto n = source.read_block(block);
    if (!n.ok()) return n.status();
    if (*n == 0) break;
    if (short_seen) return Internal("a short block was not the last");
    short_seen = *n < kBlockSamples;
    all.insert(all.end(), block, block + *n);
  }
  return all;
}

// Writes `bytes` into a pipe from a thread (a pipe holds only 64 KiB) and returns the
// read end.
int pipe_with(std::vector<std::uint8_t> bytes, std::thread* writer) {
  int fds[2];
  if (::pipe(fds) != 0) return -1;
  *writer = std::thread([fd = fds[1], data = std::move(bytes)] {
    std::size_t off = 0;
    while (off < data.size()) {
      // Odd chunk sizes split frames across reads on purpose.
      const ssize_t n =
          ::write(fd, data.data() + off, std::min<std::size_t>(777, data.size() - off));
      if (n <= 0) break;
      off += static_cast<std::size_t>(n);
    }
    ::close(fd);
  });
  return fds[0];
}

TEST(RawPcmSource, S16MonoFromPipeMatchesFile) {
  auto expected = read_mono16k(kSpeech);
  ASSERT_TRUE(expected.ok());
  std::vector<std::uint8_t> bytes(expected->size() * 2);
  std::memcpy(bytes.data(), expected->data(), bytes.size());  // x86/arm hosts are little-endian
  std::thread writer;
  const int fd = pipe_with(bytes, &writer);
  ASSERT_GE(fd, 0);
  auto source = open_raw_pcm_source({fd, 16000, 1, SampleFormat::kS16Le});
  ASSERT_TRUE(source.ok()) << source.status().to_string();
  auto got = drain(**source);
  writer.join();
  ::close(fd);
  ASSERT_TRUE(got.ok()) << got.status().to_string();
  EXPECT_EQ(*got, *expected);
}

struct RawCase {
  SampleFormat format;
  int rate;
  int channels;
};

class RawPcmFormats : public ::testing::TestWithParam<RawCase> {};

TEST_P(RawPcmFormats, SineArrivesAt16kMono) {
  const RawCase c = GetParam();
  const auto sine = testing::sine(c.rate, c.channels, 500.0, 0.5, 1.0);
  std::vector<std::uint8_t> bytes;
  for (float v : sine) {
    switch (c.format) {
      case SampleFormat::kS16Le: {
        auto s = static_cast<std::int16_t>(std::lround(v * 32767));
        bytes.push_back(static_cast<std::uint8_t>(s));
        bytes.push_back(static_cast<std::uint8_t>(s >> 8));
        break;
      }
      case SampleFormat::kS32Le: {
        auto s = static_cast<std::int32_t>(std::lround(double(v) * 2147483647.0));
        for (int i = 0; i < 4; ++i) bytes.push_back(static_cast<std::uint8_t>(s >> (8 * i)));
        break;
      }
      case SampleFormat::kF32Le: {
        std::uint32_t u;
        std::memcpy(&u, &v, 4);
        for (int i = 0; i < 4; ++i) bytes.push_back(static_cast<std::uint8_t>(u >> (8 * i)));
        break;
      }
      case SampleFormat::kU8:
        bytes.push_back(static_cast<std::uint8_t>(std::lround(v * 127) + 128));
        break;
    }
  }
  std::thread writer;
  const int fd = pipe_with(bytes, &writer);
  auto source = open_raw_pcm_source({fd, c.rate, c.channels, c.format});
  ASSERT_TRUE(source.ok()) << source.status().to_string();
  auto got = drain(**source);
  writer.join();
  ::close(fd);
  ASSERT_TRUE(got.ok()) << got.status().to_string();
  EXPECT_NEAR(double(got->size()), 16000.0, 2.0);
  EXPECT_NEAR(testing::zero_crossing_hz(*got, 1600, got->size() - 1600, 16000), 500.0, 0.5);
  EXPECT_NEAR(testing::sine_amplitude(*got, 1600, got->size() - 1600), 0.5, 0.01);
}

INSTANTIATE_TEST_SUITE_P(Formats, RawPcmFormats,
                         ::testing::Values(RawCase{SampleFormat::kS16Le, 16000, 1},
                                           RawCase{SampleFormat::kS16Le, 44100, 2},
                                           RawCase{SampleFormat::kS32Le, 48000, 2},
                                           RawCase{SampleFormat::kF32Le, 8000, 1},
                                           RawCase{SampleFormat::kF32Le, 48000, 6},
                                           RawCase{SampleFormat::kU8, 8000, 1}));

TEST(RawPcmSource, RejectsBadParametersAndStrayBytes) {
  EXPECT_FALSE(open_raw_pcm_source({0, 500, 1, SampleFormat::kS16Le}).ok());
  EXPECT_FALSE(open_raw_pcm_source({0, 16000, 0, SampleFormat::kS16Le}).ok());
  EXPECT_FALSE(open_raw_pcm_source({0, 16000, 65, SampleFormat::kS16Le}).ok());
  EXPECT_FALSE(open_raw_pcm_source({-1, 16000, 1, SampleFormat::kS16Le}).ok());
  EXPECT_FALSE(parse_sample_format("s24le").ok());
  // 1001 bytes of s16 stereo: the input ends inside a frame.
  std::thread writer;
  const int fd = pipe_with(std::vector<std::uint8_t>(1001, 0), &writer);
  auto source = open_raw_pcm_source({fd, 16000, 2, SampleFormat::kS16Le});
  ASSERT_TRUE(source.ok());
  auto got = drain(**source);
  writer.join();
  ::close(fd);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), StatusCode::kCorruptData);
  EXPECT_NE(got.status().message().find("middle of a frame"), std::string::npos);
}

TEST(FileSource, FastPaceMatchesReadMono16k) {
  TempDir dir;
  const std::string tone = dir.file("tone.wav");
  ASSERT_TRUE(testing::write_sndfile(tone, SF_FORMAT_WAV | SF_FORMAT_PCM_24, 44100, 2,
                                     testing::sine(44100, 2, 700, 0.4, 1.3)));
  for (const std::string& path : {kSpeech, tone}) {
    auto expected = read_mono16k(path);
    ASSERT_TRUE(expected.ok());
    auto source = open_source(path);
    ASSERT_TRUE(source.ok()) << source.status().to_string();
    auto got = drain(**source);
    ASSERT_TRUE(got.ok()) << got.status().to_string();
    EXPECT_EQ(*got, *expected) << path;
  }
}

TEST(FileSource, RealtimePaceDeliversTheSameSamples) {
  // 0.5 s of 44.1 kHz stereo replayed at real-time pace through the ring buffer.
  TempDir dir;
  const std::string path = dir.file("tone.flac");
  ASSERT_TRUE(testing::write_sndfile(path, SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 44100, 2,
                                     testing::sine(44100, 2, 300, 0.5, 0.5)));
  auto expected = read_mono16k(path);
  ASSERT_TRUE(expected.ok());
  SourceOptions options;
  options.file_pace = FilePace::kRealtime;
  auto source = open_source(path, options);
  ASSERT_TRUE(source.ok()) << source.status().to_string();
  auto got = drain(**source);
  ASSERT_TRUE(got.ok()) << got.status().to_string();
  ASSERT_EQ(got->size(), expected->size());
  // soxr's output does not depend on how its input was chunked.
  EXPECT_EQ(*got, *expected);
  EXPECT_EQ((*source)->overruns(), 0u);
}

TEST(FileSource, StopEndsRealtimeReplayEarly) {
  SourceOptions options;
  options.file_pace = FilePace::kRealtime;
  auto source = open_source(kSpeech, options);
  ASSERT_TRUE(source.ok());
  ASSERT_TRUE((*source)->start().ok());
  EXPECT_FALSE((*source)->start().ok());  // twice
  std::int16_t block[kBlockSamples];
  auto n = (*source)->read_block(block);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, kBlockSamples);
  (*source)->stop();
  std::size_t total = 0;
  for (;;) {
    auto m = (*source)->read_block(block);
    ASSERT_TRUE(m.ok());
    if (*m == 0) break;
    total += *m;
  }
  EXPECT_LT(total, 16000u * 7);  // far less than the whole 7 s recording
}

TEST(FileSource, ErrorsNameTheFile) {
  for (FilePace pace : {FilePace::kFast, FilePace::kRealtime}) {
    SourceOptions options;
    options.file_pace = pace;
    auto source = open_source("/nonexistent/speech.wav", options);
    ASSERT_FALSE(source.ok());
    EXPECT_EQ(source.status().code(), StatusCode::kNotFound);
    EXPECT_NE(source.status().message().find("/nonexistent/speech.wav"), std::string::npos);
  }
  EXPECT_FALSE(open_source("").ok());
}

TEST(FileSource, ReadBeforeStartIsAnError) {
  auto source = open_source(kSpeech);
  ASSERT_TRUE(source.ok());
  std::int16_t block[kBlockSamples];
  EXPECT_FALSE((*source)->read_block(block).ok());
}

TEST(AlsaCapture, MissingDeviceFailsCleanly) {
  for (const std::string spec : {"alsa:hw:99,0", "alsa:plughw:42,3", "alsa:no_such_pcm"}) {
    auto source = open_source(spec);
    ASSERT_FALSE(source.ok()) << spec;
    EXPECT_TRUE(source.status().code() == StatusCode::kNotFound ||
                source.status().code() == StatusCode::kDeviceError)
        << source.status().to_string();
    EXPECT_NE(source.status().message().find(spec), std::string::npos) << source.status().message();
  }
  EXPECT_EQ(open_source("alsa:").status().code(), StatusCode::kInvalidArgument);
}

TEST(AlsaCapture, ListingNeverFails) {
  auto devices = list_alsa_capture_devices();
  ASSERT_TRUE(devices.ok()) << devices.status().to_string();
  for (const auto& d : *devices) {
    EXPECT_EQ(d.spec.rfind("alsa:", 0), 0u) << d.spec;
    // Every listed device (if any) opens by its spec, or fails with a clean status.
    auto source = open_source(d.spec);
    if (!source.ok()) {
      EXPECT_FALSE(source.status().message().empty());
    }
  }
}

TEST(PortAudioCapture, MissingDeviceFailsCleanly) {
  for (const std::string spec : {"pa:9999", "pa:no such microphone", "pa:-1"}) {
    auto source = open_source(spec);
    ASSERT_FALSE(source.ok()) << spec;
    EXPECT_NE(source.status().message().find(spec), std::string::npos) << source.status().message();
  }
  EXPECT_EQ(open_source("pa:").status().code(), StatusCode::kInvalidArgument);
}

TEST(PortAudioCapture, ListingNeverFails) {
  auto devices = list_portaudio_capture_devices();
  ASSERT_TRUE(devices.ok()) << devices.status().to_string();
  for (const auto& d : *devices) EXPECT_EQ(d.spec.rfind("pa:", 0), 0u) << d.spec;
}

}  // namespace
}  // namespace earshot::audio
