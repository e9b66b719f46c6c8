#include "nlp/intent_slot_encoder.hpp"

#include <algorithm>
#include <cstring>
#include <string>

#include "runtime/kernels/act.hpp"
#include "runtime/kernels/norm.hpp"

namespace earshot::nlp {
namespace {

Result<const float*> f32_tensor(const model::Model& m, const std::string& name,
                                std::initializer_list<uint64_t> dims, uint64_t* bytes) {
  auto t = m.tensor(name);
  if (!t.ok()) return t.status();
  model::Shape want;
  for (uint64_t d : dims) want.dims[want.ndim++] = d;
  if (!(t->shape == want)) {
    return CorruptData(m.path() + ": tensor " + name + " has shape " + t->shape.to_string() +
                       ", expected " + want.to_string());
  }
  auto f = t->as<float>();
  if (!f.ok()) return f.status();
  *bytes += t->nbytes;
  return f->data();
}

Result<EncoderShape> read_shape(const model::Model& m) {
  const auto& meta = m.metadata();
  if (!meta.contains("hparams") || !meta["hparams"].is_object())
    return CorruptData(m.path() + ": metadata lacks 'hparams'");
  const auto& h = meta["hparams"];
  EncoderShape s;
  const std::pair<const char*, int*> ints[] = {{"vocab", &s.vocab},         {"d_model", &s.d_model},
                                               {"heads", &s.heads},         {"ffn", &s.ffn},
                                               {"layers", &s.layers},       {"max_len", &s.max_len},
                                               {"n_intents", &s.n_intents}, {"n_tags", &s.n_tags}};
  for (auto [key, dst] : ints) {
    if (!h.contains(key) || !h[key].is_number_integer())
      return CorruptData(m.path() + ": hparams." + key + " missing or not an integer");
    const auto v = h[key].get<int64_t>();
    if (v < 1 || v > 65536)
      return CorruptData(m.path() + ": hparams." + key + " = " + std::to_string(v) +
                         " out of range");
    *dst = static_cast<int>(v);
  }
  if (h.contains("ln_eps") && h["ln_eps"].is_number()) s.ln_eps = h["ln_eps"].get<float>();
  if (s.d_model % s.heads != 0)
    return CorruptData(m.path() + ": d_model is not a multiple of heads");
  if (s.max_len > 4096) return CorruptData(m.path() + ": max_len above 4096");
  return s;
}

}  // namespace

Result<IntentSlotEncoder> IntentSlotEncoder::load(const model::Model& m,
                                                  const std::string& prefix) {
  auto shape = read_shape(m);
  if (!shape.ok()) return shape.status();
  IntentSlotEncoder e;
  e.s_ = *shape;
  const auto& s = e.s_;
  const uint64_t d = s.d_model;
  uint64_t bytes = 0;
  auto get = [&](const std::string& name, std::initializer_list<uint64_t> dims,
                 const float** dst) -> Status {
    auto t = f32_tensor(m, prefix + name, dims, &bytes);
    if (!t.ok()) return t.status();
    *dst = *t;
    return Status::Ok();
  };
  auto linear = [&](const std::string& name, int in, int out, runtime::Linear* dst) -> Status {
    runtime::LinearOptions o;
    o.biases = std::vector<std::string>{prefix + name + ".bias"};  // required
    auto l = runtime::Linear::load(m, prefix + name, in, out, o);
    if (!l.ok()) return l.status();
    *dst = std::move(*l);
    bytes += uint64_t(in) * out * (dst->is_int8() ? 1 : 4) + 4 * uint64_t(out);
    return Status::Ok();
  };
  EARSHOT_RETURN_IF_ERROR(get("tok.weight", {uint64_t(s.vocab), d}, &e.tok_));
  EARSHOT_RETURN_IF_ERROR(get("pos.weight", {uint64_t(s.max_len), d}, &e.pos_));
  for (int i = 0; i < s.layers; ++i) {
    const std::string p = "blocks." + std::to_string(i) + ".";
    Block b{};
    EARSHOT_RETURN_IF_ERROR(get(p + "ln1.weight", {d}, &b.ln1_g));
    EARSHOT_RETURN_IF_ERROR(get(p + "ln1.bias", {d}, &b.ln1_b));
    EARSHOT_RETURN_IF_ERROR(get(p + "ln2.weight", {d}, &b.ln2_g));
    EARSHOT_RETURN_IF_ERROR(get(p + "ln2.bias", {d}, &b.ln2_b));
    EARSHOT_RETURN_IF_ERROR(linear(p + "qkv", s.d_model, 3 * s.d_model, &b.qkv));
    EARSHOT_RETURN_IF_ERROR(linear(p + "out", s.d_model, s.d_model, &b.out));
    EARSHOT_RETURN_IF_ERROR(linear(p + "fc1", s.d_model, s.ffn, &b.fc1));
    EARSHOT_RETURN_IF_ERROR(linear(p + "fc2", s.ffn, s.d_model, &b.fc2));
    e.blocks_.push_back(std::move(b));
  }
  EARSHOT_RETURN_IF_ERROR(get("ln_f.weight", {d}, &e.lnf_g_));
  EARSHOT_RETURN_IF_ERROR(get("ln_f.bias", {d}, &e.lnf_b_));
  e.heads_.resize(2);
  EARSHOT_RETURN_IF_ERROR(linear("intent", s.d_model, s.n_intents, &e.heads_[0]));
  EARSHOT_RETURN_IF_ERROR(linear("slot", s.d_model, s.n_tags, &e.heads_[1]));
  e.weight_bytes_ = bytes;

  auto cache = kernels::KvCache::create(s.heads, s.d_model / s.heads, s.max_len);
  if (!cache.ok()) return cache.status();
  e.cache_ = std::move(*cache);
  const size_t rows = s.max_len;
  e.x_.assign(rows * d, 0.f);
  e.h_.assign(rows * d, 0.f);
  e.qkv_.assign(rows * 3 * d, 0.f);
  e.q_.assign(rows * d, 0.f);
  e.k_.assign(rows * d, 0.f);
  e.v_.assign(rows * d, 0.f);
  e.att_.assign(rows * d, 0.f);
  e.ff_.assign(rows * s.ffn, 0.f);
  e.scores_.assign(rows, 0.f);
  e.pooled_.assign(d, 0.f);
  e.intent_.assign(s.n_intents, 0.f);
  e.slots_.assign(rows * s.n_tags, 0.f);
  size_t scratch = 0;
  for (const auto& b : e.blocks_)
    for (const runtime::Linear* l : {&b.qkv, &b.out, &b.fc1, &b.fc2})
      scratch = std::max(scratch, l->scratch_bytes(s.max_len));
  for (const auto& l : e.heads_) scratch = std::max(scratch, l.scratch_bytes(s.max_len));
  e.scratch_.assign(scratch, 0);
  return e;
}

uint64_t IntentSlotEncoder::macs(int n) const {
  const uint64_t d = s_.d_model, t = n;
  const uint64_t per_block = t * (3 * d * d + d * d + 2 * d * s_.ffn) + 2 * t * t * d;
  return s_.layers * per_block + d * s_.n_intents + t * d * s_.n_tags;
}

uint64_t IntentSlotEncoder::state_bytes() const {
  size_t n = 0;
  for (const auto* v :
       {&x_, &h_, &qkv_, &q_, &k_, &v_, &att_, &ff_, &scores_, &pooled_, &intent_, &slots_})
    n += v->size() * sizeof(float);
  return n + scratch_.size() + 2ull * cache_.capacity() * s_.d_model * sizeof(float);
}

Status IntentSlotEncoder::run(std::span<const int> ids) {
  const int t = static_cast<int>(ids.size());
  if (t < 1 || t > s_.max_len)
    return InvalidArgument("NLU encoder: " + std::to_string(t) + " pieces, expected 1.." +
                           std::to_string(s_.max_len));
  const size_t d = s_.d_model;
  for (int i = 0; i < t; ++i) {
    const int id = ids[i];
    if (id < 0 || id >= s_.vocab) return InvalidArgument("NLU encoder: piece id out of range");
    const float* te = tok_ + size_t(id) * d;
    const float* pe = pos_ + size_t(i) * d;
    float* x = x_.data() + size_t(i) * d;
    for (size_t j = 0; j < d; ++j) x[j] = te[j] + pe[j];
  }
  void* scratch = scratch_.data();
  const size_t sb = scratch_.size();
  const auto& act = kernels::act_kernels();
  for (const auto& b : blocks_) {
    kernels::layer_norm_rows_f32(x_.data(), b.ln1_g, b.ln1_b, s_.ln_eps, t, d, h_.data());
    EARSHOT_RETURN_IF_ERROR(b.qkv.apply(h_.data(), t, qkv_.data(), scratch, sb));
    for (int i = 0; i < t; ++i) {
      const float* row = qkv_.data() + size_t(i) * 3 * d;
      std::memcpy(q_.data() + i * d, row, d * sizeof(float));
      std::memcpy(k_.data() + i * d, row + d, d * sizeof(float));
      std::memcpy(v_.data() + i * d, row + 2 * d, d * sizeof(float));
    }
    cache_.clear();
    EARSHOT_RETURN_IF_ERROR(cache_.append(k_.data(), v_.data(), t));
    EARSHOT_RETURN_IF_ERROR(
        kernels::attend(q_.data(), t, cache_, false, scores_.data(), att_.data()));
    EARSHOT_RETURN_IF_ERROR(b.out.apply(att_.data(), t, h_.data(), scratch, sb));
    for (size_t i = 0; i < t * d; ++i) x_[i] += h_[i];
    kernels::layer_norm_rows_f32(x_.data(), b.ln2_g, b.ln2_b, s_.ln_eps, t, d, h_.data());
    EARSHOT_RETURN_IF_ERROR(b.fc1.apply(h_.data(), t, ff_.data(), scratch, sb));
    act.gelu_erf(ff_.data(), ff_.data(), size_t(t) * s_.ffn);
    EARSHOT_RETURN_IF_ERROR(b.fc2.apply(ff_.data(), t, h_.data(), scratch, sb));
    for (size_t i = 0; i < t * d; ++i) x_[i] += h_[i];
  }
  kernels::layer_norm_rows_f32(x_.data(), lnf_g_, lnf_b_, s_.ln_eps, t, d, h_.data());
  std::fill(pooled_.begin(), pooled_.end(), 0.f);
  for (int i = 0; i < t; ++i)
    for (size_t j = 0; j < d; ++j) pooled_[j] += h_[i * d + j];
  for (auto& p : pooled_) p /= static_cast<float>(t);
  EARSHOT_RETURN_IF_ERROR(heads_[0].apply(pooled_.data(), 1, intent_.data(), scratch, sb));
  return heads_[1].apply(h_.data(), t, slots_.data(), scratch, sb);
}

}  // namespace earshot::nlp
