// The C++ encoder against torch (tools/nlu/export.py wrote the logits of the f32 model for
// ~50 utterances): same pieces, intent and slot logits within 1e-3 (f32); int8 picks the same
// intent on nearly all of them.
#include <gtest/gtest.h>

#include <cmath>

#include "nlu_test_util.hpp"

namespace earshot::nlp {
namespace {

struct Fixture {
  model::Model m;
  std::vector<std::string> texts;
};

Fixture open_fixture() {
  auto m = model::Model::open(EARSHOT_NLP_FIXTURE);
  EXPECT_TRUE(m.ok()) << m.status().to_string();
  auto texts = m->metadata()["texts"].get<std::vector<std::string>>();
  return {std::move(*m), texts};
}

// Tensor names s<i>.ids / .intent / .slots (appended piecewise: GCC 12 warns falsely on
// chains of string operator+).
std::string key(size_t i, const char* what) {
  std::string k("s");
  k.append(std::to_string(i));
  k.append(what);
  return k;
}

float max_abs_diff(std::span<const float> a, std::span<const float> b) {
  float d = 0;
  for (size_t i = 0; i < a.size(); ++i) d = std::max(d, std::fabs(a[i] - b[i]));
  return d;
}

TEST(NluParity, F32MatchesTorchLogits) {
  auto nlu = test::load_nlu("f32");
  ASSERT_TRUE(nlu.ok()) << nlu.status().to_string();
  auto fx = open_fixture();
  int checked = 0;
  float worst = 0;
  NluResult r;
  for (size_t i = 0; i < fx.texts.size(); ++i) {
    auto ids = fx.m.tensor_as<int32_t>(key(i, ".ids"));
    ASSERT_TRUE(nlu->understand(fx.texts[i], &r).ok());
    if (!ids.ok()) {  // empty after tokenization: no model run, "none"
      EXPECT_EQ(r.pieces, 0) << fx.texts[i];
      EXPECT_EQ(r.intent, "none");
      continue;
    }
    Pieces p;
    ASSERT_TRUE(nlu->tokenizer().encode(fx.texts[i], 64, &p).ok());
    ASSERT_EQ(p.ids, std::vector<int>(ids->begin(), ids->end())) << fx.texts[i];
    auto intent = fx.m.tensor_as<float>(key(i, ".intent"));
    auto slots = fx.m.tensor_as<float>(key(i, ".slots"));
    ASSERT_TRUE(intent.ok() && slots.ok());
    const auto& enc = nlu->encoder();
    ASSERT_EQ(enc.intent_logits().size(), intent->size());
    const float di = max_abs_diff(enc.intent_logits(), *intent);
    const float ds = max_abs_diff({enc.slot_logits(), slots->size()}, *slots);
    EXPECT_LE(di, 1e-3f) << fx.texts[i];
    EXPECT_LE(ds, 1e-3f) << fx.texts[i];
    worst = std::max({worst, di, ds});
    ++checked;
  }
  EXPECT_GE(checked, 40);
  std::printf("f32 parity: %d utterances, max |diff| %.2e\n", checked, worst);
}

TEST(NluParity, Int8AgreesWithTorchOnIntent) {
  auto nlu = test::load_nlu("int8");
  ASSERT_TRUE(nlu.ok()) << nlu.status().to_string();
  EXPECT_EQ(nlu->engine(), runtime::KernelEngine::kI8);
  auto fx = open_fixture();
  int same = 0, total = 0;
  NluResult r;
  for (size_t i = 0; i < fx.texts.size(); ++i) {
    auto intent = fx.m.tensor_as<float>(key(i, ".intent"));
    if (!intent.ok()) continue;
    ASSERT_TRUE(nlu->understand(fx.texts[i], &r).ok());
    const auto a = nlu->encoder().intent_logits();
    same += std::max_element(a.begin(), a.end()) - a.begin() ==
            std::max_element(intent->begin(), intent->end()) - intent->begin();
    ++total;
  }
  EXPECT_GE(same, total - 2) << same << " of " << total;
}

}  // namespace
}  // namespace earshot::nlp
