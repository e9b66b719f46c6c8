// Timers named by a word the slot head never met ("stop the nap timer"): Home Assistant's
// templates say "[<the>] {name} timer" and "timer (called|named) {name}", so for a timer intent
// with no name and no area, the one word after "timer called/named", else the one right before
// "timer", is the name unless it is a word of the sentence's frame (article, verb, unit, number,
// filler) or one of the home's areas or floors.
#pragma once

#include <string_view>
#include <vector>

#include "nlp/slot_normalizer.hpp"

namespace earshot::nlp {

void add_timer_name(std::string_view text, std::string_view intent, const SlotNormalizer& home,
                    std::vector<SlotValue>* slots);

}  // namespace earshot::nlp
