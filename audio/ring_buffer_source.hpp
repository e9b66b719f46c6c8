// The shared half of every live source (ALSA, PortAudio, real-time file replay): a producer
// thread or callback pushes interleaved float frames at the device's rate into a lock-free
// ring; read_block() on the consumer side pops them, converts to 16 kHz mono int16 and hands
// out 10 ms blocks.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "audio/audio_source.hpp"
#include "audio/mono16k_converter.hpp"
#include "audio/spsc_ring_buffer.hpp"

namespace earshot::audio {

class RingBufferSource : public AudioSource {
 public:
  Result<std::size_t> read_block(std::int16_t* block) override;
  std::uint64_t overruns() const override { return ring_.overruns() / channels_; }

 protected:
  // ring_seconds: how much audio the ring holds before the producer starts dropping.
  // stall_timeout: a live source with no audio for this long is reported as failed
  // (zero disables the check, for producers that always end or fail on their own).
  RingBufferSource(std::string name, double rate, int channels, Mono16kConverter converter,
                   double ring_seconds, std::chrono::milliseconds stall_timeout);

  // Producer side, real-time safe: pushes whole frames; frames that do not fit are dropped
  // and counted.
  void push_frames(const float* interleaved, std::size_t frames) noexcept;
  // Producer side, real-time safe: the device stopped (e.g. unplugged); no message needed.
  void mark_device_lost() noexcept { device_lost_.store(true, std::memory_order_release); }
  // Producer side, not real-time safe (formats a message): call from a capture thread.
  void report_failure(Status status);
  // Producer side: a finite source has pushed its last frame.
  void mark_ended() noexcept { ended_.store(true, std::memory_order_release); }
  // Consumer side: stop() was called; reads drain what is buffered, then end.
  void mark_stopped() noexcept { stopped_.store(true, std::memory_order_release); }
  bool started() const { return started_; }
  void set_started() {
    started_ = true;
    last_data_ = std::chrono::steady_clock::now();
  }

  const std::string& name() const { return name_; }
  double rate() const { return rate_; }
  int channels() const { return channels_; }

 private:
  Status pull_available(bool* got_any);

  std::string name_;
  double rate_;
  int channels_;
  Mono16kConverter converter_;
  SpscRingBuffer<float> ring_;
  std::chrono::milliseconds stall_timeout_;
  std::vector<float> scratch_;         // one pop's worth of interleaved frames
  std::vector<std::int16_t> pending_;  // converted, not yet handed out
  std::size_t pending_pos_ = 0;
  bool finished_ = false;
  bool started_ = false;
  std::chrono::steady_clock::time_point last_data_;

  std::atomic<bool> device_lost_{false};
  std::atomic<bool> failed_{false};
  Status failure_;  // written once by the producer before failed_ is released
  std::atomic<bool> ended_{false};
  std::atomic<bool> stopped_{false};
};

}  // namespace earshot::audio
