// Linear::load: reads and checks the tensors, packs int8 weights (the setup half of the layer).
#include <algorithm>
#include <climits>

#include "runtime/layers/linear.hpp"

namespace earshot::runtime {
namespace {

// Large outputs (Whisper's vocabulary projection) are split so a GEMV can use several threads.
constexpr int kPieceRows = 8192;

std::string dims(uint64_t out, uint64_t in) {
  model::Shape s;
  s.dims[s.ndim++] = out;
  s.dims[s.ndim++] = in;
  return s.to_string();
}

// A float tensor of `n` values.
Result<const float*> f32_vector(const model::Model& m, const std::string& name, uint64_t n) {
  auto t = m.tensor_as<float>(name);
  if (!t.ok()) return t.status();
  if (t->size() != n) {
    return CorruptData(m.path() + ": " + name + " has " + std::to_string(t->size()) +
                       " values, expected " + std::to_string(n));
  }
  return t->data();
}

}  // namespace

Result<Linear> Linear::load(const model::Model& m, const std::string& name, int want_in,
                            int want_out, const LinearOptions& o) {
  const std::string wname = o.weight.empty() ? name + ".weight" : o.weight;
  auto w = m.tensor(wname);
  if (!w.ok()) return w.status();
  const model::Shape& s = w->shape;
  if (s.ndim < 2 || (s.ndim > 2 && !o.flatten)) {
    return CorruptData(m.path() + ": " + wname + " is not a matrix");
  }
  const uint64_t out = s[0];
  const uint64_t in = out == 0 ? 0 : s.numel() / out;
  if (out == 0 || in == 0 || out > INT_MAX || in > INT_MAX) {
    return CorruptData(m.path() + ": " + wname + " has an unusable shape " + s.to_string());
  }
  if ((want_out != 0 && out != uint64_t(want_out)) || (want_in != 0 && in != uint64_t(want_in))) {
    return CorruptData(
        m.path() + ": " + wname + " is " + dims(out, in) + ", expected " +
        dims(want_out != 0 ? uint64_t(want_out) : out, want_in != 0 ? uint64_t(want_in) : in));
  }
  Linear l;
  l.out_ = static_cast<int>(out);
  l.in_ = static_cast<int>(in);

  // Several bias tensors are summed once here, so the kernel still adds one bias in its
  // epilogue (the same rounding as adding b_ih + b_hh before the product).
  std::vector<std::string> biases;
  if (o.biases) {
    biases = *o.biases;
  } else if (m.find(name + ".bias") != nullptr) {
    biases = {name + ".bias"};
  }
  if (!biases.empty()) {
    std::vector<const float*> parts;
    for (const std::string& b : biases) {
      auto p = f32_vector(m, b, out);
      if (!p.ok()) return p.status();
      parts.push_back(*p);
    }
    if (parts.size() == 1) {
      l.bias_ = parts[0];
    } else {
      auto sum = std::make_shared<std::vector<float>>(parts[0], parts[0] + out);
      for (size_t j = 1; j < parts.size(); ++j)
        for (size_t i = 0; i < out; ++i) (*sum)[i] += parts[j][i];
      l.bias_ = sum->data();
      l.owned_bias_ = std::move(sum);
    }
  }

  if (w->dtype == model::DType::kF32) {
    auto f = w->as<float>();
    if (!f.ok()) return f.status();
    l.f32_ = f->data();
    return l;
  }
  if (w->dtype != model::DType::kI8) {
    return Unsupported(m.path() + ": " + wname + " must be f32 or int8");
  }
  auto scale = f32_vector(m, wname + ".scale", out);
  if (!scale.ok()) return scale.status();
  l.scale_ = *scale;
  const auto* q = static_cast<const int8_t*>(w->data);
  for (int first = 0; first < l.out_; first += kPieceRows) {
    const int n = std::min(kPieceRows, l.out_ - first);
    auto packed = kernels::pack_i8_weights(q + static_cast<size_t>(first) * l.in_, n, l.in_);
    if (!packed.ok()) return packed.status();
    l.pieces_.push_back(
        {first, std::make_shared<const kernels::PackedI8Weights>(std::move(packed).value())});
  }
  // Only the packed copy is read from now on; the file's bytes would double the memory.
  m.drop_pages(*w);
  return l;
}

}  // namespace earshot::runtime
