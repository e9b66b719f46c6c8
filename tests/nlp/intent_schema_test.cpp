// What an intent requires, and the required slot recovered from untagged words
// (nlp/intent_schema.hpp); the value checks behind them (SlotNormalizer::allows, names_value,
// home_domain).
#include "nlp/intent_schema.hpp"

#include <gtest/gtest.h>

namespace earshot::nlp {
namespace {

SlotNormalizer values() {
  nlohmann::json meta = {
      {"numeric_slots", {"brightness", "temperature", "volume_level", "minutes"}},
      {"lexicon", {{"temperature", {{"warm white", 2700}, {"daylight", 6500}}}}},
      {"home",
       {{"names", {"thermostat", "desk lamp"}},
        {"areas", {"hallway"}},
        {"floors", {"basement"}},
        {"domains", {{"thermostat", "climate"}, {"desk lamp", "light"}}}}},
      {"closed_values", {{"color", {"red", "yellow", "turquoise"}}}}};
  auto n = SlotNormalizer::from_metadata(meta);
  EXPECT_TRUE(n.ok()) << n.status().message();
  return std::move(*n);
}

SlotValue slot(std::string name, std::string text = "x") {
  SlotValue v;
  v.name = std::move(name);
  v.text = std::move(text);
  return v;
}

std::string recovered(std::string_view intent, std::string_view text,
                      std::vector<SlotSpan> spans = {}) {
  recover_required_span(text, intent, values(), &spans);
  for (const auto& s : spans)
    if (s.slot != "name" && s.slot != "area")
      return s.slot + "=" + std::string(text.substr(s.begin, s.end - s.begin));
  return "";
}

TEST(IntentSchema, RequiredSlotsFollowHomeAssistantsHandlers) {
  EXPECT_FALSE(has_required_slots("HassLightSet", {slot("name"), slot("area")}));
  EXPECT_TRUE(has_required_slots("HassLightSet", {slot("name"), slot("color")}));
  EXPECT_FALSE(has_required_slots("HassSetVolume", {slot("name")}));
  EXPECT_TRUE(has_required_slots("HassSetVolume", {slot("volume_level")}));
  EXPECT_FALSE(has_required_slots("HassStartTimer", {slot("name")}));
  EXPECT_TRUE(has_required_slots("HassStartTimer", {slot("minutes")}));
  EXPECT_FALSE(has_required_slots("HassTurnOn", {}));
  EXPECT_TRUE(has_required_slots("HassTurnOn", {slot("domain", "light")}));
  EXPECT_FALSE(has_required_slots("HassShoppingListAddItem", {}));
  // Intents that need nothing, and ones this table does not know.
  EXPECT_TRUE(has_required_slots("HassGetCurrentTime", {}));
  EXPECT_TRUE(has_required_slots("none", {}));
  EXPECT_TRUE(has_required_slots("SomeFutureIntent", {}));
}

TEST(IntentSchema, AnUntaggedValueFillsTheMissingRequiredSlot) {
  EXPECT_EQ(recovered("HassLightSet", "each and every light to yellow"), "color=yellow");
  EXPECT_EQ(recovered("HassLightSet", "hallway lights to warm white"), "temperature=warm white");
  EXPECT_EQ(recovered("HassLightSet", "desk lamp 2500 kelvin"), "temperature=2500");
  EXPECT_EQ(recovered("HassLightSet", "desk lamp to 3000"), "temperature=3000");
  EXPECT_EQ(recovered("HassLightSet", "desk lamp to forty five"), "brightness=forty five");
  EXPECT_EQ(recovered("HassSetVolume", "turn it down to eighty-eight"),
            "volume_level=eighty-eight");
  EXPECT_EQ(recovered("HassClimateSetTemperature", "thermostat to 21.5"), "temperature=21.5");
}

TEST(IntentSchema, NothingIsRecoveredWhenNothingFitsOrTheSlotIsThere) {
  // A word that is no colour, a timer (whose numbers name their unit), an intent with its slot.
  EXPECT_EQ(recovered("HassLightSet", "this programme contains strong language"), "");
  EXPECT_EQ(recovered("HassStartTimer", "start a timer for 5"), "");
  const std::string text = "set the desk lamp to red and 50";
  EXPECT_EQ(recovered("HassLightSet", text, {{"color", 21, 24}}), "color=red");
  // Words another slot holds are not taken.
  EXPECT_EQ(recovered("HassSetVolume", "kitchen 5", {{"name", 0, 9}}), "");
  EXPECT_EQ(recovered("HassLightSet", ""), "");
}

TEST(IntentSchema, ValuesOfTheWrongKindAreNotAllowed) {
  const auto n = values();
  EXPECT_TRUE(n.allows(n.normalize("color", "Yellow")));
  EXPECT_FALSE(n.allows(n.normalize("color", "contains")));
  EXPECT_TRUE(n.allows(n.normalize("brightness", "fifty")));
  EXPECT_FALSE(n.allows(n.normalize("brightness", "light")));
  EXPECT_TRUE(n.allows(n.normalize("temperature", "warm white")));
  EXPECT_TRUE(n.allows(n.normalize("name", "anything at all")));
  EXPECT_TRUE(n.names_value("color", "turquoise"));
  EXPECT_FALSE(n.names_value("color", "purple"));
  EXPECT_TRUE(n.names_value("temperature", "daylight"));
  EXPECT_EQ(n.home_domain("thermostat"), "climate");
  EXPECT_EQ(n.home_domain("shed light"), "");
}

}  // namespace
}  // namespace earshot::nlp
