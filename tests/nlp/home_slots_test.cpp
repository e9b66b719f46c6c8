// Name / area / floor spans settled by the home's lists (nlp/home_slots.hpp): relabels, joins
// and areas or floors said but not tagged.
#include "nlp/home_slots.hpp"

#include <gtest/gtest.h>

namespace earshot::nlp {
namespace {

SlotNormalizer home() {
  nlohmann::json meta = {{"numeric_slots", nlohmann::json::array()},
                         {"lexicon", nlohmann::json::object()},
                         {"home",
                          {{"names", {"good morning", "garage door", "kitchen light"}},
                           {"areas", {"hallway", "laundry room", "garage", "kitchen"}},
                           {"floors", {"basement"}}}}};
  auto n = SlotNormalizer::from_metadata(meta);
  EXPECT_TRUE(n.ok());
  return std::move(*n);
}

std::string said(std::string_view text, const SlotSpan& s) {
  return std::string(text.substr(s.begin, s.end - s.begin));
}

TEST(HomeSlots, AnAreaLabelledAsANameBecomesTheArea) {
  const std::string text = "activate hallway good morning";
  std::vector<SlotSpan> spans = {{"name", 9, 16}};
  snap_home_slots(text, home(), &spans);
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].slot, "area");
  // A known name stays a name, an unknown one stays as labelled.
  spans = {{"name", 17, 29}, {"area", 9, 16}};
  snap_home_slots(text, home(), &spans);
  EXPECT_EQ(spans[0].slot, "area");
  EXPECT_EQ(spans[1].slot, "name");
  const std::string other = "open the shed door";
  spans = {{"name", 9, 18}};
  snap_home_slots(other, home(), &spans);
  EXPECT_EQ(spans[0].slot, "name");
}

TEST(HomeSlots, TouchingHalvesOfOneAreaJoin) {
  const std::string text = "activate laundry room fans";
  std::vector<SlotSpan> spans = {{"area", 17, 21}, {"name", 9, 16}};
  snap_home_slots(text, home(), &spans);
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].slot, "area");
  EXPECT_EQ(said(text, spans[0]), "laundry room");
}

TEST(HomeSlots, AmbiguousOrKnownSpansAreLeftAlone) {
  // "garage" is an area and "garage door" a name: both known, no merge, no relabel.
  const std::string text = "open the garage garage door";
  std::vector<SlotSpan> spans = {{"area", 9, 15}, {"name", 16, 27}};
  snap_home_slots(text, home(), &spans);
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_EQ(spans[0].slot, "area");
  EXPECT_EQ(spans[1].slot, "name");
  // Other slots are never touched; no area twice.
  const std::string t2 = "kitchen timer in the hallway";
  spans = {{"area", 0, 7}, {"name", 21, 28}};
  snap_home_slots(t2, home(), &spans);
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_EQ(spans[1].slot, "name");
}

TEST(HomeSlots, AnUntaggedAreaOrFloorIsFound) {
  const std::string text = "switch on the mirror light in the Laundry Room on the basement";
  std::vector<SlotSpan> spans = {{"name", 14, 26}};
  snap_home_slots(text, home(), &spans);
  ASSERT_EQ(spans.size(), 3u);
  EXPECT_EQ(spans[1].slot, "area");
  EXPECT_EQ(said(text, spans[1]), "Laundry Room");
  EXPECT_EQ(spans[2].slot, "floor");
  EXPECT_EQ(said(text, spans[2]), "basement");
  // Words inside a span are not searched ("kitchen" of "kitchen light"), and a tagged area
  // is not doubled.
  const std::string t2 = "turn on the kitchen light in the hallway";
  spans = {{"name", 12, 25}};
  snap_home_slots(t2, home(), &spans);
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_EQ(said(t2, spans[1]), "hallway");
}

}  // namespace
}  // namespace earshot::nlp
