#include "nlp/nlu.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "nlp/device_words.hpp"
#include "nlp/home_names.hpp"
#include "nlp/home_slots.hpp"
#include "nlp/intent_schema.hpp"
#include "nlp/item_spans.hpp"
#include "nlp/number_spans.hpp"
#include "nlp/respell.hpp"
#include "nlp/slot_spans.hpp"
#include "nlp/timer_names.hpp"
#include "runtime/kernels/softmax.hpp"

namespace earshot::nlp {

Status NluConfig::validate() const {
  if (max_pieces < 1 || max_pieces > 4096)
    return InvalidArgument("NluConfig.max_pieces must be in 1..4096, got " +
                           std::to_string(max_pieces));
  if (!(min_confidence >= 0.0f && min_confidence <= 1.0f))
    return InvalidArgument("NluConfig.min_confidence must be in [0, 1]");
  return Status::Ok();
}

Result<Nlu> Nlu::create(const NluConfig& config, model::Model model) {
  EARSHOT_RETURN_IF_ERROR(config.validate());
  if (model.stage() != "nlp")
    return InvalidArgument(model.path() + ": a '" + model.stage() + "' model, not 'nlp'");
  const auto& meta = model.metadata();
  // An ensemble (hparams.members > 1) keeps member k's tensors under "m<k>."; one tokenizer,
  // one shape (hparams, checked against every member's tensors).
  int members = 1;
  if (meta.contains("hparams") && meta["hparams"].is_object() &&
      meta["hparams"].contains("members")) {
    const auto& v = meta["hparams"]["members"];
    if (!v.is_number_integer() || v.get<int64_t>() < 1 || v.get<int64_t>() > 8)
      return CorruptData(model.path() + ": hparams.members must be an integer in 1..8");
    members = v.get<int>();
  }
  std::vector<IntentSlotEncoder> encoders;
  for (int k = 0; k < members; ++k) {
    std::string prefix;  // appended piecewise: GCC 12 warns falsely on chains of operator+
    if (k > 0) prefix.append("m").append(std::to_string(k)).append(".");
    auto encoder = IntentSlotEncoder::load(model, prefix);
    if (!encoder.ok()) return encoder.status();
    encoders.push_back(std::move(*encoder));
  }
  const EncoderShape shape = encoders[0].shape();
  auto spm = model.tensor_as<uint8_t>("tokenizer.spm");
  if (!spm.ok()) return Status(spm.status().code(), model.path() + ": " + spm.status().message());
  auto tokenizer = PieceTokenizer::from_serialized(
      std::string_view(reinterpret_cast<const char*>(spm->data()), spm->size()));
  if (!tokenizer.ok())
    return Status(tokenizer.status().code(), model.path() + ": " + tokenizer.status().message());
  if (tokenizer->vocab_size() != shape.vocab)
    return CorruptData(model.path() + ": tokenizer and encoder vocabularies differ");
  auto normalizer = SlotNormalizer::from_metadata(meta);
  if (!normalizer.ok()) return normalizer.status();
  std::vector<std::string> intents, tags, name_intents;
  std::map<std::string, std::vector<std::string>, std::less<>> intent_slots, intent_domains;
  try {
    intents = meta.at("intents").get<std::vector<std::string>>();
    tags = meta.at("tags").get<std::vector<std::string>>();
    name_intents =
        meta.value("home_name_intents", nlohmann::json::array()).get<std::vector<std::string>>();
    if (meta.contains("intent_slots"))
      intent_slots = meta["intent_slots"].get<decltype(intent_slots)>();
    if (meta.contains("intent_domains"))
      intent_domains = meta["intent_domains"].get<decltype(intent_domains)>();
  } catch (const nlohmann::json::exception& e) {
    return CorruptData(model.path() + ": metadata intents/tags: " + e.what());
  }
  if (static_cast<int>(intents.size()) != shape.n_intents ||
      static_cast<int>(tags.size()) != shape.n_tags)
    return CorruptData(model.path() + ": label lists do not match the heads");
  for (const auto& t : tags)
    if (t != "O" && (t.size() < 3 || (t.rfind("B-", 0) != 0 && t.rfind("I-", 0) != 0)))
      return CorruptData(model.path() + ": bad slot tag '" + t + "'");
  Nlu n(std::move(model), std::move(*tokenizer), std::move(encoders), std::move(*normalizer));
  n.config_ = config;
  n.config_.max_pieces = std::min(config.max_pieces, shape.max_len);
  n.intents_ = std::move(intents);
  n.tags_ = std::move(tags);
  n.name_intents_ = std::move(name_intents);
  n.intent_slots_ = std::move(intent_slots);
  n.intent_domains_ = std::move(intent_domains);
  n.none_ = n.model_.metadata().value("none_intent", std::string("none"));
  n.probs_.assign(n.intents_.size(), 0.f);
  n.member_probs_.assign(n.intents_.size(), 0.f);
  n.tag_probs_.assign(static_cast<size_t>(shape.max_len) * shape.n_tags, 0.f);
  n.member_tag_probs_.assign(n.tag_probs_.size(), 0.f);
  for (const auto& e : n.encoders_) {
    n.counters_.weight_bytes += e.weight_bytes();
    n.counters_.state_bytes += e.state_bytes();
  }
  n.counters_.state_bytes += 2 * (n.tag_probs_.size() + n.probs_.size()) * sizeof(float);
  n.pieces_.ids.reserve(n.config_.max_pieces);
  n.piece_tags_.reserve(n.config_.max_pieces);
  return n;
}

Status Nlu::understand(std::string_view text, NluResult* out) {
  if (out == nullptr) return InvalidArgument("Nlu::understand: null result");
  runtime::ScopedStageTimer timer(counters_);
  text = respell(text, &respelled_);
  *out = NluResult{};
  out->intent = none_;
  out->confidence = 1.0f;
  EARSHOT_RETURN_IF_ERROR(tokenizer_.encode(text, config_.max_pieces, &pieces_));
  out->truncated = pieces_.truncated;
  out->pieces = static_cast<int>(pieces_.ids.size());
  if (pieces_.ids.empty()) return Status::Ok();  // nothing said
  ++counters_.frames;
  EARSHOT_RETURN_IF_ERROR(run_members(out->pieces));
  const size_t best = std::max_element(probs_.begin(), probs_.end()) - probs_.begin();
  out->confidence = probs_[best];
  if (probs_[best] < config_.min_confidence) return Status::Ok();
  // Slots per word (slot_spans.hpp): the most probable tag of each piece, spans on word
  // boundaries.
  const int n_tags = static_cast<int>(tags_.size());
  piece_tags_.resize(out->pieces);
  for (int i = 0; i < out->pieces; ++i) {
    const float* row = tag_probs_.data() + static_cast<size_t>(i) * n_tags;
    piece_tags_[i] = static_cast<int>(std::max_element(row, row + n_tags) - row);
  }
  auto spans = decode_slot_spans(text, pieces_, piece_tags_, tags_, /*keep_repeats=*/true);
  mend_number_spans(text, &spans);
  drop_repeated_slots(&spans);

  decode_label(intents_[best], text, spans, out);
  if (!takes_named_domain(*out)) {
    // "set the thermostat to 60" read as HassLightSet: the named device settles it, as the
    // intent that takes devices of its domain and keeps the most of what was said (the number
    // as the new intent's level), the more probable first.
    ranked_.resize(probs_.size());
    for (size_t i = 0; i < ranked_.size(); ++i) ranked_[i] = static_cast<int>(i);
    std::stable_sort(ranked_.begin(), ranked_.end(),
                     [&](int a, int b) { return probs_[a] > probs_[b]; });
    NluResult chosen;
    for (const int label : ranked_) {
      NluResult r;
      r.truncated = out->truncated;
      r.pieces = out->pieces;
      r.confidence = probs_[label];
      decode_label(intents_[label], text, spans, &r);
      if (names_devices(r.intent) && takes_named_domain(r) &&
          has_required_slots(r.intent, r.slots) &&
          (chosen.intent.empty() || r.slots.size() > chosen.slots.size()))
        chosen = std::move(r);
    }
    if (!chosen.intent.empty()) *out = std::move(chosen);
  }
  // An intent without what it requires (intent_schema.hpp) cannot be carried out: the answer is
  // "none", as sure as the model was unsure of that intent. Taking the next intent instead would
  // act on a sentence the model did not read as that command ("every light to yellow" with the
  // colour missed is no HassTurnOff).
  if (out->intent != none_ && !has_required_slots(out->intent, out->slots)) {
    out->intent = none_;
    out->slots.clear();
    out->confidence = 1.0f - probs_[best];
  }
  return Status::Ok();
}

Status Nlu::run_members(int n_pieces) {
  // The ensemble's answer is the mean of its members' probabilities (intent and each piece's
  // tag): independently trained members err on different unseen phrasings.
  const size_t n_intents = probs_.size(), n_tags = tags_.size();
  const size_t tag_values = static_cast<size_t>(n_pieces) * n_tags;
  std::fill(probs_.begin(), probs_.end(), 0.f);
  std::fill(tag_probs_.begin(), tag_probs_.begin() + tag_values, 0.f);
  const float share = 1.0f / static_cast<float>(encoders_.size());
  for (auto& e : encoders_) {
    counters_.macs += e.macs(n_pieces);
    EARSHOT_RETURN_IF_ERROR(e.run(pieces_.ids));
    kernels::softmax_rows_f32(e.intent_logits().data(), 1.0f, 1, n_intents, member_probs_.data());
    for (size_t i = 0; i < n_intents; ++i) probs_[i] += share * member_probs_[i];
    kernels::softmax_rows_f32(e.slot_logits(), 1.0f, n_pieces, n_tags, member_tag_probs_.data());
    for (size_t i = 0; i < tag_values; ++i) tag_probs_[i] += share * member_tag_probs_[i];
  }
  return Status::Ok();
}

std::vector<SlotSpan> Nlu::level_spans_for(std::string_view intent,
                                           std::vector<SlotSpan> spans) const {
  // The one number said to a device is its level, named by the intent.
  constexpr std::array<std::string_view, 3> kLevels = {"brightness", "volume_level", "temperature"};
  const auto schema = intent_slots_.find(intent);
  if (schema == intent_slots_.end()) return spans;
  const auto takes = [&](std::string_view slot) {
    return std::find(schema->second.begin(), schema->second.end(), slot) != schema->second.end();
  };
  const auto level = std::find_if(kLevels.begin(), kLevels.end(), takes);
  if (level == kLevels.end()) return spans;
  for (auto& s : spans)
    if (!takes(s.slot) && std::find(kLevels.begin(), kLevels.end(), s.slot) != kLevels.end())
      s.slot = std::string(*level);
  return spans;
}

bool Nlu::takes_named_domain(const NluResult& r) const {
  const auto domains = intent_domains_.find(r.intent);
  if (domains == intent_domains_.end() || !names_devices(r.intent)) return true;
  for (const auto& s : r.slots) {
    if (s.name != "name") continue;
    const auto domain = normalizer_.home_domain(s.text);
    if (!domain.empty() &&
        std::find(domains->second.begin(), domains->second.end(), domain) == domains->second.end())
      return false;
  }
  return true;
}

void Nlu::decode_label(const std::string& label, std::string_view text, std::vector<SlotSpan> spans,
                       NluResult* out) const {
  // "HassTurnOn|domain=light": the intent and the slots its phrasing fixes.
  size_t bar = label.find('|');
  out->intent = label.substr(0, bar);
  if (out->intent == none_) return;
  while (bar != std::string::npos) {
    const size_t next = label.find('|', bar + 1);
    const std::string kv = label.substr(bar + 1, next == std::string::npos ? next : next - bar - 1);
    const size_t eq = kv.find('=');
    if (eq != std::string::npos) {
      SlotValue v;
      v.name = kv.substr(0, eq);
      v.text = kv.substr(eq + 1);
      out->slots.push_back(std::move(v));
    }
    bar = next;
  }
  spans = level_spans_for(out->intent, std::move(spans));
  mend_number_spans(text, &spans);  // a number cut between two level slots is whole again
  drop_repeated_slots(&spans);
  // "contains" is no colour, "light" no temperature: a span whose words are not of its slot's
  // kind is a tagging slip.
  std::erase_if(spans, [&](const SlotSpan& s) {
    return !normalizer_.allows(
        normalizer_.normalize(s.slot, text.substr(s.begin, s.end - s.begin)));
  });
  if (!has_required_slots(out->intent, out->slots))  // the label's own slots may be enough
    recover_required_span(text, out->intent, normalizer_, &spans);
  if (out->intent == "HassShoppingListAddItem") grow_item_span(text, &spans);
  snap_home_slots(text, normalizer_, &spans);
  widen_home_places(text, normalizer_, &spans);
  if (settle_home_name(text, normalizer_, names_devices(out->intent), &spans) ==
      HomeNameChange::kAdded) {
    // Sentences that name a device fix no domain or device class of their own.
    std::erase_if(out->slots, [](const SlotValue& s) {
      return s.name == "domain" || s.name == "device_class";
    });
  }
  for (const auto& span : spans) {
    const bool fixed = std::any_of(out->slots.begin(), out->slots.end(),
                                   [&](const SlotValue& s) { return s.name == span.slot; });
    if (fixed) continue;
    auto value = normalizer_.normalize(span.slot, text.substr(span.begin, span.end - span.begin));
    if (normalizer_.allows(value)) out->slots.push_back(std::move(value));
  }
  // Only Home Assistant's HassGetState takes a state ("is the fan on"); in "get every light off"
  // the word is the command's own.
  if (out->intent != "HassGetState")
    std::erase_if(out->slots, [](const SlotValue& s) { return s.name == "state"; });
  settle_device_words(text, out->intent, normalizer_, &out->slots);
  add_timer_name(text, out->intent, normalizer_, &out->slots);
  // A slot the intent never takes ("item" of a media command) is a tagging slip.
  if (const auto schema = intent_slots_.find(out->intent); schema != intent_slots_.end())
    std::erase_if(out->slots, [&](const SlotValue& s) {
      return std::find(schema->second.begin(), schema->second.end(), s.name) ==
             schema->second.end();
    });
}

}  // namespace earshot::nlp
