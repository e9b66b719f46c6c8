// Numbers said in words, timer durations most of all: the slot head often cuts a number at a
// hyphen or between its tens and units ("fifty" | "four-minute", "ninety-" | "five") and
// sometimes names the wrong unit of a duration. The words themselves settle both: a tens word
// followed by a units word is one number, and the unit said right after a number ("minute",
// "hours") names its slot, as Home Assistant's templates do ("{minutes} minute[s]"). "half a
// minute" is 30 seconds and "half an hour" 30 minutes (the next smaller unit).
#pragma once

#include <string_view>
#include <vector>

#include "nlp/slot_spans.hpp"

namespace earshot::nlp {

// "hours", "minutes", "seconds", with or without the "start_" prefix.
bool is_duration_slot(std::string_view slot);

// Joins split number words (any span that says a number) and renames duration spans by the
// unit word after them.
void mend_number_spans(std::string_view text, std::vector<SlotSpan>* spans);

}  // namespace earshot::nlp
