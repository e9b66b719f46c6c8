// The staged pipeline: microphone audio in, events out (pipeline/events.hpp).
//
//   producer (audio thread)        consumer (pipeline thread, or the host's own loop)
//   -----------------------        ---------------------------------------------------
//   p->push(pcm);  // lock-free    p->step();   // or p->start() runs a thread that does it
//   ...                            events reach the callback, or poll_event()
//   p->finish();   // end of input: drains, closes the open command, stops the thread
//
// push() copies into a lock-free single-producer ring and never blocks, allocates or locks;
// what does not fit is dropped, counted and reported as an overrun event. All the work runs in
// step() (or the thread start() made), 10 ms at a time, through the states of
// state_machine.hpp: tier 0 on every block; the wake word while listening (after replaying
// the pre-roll); streaming ASR from shortly before the wake detection while capturing; the
// NLU on the final. Stages are driven only through pipeline/stage.hpp.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cmath>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "audio/source_factory.hpp"
#include "audio/spsc_ring_buffer.hpp"
#include "earshot/status.hpp"
#include "pipeline/events.hpp"
#include "pipeline/pipeline_config.hpp"
#include "pipeline/preroll_buffer.hpp"
#include "pipeline/stage.hpp"
#include "pipeline/state_machine.hpp"

namespace earshot::pipeline {

enum class PushResult : uint8_t {
  kOk,       // all samples taken
  kOverrun,  // some were dropped (counted; an overrun event follows)
  kClosed,   // after finish(): nothing taken
};

struct StageStats {
  const char* name = "";  // the stage's name(), a string with static storage
  runtime::PowerTier tier = runtime::PowerTier::kTier0;
  runtime::KernelEngine engine = runtime::KernelEngine::kRef;
  runtime::StageCounters counters;
};

struct PipelineStats {
  uint64_t samples = 0;          // audio processed
  uint64_t overrun_samples = 0;  // dropped by push()
  uint64_t events_dropped = 0;   // not drained in time (poll mode)
  State state = State::kIdle;
  std::array<uint64_t, kStateCount> state_samples{};  // audio processed in each state
  uint64_t transitions = 0;
  std::vector<StageStats> stages;
};

class Pipeline {
 public:
  using EventCallback = std::function<void(const Event&)>;

  static Result<std::unique_ptr<Pipeline>> create(const PipelineConfig& config);
  ~Pipeline();
  Pipeline(const Pipeline&) = delete;
  Pipeline& operator=(const Pipeline&) = delete;

  // Events go to `cb` on the thread that does the work; without one they queue for
  // poll_event(). Set before start() or the first step().
  Status set_event_callback(EventCallback cb);

  // Producer (one thread at a time): 16 kHz mono int16, any count. Never blocks.
  PushResult push(std::span<const int16_t> samples) noexcept;
  // Consumer, hosts without threads: processes all audio pushed so far.
  Status step();
  // Runs the consumer on a thread of its own until finish() or stop().
  Status start();
  // End of input: processes what was pushed, ends the open command (its final and intent, or
  // a timeout), joins the thread. push() is refused afterwards until reset().
  Status finish();
  // Stops the thread without processing what is still buffered. Idempotent.
  void stop();
  // Back to idle with no audio; the stream time starts again at 0. Not while running.
  Status reset();

  // Reads `source` ("alsa:default", "pa:2", a file, "-") in this thread until it ends, fails
  // or `stop` turns true, pushing and processing as it goes, then finish(). Files go as fast
  // as they can be read, or at real time when `realtime`.
  Status run_source(const std::string& source, bool realtime, const std::atomic<bool>* stop,
                    const audio::SourceOptions& base_options = {});

  // The next queued event (poll mode).
  std::optional<Event> poll_event();

  State state() const noexcept { return state_atomic_.load(std::memory_order_relaxed); }
  // Level of the last 10 ms block in dBFS (any thread).
  float input_level_dbfs() const noexcept {
    const int64_t ms = level_.load(std::memory_order_relaxed);
    return ms > 0 ? static_cast<float>(10.0 * std::log10(static_cast<double>(ms) / (32768.0 * 32768.0)))
                  : -120.0f;
  }
  // From the consumer thread, or after finish().
  PipelineStats stats() const;
  const PipelineConfig& config() const noexcept { return config_; }

 private:
  explicit Pipeline(const PipelineConfig& c);
  Status build_stages();

  // One block of audio through the states; stage failures become error events.
  void process_block(std::span<const int16_t> block);
  // Blocks from the ring until it is empty (and the last partial block when `flush_partial`).
  void process_ring(bool flush_partial);
  Status end_of_input();
  void worker_loop();
  Status guarded(const std::function<Status()>& work);

  // Each stage's results land in its own sink and are handled once the stage call returns
  // (a handler may run another stage, never the same one again).
  class PendingSink : public StageOutput {
   public:
    void emit(Event&& e) override { events.push_back(std::move(e)); }
    std::vector<Event> events;
  };
  Status run_stage(Stage& s, PendingSink& sink, std::span<const int16_t> audio,
                   int64_t first_sample);
  Status handle(PendingSink& sink);
  Status on_stage_event(Event& e);
  Status on_command_text(Event& e);

  void transition(Trigger t, int64_t sample);
  Status enter_listening();
  Status enter_capturing(int64_t wake_sample, int64_t from);
  Status check_timeouts();
  // Ends the command being captured: with `finish_asr` the recogniser's last words become the
  // final (and intent); a timeout event with `reason` when no command came out.
  Status close_command(const char* reason, bool finish_asr);
  void fail(const Status& s);
  void deliver(Event&& e);

  PipelineConfig config_;
  std::unique_ptr<Stage> voice_, wake_, asr_, nlu_;

  audio::SpscRingBuffer<int16_t> ring_;
  std::array<int16_t, 160> block_{};
  size_t block_fill_ = 0;
  std::atomic<bool> closed_{false};
  std::atomic<int> wake_signal_{0};
  std::atomic<bool> stop_requested_{false};
  std::thread worker_;
  bool running_ = false;
  bool finished_ = false;

  // Consumer state.
  State state_ = State::kIdle;
  std::atomic<State> state_atomic_{State::kIdle};
  std::atomic<int64_t> level_{0};  // mean square of the last block
  PrerollBuffer preroll_;
  PendingSink voice_sink_, wake_sink_, asr_sink_, nlu_sink_;
  int64_t samples_ = 0;            // stream time of the next block
  int64_t last_voice_end_ = 0;     // tier 0's last speech_end
  bool voice_active_ = false;      // tier 0 hears voice now
  int64_t wake_allowed_from_ = 0;  // refractory time
  std::string wake_keyword_;       // the wake word of the command being captured
  int64_t capture_start_ = 0;      // capturing / follow_up since
  bool command_text_seen_ = false;  // the command has words (beyond the wake word)
  bool entered_this_block_ = false;  // a stage switched on in this block has heard it
  std::chrono::steady_clock::time_point asr_call_start_;
  uint64_t overruns_reported_ = 0;
  std::array<uint64_t, kStateCount> state_samples_{};
  uint64_t transitions_ = 0;

  EventCallback callback_;
  mutable std::mutex queue_mutex_;  // poll mode only, never on push()
  std::deque<Event> queue_;
  uint64_t events_dropped_ = 0;
};

}  // namespace earshot::pipeline
