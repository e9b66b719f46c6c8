// Reading audio files of every common format, rate and layout, and converting them to
// 16 kHz mono int16; fixtures are sines written at test time with libsndfile.
#include <gtest/gtest.h>
#include <sndfile.h>

#include <cmath>
#include <filesystem>
#include <string>
#include <tuple>

#include "audio/audio_file.hpp"
#include "audio/audio_file_stream.hpp"
#include "audio/resampler.hpp"
#include "audio_test_util.hpp"

namespace earshot::audio {
namespace {

using testing::TempDir;

struct FormatCase {
  const char* name;
  const char* ext;
  int format;
  double tolerance;  // of the sample values read back (quantisation of the format)
};

const FormatCase kFormats[] = {
    {"wav_u8", "wav", SF_FORMAT_WAV | SF_FORMAT_PCM_U8, 1.5 / 128},
    {"wav_s16", "wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 1.5 / 32768},
    {"wav_s24", "wav", SF_FORMAT_WAV | SF_FORMAT_PCM_24, 1e-6},
    {"wav_s32", "wav", SF_FORMAT_WAV | SF_FORMAT_PCM_32, 1e-6},
    {"wav_f32", "wav", SF_FORMAT_WAV | SF_FORMAT_FLOAT, 1e-7},
    {"flac_s8", "flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_S8, 1.5 / 128},
    {"flac_s16", "flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 1.5 / 32768},
    {"flac_s24", "flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_24, 1e-6},
    {"ogg_vorbis", "ogg", SF_FORMAT_OGG | SF_FORMAT_VORBIS, 0.05},
};

class AudioFileFormats
    : public ::testing::TestWithParam<std::tuple<FormatCase, int /*rate*/, int /*channels*/>> {};

TEST_P(AudioFileFormats, ReadsAndConvertsSine) {
  const auto& [fmt, rate, channels] = GetParam();
  TempDir dir;
  const std::string path = dir.file(std::string("sine.") + fmt.ext);
  constexpr double kFreq = 440.0, kAmp = 0.5, kSeconds = 1.0;
  const auto written = testing::sine(rate, channels, kFreq, kAmp, kSeconds);
  ASSERT_TRUE(testing::write_sndfile(path, fmt.format, rate, channels, written)) << fmt.name;

  auto clip = read_audio_file(path);
  ASSERT_TRUE(clip.ok()) << clip.status().to_string();
  EXPECT_EQ(clip->sample_rate, rate);
  EXPECT_EQ(clip->channels, channels);
  ASSERT_EQ(clip->frames(), written.size() / channels);
  // Vorbis is lossy and shifts phase slightly at the edges: compare the middle only.
  double max_err = 0;
  for (std::size_t i = written.size() / 4; i < 3 * written.size() / 4; ++i) {
    max_err = std::max(max_err, std::abs(double(clip->samples[i]) - written[i]));
  }
  EXPECT_LE(max_err, fmt.tolerance);

  auto mono = read_mono16k(path);
  ASSERT_TRUE(mono.ok()) << mono.status().to_string();
  EXPECT_NEAR(double(mono->size()), kSeconds * 16000, 2.0);
  // Skip the resampler's edges; measure the steady tone.
  const std::size_t a = 1600, b = mono->size() - 1600;
  EXPECT_NEAR(testing::zero_crossing_hz(*mono, a, b, 16000), kFreq, 0.5);
  EXPECT_NEAR(testing::sine_amplitude(*mono, a, b), kAmp, 0.01);
}

INSTANTIATE_TEST_SUITE_P(AllFormats, AudioFileFormats,
                         ::testing::Combine(::testing::ValuesIn(kFormats),
                                            ::testing::Values(8000, 44100, 48000),
                                            ::testing::Values(1, 2)),
                         [](const auto& p) {
                           return std::string(std::get<0>(p.param).name) + "_" +
                                  std::to_string(std::get<1>(p.param)) + "_ch" +
                                  std::to_string(std::get<2>(p.param));
                         });

TEST(AudioFile, Speech16kPassesThroughUnchanged) {
  // A 16 kHz mono 16-bit recording must come out of read_mono16k bit for bit.
  const std::string dir = std::string(EARSHOT_SPEECH_DIR) + "/librivox";
  int checked = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".wav") continue;
    const std::string path = entry.path().string();
    SF_INFO info{};
    SNDFILE* f = sf_open(path.c_str(), SFM_READ, &info);
    ASSERT_NE(f, nullptr) << path;
    std::vector<short> raw(static_cast<std::size_t>(info.frames));
    ASSERT_EQ(sf_readf_short(f, raw.data(), info.frames), info.frames);
    sf_close(f);
    ASSERT_EQ(info.samplerate, 16000);

    auto mono = read_mono16k(path);
    ASSERT_TRUE(mono.ok()) << mono.status().to_string();
    ASSERT_EQ(mono->size(), raw.size()) << path;
    EXPECT_TRUE(std::equal(raw.begin(), raw.end(), mono->begin())) << path;
    ++checked;
  }
  EXPECT_GE(checked, 3);
}

TEST(AudioFile, Speech48kStereoRoundTripsThroughResampling) {
  // Real speech taken up to 48 kHz stereo and back down stays close to the original.
  const std::string src =
      std::string(EARSHOT_SPEECH_DIR) + "/librivox/sense_and_sensibility_01_austen_64kb-0870.wav";
  auto speech = read_mono16k(src);
  ASSERT_TRUE(speech.ok()) << speech.status().to_string();
  // Up-sample by 3 with the Resampler (band-limited), store as 48 kHz stereo float WAV.
  TempDir dir;
  std::vector<float> f16(speech->size());
  for (std::size_t i = 0; i < f16.size(); ++i) f16[i] = (*speech)[i] / 32768.0f;
  auto up = Resampler::create(16000, 48000);
  ASSERT_TRUE(up.ok());
  std::vector<float> f48(f16.size() * 3 + 4096);
  std::size_t in = 0, out = 0;
  while (in < f16.size()) {
    auto c = up->process(f16.data() + in, f16.size() - in, f48.data() + out, f48.size() - out);
    ASSERT_TRUE(c.ok());
    in += c->consumed;
    out += c->produced;
  }
  for (;;) {
    auto n = up->flush(f48.data() + out, f48.size() - out);
    ASSERT_TRUE(n.ok());
    if (*n == 0) break;
    out += *n;
  }
  f48.resize(out);
  std::vector<float> stereo(out * 2);
  for (std::size_t i = 0; i < out; ++i) stereo[2 * i] = stereo[2 * i + 1] = f48[i];
  const std::string path = dir.file("speech48.wav");
  ASSERT_TRUE(testing::write_sndfile(path, SF_FORMAT_WAV | SF_FORMAT_FLOAT, 48000, 2, stereo));

  auto back = read_mono16k(path);
  ASSERT_TRUE(back.ok()) << back.status().to_string();
  ASSERT_NEAR(double(back->size()), double(speech->size()), 2.0);
  double err = 0, energy = 0;
  const std::size_t n = std::min(back->size(), speech->size());
  for (std::size_t i = 0; i < n; ++i) {
    const double d = double((*back)[i]) - (*speech)[i];
    err += d * d;
    energy += double((*speech)[i]) * (*speech)[i];
  }
  // Both passes are band-limited at 95% of 8 kHz: the residue is the removed top band.
  EXPECT_LT(err / energy, 0.01);
}

TEST(AudioFile, StreamMatchesWholeRead) {
  TempDir dir;
  const std::string path = dir.file("tone.flac");
  ASSERT_TRUE(testing::write_sndfile(path, SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 44100, 2,
                                     testing::sine(44100, 2, 1000, 0.3, 2.0)));
  auto whole = read_mono16k(path);
  ASSERT_TRUE(whole.ok());
  auto stream = AudioFileStream::open(path);
  ASSERT_TRUE(stream.ok());
  std::vector<std::int16_t> pieces, block(37);  // an odd block size on purpose
  for (;;) {
    auto n = (*stream)->read(block.data(), block.size());
    ASSERT_TRUE(n.ok());
    if (*n == 0) break;
    pieces.insert(pieces.end(), block.begin(), block.begin() + *n);
  }
  EXPECT_EQ(pieces, *whole);
}

TEST(AudioFile, WriteWavRoundTrips) {
  TempDir dir;
  std::vector<std::int16_t> samples = {0, 1, -1, 32767, -32768, 1234, -4321, 7};
  const std::string path = dir.file("out.wav");
  ASSERT_TRUE(write_wav(path, samples.data(), samples.size(), 16000, 1).ok());
  auto back = read_mono16k(path);
  ASSERT_TRUE(back.ok()) << back.status().to_string();
  EXPECT_EQ(*back, samples);

  EXPECT_FALSE(write_wav(dir.file("x.wav"), samples.data(), 4, 16000, 0).ok());
  EXPECT_FALSE(write_wav(dir.file("x.wav"), samples.data(), 4, 10, 1).ok());
  auto st = write_wav(dir.file("no/such/dir/x.wav"), samples.data(), 4, 16000, 1);
  EXPECT_EQ(st.code(), StatusCode::kIoError);
  EXPECT_NE(st.message().find("no/such/dir/x.wav"), std::string::npos);
}

}  // namespace
}  // namespace earshot::audio
