// A device of the home said in full settles the "name" slot, as Home Assistant's matcher does
// (it prefers the sentence that matches an entity name: "open the garage door" is the device
// "garage door", not "any garage-class cover"). The slot head tags names it never saw in part
// ("light" of "mirror light") or reads them as a device class; the home's own list fixes both.
#pragma once

#include <string_view>
#include <vector>

#include "nlp/slot_normalizer.hpp"
#include "nlp/slot_spans.hpp"

namespace earshot::nlp {

// Names shorter than this many bytes ("home", "tv") are too often plain words to match alone.
inline constexpr size_t kMinHomeNameBytes = 5;

// What settle_home_name did.
enum class HomeNameChange { kNone, kWidened, kAdded };

// A "name" span lying inside a home name said in full widens to that name. With no "name" span
// and `may_add` (the intent takes device names), the first home name said in full becomes one,
// replacing the name/area/floor/device_class spans it overlaps.
HomeNameChange settle_home_name(std::string_view text, const SlotNormalizer& home, bool may_add,
                                std::vector<SlotSpan>* spans);

// An area or floor span lying inside one of the home's areas or floors said in full ("living"
// of "living room") widens to it, unless that would run into another slot's words. So does a
// "name" span the home does not know (it becomes the area/floor when none is tagged). A floor
// span of just "floor" takes the home floor said right before it ("basement floor", replacing
// the spans over "basement"), or is dropped when there is none ("all floors").
void widen_home_places(std::string_view text, const SlotNormalizer& home,
                       std::vector<SlotSpan>* spans);

}  // namespace earshot::nlp
