// End to end on the committed int8 model: commands a user says, slot values in Home
// Assistant's forms, and bad input (empty, long, binary, other languages) never failing.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "nlp/intent_schema.hpp"
#include "nlp/slot_normalizer.hpp"
#include "nlu_test_util.hpp"

namespace earshot::nlp {
namespace {

const SlotValue* slot(const NluResult& r, const std::string& name) {
  for (const auto& s : r.slots)
    if (s.name == name) return &s;
  return nullptr;
}

class NluDecode : public ::testing::Test {
 protected:
  void SetUp() override {
    auto n = test::load_nlu("int8");
    ASSERT_TRUE(n.ok()) << n.status().to_string();
    nlu_ = std::make_unique<Nlu>(std::move(*n));
  }
  NluResult run(const std::string& text) {
    NluResult r;
    EXPECT_TRUE(nlu_->understand(text, &r).ok()) << text;
    return r;
  }
  std::unique_ptr<Nlu> nlu_;
};

TEST_F(NluDecode, TurnOffANamedLight) {
  auto r = run("turn off the kitchen light");
  EXPECT_EQ(r.intent, "HassTurnOff");
  ASSERT_NE(slot(r, "name"), nullptr);
  EXPECT_EQ(slot(r, "name")->text, "kitchen light");
  EXPECT_GT(r.confidence, 0.5f);
}

// The word rules after the model (number_spans, device_words, respell, state): durations said
// with hyphens, a kind of device with no name, "nevermind" as one word, a command's own "off".
TEST_F(NluDecode, WordRulesAfterTheModel) {
  auto r = run("fifty four-minute and fourteen-second timer");
  ASSERT_NE(slot(r, "minutes"), nullptr);
  EXPECT_EQ(slot(r, "minutes")->number, 54);
  ASSERT_NE(slot(r, "seconds"), nullptr);
  EXPECT_EQ(slot(r, "seconds")->number, 14);
  r = run("toggle the lights in the kitchen");
  EXPECT_EQ(r.intent, "HassToggle");
  ASSERT_NE(slot(r, "domain"), nullptr);
  EXPECT_EQ(slot(r, "domain")->text, "light");
  EXPECT_EQ(slot(r, "name"), nullptr);
  EXPECT_EQ(run("okay nevermind").intent, "HassNevermind");
  r = run("get every light off");
  EXPECT_EQ(r.intent, "HassTurnOff");
  EXPECT_EQ(slot(r, "state"), nullptr);
}

TEST_F(NluDecode, TimerDurationIsANumber) {
  auto r = run("set a timer for twenty five minutes");
  EXPECT_EQ(r.intent, "HassStartTimer");
  ASSERT_NE(slot(r, "minutes"), nullptr);
  EXPECT_TRUE(slot(r, "minutes")->is_number);
  EXPECT_EQ(slot(r, "minutes")->number, 25.0);
}

TEST_F(NluDecode, BrightnessPercent) {
  auto r = run("set the bedside lamp brightness to 40%");
  EXPECT_EQ(r.intent, "HassLightSet");
  ASSERT_NE(slot(r, "brightness"), nullptr);
  EXPECT_EQ(slot(r, "brightness")->number, 40.0);
}

TEST_F(NluDecode, EmptyTextIsNone) {
  for (const char* t : {"", "   ", "\n"}) {
    auto r = run(t);
    EXPECT_EQ(r.intent, "none");
    EXPECT_TRUE(r.slots.empty());
    EXPECT_EQ(r.pieces, 0);
  }
}

TEST_F(NluDecode, LongTextIsTruncated) {
  std::string t;
  for (int i = 0; i < 200; ++i) t += "turn on the kitchen light and ";
  auto r = run(t);
  EXPECT_TRUE(r.truncated);
  EXPECT_EQ(r.pieces, 64);
}

TEST_F(NluDecode, BinaryAndForeignTextNeverFail) {
  std::string binary;
  for (int i = 0; i < 300; ++i) binary += static_cast<char>((i * 37) & 0xff);
  for (const std::string& t :
       {binary, std::string("\xff\xfe\x00\x01", 4),
        std::string("schalte bitte das licht in der küche aus"), std::string("漢字 かな 😀")}) {
    NluResult r;
    EXPECT_TRUE(nlu_->understand(t, &r).ok());
    EXPECT_FALSE(r.intent.empty());
    EXPECT_GE(r.confidence, 0.0f);
    EXPECT_LE(r.confidence, 1.0f);
  }
}

TEST(SlotNormalizer, LexiconNumbersAndHome) {
  nlohmann::json meta = {
      {"numeric_slots", {"minutes", "temperature"}},
      {"lexicon", {{"minutes", {{"half", 30}}}, {"device_class", {{"shades", "shade"}}}}},
      {"home", {{"names", {"Kitchen Light", "washing machine"}}, {"areas", {"kitchen"}}}}};
  auto n = SlotNormalizer::from_metadata(meta);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n->normalize("minutes", "half").number, 30.0);
  EXPECT_EQ(n->normalize("minutes", "Twenty-Six").number, 26.0);
  EXPECT_EQ(n->normalize("device_class", "SHADES").text, "shade");
  EXPECT_EQ(n->normalize("name", "the kitchen light").text, "kitchen light");
  EXPECT_EQ(n->normalize("name", "washing machin").text, "washing machine");
  EXPECT_EQ(n->normalize("name", "kitchen lights").text, "kitchen lights");  // another thing
  EXPECT_EQ(n->normalize("name", "garden shed").text, "garden shed");        // unknown: as said
  EXPECT_FALSE(n->normalize("temperature", "warm").is_number);
}

TEST(SlotNormalizer, AFloorSaidWithTheWordFloorIsTheHomesFloor) {
  nlohmann::json meta = {{"home", {{"floors", {"basement", "first floor"}}}}};
  auto n = SlotNormalizer::from_metadata(meta);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n->normalize("floor", "Basement Floor").text, "basement");
  EXPECT_EQ(n->normalize("floor", "the first floor").text, "first floor");
  EXPECT_EQ(n->normalize("floor", "attic floor").text, "attic floor");       // unknown: as said
  EXPECT_EQ(n->normalize("area", "basement floor").text, "basement floor");  // floors only
}

