// A shopping item tagged in part grows to the words that frame it (nlp/item_spans.hpp).
#include "nlp/item_spans.hpp"

#include <gtest/gtest.h>

namespace earshot::nlp {
namespace {

std::string item_of(std::string_view text, std::vector<SlotSpan> spans) {
  grow_item_span(text, &spans);
  for (const auto& s : spans)
    if (s.slot == "item") return std::string(text.substr(s.begin, s.end - s.begin));
  return "";
}

SlotSpan at(std::string slot, std::string_view text, std::string_view words) {
  const auto i = text.find(words);
  EXPECT_NE(i, std::string_view::npos);
  return {std::move(slot), static_cast<int>(i), static_cast<int>(i + words.size())};
}

TEST(SlotItemSpans, APartTaggedItemGrowsToItsFrame) {
  std::string t = "put oat milk in my shopping list";
  EXPECT_EQ(item_of(t, {at("item", t, "oat")}), "oat milk");
  t = "please put curry paste uhm on my list please";
  EXPECT_EQ(item_of(t, {at("item", t, "paste")}), "curry paste");
  // Another slot's words inside the frame join the item.
  t = "add washing up liquid to the list";
  std::vector<SlotSpan> spans = {at("name", t, "washing"), at("item", t, "liquid")};
  grow_item_span(t, &spans);
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(t.substr(spans[0].begin, spans[0].end - spans[0].begin), "washing up liquid");
}

TEST(SlotItemSpans, FrameWordsStayOutAndNoItemStaysNone) {
  std::string t = "we need more coffee";
  EXPECT_EQ(item_of(t, {at("item", t, "coffee")}), "coffee");
  t = "add eggs and bread to my list";
  EXPECT_EQ(item_of(t, {at("item", t, "eggs")}), "eggs");
  t = "add to my list";
  EXPECT_EQ(item_of(t, {}), "");
  t = "we need more";
  EXPECT_EQ(item_of(t, {}), "");
  EXPECT_EQ(item_of("", {}), "");
}

TEST(SlotItemSpans, AnUntaggedItemIsTheWordsBeforeTheList) {
  EXPECT_EQ(item_of("put eggs uh on uhm the shopping list", {}), "eggs");
  EXPECT_EQ(item_of("Could you put curry paste in my list?", {}), "curry paste");
  // Another slot over the item's words gives way to it.
  std::string t = "PUT AVOCADOS ON MY LIST";
  std::vector<SlotSpan> spans = {at("name", t, "AVOCADOS")};
  grow_item_span(t, &spans);
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].slot, "item");
  EXPECT_EQ(t.substr(spans[0].begin, spans[0].end - spans[0].begin), "AVOCADOS");
  EXPECT_EQ(item_of("list", {}), "");
}

}  // namespace
}  // namespace earshot::nlp
