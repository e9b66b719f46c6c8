#include "pipeline/c_api/c_event.hpp"

#include "pipeline/event_json.hpp"

namespace earshot::pipeline {

void CEventHolder::fill(const Event& e) {
  event_ = e;
  json_ = event_to_json(event_);
  slots_.clear();
  for (const auto& s : event_.slots) {
    slots_.push_back({s.name.c_str(), s.value.c_str(), s.is_number ? 1 : 0});
  }
  earshot_event v{};
  v.type = static_cast<earshot_event_type>(event_.type);
  v.sample = event_.sample;
  v.time = event_.time_s();
  v.state = static_cast<earshot_state>(event_.state);
  v.previous = static_cast<earshot_state>(event_.previous);
  v.keyword = event_.keyword.c_str();
  v.score = event_.score;
  v.text = event_.text.c_str();
  v.start_sample = event_.start_sample;
  v.end_sample = event_.end_sample;
  v.intent = event_.intent.c_str();
  v.slots = slots_.empty() ? nullptr : slots_.data();
  v.slot_count = slots_.size();
  v.confidence = event_.confidence;
  v.latency_ns = event_.latency_ns;
  v.reason = event_.reason.c_str();
  v.message = event_.message.c_str();
  v.count = event_.count;
  v.json = json_.c_str();
  view_ = v;
}

}  // namespace earshot::pipeline
