// Devices said by their kind rather than their name ("the lights", "laundry room shutters"):
// Home Assistant's sentences read those words as a domain and, for covers, a device class
// ("{area} shutters" -> area, domain cover, device_class shutter), not as a device name. The
// intent head fixes the domain only for some phrasings and the slot head reads an unknown
// "<area> <kind>" as one name; the words themselves settle both.
#pragma once

#include <string_view>
#include <vector>

#include "nlp/slot_normalizer.hpp"

namespace earshot::nlp {

struct DeviceWord {
  std::string_view domain;        // "light", "fan", "cover"
  std::string_view device_class;  // a cover's class ("shutter"), else ""
};

// The kind a word (or "garage door") names, or nullopt-like {} with an empty domain.
DeviceWord device_word(std::string_view normalized_words);

// For HassTurnOn/HassTurnOff/HassToggle/HassLightSet results: a "name" the home does not know
// that is a kind word, optionally after one of the home's areas or floors, becomes that area or
// floor plus the kind's domain/device_class; with no name left, a kind word said anywhere
// supplies a missing domain (and a cover's device class).
void settle_device_words(std::string_view text, std::string_view intent, const SlotNormalizer& home,
                         std::vector<SlotValue>* slots);

}  // namespace earshot::nlp
