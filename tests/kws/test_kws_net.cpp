// KwsNet on the converted microWakeWord models: planning, memory bounds, streaming state and
// reset, and refusal of damaged graphs. (Bit-exactness against TFLite: test_kws_parity.py.)
#include <gtest/gtest.h>

#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "kws/kws_net.hpp"
#include "runtime/model/model_writer.hpp"

namespace earshot::kws {
namespace {

const char* const kKeywords[] = {"okay_nabu", "hey_jarvis", "alexa", "hey_mycroft"};

std::string model_path(const std::string& keyword) {
  return std::string(EARSHOT_CACHE_DIR) + "/models/kws-" + keyword + ".esm";
}

#define SKIP_WITHOUT_MODEL(path)      \
  if (!std::filesystem::exists(path)) \
  GTEST_SKIP() << "no converted model " << (path) << " (run scripts/setup.sh)"

// Feature-like int8 inputs: a random walk, so the streaming state sees correlated frames.
std::vector<int8_t> random_inputs(std::size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::vector<int8_t> v(n);
  int x = -60;
  for (auto& e : v) {
    x = std::clamp(x + static_cast<int>(rng() % 41) - 20, -128, 127);
    e = static_cast<int8_t>(x);
  }
  return v;
}

TEST(KwsNet, PlansEveryModelWithinTheMemoryBudget) {
  for (const char* k : kKeywords) {
    const std::string path = model_path(k);
    SKIP_WITHOUT_MODEL(path);
    auto m = model::Model::open(path, {.expected_stage = "kws"});
    ASSERT_TRUE(m.ok()) << m.status().message();
    auto net = KwsNet::create(*m);
    ASSERT_TRUE(net.ok()) << net.status().message();
    EXPECT_EQ((*net)->input_size(), 120u) << k;
    EXPECT_LT((*net)->arena_bytes() + (*net)->state_bytes(), 32u * 1024u) << k;
    EXPECT_GT((*net)->state_bytes(), 0u) << k;
    EXPECT_GT((*net)->macs_per_invoke(), 10000u) << k;
  }
}

TEST(KwsNet, StateCarriesAcrossStepsAndResetRestoresIt) {
  const std::string path = model_path("hey_jarvis");
  SKIP_WITHOUT_MODEL(path);
  auto m = model::Model::open(path, {.expected_stage = "kws"});
  ASSERT_TRUE(m.ok());
  auto net = KwsNet::create(*m);
  ASSERT_TRUE(net.ok());
  const auto in = random_inputs(120 * 200, 3);
  std::vector<uint8_t> first, second;
  for (int s = 0; s < 200; ++s) first.push_back((*net)->invoke(in.data() + 120 * s));
  (*net)->reset();
  for (int s = 0; s < 200; ++s) second.push_back((*net)->invoke(in.data() + 120 * s));
  EXPECT_EQ(first, second);
  // Streaming: the same inputs after a different history give different activations (the
  // model looks back ~1 s); traced op outputs, since the final probability is mostly 0 here.
  auto trace = [](KwsNet& n, const int8_t* x) {
    std::vector<uint8_t> all;
    n.invoke_traced(
        x,
        [](void* u, int, const std::string&, const uint8_t* d, std::size_t bytes) {
          auto* v = static_cast<std::vector<uint8_t>*>(u);
          v->insert(v->end(), d, d + bytes);
        },
        &all);
    return all;
  };
  (*net)->reset();
  const auto fresh = trace(**net, in.data());
  auto other = KwsNet::create(*m);
  ASSERT_TRUE(other.ok());
  const auto noise = random_inputs(120 * 50, 11);
  for (int s = 0; s < 50; ++s) (void)(*other)->invoke(noise.data() + 120 * s);
  EXPECT_NE(trace(**other, in.data()), fresh);
  (*other)->reset();
  EXPECT_EQ(trace(**other, in.data()), fresh);
}

// Rewrites a converted model with edited metadata (hostile-file tests).
Result<model::Model> edited(const model::Model& m, const nlohmann::json& meta) {
  model::ModelWriter w(meta);
  for (const auto& t : m.tensors()) {
    EARSHOT_RETURN_IF_ERROR(
        w.add_tensor(std::string(t.name), t.dtype, t.shape.span(), t.data, t.nbytes));
  }
  auto bytes = w.serialize();
  if (!bytes.ok()) return bytes.status();
  return model::Model::from_memory(bytes->data(), bytes->size(), {}, "edited.esm");
}

TEST(KwsNet, RefusesDamagedGraphsWithAMessage) {
  const std::string path = model_path("alexa");
  SKIP_WITHOUT_MODEL(path);
  auto m = model::Model::open(path);
  ASSERT_TRUE(m.ok());
  struct Case {
    const char* what;
    void (*edit)(nlohmann::json& g);
    const char* expect;
  };
  const Case cases[] = {
      {"unknown op", [](nlohmann::json& g) { g["ops"][20]["op"] = "GATHER_ND"; }, "GATHER_ND"},
      {"unknown tensor", [](nlohmann::json& g) { g["ops"][17]["inputs"][1] = "nope"; }, "nope"},
      {"wrong conv output shape",
       [](nlohmann::json& g) {
         std::string conv;
         for (const auto& op : g["ops"]) {
           if (op["op"] == "CONV_2D" && conv.empty()) conv = op["outputs"][0];
         }
         for (auto& t : g["tensors"]) {
           if (t["name"] == conv) t["shape"] = {1, 2, 1, 32};
         }
       },
       "shape"},
      {"negative dimension",
       [](nlohmann::json& g) {
         g["tensors"][0]["shape"] = {1, -3, 40};
       },
       "dimension"},
      {"ops not a list", [](nlohmann::json& g) { g["ops"] = 7; }, "ops"},
  };
  for (const Case& c : cases) {
    nlohmann::json meta = m->metadata();
    c.edit(meta["graph"]);
    auto e = edited(*m, meta);
    ASSERT_TRUE(e.ok()) << c.what << ": " << e.status().message();
    auto net = KwsNet::create(*e);
    ASSERT_FALSE(net.ok()) << c.what;
    EXPECT_NE(net.status().message().find(c.expect), std::string::npos)
        << c.what << ": " << net.status().message();
  }
}

TEST(KwsNet, RefusesAModelOfAnotherStage) {
  const std::string path = std::string(EARSHOT_CACHE_DIR) + "/models/silero-vad-v6.int8.esm";
  SKIP_WITHOUT_MODEL(path);
  auto m = model::Model::open(path);
  ASSERT_TRUE(m.ok());
  auto net = KwsNet::create(*m);
  ASSERT_FALSE(net.ok());
  EXPECT_NE(net.status().message().find("not a wake-word"), std::string::npos)
      << net.status().message();
}

}  // namespace
}  // namespace earshot::kws
