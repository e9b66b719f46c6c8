#include "asr/whisper_weights.hpp"

namespace earshot::asr {
namespace {

Result<const float*> f32_tensor(const model::Model& m, const std::string& name,
                                std::uint64_t numel) {
  auto t = m.tensor_as<float>(name);
  if (!t.ok()) return t.status();
  if (t->size() != numel) {
    return CorruptData(m.path() + ": " + name + " has " + std::to_string(t->size()) +
                       " values, expected " + std::to_string(numel));
  }
  return t->data();
}

#define ASSIGN_OR_RETURN(lhs, expr)   \
  do {                                \
    auto r_ = (expr);                 \
    if (!r_.ok()) return r_.status(); \
    lhs = std::move(r_).value();      \
  } while (0)

Result<LayerNormWeights> layer_norm(const model::Model& m, const std::string& name, int d) {
  LayerNormWeights ln;
  ASSIGN_OR_RETURN(ln.gamma, f32_tensor(m, name + ".gamma", d));
  ASSIGN_OR_RETURN(ln.beta, f32_tensor(m, name + ".beta", d));
  return ln;
}

Result<runtime::Linear> linear(const model::Model& m, const std::string& name, int out, int in) {
  return runtime::Linear::load(m, name, in, out);
}

int hparam(const nlohmann::json& hp, const char* key, int fallback) {
  auto it = hp.find(key);
  return it != hp.end() && it->is_number_integer() ? it->get<int>() : fallback;
}

}  // namespace

Result<std::shared_ptr<WhisperWeights>> WhisperWeights::load(std::shared_ptr<model::Model> mp) {
  const model::Model& m = *mp;
  if (m.stage() != "asr" || m.architecture() != "whisper") {
    return InvalidArgument(m.path() + ": not a Whisper ASR model (stage '" + m.stage() +
                           "', architecture '" + m.architecture() + "')");
  }
  auto w = std::make_shared<WhisperWeights>();
  const auto& meta = m.metadata();
  if (!meta.contains("hparams") || !meta["hparams"].is_object()) {
    return CorruptData(m.path() + ": metadata has no hparams");
  }
  const auto& hp = meta["hparams"];
  WhisperHparams& h = w->hp;
  h.n_mels = hparam(hp, "n_mels", 0);
  h.n_vocab = hparam(hp, "n_vocab", 0);
  h.d_model = hparam(hp, "d_model", 0);
  h.n_heads = hparam(hp, "encoder_heads", 0);
  h.n_audio_layers = hparam(hp, "encoder_layers", 0);
  h.n_text_layers = hparam(hp, "decoder_layers", 0);
  h.n_audio_ctx = hparam(hp, "n_audio_ctx", 0);
  h.n_text_ctx = hparam(hp, "n_text_ctx", 0);
  const int ffn = hparam(hp, "ffn", 4 * h.d_model);
  if (h.n_mels <= 0 || h.n_vocab <= 0 || h.d_model <= 0 || h.n_heads <= 0 ||
      h.d_model % h.n_heads != 0 || h.n_audio_layers <= 0 || h.n_text_layers <= 0 ||
      h.n_audio_ctx <= 0 || h.n_text_ctx <= 0 || h.n_audio_layers > 64 || h.n_text_layers > 64 ||
      hparam(hp, "decoder_heads", h.n_heads) != h.n_heads) {
    return CorruptData(m.path() + ": implausible Whisper hparams " + hp.dump());
  }
  const int d = h.d_model;
  ASSIGN_OR_RETURN(w->conv1_w, f32_tensor(m, "encoder.conv1.weight", 3ull * d * h.n_mels));
  ASSIGN_OR_RETURN(w->conv1_b, f32_tensor(m, "encoder.conv1.bias", d));
  ASSIGN_OR_RETURN(w->conv2_w, f32_tensor(m, "encoder.conv2.weight", 3ull * d * d));
  ASSIGN_OR_RETURN(w->conv2_b, f32_tensor(m, "encoder.conv2.bias", d));
  ASSIGN_OR_RETURN(w->enc_pos,
                   f32_tensor(m, "encoder.position_encodings.encodings", 1ull * h.n_audio_ctx * d));
  for (int i = 0; i < h.n_audio_layers; ++i) {
    const std::string p = "encoder.layer_" + std::to_string(i) + ".";
    EncoderLayer l;
    ASSIGN_OR_RETURN(l.attn_ln, layer_norm(m, p + "self_attention.layer_norm", d));
    ASSIGN_OR_RETURN(l.ffn_ln, layer_norm(m, p + "ffn.layer_norm", d));
    ASSIGN_OR_RETURN(l.qkv, linear(m, p + "self_attention.linear_0", 3 * d, d));
    ASSIGN_OR_RETURN(l.attn_out, linear(m, p + "self_attention.linear_1", d, d));
    ASSIGN_OR_RETURN(l.fc1, linear(m, p + "ffn.linear_0", ffn, d));
    ASSIGN_OR_RETURN(l.fc2, linear(m, p + "ffn.linear_1", d, ffn));
    w->int8 = l.qkv.is_int8();
    w->enc.push_back(std::move(l));
  }
  ASSIGN_OR_RETURN(w->enc_ln, layer_norm(m, "encoder.layer_norm", d));
  ASSIGN_OR_RETURN(w->tok_emb, f32_tensor(m, "decoder.embeddings.weight", 1ull * h.n_vocab * d));
  ASSIGN_OR_RETURN(w->dec_pos,
                   f32_tensor(m, "decoder.position_encodings.encodings", 1ull * h.n_text_ctx * d));
  for (int i = 0; i < h.n_text_layers; ++i) {
    const std::string p = "decoder.layer_" + std::to_string(i) + ".";
    DecoderLayer l;
    ASSIGN_OR_RETURN(l.self_ln, layer_norm(m, p + "self_attention.layer_norm", d));
    ASSIGN_OR_RETURN(l.cross_ln, layer_norm(m, p + "attention.layer_norm", d));
    ASSIGN_OR_RETURN(l.ffn_ln, layer_norm(m, p + "ffn.layer_norm", d));
    ASSIGN_OR_RETURN(l.self_qkv, linear(m, p + "self_attention.linear_0", 3 * d, d));
    ASSIGN_OR_RETURN(l.self_out, linear(m, p + "self_attention.linear_1", d, d));
    ASSIGN_OR_RETURN(l.cross_q, linear(m, p + "attention.linear_0", d, d));
    ASSIGN_OR_RETURN(l.cross_kv, linear(m, p + "attention.linear_1", 2 * d, d));
    ASSIGN_OR_RETURN(l.cross_out, linear(m, p + "attention.linear_2", d, d));
    ASSIGN_OR_RETURN(l.fc1, linear(m, p + "ffn.linear_0", ffn, d));
    ASSIGN_OR_RETURN(l.fc2, linear(m, p + "ffn.linear_1", d, ffn));
    w->dec.push_back(std::move(l));
  }
  ASSIGN_OR_RETURN(w->dec_ln, layer_norm(m, "decoder.layer_norm", d));
  // The output projection is tied to the token embedding; the int8 file stores a quantized
  // copy under its own name.
  const bool own_projection = m.find("decoder.projection.weight") != nullptr;
  runtime::LinearOptions proj;
  proj.weight = own_projection ? "decoder.projection.weight" : "decoder.embeddings.weight";
  ASSIGN_OR_RETURN(w->projection,
                   runtime::Linear::load(m, "decoder.projection", d, h.n_vocab, proj));
  w->model_ = std::move(mp);
  return w;
}

}  // namespace earshot::asr
