// Number words cut by the slot head are joined, and the unit said after a duration names its
// slot (nlp/number_spans.hpp).
#include "nlp/number_spans.hpp"

#include <gtest/gtest.h>

#include "nlp/number_words.hpp"
#include "nlp/slot_normalizer.hpp"

namespace earshot::nlp {
namespace {

std::string said(std::string_view text, const SlotSpan& s) {
  return std::string(text.substr(s.begin, s.end - s.begin));
}

// The span over the `n`th occurrence of `words` in `text`.
SlotSpan span(std::string slot, std::string_view text, std::string_view words) {
  const auto at = text.find(words);
  EXPECT_NE(at, std::string_view::npos) << words;
  return {std::move(slot), static_cast<int>(at), static_cast<int>(at + words.size())};
}

TEST(NumberSpans, HyphenatedTensAndUnitsJoin) {
  const std::string text = "pause fifty nine-minutes timer";
  std::vector<SlotSpan> spans = {span("start_minutes", text, "fifty")};
  mend_number_spans(text, &spans);
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(said(text, spans[0]), "fifty nine");
  EXPECT_EQ(parse_number(said(text, spans[0])), 59.0);
  EXPECT_EQ(spans[0].slot, "start_minutes");
}

TEST(NumberSpans, TwoSpansOfOneNumberMergeAndTheUnitNamesTheSlot) {
  // "sixty" tagged minutes, "seven" hours, "fifty" hours: 67 hours and 50 minutes.
  const std::string text = "decrease the timer by sixty seven hour fifty-minute";
  std::vector<SlotSpan> spans = {span("minutes", text, "sixty"), span("hours", text, "seven"),
                                 span("hours", text, "fifty")};
  mend_number_spans(text, &spans);
  drop_repeated_slots(&spans);
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_EQ(spans[0].slot, "hours");
  EXPECT_EQ(said(text, spans[0]), "sixty seven");
  EXPECT_EQ(spans[1].slot, "minutes");
  EXPECT_EQ(said(text, spans[1]), "fifty");
}

TEST(NumberSpans, HyphenSplitWithTheUnitsTaggedAlone) {
  const std::string text = "take it from my ninety-five minute timer";
  std::vector<SlotSpan> spans = {span("start_minutes", text, "ninety-"),
                                 span("minutes", text, "five")};
  mend_number_spans(text, &spans);
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].slot, "start_minutes");
  EXPECT_EQ(said(text, spans[0]), "ninety-five");
}

TEST(NumberSpans, UnitsTaggedAloneTakeTheUntaggedTensBefore) {
  const std::string text = "set a timer for sixty-five-seconds";
  std::vector<SlotSpan> spans = {span("seconds", text, "five")};
  mend_number_spans(text, &spans);
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(said(text, spans[0]), "sixty-five");
  EXPECT_EQ(parse_number(said(text, spans[0])), 65.0);
}

TEST(NumberSpans, AFractionSplitFromItsWholeJoins) {
  std::string text = "set thermostat to ninety-six point five";
  std::vector<SlotSpan> spans = {span("brightness", text, "ninety"),
                                 span("temperature", text, "six point five")};
  mend_number_spans(text, &spans);
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].slot, "temperature");
  EXPECT_EQ(parse_number(said(text, spans[0])), 96.5);
  text = "adjust thermostat to two point five degrees";
  spans = {span("temperature", text, "point five")};
  mend_number_spans(text, &spans);
  EXPECT_EQ(parse_number(said(text, spans[0])), 2.5);
}

TEST(NumberSpans, HalfOfAUnitIsTheNextSmallerUnit) {
  std::string text = "add half a minute to the timer";
  std::vector<SlotSpan> spans = {span("minutes", text, "half")};
  mend_number_spans(text, &spans);
  EXPECT_EQ(spans[0].slot, "seconds");
  text = "set a timer for half an hour";
  spans = {span("minutes", text, "half")};
  mend_number_spans(text, &spans);
  EXPECT_EQ(spans[0].slot, "minutes");
  // "1/2" (three words) is one half, whichever part the head tagged.
  text = "increase timer by 62 and a 1/2 minute";
  const int two = static_cast<int>(text.find("/2")) + 1;
  spans = {span("minutes", text, "62"), {"seconds", two, two + 1}};
  mend_number_spans(text, &spans);
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_EQ(said(text, spans[0]), "62");
  EXPECT_EQ(spans[0].slot, "minutes");
  EXPECT_EQ(said(text, spans[1]), "1/2");
  EXPECT_EQ(spans[1].slot, "seconds");
  const auto half = SlotNormalizer::from_metadata(nlohmann::json::object());
  ASSERT_TRUE(half.ok());
  EXPECT_EQ(half->normalize("seconds", "1/2").number, 30);
  EXPECT_EQ(half->normalize("start_minutes", "half").number, 30);
  EXPECT_FALSE(half->normalize("temperature", "half").is_number);
}

TEST(NumberSpans, AndAHalfJoinsOtherNumbersButNotDurations) {
  std::string text = "set the heating to twenty one and a half degrees";
  std::vector<SlotSpan> spans = {span("temperature", text, "twenty one")};
  mend_number_spans(text, &spans);
  EXPECT_EQ(said(text, spans[0]), "twenty one and a half");
  EXPECT_EQ(parse_number(said(text, spans[0])), 21.5);
  text = "add fifty nine and a half minutes";
  spans = {span("minutes", text, "fifty nine")};
  mend_number_spans(text, &spans);
  EXPECT_EQ(said(text, spans[0]), "fifty nine");
}

TEST(NumberSpans, OtherSpansAndPlainNumbersStay) {
  const std::string text = "set the kitchen light to forty percent for twenty minutes";
  std::vector<SlotSpan> spans = {span("name", text, "kitchen light"),
                                 span("brightness", text, "forty"),
                                 span("minutes", text, "twenty")};
  const auto before = spans;
  mend_number_spans(text, &spans);
  ASSERT_EQ(spans.size(), before.size());
  for (size_t i = 0; i < spans.size(); ++i) {
    EXPECT_EQ(spans[i].slot, before[i].slot);
    EXPECT_EQ(spans[i].begin, before[i].begin);
    EXPECT_EQ(spans[i].end, before[i].end);
  }
  std::vector<SlotSpan> none;
  mend_number_spans("", &none);
  EXPECT_TRUE(none.empty());
}

}  // namespace
}  // namespace earshot::nlp