TEST(SlotNormalizer, BadMetadataIsAnError) {
  nlohmann::json meta = {{"numeric_slots", {1, 2}}};
  EXPECT_FALSE(SlotNormalizer::from_metadata(meta).ok());
}

TEST(NluModel, WrongStageAndMissingFileAreErrors) {
  auto m = model::Model::open("/nonexistent/nlu.esm");
  EXPECT_FALSE(m.ok());
  auto fx = model::Model::open(EARSHOT_NLP_FIXTURE);  // an nlp file without the encoder
  ASSERT_TRUE(fx.ok());
  auto n = Nlu::create({}, std::move(*fx));
  ASSERT_FALSE(n.ok());
  EXPECT_NE(n.status().message().find("hparams"), std::string::npos) << n.status().message();
}

TEST(NluConfig, Validation) {
  EXPECT_TRUE(NluConfig{}.validate().ok());
  EXPECT_FALSE((NluConfig{.max_pieces = 0}).validate().ok());
  EXPECT_FALSE((NluConfig{.max_pieces = 64, .min_confidence = 2.0f}).validate().ok());
}

// Whatever the model reads, an answer is one Home Assistant can carry out: the intent's
// required slots are there and it has no slot the intent never takes (intent_schema.hpp, the
// model's "intent_slots"); a named device's domain fits the intent.
TEST_F(NluDecode, AnswersKeepToTheIntentSchema) {
  const char* texts[] = {"set the kitchen light",
                         "set the thermostat to 21",
                         "set the thermostat to 60",
                         "light pink",
                         "turn it down to thirty",
                         "put flour on my list",
                         "this programme contains strong language",
                         "start a timer",
                         "make the hallway yellow",
                         "come here",
                         "pause the music and add eggs",
                         "volume",
                         "kitchen light to 2700 kelvin",
                         "thermostat brightness 50",
                         "the lights"};
  const std::map<std::string, std::vector<std::string>> takes = {
      {"HassLightSet", {"area", "brightness", "color", "domain", "floor", "name", "temperature"}},
      {"HassSetVolume", {"area", "name", "volume_level"}},
      {"HassClimateSetTemperature", {"area", "floor", "name", "temperature"}},
      {"HassShoppingListAddItem", {"item"}},
      {"HassMediaPause", {"area", "name"}}};
  for (const char* text : texts) {
    const auto r = run(text);
    EXPECT_TRUE(has_required_slots(r.intent, r.slots)) << text << " -> " << r.intent;
    if (const auto it = takes.find(r.intent); it != takes.end()) {
      for (const auto& s : r.slots) {
        EXPECT_NE(std::find(it->second.begin(), it->second.end(), s.name), it->second.end())
            << text << " -> " << r.intent << " with " << s.name;
      }
    }
    if (const auto* name = slot(r, "name"); name != nullptr && name->text == "thermostat") {
      EXPECT_TRUE(r.intent != "HassLightSet" && r.intent != "HassSetVolume") << text;
    }
  }
  auto r = run("put flour on my list");
  EXPECT_EQ(r.intent, "HassShoppingListAddItem");
  ASSERT_NE(slot(r, "item"), nullptr);
  EXPECT_EQ(slot(r, "item")->text, "flour");
}

}  // namespace
}  // namespace earshot::nlp
