// The C++ encoder against torch (tools/nlu/export.py wrote the logits of each f32 ensemble
// member and the ensemble's mean probabilities for ~50 utterances): same pieces, every member's
// intent and slot logits and the mean probabilities within 1e-3 (f32); int8 picks the same
// intent on nearly all of them.
#include <gtest/gtest.h>

#include <cmath>

#include "nlu_test_util.hpp"

namespace earshot::nlp {
namespace {

struct Fixture {
  model::Model m;
  std::vector<std::string> texts;
  size_t members = 1;
};

Fixture open_fixture() {
  auto m = model::Model::open(EARSHOT_NLP_FIXTURE);
  EXPECT_TRUE(m.ok()) << m.status().to_string();
  auto texts = m->metadata()["texts"].get<std::vector<std::string>>();
  const size_t members = m->metadata().value("members", size_t{1});
  return {std::move(*m), texts, members};
}

// Tensor names s<i>.ids / .intent_probs / .slot_probs, and member k's s<i>[.m<k>].intent /
// .slots (appended piecewise: GCC 12 warns falsely on chains of string operator+).
std::string key(size_t i, const char* what, size_t member = 0) {
  std::string k("s");
  k.append(std::to_string(i));
  if (member > 0) k.append(".m").append(std::to_string(member));
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
    for (size_t k = 0; k < fx.members; ++k) {
      auto intent = fx.m.tensor_as<float>(key(i, ".intent", k));
      auto slots = fx.m.tensor_as<float>(key(i, ".slots", k));
      ASSERT_TRUE(intent.ok() && slots.ok());
      const auto& enc = nlu->encoder(k);
      ASSERT_EQ(enc.intent_logits().size(), intent->size());
      const float di = max_abs_diff(enc.intent_logits(), *intent);
      const float ds = max_abs_diff({enc.slot_logits(), slots->size()}, *slots);
      EXPECT_LE(di, 1e-3f) << fx.texts[i] << " (member " << k << ")";
      EXPECT_LE(ds, 1e-3f) << fx.texts[i] << " (member " << k << ")";
      worst = std::max({worst, di, ds});
    }
    auto probs = fx.m.tensor_as<float>(key(i, ".intent_probs"));
    auto tag_probs = fx.m.tensor_as<float>(key(i, ".slot_probs"));
    ASSERT_TRUE(probs.ok() && tag_probs.ok());
    ASSERT_EQ(nlu->intent_probs().size(), probs->size());
    EXPECT_LE(max_abs_diff(nlu->intent_probs(), *probs), 1e-3f) << fx.texts[i];
    EXPECT_LE(max_abs_diff({nlu->tag_probs(), tag_probs->size()}, *tag_probs), 1e-3f)
        << fx.texts[i];
    ++checked;
  }
  EXPECT_GE(checked, 40);
  EXPECT_EQ(nlu->members(), fx.members);
  std::printf("f32 parity: %d utterances, %zu members, max |logit diff| %.2e\n", checked,
              fx.members, worst);
}

TEST(NluParity, Int8AgreesWithTorchOnIntent) {
  auto nlu = test::load_nlu("int8");
  ASSERT_TRUE(nlu.ok()) << nlu.status().to_string();
  EXPECT_EQ(nlu->engine(), runtime::KernelEngine::kI8);
  auto fx = open_fixture();
  int same = 0, total = 0;
  NluResult r;
  for (size_t i = 0; i < fx.texts.size(); ++i) {
    auto intent = fx.m.tensor_as<float>(key(i, ".intent_probs"));
    if (!intent.ok()) continue;
    ASSERT_TRUE(nlu->understand(fx.texts[i], &r).ok());
    const auto a = nlu->intent_probs();
    same += std::max_element(a.begin(), a.end()) - a.begin() ==
            std::max_element(intent->begin(), intent->end()) - intent->begin();
    ++total;
  }
  EXPECT_GE(same, total - 2) << same << " of " << total;
}

}  // namespace
}  // namespace earshot::nlp
