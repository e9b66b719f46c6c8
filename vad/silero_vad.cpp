#include "vad/silero_vad.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>

#include "runtime/kernels/act.hpp"
#include "runtime/kernels/engine.hpp"
#include "runtime/kernels/f32_gemm.hpp"

namespace earshot::vad {
namespace {

constexpr int kInput = SileroVad::kChunk + SileroVad::kContext;    // 576
constexpr int kPad = 128;                                          // reflect, both sides
constexpr int kPadded = kInput + 2 * kPad;                         // 832
constexpr int kFrame = 256, kHop = 128, kBins = 129, kFrames = 4;  // frames 1..4 of 5 are kept
constexpr int kKernel = 3;
constexpr int kGates = 4 * SileroVad::kHidden;
// (name, in, out, stride) of the encoder, as docs/models.md lists it.
constexpr struct {
  const char* name;
  int in, out, stride;
} kEncoder[4] = {{"encoder.0", 129, 128, 1},
                 {"encoder.1", 128, 64, 2},
                 {"encoder.2", 64, 64, 2},
                 {"encoder.3", 64, 128, 1}};

std::string shape_error(const model::Model& m, const std::string& name, const std::string& want) {
  return m.path() + ": tensor " + name + " is not " + want;
}

// A tensor of the expected shape; f32, or int8 with a `.scale` of `dims[0]` floats when `i8`.
Status check_tensor(const model::Model& m, const std::string& name,
                    std::initializer_list<uint64_t> dims, bool i8) {
  const model::TensorView* t = m.find(name);
  if (t == nullptr) return NotFound(m.path() + ": tensor " + name + " is missing");
  model::Shape want;
  for (uint64_t d : dims) want.dims[want.ndim++] = d;
  const model::DType dtype = i8 ? model::DType::kI8 : model::DType::kF32;
  if (!(t->shape == want) || t->dtype != dtype) {
    return CorruptData(shape_error(m, name, std::string(i8 ? "int8 " : "f32 ") + want.to_string()));
  }
  if (i8) {
    const model::TensorView* s = m.find(name + ".scale");
    if (s == nullptr || s->dtype != model::DType::kF32 || s->shape.numel() != *dims.begin()) {
      return CorruptData(
          shape_error(m, name + ".scale", "f32 [" + std::to_string(*dims.begin()) + "]"));
    }
  }
  return Status::Ok();
}

const float* f32_data(const model::Model& m, const std::string& name) {
  return static_cast<const float*>(m.find(name)->data);
}

// Moves a loaded layer into *dst.
Status take(Result<runtime::Linear> r, runtime::Linear* dst) {
  if (!r.ok()) return r.status();
  *dst = std::move(r).value();
  return Status::Ok();
}

Status finite_check(const model::Model& m, const std::string& name) {
  const model::TensorView* t = m.find(name);
  if (t->dtype != model::DType::kF32) return Status::Ok();
  const float* p = static_cast<const float*>(t->data);
  for (uint64_t i = 0; i < t->shape.numel(); ++i) {
    if (!std::isfinite(p[i])) return CorruptData(m.path() + ": tensor " + name + " is not finite");
  }
  return Status::Ok();
}

}  // namespace

uint64_t SileroVad::macs_per_chunk() noexcept {
  uint64_t macs = uint64_t{kFrames} * 2 * kBins * kFrame;  // STFT
  int t = kFrames;
  for (const auto& e : kEncoder) {
    t = (t + 2 - kKernel) / e.stride + 1;
    macs += uint64_t(t) * e.out * e.in * kKernel;
  }
  return macs + uint64_t{kGates} * 2 * kHidden + kHidden;
}

Result<std::unique_ptr<SileroVad>> SileroVad::create(model::Model model) {
  std::unique_ptr<SileroVad> vad(new SileroVad());
  EARSHOT_RETURN_IF_ERROR(vad->load(std::move(model)));
  return vad;
}

Status SileroVad::load(model::Model model) {
  const model::Model& m = model;
  if (m.stage() != "vad" || m.architecture() != "silero-vad-v6") {
    return Unsupported(m.path() + ": not a silero-vad-v6 model (stage " + m.stage() +
                       ", architecture " + m.architecture() + ")");
  }
  const std::string q = m.metadata().value("quantization", std::string("f32"));
  if (q != "f32" && q != "int8-per-channel") {
    return Unsupported(m.path() + ": quantization '" + q + "' (want f32 or int8-per-channel)");
  }
  int8_ = q == "int8-per-channel";
  EARSHOT_RETURN_IF_ERROR(check_tensor(m, "stft.basis", {2 * kBins, 1, kFrame}, false));
  for (int i = 0; i < 4; ++i) {
    const std::string n = kEncoder[i].name;
    EARSHOT_RETURN_IF_ERROR(check_tensor(
        m, n + ".weight", {uint64_t(kEncoder[i].out), uint64_t(kEncoder[i].in), uint64_t(kKernel)},
        int8_));
    EARSHOT_RETURN_IF_ERROR(check_tensor(m, n + ".bias", {uint64_t(kEncoder[i].out)}, false));
  }
  EARSHOT_RETURN_IF_ERROR(check_tensor(m, "decoder.lstm.weight_ih", {kGates, kHidden}, int8_));
  EARSHOT_RETURN_IF_ERROR(check_tensor(m, "decoder.lstm.weight_hh", {kGates, kHidden}, int8_));
  EARSHOT_RETURN_IF_ERROR(check_tensor(m, "decoder.lstm.bias_ih", {kGates}, false));
  EARSHOT_RETURN_IF_ERROR(check_tensor(m, "decoder.lstm.bias_hh", {kGates}, false));
  EARSHOT_RETURN_IF_ERROR(check_tensor(m, "decoder.conv.weight", {1, kHidden, 1}, int8_));
  EARSHOT_RETURN_IF_ERROR(check_tensor(m, "decoder.conv.bias", {1}, false));
  for (const auto& t : m.tensors()) EARSHOT_RETURN_IF_ERROR(finite_check(m, std::string(t.name)));

  auto stft = SileroStft::create(f32_data(m, "stft.basis"), kFrames);
  if (!stft.ok()) return stft.status();
  stft_ = std::move(stft.value());
  size_t col_max = 0, scratch = 0;
  int t = kFrames;
  for (int i = 0; i < 4; ++i) {
    ConvLayer& l = enc_[i];
    l.in_c = kEncoder[i].in;
    l.out_c = kEncoder[i].out;
    l.stride = kEncoder[i].stride;
    runtime::LinearOptions o;
    o.flatten = true;
    EARSHOT_RETURN_IF_ERROR(
        take(runtime::Linear::load(m, kEncoder[i].name, l.in_c * kKernel, l.out_c, o), &l.fc));
    t = (t + 2 - kKernel) / l.stride + 1;
    col_max = std::max(col_max, size_t(t) * l.in_c * kKernel);
    scratch = std::max(scratch, l.fc.scratch_bytes(t));
  }
  runtime::LinearOptions o;
  o.weight = "decoder.lstm.weight_ih";
  o.biases = std::vector<std::string>{"decoder.lstm.bias_ih", "decoder.lstm.bias_hh"};
  EARSHOT_RETURN_IF_ERROR(
      take(runtime::Linear::load(m, "decoder.lstm", kHidden, kGates, o), &lstm_ih_));
  o.weight = "decoder.lstm.weight_hh";
  o.biases = std::vector<std::string>{};
  EARSHOT_RETURN_IF_ERROR(
      take(runtime::Linear::load(m, "decoder.lstm", kHidden, kGates, o), &lstm_hh_));
  scratch = std::max({scratch, lstm_ih_.scratch_bytes(1), lstm_hh_.scratch_bytes(1)});
  dec_w_.resize(kHidden);
  if (int8_) {
    const auto* w = static_cast<const int8_t*>(m.find("decoder.conv.weight")->data);
    const float s = f32_data(m, "decoder.conv.weight.scale")[0];
    for (int i = 0; i < kHidden; ++i) dec_w_[i] = float(w[i]) * s;
  } else {
    std::copy_n(f32_data(m, "decoder.conv.weight"), kHidden, dec_w_.begin());
  }
  dec_b_ = f32_data(m, "decoder.conv.bias")[0];

  padded_.assign(kPadded, 0.0f);
  mag_.assign(size_t{kFrames} * kBins, 0.0f);
  act_a_.assign(size_t{kFrames} * 128, 0.0f);
  act_b_.assign(size_t{kFrames} * 128, 0.0f);
  col_.assign(col_max, 0.0f);
  gates_.assign(kGates, 0.0f);
  gates_hh_.assign(kGates, 0.0f);
  scratch_.assign(scratch, 0);
  // The kernel tables are built on first use (and allocate): build them now, not in process().
  kernels::f32_gemm_active();
  kernels::i8_gemm_active();
  kernels::act_kernels();
  model_.emplace(std::move(model));
  counters_.state_bytes =
      sizeof(float) * (kContext + 2 * kHidden + padded_.size() + mag_.size() + act_a_.size() +
                       act_b_.size() + col_.size() + 2 * kGates) +
      scratch_.size() + stft_->scratch_bytes();
  counters_.weight_bytes = model_->file_size();
  reset();
  return Status::Ok();
}

void SileroVad::reset() noexcept {
  context_.fill(0.0f);
  h_.fill(0.0f);
  c_.fill(0.0f);
}

Status SileroVad::stft(const float* x) noexcept {
  float* p = padded_.data();
  std::copy_n(x, kInput, p + kPad);
  for (int i = 1; i <= kPad; ++i) {  // reflect: no repeat of the edge sample
    p[kPad - i] = x[i];
    p[kPad + kInput - 1 + i] = x[kInput - 1 - i];
  }
  // The frames overlap by half; the model drops the first one, so only frames 1..4 are
  // transformed.
  return stft_->magnitudes(p + kHop, mag_.data());
}

Status SileroVad::conv(const ConvLayer& l, const float* in, int t_in, float* out,
                       int* t_out) noexcept {
  const int to = (t_in + 2 - kKernel) / l.stride + 1;
  const int k = l.in_c * kKernel;
  // im2col: col[t][ci * 3 + j] = in[t * stride + j - 1][ci], zero outside (padding 1).
  for (int t = 0; t < to; ++t) {
    float* row = col_.data() + size_t(t) * k;
    for (int j = 0; j < kKernel; ++j) {
      const int src = t * l.stride + j - 1;
      if (src < 0 || src >= t_in) {
        for (int ci = 0; ci < l.in_c; ++ci) row[ci * kKernel + j] = 0.0f;
      } else {
        const float* x = in + size_t(src) * l.in_c;
        for (int ci = 0; ci < l.in_c; ++ci) row[ci * kKernel + j] = x[ci];
      }
    }
  }
  EARSHOT_RETURN_IF_ERROR(l.fc.apply(col_.data(), to, out, scratch_.data(), scratch_.size()));
  const size_t n = size_t(to) * l.out_c;
  for (size_t i = 0; i < n; ++i) out[i] = std::max(out[i], 0.0f);
  *t_out = to;
  return Status::Ok();
}

Status SileroVad::lstm_step(const float* x) noexcept {
  float* z = gates_.data();
  // Two products, not one over [x, h]: x and h have different ranges, and the int8 path
  // quantizes each row with its own scale.
  EARSHOT_RETURN_IF_ERROR(lstm_ih_.apply(x, 1, z, scratch_.data(), scratch_.size()));
  EARSHOT_RETURN_IF_ERROR(
      lstm_hh_.apply(h_.data(), 1, gates_hh_.data(), scratch_.data(), scratch_.size()));
  for (int i = 0; i < kGates; ++i) z[i] += gates_hh_[i];
  const kernels::ActKernels& act = kernels::act_kernels();
  float* zi = z;  // ONNX order: i, o, f, c
  float* zo = z + kHidden;
  float* zf = z + 2 * kHidden;
  float* zc = z + 3 * kHidden;
  act.sigmoid(zi, zi, 3 * kHidden);
  act.tanh(zc, zc, kHidden);
  for (int j = 0; j < kHidden; ++j) c_[j] = zf[j] * c_[j] + zi[j] * zc[j];
  act.tanh(c_.data(), h_.data(), kHidden);
  for (int j = 0; j < kHidden; ++j) h_[j] *= zo[j];
  return Status::Ok();
}

Status SileroVad::process(const float* chunk, float* probability) noexcept {
  if (chunk == nullptr || probability == nullptr) return InvalidArgument("silero vad: null chunk");
  runtime::ScopedStageTimer timer(counters_);
  float* x = col_.data();  // 576 input samples; col_ is free until the encoder runs
  static_assert(kInput <= 4 * 3 * kBins, "input fits the im2col scratch");
  std::copy_n(context_.data(), kContext, x);
  for (int i = 0; i < kChunk; ++i) {
    // Non-finite input would poison the recurrent state for good: treat it as silence.
    x[kContext + i] = std::isfinite(chunk[i]) ? std::clamp(chunk[i], -1.0f, 1.0f) : 0.0f;
  }
  std::copy_n(x + kChunk, kContext, context_.data());
  EARSHOT_RETURN_IF_ERROR(stft(x));
  int t = kFrames;
  EARSHOT_RETURN_IF_ERROR(conv(enc_[0], mag_.data(), t, act_a_.data(), &t));
  EARSHOT_RETURN_IF_ERROR(conv(enc_[1], act_a_.data(), t, act_b_.data(), &t));
  EARSHOT_RETURN_IF_ERROR(conv(enc_[2], act_b_.data(), t, act_a_.data(), &t));
  EARSHOT_RETURN_IF_ERROR(conv(enc_[3], act_a_.data(), t, act_b_.data(), &t));
  EARSHOT_RETURN_IF_ERROR(lstm_step(act_b_.data()));
  float logit = dec_b_;
  for (int j = 0; j < kHidden; ++j) logit += dec_w_[j] * std::max(h_[j], 0.0f);
  *probability = 1.0f / (1.0f + std::exp(-logit));
  ++counters_.frames;
  counters_.macs += macs_per_chunk();
  return Status::Ok();
}

}  // namespace earshot::vad
