// The NLP stage: text -> intent and slots, with the names Home Assistant uses.
//
//   auto model = model::Model::open(path, {.expected_stage = "nlp"});
//   auto nlu = nlp::Nlu::create({}, std::move(*model));
//   nlp::NluResult r;
//   nlu->understand("turn off the kitchen light", &r);   // r.intent == "HassTurnOff"
//
// Pieces (SentencePiece) -> transformer encoder (f32 or int8 weights by the model file; an
// ensemble of encoders averages their probabilities) -> intent = most probable label of the
// intent head (labels may fix slots, "HassTurnOn|domain=light"), slots = BIO spans over words,
// each word tagged by its first piece (slot_spans.hpp), values normalised (SlotNormalizer).
#pragma once

#include <algorithm>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "earshot/status.hpp"
#include "nlp/intent_slot_encoder.hpp"
#include "nlp/piece_tokenizer.hpp"
#include "nlp/slot_normalizer.hpp"
#include "nlp/slot_spans.hpp"
#include "runtime/model/model_file.hpp"
#include "runtime/stage/stage_info.hpp"

namespace earshot::nlp {

struct NluConfig {
  // Pieces kept of one utterance (at most the model's max_len); the rest is cut, with
  // NluResult::truncated set.
  int max_pieces = 64;
  // Below this intent probability the answer is "none".
  float min_confidence = 0.0f;
  Status validate() const;
};

struct NluResult {
  std::string intent;  // Home Assistant's intent name, or "none"
  std::vector<SlotValue> slots;
  float confidence = 0;
  bool truncated = false;
  int pieces = 0;
};

class Nlu {
 public:
  static Result<Nlu> create(const NluConfig& config, model::Model model);

  // Never fails on text content (empty, binary, any language): those give "none" or a best
  // effort. Allocates (strings, SentencePiece); the encoder itself works in place.
  Status understand(std::string_view text, NluResult* out);
  void reset() {}

  // Member k's raw logits of the last understood text, and the ensemble's mean intent and
  // [pieces][tags] probabilities (parity tests).
  size_t members() const { return encoders_.size(); }
  const IntentSlotEncoder& encoder(size_t k = 0) const { return encoders_.at(k); }
  std::span<const float> intent_probs() const { return probs_; }
  const float* tag_probs() const { return tag_probs_.data(); }
  const PieceTokenizer& tokenizer() const { return tokenizer_; }
  const runtime::StageCounters& counters() const { return counters_; }
  runtime::KernelEngine engine() const {
    return encoders_[0].is_int8() ? runtime::KernelEngine::kI8 : runtime::KernelEngine::kF32;
  }
  runtime::PowerTier tier() const { return runtime::PowerTier::kTier2; }

 private:
  Nlu(model::Model m, PieceTokenizer t, std::vector<IntentSlotEncoder> e, SlotNormalizer n)
      : model_(std::move(m)),
        tokenizer_(std::move(t)),
        encoders_(std::move(e)),
        normalizer_(std::move(n)) {}
  model::Model model_;  // owns the mapping the encoder reads
  PieceTokenizer tokenizer_;
  std::vector<IntentSlotEncoder> encoders_;  // one, or an ensemble's members
  SlotNormalizer normalizer_;
  NluConfig config_;
  std::vector<std::string> intents_, tags_;
  std::string none_ = "none";
  // Intents whose sentences name devices (metadata "home_name_intents", home_names.hpp).
  std::vector<std::string> name_intents_;
  // The slots each intent takes (metadata "intent_slots"; all when absent).
  std::map<std::string, std::vector<std::string>, std::less<>> intent_slots_;
  // The domains of the devices each intent's training sentences name ("intent_domains").
  std::map<std::string, std::vector<std::string>, std::less<>> intent_domains_;
  bool names_devices(std::string_view intent) const {
    return std::find(name_intents_.begin(), name_intents_.end(), intent) != name_intents_.end();
  }
  // `spans` with a level slot ("brightness") `intent` does not take renamed to the one it does
  // ("temperature"), if any.
  std::vector<SlotSpan> level_spans_for(std::string_view intent, std::vector<SlotSpan> spans) const;
  // Runs every member on pieces_, fills probs_ and tag_probs_ with their means. No allocation.
  Status run_members(int n_pieces);
  // False when a device the result names is of a domain its intent never takes.
  bool takes_named_domain(const NluResult& r) const;
  // Slots of `label` ("HassTurnOn|domain=light") from the sentence's spans into `out`.
  void decode_label(const std::string& label, std::string_view text, std::vector<SlotSpan> spans,
                    NluResult* out) const;

  Pieces pieces_;
  std::vector<int> piece_tags_;              // argmax slot tag per piece
  std::string respelled_;                    // the text with one-word spellings split (respell.hpp)
  std::vector<float> probs_, member_probs_;  // [intents]
  std::vector<float> tag_probs_, member_tag_probs_;  // [max_len][tags]
  std::vector<int> ranked_;                          // intent labels by probability
  runtime::StageCounters counters_;
};

}  // namespace earshot::nlp
