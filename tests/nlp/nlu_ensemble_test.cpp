// The NLU ensemble (hparams.members, member k's tensors under "m<k>."): a member count the file
// does not hold is an error, and an ensemble of copies of one member answers as that member.
#include <gtest/gtest.h>

#include <cctype>
#include <string>

#include "nlu_test_util.hpp"
#include "runtime/model/model_writer.hpp"

namespace earshot::nlp {
namespace {

// Member 0 of the committed f32 model, repeated `copies` times, in a file that claims
// `members` (a JSON value, so a hostile file can say anything).
Result<model::Model> rebuilt(int copies, const nlohmann::json& members) {
  auto src = model::Model::open(test::model_path("f32"));
  if (!src.ok()) return src.status();
  nlohmann::json meta = src->metadata();
  meta["hparams"]["members"] = members;
  model::ModelWriter w(meta);
  for (const auto& t : src->tensors()) {
    const std::string name(t.name);
    if (name.size() > 2 && name[0] == 'm' && std::isdigit(static_cast<unsigned char>(name[1])))
      continue;  // the committed file's own other members
    const int n = name == "tokenizer.spm" ? 1 : copies;
    for (int k = 0; k < n; ++k) {
      std::string prefixed;  // appended piecewise: GCC 12 warns falsely on operator+ chains
      if (k > 0) prefixed.append("m").append(std::to_string(k)).append(".");
      prefixed.append(name);
      EARSHOT_RETURN_IF_ERROR(w.add_tensor(prefixed, t.dtype, t.shape.span(), t.data, t.nbytes));
    }
  }
  auto bytes = w.serialize();
  if (!bytes.ok()) return bytes.status();
  return model::Model::from_memory(bytes->data(), bytes->size());
}

TEST(NluEnsemble, AMemberCountTheFileDoesNotHoldIsAnError) {
  for (const auto& members :
       {nlohmann::json(0), nlohmann::json(9), nlohmann::json("two"), nlohmann::json(1.5)}) {
    auto m = rebuilt(1, members);
    ASSERT_TRUE(m.ok()) << m.status().to_string();
    auto n = Nlu::create({}, std::move(*m));
    ASSERT_FALSE(n.ok()) << members;
    EXPECT_NE(n.status().message().find("members"), std::string::npos) << n.status().message();
  }
  auto m = rebuilt(1, 2);  // claims a second member whose tensors are not there
  ASSERT_TRUE(m.ok()) << m.status().to_string();
  auto n = Nlu::create({}, std::move(*m));
  ASSERT_FALSE(n.ok());
  EXPECT_NE(n.status().message().find("m1."), std::string::npos) << n.status().message();
}

TEST(NluEnsemble, CopiesOfOneMemberAnswerAsThatMember) {
  auto one = rebuilt(1, 1);
  auto three = rebuilt(3, 3);
  ASSERT_TRUE(one.ok() && three.ok());
  auto a = Nlu::create({}, std::move(*one));
  auto b = Nlu::create({}, std::move(*three));
  ASSERT_TRUE(a.ok() && b.ok()) << a.status().to_string() << b.status().to_string();
  EXPECT_EQ(a->members(), 1u);
  EXPECT_EQ(b->members(), 3u);
  EXPECT_GT(b->counters().weight_bytes, 2 * a->counters().weight_bytes);
  NluResult ra, rb;
  for (const char* text : {"turn off the kitchen light", "set a timer for five minutes",
                           "what's the weather like", "i left my keys in the bedroom"}) {
    ASSERT_TRUE(a->understand(text, &ra).ok());
    ASSERT_TRUE(b->understand(text, &rb).ok());
    EXPECT_EQ(ra.intent, rb.intent) << text;
    EXPECT_NEAR(ra.confidence, rb.confidence, 1e-5f) << text;
    ASSERT_EQ(ra.slots.size(), rb.slots.size()) << text;
    for (size_t i = 0; i < ra.slots.size(); ++i) {
      EXPECT_EQ(ra.slots[i].name, rb.slots[i].name) << text;
      EXPECT_EQ(ra.slots[i].text, rb.slots[i].text) << text;
    }
    // Every member ran on the same pieces.
    const auto want = a->encoder().intent_logits();
    for (size_t k = 0; k < b->members(); ++k)
      for (size_t i = 0; i < want.size(); ++i)
        EXPECT_FLOAT_EQ(want[i], b->encoder(k).intent_logits()[i]) << text << " member " << k;
  }
}

}  // namespace
}  // namespace earshot::nlp
