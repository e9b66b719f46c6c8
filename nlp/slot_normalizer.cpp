#include "nlp/slot_normalizer.hpp"

#include <algorithm>
#include <cctype>

#include "nlp/number_spans.hpp"
#include "nlp/number_words.hpp"

namespace earshot::nlp {
namespace {

// Levenshtein distance, stopping early past `limit`.
int edit_distance(std::string_view a, std::string_view b, int limit) {
  if (std::abs(int(a.size()) - int(b.size())) > limit) return limit + 1;
  std::vector<int> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = int(j);
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = int(i);
    for (size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string strip_article(const std::string& s) {
  for (std::string_view a : {"the ", "my ", "our "})
    if (s.rfind(a, 0) == 0) return s.substr(a.size());
  return s;
}

}  // namespace

std::string normalize_words(std::string_view text) {
  std::string out;
  bool space = false;
  for (unsigned char c : text) {
    const bool word = std::isalnum(c) || c == '\'' || c >= 0x80 || c == '_';
    if (!word) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += static_cast<char>(std::tolower(c));
  }
  return out;
}

Result<SlotNormalizer> SlotNormalizer::from_metadata(const nlohmann::json& meta) {
  SlotNormalizer n;
  try {
    for (const auto& s : meta.value("numeric_slots", nlohmann::json::array()))
      n.numeric_.insert(s.get<std::string>());
    if (meta.contains("lexicon"))
      for (const auto& [slot, table] : meta["lexicon"].items())
        for (const auto& [spoken, value] : table.items()) n.lexicon_[slot][spoken] = value;
    if (meta.contains("home")) {
      const auto& h = meta["home"];
      for (const auto& [slot, key] :
           {std::pair{"name", "names"}, std::pair{"area", "areas"}, std::pair{"floor", "floors"}})
        for (const auto& v : h.value(key, nlohmann::json::array()))
          n.home_[slot].push_back(normalize_words(v.get<std::string>()));
      if (h.contains("domains"))
        for (const auto& [name, domain] : h["domains"].items())
          n.domains_[normalize_words(name)] = domain.get<std::string>();
    }
    if (meta.contains("closed_values"))
      for (const auto& [slot, values] : meta["closed_values"].items())
        for (const auto& v : values) n.closed_[slot].insert(normalize_words(v.get<std::string>()));
  } catch (const nlohmann::json::exception& e) {
    return CorruptData(std::string("NLU metadata (numeric_slots/lexicon/home/closed_values): ") +
                       e.what());
  }
  return n;
}

SlotValue SlotNormalizer::normalize(std::string_view slot, std::string_view spoken) const {
  SlotValue v;
  v.name = std::string(slot);
  v.spoken = std::string(spoken);
  const std::string key = normalize_words(spoken);
  v.text = key;
  if (auto lex = lexicon_.find(slot); lex != lexicon_.end()) {
    if (auto it = lex->second.find(key); it != lex->second.end()) {
      if (it->second.is_number()) {
        v.is_number = true;
        v.number = it->second.get<double>();
      } else if (it->second.is_string()) {
        v.text = it->second.get<std::string>();
      }
      return v;
    }
  }
  // Half a unit, said of a duration: 30 of the next smaller one (number_spans.hpp renames).
  if (is_duration_slot(slot) && (key == "half" || key == "a half" || key == "1 2")) {
    v.is_number = true;
    v.number = 30;
    return v;
  }
  if (numeric_.count(slot) != 0) {
    if (auto num = parse_number(spoken)) {
      v.is_number = true;
      v.number = *num;
    }
    return v;
  }
  if (auto home = home_.find(slot); home != home_.end()) {
    // Known names win when the words are one typo (or an article) away from them; anything
    // else stays as said (a name the home does not know is still the user's word for it).
    const std::string bare = strip_article(key);
    for (const auto& known : home->second)
      if (known == bare) return v.text = known, v;
    // "basement floor" for the floor "basement": templates say "{floor} [floor]".
    constexpr std::string_view kFloor = " floor";
    if (slot == "floor" && bare.size() > kFloor.size() && bare.ends_with(kFloor)) {
      const std::string stem = bare.substr(0, bare.size() - kFloor.size());
      for (const auto& known : home->second)
        if (known == stem) return v.text = known, v;
    }
    for (const auto& known : home->second) {
      const bool plural = bare + "s" == known || known + "s" == bare;  // a different thing
      if (known.size() >= 6 && !plural && edit_distance(bare, known, 1) <= 1)
        return v.text = known, v;
    }
    v.text = bare;
  }
  return v;
}

bool SlotNormalizer::allows(const SlotValue& value) const {
  if (numeric_.count(value.name) != 0) return value.is_number;
  const auto closed = closed_.find(value.name);
  return closed == closed_.end() || value.is_number || closed->second.count(value.text) != 0;
}

bool SlotNormalizer::names_value(std::string_view slot, std::string_view words) const {
  if (const auto closed = closed_.find(slot);
      closed != closed_.end() && closed->second.count(words))
    return true;
  const auto lex = lexicon_.find(slot);
  return lex != lexicon_.end() && lex->second.find(std::string(words)) != lex->second.end();
}

std::string_view SlotNormalizer::home_domain(std::string_view name) const {
  const auto it = domains_.find(name);
  return it == domains_.end() ? std::string_view() : std::string_view(it->second);
}

bool SlotNormalizer::in_home(std::string_view slot, std::string_view spoken) const {
  const auto home = home_.find(slot);
  if (home == home_.end()) return false;
  const std::string bare = strip_article(normalize_words(spoken));
  return std::find(home->second.begin(), home->second.end(), bare) != home->second.end();
}

std::span<const std::string> SlotNormalizer::home_list(std::string_view slot) const {
  const auto home = home_.find(slot);
  if (home == home_.end()) return {};
  return home->second;
}

std::string_view SlotNormalizer::home_slot(std::string_view spoken) const {
  std::string_view found;
  for (std::string_view slot : {"name", "area", "floor"}) {
    if (!in_home(slot, spoken)) continue;
    if (!found.empty()) return {};
    found = slot;
  }
  return found;
}

}  // namespace earshot::nlp
