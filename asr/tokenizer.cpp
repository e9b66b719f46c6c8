#include "asr/tokenizer.hpp"

namespace earshot::asr {

Result<WhisperTokenizer> WhisperTokenizer::load(const model::Model& m) {
  WhisperTokenizer tok;
  auto data = m.tensor_as<std::uint8_t>("tokenizer.bytes");
  if (!data.ok()) return data.status();
  auto offsets = m.tensor_as<std::int32_t>("tokenizer.byte_offsets");
  if (!offsets.ok()) return offsets.status();
  if (offsets->size() < 2 || offsets->front() != 0 ||
      static_cast<size_t>(offsets->back()) != data->size()) {
    return CorruptData(m.path() + ": tokenizer.byte_offsets do not match tokenizer.bytes");
  }
  for (size_t i = 1; i < offsets->size(); ++i) {
    if ((*offsets)[i] < (*offsets)[i - 1]) {
      return CorruptData(m.path() + ": tokenizer.byte_offsets are not increasing");
    }
  }
  tok.data_ = *data;
  tok.offsets_ = *offsets;
  const auto& meta = m.metadata();
  if (!meta.contains("special_tokens") || !meta["special_tokens"].is_object()) {
    return CorruptData(m.path() + ": metadata has no special_tokens");
  }
  const auto& st = meta["special_tokens"];
  struct Field {
    const char* key;
    int* dst;
  } fields[] = {{"endoftext", &tok.sp_.eot},
                {"startoftranscript", &tok.sp_.sot},
                {"translate", &tok.sp_.translate},
                {"transcribe", &tok.sp_.transcribe},
                {"startoflm", &tok.sp_.sot_lm},
                {"startofprev", &tok.sp_.sot_prev},
                {"nocaptions", &tok.sp_.no_speech},
                {"notimestamps", &tok.sp_.no_timestamps},
                {"timestamp_begin", &tok.sp_.timestamp_begin}};
  const int n = tok.vocab_size();
  for (const auto& f : fields) {
    if (!st.contains(f.key) || !st[f.key].is_number_integer()) {
      return CorruptData(m.path() + ": special_tokens." + f.key + " is missing");
    }
    *f.dst = st[f.key].get<int>();
    if (*f.dst < 0 || *f.dst >= n) {
      return CorruptData(m.path() + ": special_tokens." + f.key + " is out of range");
    }
  }
  if (meta.contains("config") && meta["config"].contains("suppress_ids")) {
    for (const auto& v : meta["config"]["suppress_ids"]) {
      if (v.is_number_integer() && v.get<int>() >= 0 && v.get<int>() < n) {
        tok.suppress_.push_back(v.get<int>());
      }
    }
  }
  return tok;
}

std::string_view WhisperTokenizer::bytes(int t) const {
  if (t < 0 || t >= vocab_size()) return {};
  return {reinterpret_cast<const char*>(data_.data()) + offsets_[t],
          static_cast<size_t>(offsets_[t + 1] - offsets_[t])};
}

std::string WhisperTokenizer::decode(std::span<const int> tokens) const {
  std::string out;
  for (int t : tokens) {
    if (is_text(t)) out += bytes(t);
  }
  return out;
}

}  // namespace earshot::asr
