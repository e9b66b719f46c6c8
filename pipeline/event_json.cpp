#include "pipeline/event_json.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>

namespace earshot::pipeline {
namespace {

// One JSON object written field by field: strings escaped by nlohmann (invalid UTF-8
// replaced), numbers printed with only the digits they need ("1.81", not 1.8100000000000001).
// `v` with at most `decimals` decimals and no trailing zeros.
std::string number_text(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, std::isfinite(v) ? v : 0.0);
  std::string t = buf;
  if (t.find('.') != std::string::npos) {
    while (t.back() == '0') t.pop_back();
    if (t.back() == '.') t.pop_back();
  }
  return t == "-0" ? "0" : t;
}

class Line {
 public:
  Line& str(const char* key, const std::string& v) {
    return raw(key, nlohmann::json(v).dump(-1, ' ', false,
                                           nlohmann::json::error_handler_t::replace));
  }
  Line& num(const char* key, double v, int decimals) { return raw(key, number_text(v, decimals)); }
  Line& integer(const char* key, long long v) { return raw(key, std::to_string(v)); }
  Line& raw(const char* key, const std::string& json) {
    out_ += out_.size() > 1 ? ",\"" : "\"";
    out_ += key;
    out_ += "\":";
    out_ += json;
    return *this;
  }
  std::string done() { return out_ + "}"; }

 private:
  std::string out_ = "{";
};

double seconds(int64_t samples) { return static_cast<double>(samples) / 16000.0; }

}  // namespace

const char* state_name(State s) noexcept {
  switch (s) {
    case State::kIdle: return "idle";
    case State::kListening: return "listening";
    case State::kCapturing: return "capturing";
    case State::kUnderstanding: return "understanding";
    case State::kFollowUp: return "follow_up";
  }
  return "?";
}

const char* event_type_name(EventType t) noexcept {
  switch (t) {
    case EventType::kState: return "state";
    case EventType::kWake: return "wake";
    case EventType::kSpeechStart: return "speech_start";
    case EventType::kSpeechEnd: return "speech_end";
    case EventType::kPartial: return "partial";
    case EventType::kFinal: return "final";
    case EventType::kIntent: return "intent";
    case EventType::kTimeout: return "timeout";
    case EventType::kOverrun: return "overrun";
    case EventType::kError: return "error";
  }
  return "?";
}

std::string event_to_json(const Event& e) {
  Line j;
  j.str("type", event_type_name(e.type)).num("time", e.time_s(), 4).integer("sample", e.sample);
  switch (e.type) {
    case EventType::kState:
      j.str("state", state_name(e.state)).str("from", state_name(e.previous));
      break;
    case EventType::kWake: j.str("keyword", e.keyword).num("score", e.score, 4); break;
    case EventType::kSpeechStart: j.num("start", seconds(e.start_sample), 4); break;
    case EventType::kSpeechEnd: j.num("end", seconds(e.end_sample), 4); break;
    case EventType::kPartial: j.str("text", e.text); break;
    case EventType::kFinal:
      j.str("text", e.text)
          .num("start", seconds(e.start_sample), 4)
          .num("end", seconds(e.end_sample), 4);
      break;
    case EventType::kIntent: {
      j.str("intent", e.intent);
      std::string slots = "{";
      for (const auto& s : e.slots) {
        if (slots.size() > 1) slots += ",";
        slots += nlohmann::json(s.name).dump(-1, ' ', false,
                                             nlohmann::json::error_handler_t::replace);
        slots += ":";
        char* end = nullptr;
        const double v = s.is_number ? std::strtod(s.value.c_str(), &end) : 0.0;
        if (s.is_number && end != s.value.c_str() && *end == '\0' && std::isfinite(v)) {
          slots += number_text(v, 6);
        } else {
          slots += nlohmann::json(s.value).dump(-1, ' ', false,
                                                nlohmann::json::error_handler_t::replace);
        }
      }
      slots += "}";
      j.raw("slots", slots)
          .str("text", e.text)
          .num("confidence", e.confidence, 4)
          .num("latency_ms", static_cast<double>(e.latency_ns) / 1e6, 3);
      break;
    }
    case EventType::kTimeout: j.str("reason", e.reason); break;
    case EventType::kOverrun: j.integer("samples", static_cast<long long>(e.count)); break;
    case EventType::kError: j.str("message", e.message); break;
  }
  return j.done();
}

}  // namespace earshot::pipeline
