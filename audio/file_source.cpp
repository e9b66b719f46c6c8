#include "audio/file_source.hpp"

#include <atomic>
#include <thread>
#include <vector>

#include "audio/audio_file_stream.hpp"
#include "audio/ring_buffer_source.hpp"
#include "audio/sndfile_reader.hpp"

namespace earshot::audio {
namespace {

std::string describe(const SndfileReader& r) {
  return r.path() + " (" + r.format_name() + ", " + std::to_string(r.sample_rate()) + " Hz, " +
         std::to_string(r.channels()) + " ch)";
}

// Reads straight from the file on the caller's thread.
class FastFileSource final : public AudioSource {
 public:
  explicit FastFileSource(std::unique_ptr<AudioFileStream> stream) : stream_(std::move(stream)) {}
  Status start() override {
    if (started_) return InvalidArgument(stream_->file().path() + ": already started");
    started_ = true;
    return Status::Ok();
  }
  void stop() override { stopped_ = true; }
  Result<std::size_t> read_block(std::int16_t* block) override {
    if (!started_) return InvalidArgument(stream_->file().path() + ": read_block() before start()");
    if (stopped_) return std::size_t{0};
    return stream_->read(block, kBlockSamples);
  }
  std::string description() const override { return describe(stream_->file()); }

 private:
  std::unique_ptr<AudioFileStream> stream_;
  bool started_ = false;
  bool stopped_ = false;
};

// A thread pushes 10 ms of the file every 10 ms into the ring, like a capture device.
class RealtimeFileSource final : public RingBufferSource {
 public:
  RealtimeFileSource(std::unique_ptr<SndfileReader> reader, Mono16kConverter converter)
      : RingBufferSource(describe(*reader), reader->sample_rate(), reader->channels(),
                         std::move(converter), /*ring_seconds=*/2.0, std::chrono::milliseconds(0)),
        reader_(std::move(reader)) {}
  ~RealtimeFileSource() override { stop(); }

  Status start() override {
    if (started()) return InvalidArgument(name() + ": already started");
    set_started();
    thread_ = std::thread([this] { run(); });
    return Status::Ok();
  }
  void stop() override {
    quit_.store(true, std::memory_order_release);
    if (thread_.joinable()) thread_.join();
    mark_stopped();
  }
  std::string description() const override { return name(); }

 private:
  void run() {
    const auto period = std::chrono::milliseconds(10);
    const std::size_t frames_per_tick = static_cast<std::size_t>(reader_->sample_rate() / 100);
    std::vector<float> buf(frames_per_tick * reader_->channels());
    auto next = std::chrono::steady_clock::now();
    while (!quit_.load(std::memory_order_acquire)) {
      auto got = reader_->read(buf.data(), frames_per_tick);
      if (!got.ok()) {
        report_failure(got.status());
        return;
      }
      if (*got == 0) break;
      push_frames(buf.data(), *got);
      next += period;
      std::this_thread::sleep_until(next);
    }
    mark_ended();
  }

  std::unique_ptr<SndfileReader> reader_;
  std::thread thread_;
  std::atomic<bool> quit_{false};
};

}  // namespace

Result<std::unique_ptr<AudioSource>> open_file_source(const std::string& path, FilePace pace) {
  if (pace == FilePace::kFast) {
    auto stream = AudioFileStream::open(path);
    if (!stream.ok()) return stream.status();
    return std::unique_ptr<AudioSource>(new FastFileSource(std::move(stream).value()));
  }
  auto reader = SndfileReader::open(path);
  if (!reader.ok()) return reader.status();
  auto converter = Mono16kConverter::create((*reader)->sample_rate(), (*reader)->channels());
  if (!converter.ok()) return converter.status();
  return std::unique_ptr<AudioSource>(
      new RealtimeFileSource(std::move(reader).value(), std::move(converter).value()));
}

}  // namespace earshot::audio
