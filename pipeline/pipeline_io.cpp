// The pipeline's two sides: push() for the producer, and the consumer's step(), thread,
// end of input, event queue and audio sources.
#include <exception>
#include <new>

#include "pipeline/pipeline.hpp"

namespace earshot::pipeline {

PushResult Pipeline::push(std::span<const int16_t> samples) noexcept {
  if (closed_.load(std::memory_order_acquire)) return PushResult::kClosed;
  if (samples.empty()) return PushResult::kOk;
  const size_t taken = ring_.push(samples.data(), samples.size());
  wake_signal_.fetch_add(1, std::memory_order_release);
  wake_signal_.notify_one();
  return taken == samples.size() ? PushResult::kOk : PushResult::kOverrun;
}

Status Pipeline::set_event_callback(EventCallback cb) {
  if (running_) return FailedPrecondition("pipeline: set the event callback before start()");
  callback_ = std::move(cb);
  return Status::Ok();
}

Status Pipeline::guarded(const std::function<Status()>& work) {
  try {
    return work();
  } catch (const std::bad_alloc&) {
    return ResourceExhausted("pipeline: out of memory");
  } catch (const std::exception& e) {
    return Internal(std::string("pipeline: ") + e.what());
  }
}

Status Pipeline::step() {
  if (running_) return FailedPrecondition("pipeline: step() while its own thread runs");
  if (finished_) return FailedPrecondition("pipeline: step() after finish(); reset() first");
  return guarded([this] {
    process_ring(false);
    return Status::Ok();
  });
}

void Pipeline::worker_loop() {
  for (;;) {
    const int seen = wake_signal_.load(std::memory_order_acquire);
    const bool closing = closed_.load(std::memory_order_acquire);
    Status st = guarded([this] {
      process_ring(false);
      return Status::Ok();
    });
    if (!st.ok()) fail(st);
    if (stop_requested_.load(std::memory_order_acquire)) return;
    if (closing && ring_.available() == 0) {
      st = guarded([this] { return end_of_input(); });
      if (!st.ok()) fail(st);
      return;
    }
    if (ring_.available() == 0) wake_signal_.wait(seen, std::memory_order_acquire);
  }
}

Status Pipeline::start() {
  if (running_) return FailedPrecondition("pipeline: start() called twice");
  if (finished_) return FailedPrecondition("pipeline: start() after finish(); reset() first");
  stop_requested_.store(false, std::memory_order_release);
  try {
    worker_ = std::thread([this] { worker_loop(); });
  } catch (const std::exception& e) {
    return ResourceExhausted(std::string("pipeline: cannot start its thread: ") + e.what());
  }
  running_ = true;
  return Status::Ok();
}

Status Pipeline::finish() {
  if (finished_) return FailedPrecondition("pipeline: finish() called twice; reset() first");
  closed_.store(true, std::memory_order_release);
  finished_ = true;
  if (running_) {
    wake_signal_.fetch_add(1, std::memory_order_release);
    wake_signal_.notify_one();
    worker_.join();
    running_ = false;
    return Status::Ok();
  }
  return guarded([this] { return end_of_input(); });
}

void Pipeline::stop() {
  closed_.store(true, std::memory_order_release);
  if (!running_) return;
  stop_requested_.store(true, std::memory_order_release);
  wake_signal_.fetch_add(1, std::memory_order_release);
  wake_signal_.notify_one();
  worker_.join();
  running_ = false;
  finished_ = true;
}

Status Pipeline::reset() {
  if (running_) return FailedPrecondition("pipeline: reset() while its thread runs; finish() first");
  int16_t scratch[512];
  while (ring_.pop(scratch, 512) > 0) {
  }
  overruns_reported_ = ring_.overruns();
  block_fill_ = 0;
  level_.store(0, std::memory_order_relaxed);
  voice_->reset();
  wake_->reset();
  asr_->reset();
  if (nlu_) nlu_->reset();
  preroll_.reset();
  samples_ = last_voice_end_ = wake_allowed_from_ = capture_start_ = 0;
  voice_active_ = command_text_seen_ = entered_this_block_ = false;
  wake_keyword_.clear();
  state_ = State::kIdle;
  state_atomic_.store(state_, std::memory_order_relaxed);
  state_samples_.fill(0);
  transitions_ = 0;
  {
    std::lock_guard<std::mutex> lock(queue_mutex_);
    queue_.clear();
    events_dropped_ = 0;
  }
  closed_.store(false, std::memory_order_release);
  stop_requested_.store(false, std::memory_order_release);
  finished_ = false;
  if (!config_.gate) transition(Trigger::kVoice, 0);
  return Status::Ok();
}

std::optional<Event> Pipeline::poll_event() {
  std::lock_guard<std::mutex> lock(queue_mutex_);
  if (queue_.empty()) return std::nullopt;
  Event e = std::move(queue_.front());
  queue_.pop_front();
  return e;
}

Status Pipeline::run_source(const std::string& source, bool realtime,
                            const std::atomic<bool>* stop_flag,
                            const audio::SourceOptions& base_options) {
  if (running_) return FailedPrecondition("pipeline: run_source() while its thread runs");
  if (finished_) return FailedPrecondition("pipeline: run_source() after finish(); reset() first");
  audio::SourceOptions options = base_options;
  options.file_pace = realtime ? audio::FilePace::kRealtime : audio::FilePace::kFast;
  auto src = audio::open_source(source, options);
  if (!src.ok()) return src.status();
  Status st = (*src)->start();
  if (!st.ok()) return st;
  int16_t block[audio::kBlockSamples];
  uint64_t source_overruns = 0;
  while (st.ok()) {
    if (stop_flag != nullptr && stop_flag->load(std::memory_order_acquire)) break;
    auto n = (*src)->read_block(block);
    if (!n.ok()) {
      st = n.status();
      break;
    }
    if (*n == 0) break;
    const uint64_t over = (*src)->overruns();
    if (over > source_overruns) {
      ring_.add_overruns(over - source_overruns);
      source_overruns = over;
    }
    push(std::span<const int16_t>(block, *n));
    st = step();
  }
  (*src)->stop();
  if (!st.ok()) {
    // A vanished device: said as an event too, and the open command is closed.
    (void)guarded([&] {
      Event e;
      e.type = EventType::kError;
      e.sample = samples_;
      e.message = st.to_string();
      deliver(std::move(e));
      return Status::Ok();
    });
  }
  const Status f = finish();
  return st.ok() ? f : st;
}

}  // namespace earshot::pipeline
