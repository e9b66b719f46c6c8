#include "kws/kws_graph.hpp"

#include <limits>
#include <unordered_map>

namespace earshot::kws {
namespace {

Status bad(const model::Model& m, const std::string& what) {
  return CorruptData(m.path() + ": kws graph: " + what);
}

// Elements of a shape, or -1 when a dimension is negative or the count is absurd.
int64_t checked_count(const std::vector<int>& shape) {
  int64_t n = 1;
  for (int d : shape) {
    if (d < 0) return -1;
    n *= d;
    if (n > (int64_t{1} << 24)) return -1;
  }
  return n;
}

Result<std::vector<int>> read_shape(const model::Model& m, const nlohmann::json& j,
                                    const std::string& where) {
  if (!j.is_array() || j.size() > static_cast<std::size_t>(kMaxRank)) {
    return bad(m, where + ": shape must be an array of at most 5 dimensions");
  }
  std::vector<int> shape;
  for (const auto& d : j) {
    if (!d.is_number_integer()) return bad(m, where + ": non-integer dimension");
    const int64_t v = d.get<int64_t>();
    if (v < 0 || v > (1 << 20)) return bad(m, where + ": dimension out of range");
    shape.push_back(static_cast<int>(v));
  }
  if (checked_count(shape) < 0) return bad(m, where + ": too many elements");
  return shape;
}

// Attaches `<name>.scale` / `<name>.zero_point` when the tensor is quantized.
Status read_quantization(const model::Model& m, GraphTensor& t) {
  const model::TensorView* s = m.find(t.name + ".scale");
  const model::TensorView* z = m.find(t.name + ".zero_point");
  if (s == nullptr && z == nullptr) return Status::Ok();
  if (s == nullptr || z == nullptr) return bad(m, t.name + ": scale without zero point");
  auto sv = s->as<float>();
  auto zv = z->as<int32_t>();
  if (!sv.ok() || !zv.ok() || sv->empty() || sv->size() != zv->size()) {
    return bad(m, t.name + ": malformed scale / zero point tensors");
  }
  for (float v : *sv) {
    if (!(v > 0.0f) || v > 1e6f) return bad(m, t.name + ": scale must be positive and finite");
  }
  t.scales = *sv;
  t.zero_points = *zv;
  return Status::Ok();
}

Result<model::DType> read_dtype(const model::Model& m, const std::string& name,
                                const std::string& where) {
  if (name == "i8") return model::DType::kI8;
  if (name == "u8") return model::DType::kU8;
  if (name == "i32") return model::DType::kI32;
  return Status(bad(m, where + ": unsupported dtype '" + name + "'"));
}

}  // namespace

std::size_t element_count(const std::vector<int>& shape) {
  std::size_t n = 1;
  for (int d : shape) n *= static_cast<std::size_t>(d);
  return n;
}

int Graph::find_tensor(const std::string& name) const {
  for (std::size_t i = 0; i < tensors.size(); ++i) {
    if (tensors[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

int Graph::find_variable(int resource) const {
  for (std::size_t i = 0; i < variables.size(); ++i) {
    if (variables[i].resource == resource) return static_cast<int>(i);
  }
  return -1;
}

Result<Graph> read_graph(const model::Model& m) {
  const auto& meta = m.metadata();
  if (!meta.contains("architecture") || meta["architecture"] != "micro-wakeword") {
    return Status(Unsupported(
        m.path() + ": not a micro-wakeword model (architecture " +
        (meta.contains("architecture") ? meta["architecture"].dump() : std::string("missing")) +
        ")"));
  }
  if (!meta.contains("graph") || !meta["graph"].is_object()) return bad(m, "no `graph` key");
  const auto& g = meta["graph"];
  for (const char* key : {"tensors", "ops", "variables"}) {
    if (!g.contains(key) || !g[key].is_array()) {
      return bad(m, std::string("`") + key + "` missing");
    }
  }
  Graph graph;
  std::unordered_map<std::string, int> by_name;
  try {
    for (const auto& jt : g["tensors"]) {
      GraphTensor t;
      t.name = jt.at("name").get<std::string>();
      if (by_name.count(t.name)) return bad(m, "tensor '" + t.name + "' listed twice");
      const std::string dtype = jt.at("dtype").get<std::string>();
      if (dtype == "resource") {
        t.is_resource = true;
      } else {
        auto dt = read_dtype(m, dtype, t.name);
        if (!dt.ok()) return dt.status();
        t.dtype = *dt;
        auto shape = read_shape(m, jt.at("shape"), t.name);
        if (!shape.ok()) return shape.status();
        t.shape = std::move(*shape);
        t.bytes = element_count(t.shape) * model::dtype_size(t.dtype);
        if (jt.value("const", false)) {
          const model::TensorView* v = m.find(t.name);
          if (v == nullptr) return bad(m, "constant '" + t.name + "' has no data");
          if (v->dtype != t.dtype || v->nbytes != t.bytes) {
            return bad(m, "constant '" + t.name + "' dtype or size differs from its shape");
          }
          t.data = v->data;
        }
        EARSHOT_RETURN_IF_ERROR(read_quantization(m, t));
      }
      by_name[t.name] = static_cast<int>(graph.tensors.size());
      graph.tensors.push_back(std::move(t));
    }
    auto index_of = [&](const nlohmann::json& j, const std::string& where) -> Result<int> {
      const std::string name = j.get<std::string>();
      auto it = by_name.find(name);
      if (it == by_name.end()) return Status(bad(m, where + ": unknown tensor '" + name + "'"));
      return it->second;
    };
    for (const auto& jo : g["ops"]) {
      GraphOp op;
      op.op = jo.at("op").get<std::string>();
      const std::string where = "op " + op.op;
      for (const auto& n : jo.at("inputs")) {
        auto i = index_of(n, where);
        if (!i.ok()) return i.status();
        op.inputs.push_back(*i);
      }
      for (const auto& n : jo.at("outputs")) {
        auto i = index_of(n, where);
        if (!i.ok()) return i.status();
        op.outputs.push_back(*i);
      }
      op.options = jo.value("options", nlohmann::json::object());
      op.params = jo.value("params", nlohmann::json::object());
      graph.ops.push_back(std::move(op));
    }
    for (const auto& jv : g["variables"]) {
      GraphVariable v;
      auto r = index_of(jv.at("name"), "variable");
      if (!r.ok()) return r.status();
      v.resource = *r;
      if (!graph.tensors[v.resource].is_resource) return bad(m, "variable is not a resource");
      auto dt = read_dtype(m, jv.at("dtype").get<std::string>(), "variable");
      if (!dt.ok()) return dt.status();
      v.dtype = *dt;
      auto shape = read_shape(m, jv.at("shape"), "variable");
      if (!shape.ok()) return shape.status();
      v.shape = std::move(*shape);
      v.bytes = element_count(v.shape) * model::dtype_size(v.dtype);
      // The init value is a model tensor outside the graph's tensor list.
      const std::string init_name = jv.at("init").get<std::string>();
      const model::TensorView* init = m.find(init_name);
      if (init == nullptr || init->nbytes != v.bytes || init->dtype != v.dtype) {
        return bad(m, "variable init '" + init_name + "' missing or of another size");
      }
      v.init = init->data;
      graph.variables.push_back(std::move(v));
    }
    const std::string in_name = meta.at("input").at("name").get<std::string>();
    const std::string out_name = meta.at("output").at("name").get<std::string>();
    graph.input = graph.find_tensor(in_name);
    graph.output = graph.find_tensor(out_name);
  } catch (const nlohmann::json::exception& e) {
    return bad(m, std::string("malformed metadata: ") + e.what());
  }
  if (graph.input < 0 || graph.output < 0) return bad(m, "input or output tensor missing");
  if (graph.tensors[graph.input].dtype != model::DType::kI8 ||
      graph.tensors[graph.output].dtype != model::DType::kU8) {
    return Status(Unsupported(m.path() + ": kws graph: expected int8 input and uint8 output"));
  }
  return graph;
}

}  // namespace earshot::kws
