// KwsNet::Planner: lowers each TFLite op of the graph into steps with every address, packed
// weight and requantization parameter resolved. Shapes are checked against what TFLite would
// compute; anything outside the supported set is refused with the op named.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>

#include "kws/kws_net_planner.hpp"
#include "runtime/kernels/act.hpp"

namespace earshot::kws {
namespace {

using kernels::FusedActivation;

Result<FusedActivation> fused_activation(const nlohmann::json& options) {
  const std::string a = options.value("fused_activation", std::string("NONE"));
  if (a == "NONE") return FusedActivation::kNone;
  if (a == "RELU") return FusedActivation::kRelu;
  if (a == "RELU6") return FusedActivation::kRelu6;
  if (a == "RELU_N1_TO_1") return FusedActivation::kReluN1To1;
  return Status(Unsupported("fused activation " + a));
}

// Reads a constant int32 tensor as a vector.
std::vector<int32_t> const_ints(const GraphTensor& t) {
  std::vector<int32_t> v(t.bytes / sizeof(int32_t));
  if (t.is_const() && t.dtype == model::DType::kI32) std::memcpy(v.data(), t.data, t.bytes);
  return v;
}

int normalise_axis(int axis, int rank) {
  return axis < 0 ? axis + rank : axis;
}

}  // namespace

Status KwsNet::Planner::expect_inputs(int op_index, std::size_t min_in, std::size_t max_in,
                                      std::size_t outputs) {
  const GraphOp& op = net_.graph_.ops[op_index];
  if (op.inputs.size() < min_in || op.inputs.size() > max_in || op.outputs.size() != outputs) {
    return fail(op_index, "unexpected number of inputs or outputs");
  }
  for (int i : op.inputs) {
    if (t(i).is_resource) continue;
    if (address(i) == nullptr) return fail(op_index, "input '" + t(i).name + "' has no data");
  }
  return Status::Ok();
}

int32_t* KwsNet::Planner::own_ints(std::size_t n) {
  net_.ints_.push_back(std::make_unique<int32_t[]>(std::max<std::size_t>(n, 1)));
  return net_.ints_.back().get();
}

void KwsNet::Planner::add_move(const uint8_t* src, uint8_t* dst, std::size_t n) {
  if (n == 0) return;
  Step& s = net_.steps_.back();
  if (s.count > 0) {
    Move& m = net_.moves_.back();
    if (m.src + m.n == src && m.dst + m.n == dst) {
      m.n += static_cast<uint32_t>(n);
      return;
    }
  }
  net_.moves_.push_back({src, dst, static_cast<uint32_t>(n)});
  ++s.count;
}

Status KwsNet::Planner::lower(int i) {
  const std::string& name = net_.graph_.ops[i].op;
  if (name == "CALL_ONCE" || name == "VAR_HANDLE") return Status::Ok();  // reset() does these
  if (name == "RESHAPE" || name == "READ_VARIABLE" || name == "ASSIGN_VARIABLE" ||
      name == "CONCATENATION" || name == "SPLIT_V" || name == "STRIDED_SLICE") {
    return lower_moves(i);
  }
  if (name == "CONV_2D") return lower_conv(i);
  if (name == "DEPTHWISE_CONV_2D") return lower_depthwise(i);
  if (name == "FULLY_CONNECTED") return lower_fully_connected(i);
  if (name == "LOGISTIC") return lower_logistic(i);
  if (name == "QUANTIZE") return lower_quantize(i);
  return unsupported(i, "op not supported by the kws engine");
}

Status KwsNet::Planner::lower_moves(int i) {
  const GraphOp& op = net_.graph_.ops[i];
  net_.steps_.push_back(Step{});
  Step& s = net_.steps_.back();
  s.kind = Kind::kMoves;
  s.begin = static_cast<uint32_t>(net_.moves_.size());
  if (op.op == "RESHAPE" || op.op == "READ_VARIABLE") {
    EARSHOT_RETURN_IF_ERROR(expect_inputs(i, 1, 2, 1));
    const int in = op.inputs[0], out = op.outputs[0];
    const std::size_t bytes = op.op == "RESHAPE"
                                  ? t(in).bytes
                                  : net_.graph_.variables[net_.graph_.find_variable(in)].bytes;
    if (bytes != t(out).bytes) return fail(i, "input and output sizes differ");
    uint8_t* src = op.op == "RESHAPE" ? address(in) : aligned_state(net_.graph_.find_variable(in));
    uint8_t* dst = address(out);
    if (src != dst) add_move(src, dst, bytes);
  } else if (op.op == "ASSIGN_VARIABLE") {
    EARSHOT_RETURN_IF_ERROR(expect_inputs(i, 2, 2, 0));
    const int v = net_.graph_.find_variable(op.inputs[0]);
    if (v < 0) return fail(i, "assigns a resource that is not a listed variable");
    if (net_.graph_.variables[v].bytes != t(op.inputs[1]).bytes) {
      return fail(i, "value size differs from the variable");
    }
    add_move(address(op.inputs[1]), aligned_state(v), t(op.inputs[1]).bytes);
  } else if (op.op == "CONCATENATION" || op.op == "SPLIT_V") {
    const bool concat = op.op == "CONCATENATION";
    if (concat) {
      if (op.inputs.empty() || op.outputs.size() != 1) return fail(i, "bad operand count");
      EARSHOT_RETURN_IF_ERROR(expect_inputs(i, 1, op.inputs.size(), 1));
      auto act = fused_activation(op.options);
      if (!act.ok() || *act != FusedActivation::kNone) {
        return unsupported(i, "fused activation on concatenation");
      }
    } else {
      EARSHOT_RETURN_IF_ERROR(expect_inputs(i, 3, 3, op.outputs.size()));
    }
    // The whole tensor and its parts: concatenation's output / split's input is the whole.
    const int whole = concat ? op.outputs[0] : op.inputs[0];
    std::vector<int> parts = concat ? op.inputs : op.outputs;
    const auto& ws = t(whole).shape;
    const int rank = static_cast<int>(ws.size());
    int axis = 0;
    if (concat) {
      axis = normalise_axis(op.options.value("axis", 0), rank);
    } else {
      const auto a = const_ints(t(op.inputs[2]));
      if (a.size() != 1) return fail(i, "split axis must be one constant");
      axis = normalise_axis(a[0], rank);
    }
    if (axis < 0 || axis >= rank) return fail(i, "axis out of range");
    const std::size_t esize = model::dtype_size(t(whole).dtype);
    std::size_t outer = 1;
    for (int d = 0; d < axis; ++d) outer *= static_cast<std::size_t>(ws[d]);
    std::size_t inner = esize;
    for (int d = axis + 1; d < rank; ++d) inner *= static_cast<std::size_t>(ws[d]);
    int total = 0;
    for (int p : parts) {
      const auto& ps = t(p).shape;
      if (static_cast<int>(ps.size()) != rank || t(p).dtype != t(whole).dtype) {
        return fail(i, "part rank or dtype differs");
      }
      for (int d = 0; d < rank; ++d) {
        if (d != axis && ps[d] != ws[d]) return fail(i, "part shapes differ off the axis");
      }
      if (!t(p).scales.empty() && !t(whole).scales.empty() &&
          (t(p).scale() != t(whole).scale() || t(p).zero_point() != t(whole).zero_point())) {
        return unsupported(i, "parts quantized differently from the whole (requantizing copy)");
      }
      total += ps[axis];
    }
    if (total != ws[axis]) return fail(i, "parts do not add up to the whole along the axis");
    const std::size_t whole_row = static_cast<std::size_t>(ws[axis]) * inner;
    for (std::size_t o = 0; o < outer; ++o) {
      std::size_t at = o * whole_row;
      for (int p : parts) {
        const std::size_t row = static_cast<std::size_t>(t(p).shape[axis]) * inner;
        uint8_t* pa = address(p) + o * row;
        uint8_t* wa = address(whole) + at;
        if (concat) {
          add_move(pa, wa, row);
        } else {
          add_move(wa, pa, row);
        }
        at += row;
      }
    }
  } else {
    EARSHOT_RETURN_IF_ERROR(add_strided_slice(i));
  }
  return Status::Ok();
}

// TFLite STRIDED_SLICE (offset false, no ellipsis / new-axis / shrink masks) as row copies.
Status KwsNet::Planner::add_strided_slice(int i) {
  const GraphOp& op = net_.graph_.ops[i];
  EARSHOT_RETURN_IF_ERROR(expect_inputs(i, 4, 4, 1));
  for (const char* mask : {"ellipsis_mask", "new_axis_mask", "shrink_axis_mask"}) {
    if (op.options.value(mask, 0) != 0) return unsupported(i, std::string(mask) + " set");
  }
  if (op.options.value("offset", false)) return unsupported(i, "offset set");
  const GraphTensor& in = t(op.inputs[0]);
  const GraphTensor& out = t(op.outputs[0]);
  const int rank = static_cast<int>(in.shape.size());
  const auto begin = const_ints(t(op.inputs[1]));
  const auto end = const_ints(t(op.inputs[2]));
  const auto strides = const_ints(t(op.inputs[3]));
  if (static_cast<int>(begin.size()) != rank || static_cast<int>(end.size()) != rank ||
      static_cast<int>(strides.size()) != rank || out.shape.size() != in.shape.size() ||
      out.dtype != in.dtype) {
    return fail(i, "begin/end/strides or output rank differ from the input rank");
  }
  const int begin_mask = op.options.value("begin_mask", 0);
  const int end_mask = op.options.value("end_mask", 0);
  // Pad to kMaxRank dims at the front.
  std::array<int, kMaxRank> dim{}, b{}, st{}, n{};
  const int pad = kMaxRank - rank;
  for (int d = 0; d < kMaxRank; ++d) {
    dim[d] = 1, b[d] = 0, st[d] = 1, n[d] = 1;
  }
  for (int d = 0; d < rank; ++d) {
    const int size = in.shape[d];
    const int stride = strides[d];
    if (stride == 0) return fail(i, "zero stride");
    auto clamp_index = [&](int64_t v) -> int64_t {
      if (v < 0) v += size;
      return stride > 0 ? std::clamp<int64_t>(v, 0, size) : std::clamp<int64_t>(v, -1, size - 1);
    };
    const int64_t lo = (begin_mask >> d) & 1 ? (stride > 0 ? 0 : size - 1) : clamp_index(begin[d]);
    const int64_t hi = (end_mask >> d) & 1 ? (stride > 0 ? size : -1) : clamp_index(end[d]);
    const int64_t count =
        stride > 0 ? (hi - lo + stride - 1) / stride : (lo - hi - stride - 1) / -stride;
    const int64_t c = std::max<int64_t>(count, 0);
    if (c != out.shape[d]) return fail(i, "output shape differs from the slice");
    dim[pad + d] = size, b[pad + d] = static_cast<int>(lo), st[pad + d] = stride;
    n[pad + d] = static_cast<int>(c);
  }
  if (element_count(out.shape) == 0) return Status::Ok();
  const std::size_t esize = model::dtype_size(in.dtype);
  const uint8_t* src = address(op.inputs[0]);
  uint8_t* dst = address(op.outputs[0]);
  std::size_t o = 0;
  std::array<int, kMaxRank> idx{};
  for (idx[0] = 0; idx[0] < n[0]; ++idx[0]) {
    for (idx[1] = 0; idx[1] < n[1]; ++idx[1]) {
      for (idx[2] = 0; idx[2] < n[2]; ++idx[2]) {
        for (idx[3] = 0; idx[3] < n[3]; ++idx[3]) {
          for (idx[4] = 0; idx[4] < n[4]; ++idx[4]) {
            std::size_t at = 0;
            for (int d = 0; d < kMaxRank; ++d) {
              at = at * static_cast<std::size_t>(dim[d]) +
                   static_cast<std::size_t>(b[d] + idx[d] * st[d]);
            }
            add_move(src + at * esize, dst + o * esize, esize);
            ++o;
          }
        }
      }
    }
  }
  return Status::Ok();
}

}  // namespace earshot::kws
