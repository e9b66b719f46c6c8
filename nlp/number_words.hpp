// Numbers said in digits ("26", "19.5", "80%") or English words ("twenty-six", "nineteen
// point five", "one thousand one hundred"). Same rules as tools/nlu/slot_values.py.
#pragma once

#include <optional>
#include <string_view>

namespace earshot::nlp {

// The number a slot's text says, or nullopt when it is not (only) a number.
std::optional<double> parse_number(std::string_view text);

}  // namespace earshot::nlp
