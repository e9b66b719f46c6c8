// KwsNet: creation, tensor placement (aliases, state, arena by lifetime) and the step loop.
#include "kws/kws_net.hpp"

#include <algorithm>
#include <cstring>

#include "kws/kws_net_planner.hpp"

namespace earshot::kws {
namespace {

constexpr std::size_t kAlign = 64;

std::size_t align_up(std::size_t v) {
  return (v + kAlign - 1) / kAlign * kAlign;
}

std::unique_ptr<uint8_t[]> zeroed(std::size_t n) {
  // +kAlign so the planned offsets can start on a 64-byte boundary.
  auto p = std::make_unique<uint8_t[]>(n + kAlign);
  std::memset(p.get(), 0, n + kAlign);
  return p;
}

uint8_t* aligned(const std::unique_ptr<uint8_t[]>& p) {
  auto a = reinterpret_cast<uintptr_t>(p.get());
  return p.get() + (kAlign - a % kAlign) % kAlign;
}

}  // namespace

Result<std::unique_ptr<KwsNet>> KwsNet::create(const model::Model& model) {
  if (model.stage() != "kws") {
    return Status(InvalidArgument(model.path() + ": a model of stage '" + model.stage() +
                                  "', not a wake-word (kws) model"));
  }
  auto graph = read_graph(model);
  if (!graph.ok()) return graph.status();
  std::unique_ptr<KwsNet> net(new KwsNet());
  net->graph_ = std::move(*graph);
  // TFLite's optimized depthwise kernel rounds its output half up (see dwconv_upward.hpp).
  net->dw_kernels_ = &kernels::dwconv_upward_kernels();
  Planner planner(*net, model);
  EARSHOT_RETURN_IF_ERROR(planner.plan());
  net->reset();
  return net;
}

Status KwsNet::Planner::fail(int op_index, const std::string& what) const {
  return CorruptData(model_.path() + ": kws graph op " + std::to_string(op_index) + " (" +
                     net_.graph_.ops[op_index].op + "): " + what);
}

Status KwsNet::Planner::unsupported(int op_index, const std::string& what) const {
  return Unsupported(model_.path() + ": kws graph op " + std::to_string(op_index) + " (" +
                     net_.graph_.ops[op_index].op + "): " + what);
}

Status KwsNet::Planner::plan() {
  EARSHOT_RETURN_IF_ERROR(place_tensors());
  KwsNet& n = net_;
  for (std::size_t i = 0; i < n.graph_.ops.size(); ++i) {
    const std::size_t before = n.steps_.size();
    EARSHOT_RETURN_IF_ERROR(lower(static_cast<int>(i)));
    const GraphOp& op = n.graph_.ops[i];
    for (std::size_t s = before; s < n.steps_.size(); ++s) {
      n.steps_[s].op = static_cast<int>(i);
      // Traced once, after the op's last step.
      const bool last = s + 1 == n.steps_.size();
      n.steps_[s].traced_tensor = last && !op.outputs.empty() ? op.outputs[0] : -1;
    }
  }
  n.trace_address_.resize(n.graph_.tensors.size());
  for (std::size_t i = 0; i < n.graph_.tensors.size(); ++i) {
    n.trace_address_[i] =
        t(static_cast<int>(i)).is_resource ? nullptr : address(static_cast<int>(i));
  }
  const GraphTensor& in = t(n.graph_.input);
  n.input_ = reinterpret_cast<int8_t*>(address(n.graph_.input));
  n.input_size_ = in.bytes;
  n.input_scale_ = in.scale();
  n.input_zero_point_ = in.zero_point();
  if (t(n.graph_.output).bytes != 1) {
    return Unsupported(model_.path() + ": kws graph: the output must be one uint8 value");
  }
  n.output_ = address(n.graph_.output);
  return Status::Ok();
}

// Decides where each tensor lives. RESHAPE outputs alias their input; READ_VARIABLE outputs
// alias the variable's state bytes unless an ASSIGN_VARIABLE to it runs while they are still
// read (then they get arena bytes and a copy). Arena tensors get offsets by greedy first fit,
// largest first, among tensors whose [def, last] op ranges overlap.
Status KwsNet::Planner::place_tensors() {
  KwsNet& n = net_;
  const Graph& g = n.graph_;
  const int num_ops = static_cast<int>(g.ops.size());
  slots_.assign(g.tensors.size(), Slot{});
  // State buffers.
  std::size_t state = 0;
  for (const GraphVariable& v : g.variables) {
    var_offset_.push_back(state);
    state += align_up(v.bytes);
  }
  for (std::size_t i = 0; i < g.tensors.size(); ++i) {
    if (t(static_cast<int>(i)).is_const()) slots_[i].place = Place::kConst;
  }
  // Producers, consumers and aliases.
  std::vector<int> read_op(g.tensors.size(), -1);
  for (int i = 0; i < num_ops; ++i) {
    const GraphOp& op = g.ops[i];
    for (int o : op.outputs) {
      if (slots_[o].place != Place::kNone || slots_[o].def >= 0) {
        return fail(i, "writes tensor '" + t(o).name + "' that is constant or already written");
      }
      slots_[o].def = i;
      slots_[o].place = Place::kArena;
    }
    if (op.op == "VAR_HANDLE") {
      for (int o : op.outputs) slots_[o].place = Place::kNone;  // resources hold no bytes
    } else if (op.op == "RESHAPE" && op.inputs.size() >= 1 && op.outputs.size() == 1 &&
               t(op.inputs[0]).bytes == t(op.outputs[0]).bytes &&
               slots_[op.inputs[0]].place != Place::kConst) {
      slots_[op.outputs[0]].place = Place::kAlias;
      slots_[op.outputs[0]].alias_of = op.inputs[0];
    } else if (op.op == "READ_VARIABLE" && op.inputs.size() == 1 && op.outputs.size() == 1) {
      const int v = g.find_variable(op.inputs[0]);
      if (v < 0) return fail(i, "reads a resource that is not a listed variable");
      if (g.variables[v].bytes != t(op.outputs[0]).bytes) {
        return fail(i, "variable size differs from the tensor read from it");
      }
      slots_[op.outputs[0]].place = Place::kState;
      slots_[op.outputs[0]].variable = v;
      read_op[op.outputs[0]] = i;
    }
    for (int in : op.inputs) slots_[in].last = std::max(slots_[in].last, i);
  }
  slots_[g.input].place = Place::kArena;
  slots_[g.input].def = -1;
  slots_[g.output].last = num_ops;  // read after the last op
  auto root = [&](int x) {
    for (int guard = 0; slots_[x].place == Place::kAlias && guard < 1000; ++guard) {
      x = slots_[x].alias_of;
    }
    return x;
  };
  for (std::size_t i = 0; i < g.tensors.size(); ++i) {
    if (slots_[i].place != Place::kAlias) continue;
    const int r = root(static_cast<int>(i));
    if (slots_[r].place == Place::kAlias) return CorruptData(model_.path() + ": alias cycle");
    slots_[r].last = std::max(slots_[r].last, slots_[i].last);
  }
  // A state alias is safe only if no ASSIGN_VARIABLE to its variable runs while it is read.
  for (std::size_t i = 0; i < g.tensors.size(); ++i) {
    if (slots_[i].place != Place::kState) continue;
    const int var = slots_[i].variable;
    for (int k = read_op[i] + 1; k <= slots_[i].last && k < num_ops; ++k) {
      const GraphOp& op = g.ops[k];
      if (op.op == "ASSIGN_VARIABLE" && !op.inputs.empty() &&
          g.find_variable(op.inputs[0]) == var) {
        slots_[i].place = Place::kArena;  // lowered as a copy
        break;
      }
    }
  }
  // Arena placement.
  std::vector<int> order;
  for (std::size_t i = 0; i < g.tensors.size(); ++i) {
    if (slots_[i].place == Place::kArena) order.push_back(static_cast<int>(i));
  }
  std::stable_sort(order.begin(), order.end(),
                   [&](int a, int b) { return t(a).bytes > t(b).bytes; });
  std::vector<int> placed;
  std::size_t arena = 0;
  for (int x : order) {
    const std::size_t size = align_up(std::max<std::size_t>(t(x).bytes, 1));
    const int def = slots_[x].def;
    const int last = std::max(slots_[x].last, def);
    std::vector<std::pair<std::size_t, std::size_t>> busy;
    for (int p : placed) {
      const int pd = slots_[p].def, pl = std::max(slots_[p].last, pd);
      if (pd <= last && def <= pl) {
        busy.emplace_back(slots_[p].offset, slots_[p].offset + align_up(t(p).bytes));
      }
    }
    std::sort(busy.begin(), busy.end());
    std::size_t at = 0;
    for (const auto& [b, e] : busy) {
      if (at + size <= b) break;
      at = std::max(at, e);
    }
    slots_[x].offset = at;
    arena = std::max(arena, at + size);
    placed.push_back(x);
  }
  n.arena_size_ = arena;
  n.state_size_ = state;
  n.arena_ = zeroed(arena);
  n.state_ = zeroed(state);
  for (std::size_t v = 0; v < g.variables.size(); ++v) {
    n.state_init_.push_back(
        {aligned(n.state_) + var_offset_[v], g.variables[v].init, g.variables[v].bytes});
  }
  return Status::Ok();
}

uint8_t* KwsNet::Planner::address(int tensor) {
  int x = tensor;
  for (int guard = 0; slots_[x].place == Place::kAlias && guard < 1000; ++guard) {
    x = slots_[x].alias_of;
  }
  const Slot& s = slots_[x];
  switch (s.place) {
    case Place::kArena: return aligned(net_.arena_) + s.offset;
    case Place::kState: return aligned(net_.state_) + var_offset_[s.variable];
    case Place::kConst: return const_cast<uint8_t*>(static_cast<const uint8_t*>(t(x).data));
    default: return nullptr;
  }
}

uint8_t* KwsNet::Planner::aligned_state(int variable) {
  return aligned(net_.state_) + var_offset_[variable];
}

void KwsNet::reset() noexcept {
  for (const StateInit& s : state_init_) std::memcpy(s.dst, s.init, s.bytes);
}

void KwsNet::run_step(const Step& s) noexcept {
  switch (s.kind) {
    case Kind::kMoves:
      for (uint32_t i = 0; i < s.count; ++i) {
        const Move& m = moves_[s.begin + i];
        std::memcpy(m.dst, m.src, m.n);
      }
      break;
    case Kind::kGemm:
      if (s.rows == 0) {
        (void)kernels::i8_gemm(s.gemm);
      } else {
        kernels::I8GemmParams p = s.gemm;
        for (int r = 0; r < s.rows; ++r) {
          (void)kernels::i8_gemm(p);
          p.x = p.x + s.x_step;
          p.y = static_cast<int8_t*>(p.y) + s.y_step;
        }
      }
      break;
    case Kind::kDepthwise:
      for (uint32_t i = 0; i < s.count; ++i) dw_kernels_->row_i8(dw_rows_[s.begin + i]);
      break;
    case Kind::kRequantUpward:
      kernels::requantize_upward_i8(s.acc, s.n, static_cast<int>(s.count), s.q, s.out);

      break;
    case Kind::kLut: {
      const auto* in = reinterpret_cast<const uint8_t*>(s.in);
      auto* out = reinterpret_cast<uint8_t*>(s.out);
      for (std::size_t i = 0; i < s.n; ++i) out[i] = s.lut[in[i]];
      break;
    }
  }
}

uint8_t KwsNet::invoke_traced(const int8_t* input, TraceFn fn, void* user) noexcept {
  std::memcpy(input_, input, input_size_);
  for (const Step& s : steps_) {
    run_step(s);
    if (s.traced_tensor < 0) continue;
    const GraphTensor& t = graph_.tensors[s.traced_tensor];
    fn(user, s.op, t.name, trace_address_[s.traced_tensor], t.bytes);
  }
  return *output_;
}

uint8_t KwsNet::invoke(const int8_t* input) noexcept {
  std::memcpy(input_, input, input_size_);
  for (const Step& s : steps_) run_step(s);
  return *output_;
}

}  // namespace earshot::kws
