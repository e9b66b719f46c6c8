// Bad input to the file readers: every case must give an error that names the file and the
// problem, never a crash, a hang or silently wrong audio.
#include <gtest/gtest.h>
#include <sndfile.h>

#include <cstring>
#include <random>
#include <string>

#include "audio/audio_file.hpp"
#include "audio/audio_file_stream.hpp"
#include "audio_test_util.hpp"

namespace earshot::audio {
namespace {

using testing::TempDir;

// A canonical 44-byte PCM WAV header followed by `data_bytes` of silence (or fewer bytes
// when `actual_bytes` is smaller: a truncated file).
std::vector<std::uint8_t> wav_bytes(std::uint32_t rate, std::uint16_t channels, std::uint16_t bits,
                                    std::uint32_t data_bytes, std::uint32_t actual_bytes) {
  std::vector<std::uint8_t> b;
  auto put = [&b](const char* s) { b.insert(b.end(), s, s + 4); };
  auto u32 = [&b](std::uint32_t v) {
    for (int i = 0; i < 4; ++i) b.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  };
  auto u16 = [&b](std::uint16_t v) {
    b.push_back(static_cast<std::uint8_t>(v));
    b.push_back(static_cast<std::uint8_t>(v >> 8));
  };
  const std::uint16_t align = static_cast<std::uint16_t>(channels * bits / 8);
  put("RIFF");
  u32(36 + data_bytes);
  put("WAVE");
  put("fmt ");
  u32(16);
  u16(1);
  u16(channels);
  u32(rate);
  u32(rate * align);
  u16(align);
  u16(bits);
  put("data");
  u32(data_bytes);
  for (std::uint32_t i = 0; i < actual_bytes; ++i) b.push_back(static_cast<std::uint8_t>(i * 7));
  return b;
}

// Every reader must fail on `path` with `code` and a message naming the file and `what`.
void expect_error(const std::string& path, StatusCode code, const std::string& what) {
  auto clip = read_audio_file(path);
  ASSERT_FALSE(clip.ok()) << path;
  EXPECT_EQ(clip.status().code(), code) << clip.status().to_string();
  EXPECT_NE(clip.status().message().find(path), std::string::npos) << clip.status().message();
  EXPECT_NE(clip.status().message().find(what), std::string::npos) << clip.status().message();

  auto mono = read_mono16k(path);
  ASSERT_FALSE(mono.ok());
  EXPECT_EQ(mono.status().code(), code) << mono.status().to_string();
  EXPECT_NE(mono.status().message().find(path), std::string::npos);

  auto stream = AudioFileStream::open(path);
  ASSERT_FALSE(stream.ok());
  EXPECT_EQ(stream.status().code(), code);
}

TEST(AudioFileErrors, MissingFile) {
  TempDir dir;
  expect_error(dir.file("does-not-exist.wav"), StatusCode::kNotFound, "no such file");
}

TEST(AudioFileErrors, Directory) {
  TempDir dir;
  expect_error(dir.file(""), StatusCode::kInvalidArgument, "directory");
}

TEST(AudioFileErrors, EmptyFile) {
  TempDir dir;
  const std::string path = dir.file("empty.wav");
  testing::write_bytes(path, {});
  expect_error(path, StatusCode::kCorruptData, "empty file");
}

TEST(AudioFileErrors, RandomBytes) {
  TempDir dir;
  const std::string path = dir.file("noise.wav");
  std::mt19937 rng(42);
  std::vector<std::uint8_t> bytes(5000);
  for (auto& b : bytes) b = static_cast<std::uint8_t>(rng());
  testing::write_bytes(path, bytes);
  expect_error(path, StatusCode::kCorruptData, "not a readable audio file");
}

TEST(AudioFileErrors, TextFile) {
  TempDir dir;
  const std::string path = dir.file("notes.flac");
  const std::string text = "this is not audio, just a shopping list\n";
  testing::write_bytes(path, std::vector<std::uint8_t>(text.begin(), text.end()));
  expect_error(path, StatusCode::kCorruptData, "not a readable audio file");
}

TEST(AudioFileErrors, TruncatedHeader) {
  TempDir dir;
  auto full = wav_bytes(16000, 1, 16, 3200, 3200);
  for (std::size_t keep : {4u, 12u, 20u, 30u}) {
    const std::string path = dir.file("cut" + std::to_string(keep) + ".wav");
    testing::write_bytes(path, std::vector<std::uint8_t>(full.begin(), full.begin() + keep));
    expect_error(path, StatusCode::kCorruptData, "not a readable audio file");
  }
}

TEST(AudioFileErrors, HeaderOnlyNoSamples) {
  TempDir dir;
  const std::string path = dir.file("header-only.wav");
  testing::write_bytes(path, wav_bytes(16000, 1, 16, 0, 0));
  expect_error(path, StatusCode::kCorruptData, "zero-length");
}

TEST(AudioFileErrors, TruncatedData) {
  TempDir dir;
  const std::string path = dir.file("truncated.wav");
  testing::write_bytes(path, wav_bytes(16000, 1, 16, 32000, 12000));
  expect_error(path, StatusCode::kCorruptData, "truncated");
}

TEST(AudioFileErrors, TruncatedRealRecording) {
  // The first 40% of a real WAV from the speech corpus.
  TempDir dir;
  auto bytes = testing::read_bytes(std::string(EARSHOT_SPEECH_DIR) +
                                   "/librivox/sense_and_sensibility_01_austen_64kb-0880.wav");
  ASSERT_GT(bytes.size(), 1000u);
  bytes.resize(bytes.size() * 2 / 5);
  const std::string path = dir.file("cut-speech.wav");
  testing::write_bytes(path, bytes);
  expect_error(path, StatusCode::kCorruptData, "truncated");
}

TEST(AudioFileErrors, TruncatedFlac) {
  TempDir dir;
  const std::string full = dir.file("full.flac");
  ASSERT_TRUE(testing::write_sndfile(full, SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 16000, 1,
                                     testing::sine(16000, 1, 300, 0.5, 3.0)));
  auto bytes = testing::read_bytes(full);
  bytes.resize(bytes.size() / 2);
  const std::string path = dir.file("half.flac");
  testing::write_bytes(path, bytes);
  auto mono = read_mono16k(path);
  ASSERT_FALSE(mono.ok());
  EXPECT_EQ(mono.status().code(), StatusCode::kCorruptData) << mono.status().to_string();
  EXPECT_NE(mono.status().message().find(path), std::string::npos);
}

TEST(AudioFileErrors, AbsurdSampleRates) {
  TempDir dir;
  for (std::uint32_t rate : {1u, 999u, 768001u, 4000000000u}) {
    const std::string path = dir.file("rate" + std::to_string(rate) + ".wav");
    testing::write_bytes(path, wav_bytes(rate, 1, 16, 3200, 3200));
    auto clip = read_audio_file(path);
    ASSERT_FALSE(clip.ok()) << rate;
    EXPECT_EQ(clip.status().code(), StatusCode::kCorruptData) << clip.status().to_string();
    EXPECT_NE(clip.status().message().find(path), std::string::npos);
  }
}

TEST(AudioFileErrors, AbsurdChannelCounts) {
  TempDir dir;
  for (std::uint16_t channels : {std::uint16_t{0}, std::uint16_t{65}, std::uint16_t{1000}}) {
    const std::string path = dir.file("ch" + std::to_string(channels) + ".wav");
    testing::write_bytes(path, wav_bytes(16000, channels, 16, 64000, 64000));
    auto clip = read_audio_file(path);
    ASSERT_FALSE(clip.ok()) << channels;
    EXPECT_EQ(clip.status().code(), StatusCode::kCorruptData) << clip.status().to_string();
    EXPECT_NE(clip.status().message().find(path), std::string::npos);
  }
}

TEST(AudioFileErrors, TooLongForOneRead) {
  // 4 hours and 1 minute of 1 kHz 8-bit silence (14.5 MB): whole-file reads refuse it and
  // point to the streaming reader, which reads it.
  TempDir dir;
  const std::string path = dir.file("long.wav");
  const std::uint32_t bytes = 1000u * (4 * 3600 + 60);
  auto wav = wav_bytes(1000, 1, 8, bytes, 0);
  wav.resize(wav.size() + bytes, 128);
  testing::write_bytes(path, wav);
  for (const Status& st : {read_audio_file(path).status(), read_mono16k(path).status()}) {
    EXPECT_EQ(st.code(), StatusCode::kResourceExhausted) << st.to_string();
    EXPECT_NE(st.message().find(path), std::string::npos);
    EXPECT_NE(st.message().find("AudioFileStream"), std::string::npos);
  }
  auto stream = AudioFileStream::open(path);
  ASSERT_TRUE(stream.ok()) << stream.status().to_string();
  std::vector<std::int16_t> block(16000);
  auto n = (*stream)->read(block.data(), block.size());
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, block.size());
}

}  // namespace
}  // namespace earshot::audio
