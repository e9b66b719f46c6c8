// A device of the home said in full settles the name slot (nlp/home_names.hpp).
#include "nlp/home_names.hpp"

#include <gtest/gtest.h>

namespace earshot::nlp {
namespace {

SlotNormalizer home() {
  nlohmann::json meta = {
      {"home",
       {{"names", {"garage door", "mirror light", "thermostat", "home", "living room tv"}},
        {"areas", {"living room", "garage"}}}}};
  auto n = SlotNormalizer::from_metadata(meta);
  EXPECT_TRUE(n.ok());
  return std::move(*n);
}

std::string said(std::string_view text, const SlotSpan& s) {
  return std::string(text.substr(s.begin, s.end - s.begin));
}

TEST(HomeNames, APartOfANameWidensToTheWholeName) {
  const std::string text = "turn off the Mirror Light please";
  std::vector<SlotSpan> spans = {{"name", 20, 25}};  // "Light"
  EXPECT_EQ(settle_home_name(text, home(), false, &spans), HomeNameChange::kWidened);
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(said(text, spans[0]), "Mirror Light");
}

TEST(HomeNames, ANameSaidButReadAsADeviceClassBecomesTheName) {
  const std::string text = "open our garage door!";
  std::vector<SlotSpan> spans = {{"device_class", 9, 15}};  // "garage"
  EXPECT_EQ(settle_home_name(text, home(), true, &spans), HomeNameChange::kAdded);
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].slot, "name");
  EXPECT_EQ(said(text, spans[0]), "garage door");
  // The longest name at a word wins over an area inside it.
  const std::string tv = "turn on the living room tv";
  spans = {{"area", 12, 23}};
  EXPECT_EQ(settle_home_name(tv, home(), true, &spans), HomeNameChange::kAdded);
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(said(tv, spans[0]), "living room tv");
}

TEST(HomeNames, NothingChangesWithoutAWholeNameOrForOtherIntents) {
  const std::string plural = "open the garage doors";  // a class of covers, not the device
  std::vector<SlotSpan> spans = {{"device_class", 9, 15}};
  EXPECT_EQ(settle_home_name(plural, home(), true, &spans), HomeNameChange::kNone);
  EXPECT_EQ(spans[0].slot, "device_class");
  const std::string timer = "set the thermostat timer";
  spans = {};
  EXPECT_EQ(settle_home_name(timer, home(), false, &spans), HomeNameChange::kNone);
  EXPECT_TRUE(spans.empty());
  // Short names ("home") are plain words too often; names inside another slot are left alone.
  const std::string weather = "what's the weather at home";
  EXPECT_EQ(settle_home_name(weather, home(), true, &spans), HomeNameChange::kNone);
  const std::string command = "turn off the thermostat in 5 minutes";
  spans = {{"conversation_command", 0, 23}};
  EXPECT_EQ(settle_home_name(command, home(), true, &spans), HomeNameChange::kNone);
  ASSERT_EQ(spans.size(), 1u);
  // A name span that already is a whole name stays.
  const std::string set = "set the thermostat to 20";
  spans = {{"name", 8, 18}};
  EXPECT_EQ(settle_home_name(set, home(), true, &spans), HomeNameChange::kNone);
}

TEST(HomeNames, PartOfAnAreaWidensToTheArea) {
  const std::string text = "deactivate fans in living room";
  std::vector<SlotSpan> spans = {{"area", 19, 25}};  // "living"
  widen_home_places(text, home(), &spans);
  EXPECT_EQ(said(text, spans[0]), "living room");
  // Not when the whole area runs into another slot's words.
  const std::string tv = "turn on the living room tv";
  spans = {{"area", 12, 18}, {"name", 19, 26}};
  widen_home_places(tv, home(), &spans);
  EXPECT_EQ(said(tv, spans[0]), "living");
}

TEST(HomeNames, PartOfAnAreaReadAsANameBecomesTheArea) {
  const std::string text = "deactivate fan at my living room";
  std::vector<SlotSpan> spans = {{"name", 21, 27}};  // "living"
  widen_home_places(text, home(), &spans);
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].slot, "area");
  EXPECT_EQ(said(text, spans[0]), "living room");
  // Not a name of the home, and not when an area is tagged already.
  const std::string both = "turn on the garage door in the living room";
  spans = {{"name", 12, 18}, {"area", 31, 42}};
  widen_home_places(both, home(), &spans);
  EXPECT_EQ(spans[0].slot, "name");
}

TEST(HomeNames, TheWordFloorTakesTheHomesFloorBeforeIt) {
  nlohmann::json meta = {{"home", {{"names", {"desk lamp"}}, {"floors", {"basement"}}}}};
  auto floors = SlotNormalizer::from_metadata(meta);
  ASSERT_TRUE(floors.ok());
  const std::string text = "set the basement floor to 20";
  std::vector<SlotSpan> spans = {{"name", 8, 16}, {"floor", 17, 22}};  // "basement" "floor"
  widen_home_places(text, *floors, &spans);
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].slot, "floor");
  EXPECT_EQ(said(text, spans[0]), "basement floor");
  EXPECT_EQ(floors->normalize("floor", said(text, spans[0])).text, "basement");
  // "all floors" names no floor.
  const std::string all = "turn off the lights on all floors";
  spans = {{"floor", 27, 33}};
  widen_home_places(all, *floors, &spans);
  EXPECT_TRUE(spans.empty());
}

}  // namespace
}  // namespace earshot::nlp
