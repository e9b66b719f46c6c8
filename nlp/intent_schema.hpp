// What an intent cannot be without, as Home Assistant's handlers require it: HassLightSet needs
// a brightness, colour or colour temperature; HassSetVolume a level; a timer change a duration;
// turning something on a target. A best intent whose required slots the sentence does not give
// ("this programme contains strong language" read as HassLightSet) gives way to the next one.
#pragma once

#include <string_view>
#include <vector>

#include "nlp/slot_normalizer.hpp"
#include "nlp/slot_spans.hpp"

namespace earshot::nlp {

// True when `slots` hold what `intent` requires (any intent not listed requires nothing).
bool has_required_slots(std::string_view intent, const std::vector<SlotValue>& slots);

// When the slot head tagged none of `intent`'s required slots, the words nobody tagged may still
// say one unmistakably: a value the slot knows by name ("to yellow", "daylight") or a number
// (a HassLightSet number in kelvin, or of 1000 and more, is a colour temperature, any other a
// brightness). The first such words become that slot's span.
void recover_required_span(std::string_view text, std::string_view intent,
                           const SlotNormalizer& values, std::vector<SlotSpan>* spans);

}  // namespace earshot::nlp
