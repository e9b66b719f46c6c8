#include "nlp/nlu_linear.hpp"

#include "runtime/kernels/f32_gemm.hpp"
#include "runtime/kernels/i8f32_gemm.hpp"

namespace earshot::nlp {
namespace {

Status check_shape(const model::TensorView& t, std::initializer_list<uint64_t> dims) {
  model::Shape want;
  for (uint64_t d : dims) want.dims[want.ndim++] = d;
  if (!(t.shape == want)) {
    return CorruptData("tensor " + std::string(t.name) + " has shape " + t.shape.to_string() +
                       ", expected " + want.to_string());
  }
  return Status::Ok();
}

}  // namespace

Result<NluLinear> NluLinear::load(const model::Model& m, const std::string& name, int in, int out) {
  NluLinear l;
  l.in_ = in;
  l.out_ = out;
  auto w = m.tensor(name + ".weight");
  if (!w.ok()) return w.status();
  EARSHOT_RETURN_IF_ERROR(check_shape(*w, {uint64_t(out), uint64_t(in)}));
  auto b = m.tensor(name + ".bias");
  if (!b.ok()) return b.status();
  EARSHOT_RETURN_IF_ERROR(check_shape(*b, {uint64_t(out)}));
  auto bias = b->as<float>();
  if (!bias.ok()) return bias.status();
  l.bias_ = bias->data();
  if (w->dtype == model::DType::kI8) {
    auto s = m.tensor(name + ".weight.scale");
    if (!s.ok()) return s.status();
    EARSHOT_RETURN_IF_ERROR(check_shape(*s, {uint64_t(out)}));
    auto scale = s->as<float>();
    if (!scale.ok()) return scale.status();
    l.scale_ = scale->data();
    auto q = w->as<int8_t>();
    if (!q.ok()) return q.status();
    auto packed = kernels::pack_i8_weights(q->data(), out, in);
    if (!packed.ok()) return packed.status();
    l.packed_ = std::make_shared<kernels::PackedI8Weights>(std::move(*packed));
  } else {
    auto f = w->as<float>();
    if (!f.ok()) return f.status();
    l.f32_ = f->data();
  }
  return l;
}

size_t NluLinear::scratch_bytes(int rows) const {
  return is_int8() ? kernels::i8f32_scratch_bytes(rows, in_) : 0;
}

Status NluLinear::apply(const float* x, int rows, float* y, void* scratch,
                        size_t scratch_bytes) const {
  if (is_int8()) {
    kernels::I8F32GemmParams p;
    p.m = rows;
    p.x = x;
    p.w = packed_.get();
    p.w_scale = scale_;
    p.bias = bias_;
    p.y = y;
    p.scratch = scratch;
    p.scratch_bytes = scratch_bytes;
    return kernels::i8f32_gemm(p);
  }
  kernels::F32GemmParams p;
  p.m = rows;
  p.n = out_;
  p.k = in_;
  p.a = x;
  p.b = f32_;
  p.b_transposed = true;
  p.bias = bias_;
  p.c = y;
  return kernels::f32_gemm(p);
}

}  // namespace earshot::nlp
