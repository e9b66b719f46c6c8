// A timer's name the slot head missed is the word before "timer" (nlp/timer_names.hpp).
#include "nlp/timer_names.hpp"

#include <gtest/gtest.h>

namespace earshot::nlp {
namespace {

SlotNormalizer home() {
  nlohmann::json meta = {{"home", {{"areas", {"kitchen"}}, {"floors", {"basement"}}}}};
  auto n = SlotNormalizer::from_metadata(meta);
  EXPECT_TRUE(n.ok());
  return std::move(*n);
}

std::string name_of(std::string_view text, std::string_view intent,
                    std::vector<SlotValue> slots = {}) {
  add_timer_name(text, intent, home(), &slots);
  for (const auto& s : slots)
    if (s.name == "name") return s.text;
  return "";
}

TEST(SlotTimerNames, TheWordBeforeTimerIsItsName) {
  EXPECT_EQ(name_of("Stop the nap timer.", "HassCancelTimer"), "nap");
  EXPECT_EQ(name_of("resume meditation timer", "HassUnpauseTimer"), "meditation");
  EXPECT_EQ(name_of("42-minute timer called nap", "HassStartTimer"), "nap");
  EXPECT_EQ(name_of("Decrease my homework timer by 30-second.", "HassDecreaseTimer"), "homework");
}

TEST(SlotTimerNames, FrameWordsPlacesNumbersAndOtherIntentsAreNoNames) {
  EXPECT_EQ(name_of("stop the timer", "HassCancelTimer"), "");
  EXPECT_EQ(name_of("cancel my um timer", "HassCancelTimer"), "");
  EXPECT_EQ(name_of("pause the 5 timer", "HassPauseTimer"), "");
  EXPECT_EQ(name_of("pause the five minute timer", "HassPauseTimer"), "");
  EXPECT_EQ(name_of("stop the kitchen timer", "HassCancelTimer"), "");
  EXPECT_EQ(name_of("timer", "HassTimerStatus"), "");
  EXPECT_EQ(name_of("cancel all timers", "HassCancelAllTimers"), "");
  EXPECT_EQ(name_of("turn off the oven timer", "HassTurnOff"), "");
  EXPECT_EQ(name_of("a timer called five", "HassStartTimer"), "");
  EXPECT_EQ(name_of("continue ninety six-ours timer", "HassUnpauseTimer"), "");
  // A name or area the model found already stays alone.
  SlotValue area;
  area.name = "area";
  area.text = "kitchen";
  EXPECT_EQ(name_of("pause the pizza timer", "HassPauseTimer", {area}), "");
}

}  // namespace
}  // namespace earshot::nlp
