// Name / area / floor spans checked against the home the model carries: a span the slot head
// labels "name" whose words are exactly one of the home's areas (and no device's name) becomes
// that area, and two touching spans that together make one known name, area or floor
// ("laundry" + "room") become one. Templates the model never saw mix these three up most; the
// home's own lists settle them, as Home Assistant's matcher does. An area or floor of the home
// said outside every span is added when the model tagged none.
#pragma once

#include <string_view>
#include <vector>

#include "nlp/slot_normalizer.hpp"
#include "nlp/slot_spans.hpp"

namespace earshot::nlp {

void snap_home_slots(std::string_view text, const SlotNormalizer& home,
                     std::vector<SlotSpan>* spans);

}  // namespace earshot::nlp
