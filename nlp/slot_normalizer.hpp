// Slot values in Home Assistant's forms: numbers (durations in hours/minutes/seconds,
// brightness and volume in percent, temperatures) read from digits or words; spoken names of
// values ("warm white" -> 2700, "shades" -> "shade", "half" -> 30) from the lexicon the model
// carries (learnt from the training labels); names, areas and floors matched to the home's.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "earshot/status.hpp"

namespace earshot::nlp {

struct SlotValue {
  std::string name;
  std::string spoken;  // the words as said
  bool is_number = false;
  double number = 0;
  std::string text;  // the value when not a number
};

class SlotNormalizer {
 public:
  // From the model metadata keys "numeric_slots", "lexicon", "home" (names/areas/floors) and
  // "closed_values".
  static Result<SlotNormalizer> from_metadata(const nlohmann::json& meta);

  SlotValue normalize(std::string_view slot, std::string_view spoken) const;

  // "name", "area" or "floor" when exactly one of the home's lists holds `spoken` (articles
  // and case aside), else "".
  std::string_view home_slot(std::string_view spoken) const;
  // False for a value that is not of its slot's kind: a numeric slot that holds no number, or a
  // closed slot (metadata "closed_values", e.g. the colours) holding a word outside its list.
  bool allows(const SlotValue& value) const;
  // Whether `words` (normalize_words form) is a value `slot` knows by name: one of its closed
  // values or a spoken form in its lexicon ("yellow" for color, "warm white" for temperature).
  bool names_value(std::string_view slot, std::string_view words) const;
  bool is_numeric(std::string_view slot) const { return numeric_.count(slot) != 0; }
  // The domain of one of the home's device names ("thermostat" -> "climate"), or "".
  std::string_view home_domain(std::string_view name) const;
  bool in_home(std::string_view slot, std::string_view spoken) const;
  // The home's list for "name", "area" or "floor" (normalize_words form); empty if none.
  std::span<const std::string> home_list(std::string_view slot) const;

 private:
  std::set<std::string, std::less<>> numeric_;
  std::map<std::string, std::map<std::string, nlohmann::json>, std::less<>> lexicon_;
  std::map<std::string, std::vector<std::string>, std::less<>> home_;  // name/area/floor lists
  std::map<std::string, std::set<std::string, std::less<>>, std::less<>> closed_;
  std::map<std::string, std::string, std::less<>> domains_;  // home name -> domain
};

// Lower case (ASCII), punctuation to spaces except apostrophes, single spaces.
std::string normalize_words(std::string_view text);

}  // namespace earshot::nlp
