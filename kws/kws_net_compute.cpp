// KwsNet::Planner: lowering of the arithmetic ops. Requantization parameters follow TFLite's
// Prepare functions exactly, since bit-exactness depends on them: convolutions compute
// in_scale * filter_scale / out_scale in double; FULLY_CONNECTED first multiplies the two
// input scales in float (GetQuantizedConvolutionMultipler); QUANTIZE uses in_scale / out_scale.
// Rounding follows TFLite's optimized kernels: depthwise and batch-1 FULLY_CONNECTED round the
// final shift half up (runtime/kernels/requant_upward.hpp; tests/kws/kws_tflite_op_audit.py).
#include <algorithm>
#include <cstring>

#include "kws/kws_net_planner.hpp"
#include "runtime/kernels/act.hpp"
#include "runtime/kernels/quant.hpp"

namespace earshot::kws {
namespace {

using kernels::FusedActivation;

FusedActivation activation_of(const nlohmann::json& options, bool* ok) {
  const std::string a = options.value("fused_activation", std::string("NONE"));
  *ok = true;
  if (a == "NONE") return FusedActivation::kNone;
  if (a == "RELU") return FusedActivation::kRelu;
  if (a == "RELU6") return FusedActivation::kRelu6;
  if (a == "RELU_N1_TO_1") return FusedActivation::kReluN1To1;
  *ok = false;
  return FusedActivation::kNone;
}

bool is_quantized_i8(const GraphTensor& t) {
  return t.dtype == model::DType::kI8 && !t.scales.empty();
}

// Filter scales for `channels` output channels (a per-tensor scale is broadcast).
std::vector<float> channel_scales(const GraphTensor& filter, int channels) {
  if (filter.scales.size() == 1) return std::vector<float>(channels, filter.scales[0]);
  return std::vector<float>(filter.scales.begin(), filter.scales.end());
}

}  // namespace

Status KwsNet::Planner::lower_conv(int i) {
  const GraphOp& op = net_.graph_.ops[i];
  EARSHOT_RETURN_IF_ERROR(expect_inputs(i, 2, 3, 1));
  const bool depthwise = op.op == "DEPTHWISE_CONV_2D";
  const GraphTensor& in = t(op.inputs[0]);
  const GraphTensor& filter = t(op.inputs[1]);
  const GraphTensor* bias = op.inputs.size() > 2 ? &t(op.inputs[2]) : nullptr;
  const GraphTensor& out = t(op.outputs[0]);
  if (in.shape.size() != 4 || filter.shape.size() != 4 || out.shape.size() != 4) {
    return fail(i, "input, filter and output must be 4-D");
  }
  if (!is_quantized_i8(in) || !is_quantized_i8(filter) || !is_quantized_i8(out) ||
      !filter.is_const()) {
    return unsupported(i, "only int8 quantized tensors with a constant filter");
  }
  const int out_c = depthwise ? filter.shape[3] : filter.shape[0];
  if (bias != nullptr && (!bias->is_const() || bias->dtype != model::DType::kI32 ||
                          bias->shape.size() != 1 || bias->shape[0] != out_c)) {
    return fail(i, "bias must be a constant int32 vector of one value per output channel");
  }
  if (filter.scales.size() != 1 && static_cast<int>(filter.scales.size()) != out_c) {
    return fail(i, "filter scales are neither per tensor nor per output channel");
  }
  bool act_ok = false;
  const FusedActivation act = activation_of(op.options, &act_ok);
  if (!act_ok) return unsupported(i, "fused activation");
  kernels::ConvShape s;
  s.batch = in.shape[0];
  s.in_h = in.shape[1];
  s.in_w = in.shape[2];
  s.in_c = in.shape[3];
  s.out_c = out_c;
  s.k_h = filter.shape[1];
  s.k_w = filter.shape[2];
  s.stride_h = op.options.value("stride_h", 1);
  s.stride_w = op.options.value("stride_w", 1);
  s.dil_h = op.options.value("dilation_h", 1);
  s.dil_w = op.options.value("dilation_w", 1);
  const std::string padding = op.options.value("padding", std::string("VALID"));
  if (padding != "VALID" && padding != "SAME") return unsupported(i, "padding " + padding);
  s.padding = padding == "SAME" ? kernels::Padding::kSame : kernels::Padding::kValid;
  if (depthwise) {
    if (filter.shape[0] != 1) return fail(i, "depthwise filter must be [1, kh, kw, c]");
    if (s.in_c <= 0 || out_c % s.in_c != 0 ||
        op.options.value("depth_multiplier", out_c / std::max(s.in_c, 1)) != out_c / s.in_c) {
      return fail(i, "depth multiplier does not match the channels");
    }
  } else if (filter.shape[3] != s.in_c) {
    return fail(i, "filter input channels differ from the input");
  }
  auto geom = kernels::conv_geometry(s, depthwise);
  if (!geom.ok()) return fail(i, geom.status().message());
  const kernels::ConvGeometry g = *geom;
  if (out.shape[0] != s.batch || out.shape[1] != g.out_h || out.shape[2] != g.out_w ||
      out.shape[3] != out_c) {
    return fail(i, "output shape differs from the convolution's");
  }
  // Requantization (TFLite PopulateConvolutionQuantizationParams).
  int32_t* mult = own_ints(out_c);
  int32_t* shift = own_ints(out_c);
  const std::vector<float> w_scales = channel_scales(filter, out_c);
  kernels::per_channel_multipliers(in.scale(), w_scales.data(), out.scale(), out_c, mult, shift);
  const kernels::ActivationRange range =
      kernels::quantized_activation_range(act, out.scale(), out.zero_point());
  net_.quants_.push_back(std::make_unique<kernels::I8ConvQuant>());
  kernels::I8ConvQuant& q = *net_.quants_.back();
  q = {in.zero_point(), out.zero_point(), mult, shift, range.min, range.max};
  const auto* x = reinterpret_cast<const int8_t*>(address(op.inputs[0]));
  const auto* w = static_cast<const int8_t*>(filter.data);
  const auto* b = bias ? static_cast<const int32_t*>(bias->data) : nullptr;
  auto* y = reinterpret_cast<int8_t*>(address(op.outputs[0]));
  const int64_t taps = int64_t{s.k_h} * s.k_w;
  net_.macs_ += static_cast<uint64_t>(g.out_size() * taps * (depthwise ? 1 : s.in_c));

  Step st;
  st.geom = g, st.in = x, st.w = w, st.bias = b, st.q = q, st.out = y;
  if (depthwise) {
    if (out_c != s.in_c || taps > kernels::kMaxDwTaps) {
      return unsupported(i, "depth multiplier above 1 or more than 256 taps");
    }
    // One precomputed row (tap pointer list) per output pixel; padding taps are left out.
    st.kind = Kind::kDepthwise;
    st.begin = static_cast<uint32_t>(net_.dw_rows_.size());
    for (int bi = 0; bi < s.batch; ++bi) {
      for (int oy = 0; oy < g.out_h; ++oy) {
        for (int ox = 0; ox < g.out_w; ++ox) {
          auto list = std::make_unique<const int8_t*[]>(2 * static_cast<std::size_t>(taps));
          int n = 0;
          for (int ky = 0; ky < s.k_h; ++ky) {
            const int iy = oy * s.stride_h - g.pad_top + ky * s.dil_h;
            if (iy < 0 || iy >= s.in_h) continue;
            for (int kx = 0; kx < s.k_w; ++kx) {
              const int ix = ox * s.stride_w - g.pad_left + kx * s.dil_w;
              if (ix < 0 || ix >= s.in_w) continue;
              list[n] = x + ((int64_t{bi} * s.in_h + iy) * s.in_w + ix) * s.in_c;
              list[taps + n] = w + (int64_t{ky} * s.k_w + kx) * out_c;
              ++n;
            }
          }
          kernels::DwRowI8 row{list.get(),
                               list.get() + taps,
                               n,
                               b,
                               out_c,
                               &q,
                               y + ((int64_t{bi} * g.out_h + oy) * g.out_w + ox) * out_c};
          net_.dw_rows_.push_back(row);
          net_.dw_taps_.push_back(std::move(list));
          ++st.count;
        }
      }
    }
    net_.steps_.push_back(st);
    return Status::Ok();
  }
  // Regular convolution: a GEMM when each output pixel reads one contiguous input patch laid
  // out like a filter row ([k_h][k_w][in_c]): pointwise, or a time convolution (W = 1).
  const bool pointwise = s.k_h == 1 && s.k_w == 1 && s.stride_h == 1 && s.stride_w == 1 &&
                         g.pad_top == 0 && g.pad_left == 0;
  const bool time_patch =
      s.in_w == 1 && s.k_w == 1 && s.dil_h == 1 && s.padding == kernels::Padding::kValid;
  if (s.batch != 1 || !(pointwise || time_patch)) {
    return unsupported(i, "only pointwise and VALID time convolutions (W = 1), batch 1");
  }
  const int k = s.k_h * s.k_w * s.in_c;
  auto packed = kernels::pack_i8_weights(w, out_c, k);
  if (!packed.ok()) return fail(i, packed.status().message());
  net_.packed_.push_back(std::make_unique<kernels::PackedI8Weights>(std::move(*packed)));
  kernels::I8GemmParams& p = st.gemm;
  p.x = x;
  p.x_zero_point = q.in_zp;
  p.w = net_.packed_.back().get();
  p.bias = b;
  p.output = kernels::I8Output::kInt8;
  p.y = y;
  p.multiplier = mult;
  p.shift = shift;
  p.per_channel = true;
  p.y_zero_point = q.out_zp;
  p.y_min = q.act_min;
  p.y_max = q.act_max;
  st.kind = Kind::kGemm;
  if (pointwise) {
    p.m = g.out_h * g.out_w;
  } else {
    const ptrdiff_t row_step = ptrdiff_t{s.stride_h} * s.in_c;
    if (g.out_h == 1 || row_step >= k) {
      p.m = g.out_h;
      p.x_stride = g.out_h == 1 ? 0 : row_step;
    } else {  // overlapping patches: one GEMV per output row
      p.m = 1;
      st.rows = g.out_h;
      st.x_step = row_step;
      st.y_step = out_c;
    }
  }
  net_.steps_.push_back(st);
  return Status::Ok();
}

Status KwsNet::Planner::lower_depthwise(int i) {
  return lower_conv(i);
}

Status KwsNet::Planner::lower_fully_connected(int i) {
  const GraphOp& op = net_.graph_.ops[i];
  EARSHOT_RETURN_IF_ERROR(expect_inputs(i, 2, 3, 1));
  const GraphTensor& in = t(op.inputs[0]);
  const GraphTensor& wt = t(op.inputs[1]);
  const GraphTensor* bias = op.inputs.size() > 2 ? &t(op.inputs[2]) : nullptr;
  const GraphTensor& out = t(op.outputs[0]);
  if (!is_quantized_i8(in) || !is_quantized_i8(wt) || !is_quantized_i8(out) || !wt.is_const() ||
      wt.shape.size() != 2) {
    return unsupported(i, "only int8 with constant 2-D weights");
  }
  if (op.options.value("weights_format", 0) != 0) return unsupported(i, "shuffled weights");
  const int n = wt.shape[0];
  const int k = wt.shape[1];
  if (k <= 0 || element_count(in.shape) % static_cast<std::size_t>(k) != 0) {
    return fail(i, "input size is not a multiple of the weights' depth");
  }
  const int rows = static_cast<int>(element_count(in.shape) / static_cast<std::size_t>(k));
  if (element_count(out.shape) != static_cast<std::size_t>(rows) * n) {
    return fail(i, "output size differs");
  }
  if (bias != nullptr && (!bias->is_const() || bias->dtype != model::DType::kI32 ||
                          bias->shape.size() != 1 || bias->shape[0] != n)) {
    return fail(i, "bias must be a constant int32 vector of one value per output");
  }
  if (wt.scales.size() != 1 && static_cast<int>(wt.scales.size()) != n) {
    return fail(i, "weight scales are neither per tensor nor per output");
  }
  bool act_ok = false;
  const FusedActivation act = activation_of(op.options, &act_ok);
  if (!act_ok) return unsupported(i, "fused activation");
  int32_t* mult = own_ints(n);
  int32_t* shift = own_ints(n);
  const std::vector<float> w_scales = channel_scales(wt, n);
  for (int c = 0; c < n; ++c) {
    // TFLite GetQuantizedConvolutionMultipler: the product of the input scales in float.
    const float product = in.scale() * w_scales[c];
    const auto qm = kernels::quantize_multiplier(static_cast<double>(product) /
                                                 static_cast<double>(out.scale()));
    mult[c] = qm.multiplier;
    shift[c] = qm.shift;
  }
  const kernels::ActivationRange range =
      kernels::quantized_activation_range(act, out.scale(), out.zero_point());
  auto packed = kernels::pack_i8_weights(static_cast<const int8_t*>(wt.data), n, k);
  if (!packed.ok()) return fail(i, packed.status().message());
  net_.packed_.push_back(std::make_unique<kernels::PackedI8Weights>(std::move(*packed)));
  Step st;
  st.kind = Kind::kGemm;
  kernels::I8GemmParams& p = st.gemm;
  p.m = rows;
  p.x = reinterpret_cast<const int8_t*>(address(op.inputs[0]));
  p.x_zero_point = in.zero_point();
  p.w = net_.packed_.back().get();
  p.bias = bias ? static_cast<const int32_t*>(bias->data) : nullptr;
  p.output = kernels::I8Output::kInt8;
  p.y = address(op.outputs[0]);
  p.multiplier = mult;
  p.shift = shift;
  p.per_channel = true;
  p.y_zero_point = out.zero_point();
  p.y_min = range.min;
  p.y_max = range.max;
  net_.macs_ += static_cast<uint64_t>(rows) * n * k;
  if (rows == 1) {
    // TFLite runs a batch-1 FULLY_CONNECTED as its custom GEMV, whose final shift rounds half
    // up (requant_upward.hpp): int32 accumulators here, then that requantization.
    int32_t* acc = own_ints(static_cast<std::size_t>(n));
    p.output = kernels::I8Output::kInt32;
    p.y = acc;
    net_.steps_.push_back(st);
    net_.quants_.push_back(std::make_unique<kernels::I8ConvQuant>());
    kernels::I8ConvQuant& q = *net_.quants_.back();
    q = {in.zero_point(), out.zero_point(), mult, shift, range.min, range.max};
    Step rq;
    rq.kind = Kind::kRequantUpward;
    rq.acc = acc;
    rq.n = static_cast<std::size_t>(n);
    rq.count = static_cast<uint32_t>(n);
    rq.q = q;
    rq.out = reinterpret_cast<int8_t*>(address(op.outputs[0]));
    net_.steps_.push_back(rq);
    return Status::Ok();
  }
  net_.steps_.push_back(st);
  return Status::Ok();
}

Status KwsNet::Planner::lower_logistic(int i) {
  const GraphOp& op = net_.graph_.ops[i];
  EARSHOT_RETURN_IF_ERROR(expect_inputs(i, 1, 1, 1));
  const GraphTensor& in = t(op.inputs[0]);
  const GraphTensor& out = t(op.outputs[0]);
  if (!is_quantized_i8(in) || !is_quantized_i8(out) || in.bytes != out.bytes) {
    return unsupported(i, "only int8 in and out of the same size");
  }
  if (out.scale() != 1.0f / 256.0f || out.zero_point() != -128) {
    return unsupported(i, "int8 logistic output must have scale 1/256 and zero point -128");
  }
  kernels::I8Lut lut;
  kernels::make_i8_logistic_lut(in.scale(), in.zero_point(), &lut);
  net_.luts_.push_back(std::make_unique<uint8_t[]>(256));
  std::memcpy(net_.luts_.back().get(), lut.table, 256);
  Step st;
  st.kind = Kind::kLut;
  st.lut = net_.luts_.back().get();
  st.in = reinterpret_cast<const int8_t*>(address(op.inputs[0]));
  st.out = reinterpret_cast<int8_t*>(address(op.outputs[0]));
  st.n = in.bytes;
  net_.steps_.push_back(st);
  return Status::Ok();
}

Status KwsNet::Planner::lower_quantize(int i) {
  const GraphOp& op = net_.graph_.ops[i];
  EARSHOT_RETURN_IF_ERROR(expect_inputs(i, 1, 1, 1));
  const GraphTensor& in = t(op.inputs[0]);
  const GraphTensor& out = t(op.outputs[0]);
  const bool out_u8 = out.dtype == model::DType::kU8;
  if (!is_quantized_i8(in) || out.scales.empty() || in.bytes != out.bytes ||
      !(out_u8 || out.dtype == model::DType::kI8)) {
    return unsupported(i, "only int8 to int8/uint8 requantization");
  }
  // TFLite Requantize: clamp(MBQM(x - in_zp, M, s) + out_zp) with M, s from in/out scale.
  const auto qm = kernels::quantize_multiplier(static_cast<double>(in.scale()) /
                                               static_cast<double>(out.scale()));
  const int32_t lo = out_u8 ? 0 : -128;
  const int32_t hi = out_u8 ? 255 : 127;
  net_.luts_.push_back(std::make_unique<uint8_t[]>(256));
  uint8_t* table = net_.luts_.back().get();
  for (int v = -128; v <= 127; ++v) {
    const int32_t r =
        kernels::multiply_by_quantized_multiplier(v - in.zero_point(), qm.multiplier, qm.shift) +
        out.zero_point();
    table[static_cast<uint8_t>(static_cast<int8_t>(v))] =
        static_cast<uint8_t>(std::clamp(r, lo, hi));
  }
  Step st;
  st.kind = Kind::kLut;
  st.lut = table;
  st.in = reinterpret_cast<const int8_t*>(address(op.inputs[0]));
  st.out = reinterpret_cast<int8_t*>(address(op.outputs[0]));
  st.n = in.bytes;
  net_.steps_.push_back(st);
  return Status::Ok();
}

}  // namespace earshot::kws
