#include "nlp/nlu.hpp"

#include <algorithm>
#include <cmath>

#include "nlp/device_words.hpp"
#include "nlp/home_names.hpp"
#include "nlp/home_slots.hpp"
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
  auto encoder = IntentSlotEncoder::load(model);
  if (!encoder.ok()) return encoder.status();
  const auto& meta = model.metadata();
  auto spm = model.tensor_as<uint8_t>("tokenizer.spm");
  if (!spm.ok()) return Status(spm.status().code(), model.path() + ": " + spm.status().message());
  auto tokenizer = PieceTokenizer::from_serialized(
      std::string_view(reinterpret_cast<const char*>(spm->data()), spm->size()));
  if (!tokenizer.ok())
    return Status(tokenizer.status().code(), model.path() + ": " + tokenizer.status().message());
  if (tokenizer->vocab_size() != encoder->shape().vocab)
    return CorruptData(model.path() + ": tokenizer and encoder vocabularies differ");
  auto normalizer = SlotNormalizer::from_metadata(meta);
  if (!normalizer.ok()) return normalizer.status();
  std::vector<std::string> intents, tags, name_intents;
  try {
    intents = meta.at("intents").get<std::vector<std::string>>();
    tags = meta.at("tags").get<std::vector<std::string>>();
    name_intents =
        meta.value("home_name_intents", nlohmann::json::array()).get<std::vector<std::string>>();
  } catch (const nlohmann::json::exception& e) {
    return CorruptData(model.path() + ": metadata intents/tags: " + e.what());
  }
  if (static_cast<int>(intents.size()) != encoder->shape().n_intents ||
      static_cast<int>(tags.size()) != encoder->shape().n_tags)
    return CorruptData(model.path() + ": label lists do not match the heads");
  for (const auto& t : tags)
    if (t != "O" && (t.size() < 3 || (t.rfind("B-", 0) != 0 && t.rfind("I-", 0) != 0)))
      return CorruptData(model.path() + ": bad slot tag '" + t + "'");
  Nlu n(std::move(model), std::move(*tokenizer), std::move(*encoder), std::move(*normalizer));
  n.config_ = config;
  n.config_.max_pieces = std::min(config.max_pieces, n.encoder_.shape().max_len);
  n.intents_ = std::move(intents);
  n.tags_ = std::move(tags);
  n.name_intents_ = std::move(name_intents);
  n.none_ = n.model_.metadata().value("none_intent", std::string("none"));
  n.probs_.assign(n.intents_.size(), 0.f);
  n.counters_.weight_bytes = n.encoder_.weight_bytes();
  n.counters_.state_bytes = n.encoder_.state_bytes();
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
  counters_.macs += encoder_.macs(out->pieces);
  EARSHOT_RETURN_IF_ERROR(encoder_.run(pieces_.ids));

  const auto logits = encoder_.intent_logits();
  kernels::softmax_rows_f32(logits.data(), 1.0f, 1, logits.size(), probs_.data());
  const size_t best = std::max_element(probs_.begin(), probs_.end()) - probs_.begin();
  out->confidence = probs_[best];
  if (probs_[best] < config_.min_confidence) return Status::Ok();
  // "HassTurnOn|domain=light": the intent and the slots its phrasing fixes.
  const std::string& label = intents_[best];
  size_t bar = label.find('|');
  out->intent = label.substr(0, bar);
  if (out->intent == none_) return Status::Ok();
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

  // Slots per word (slot_spans.hpp): the argmax tag of each piece, spans on word boundaries.
  const int n_tags = static_cast<int>(tags_.size());
  const float* sl = encoder_.slot_logits();
  piece_tags_.resize(out->pieces);
  for (int i = 0; i < out->pieces; ++i) {
    const float* row = sl + static_cast<size_t>(i) * n_tags;
    piece_tags_[i] = static_cast<int>(std::max_element(row, row + n_tags) - row);
  }
  auto spans = decode_slot_spans(text, pieces_, piece_tags_, tags_, /*keep_repeats=*/true);
  mend_number_spans(text, &spans);
  drop_repeated_slots(&spans);
  if (out->intent == "HassShoppingListAddItem") grow_item_span(text, &spans);
  snap_home_slots(text, normalizer_, &spans);
  widen_home_places(text, normalizer_, &spans);
  const bool names_devices =
      std::find(name_intents_.begin(), name_intents_.end(), out->intent) != name_intents_.end();
  if (settle_home_name(text, normalizer_, names_devices, &spans) == HomeNameChange::kAdded) {
    // Sentences that name a device fix no domain or device class of their own.
    std::erase_if(out->slots, [](const SlotValue& s) {
      return s.name == "domain" || s.name == "device_class";
    });
  }
  for (const auto& span : spans) {
    const bool fixed = std::any_of(out->slots.begin(), out->slots.end(),
                                   [&](const SlotValue& s) { return s.name == span.slot; });
    if (!fixed)
      out->slots.push_back(
          normalizer_.normalize(span.slot, text.substr(span.begin, span.end - span.begin)));
  }
  // Only Home Assistant's HassGetState takes a state ("is the fan on"); in "get every light off"
  // the word is the command's own.
  if (out->intent != "HassGetState")
    std::erase_if(out->slots, [](const SlotValue& s) { return s.name == "state"; });
  settle_device_words(text, out->intent, normalizer_, &out->slots);
  add_timer_name(text, out->intent, normalizer_, &out->slots);
  return Status::Ok();
}

}  // namespace earshot::nlp
