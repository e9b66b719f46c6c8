#include "nlp/home_names.hpp"

#include <algorithm>
#include <string>

namespace earshot::nlp {
namespace {

struct Said {
  int begin = -1;
  int end = -1;
};

// Where entries of one of the home's lists are said in full (the longest at each word).
std::vector<Said> names_said(std::string_view text, const SlotNormalizer& home,
                             std::string_view slot, size_t min_bytes) {
  const auto words = split_words(text);
  std::vector<std::string> norm;
  norm.reserve(words.size());
  for (const auto& w : words)
    norm.push_back(normalize_words(text.substr(w.begin, w.end - w.begin)));
  std::vector<Said> found;
  for (size_t i = 0; i < words.size(); ++i) {
    Said best;
    size_t best_bytes = 0;
    for (const auto& name : home.home_list(slot)) {
      if (name.size() < min_bytes || name.size() <= best_bytes) continue;
      size_t pos = 0, j = i;
      bool match = true;
      while (match && pos < name.size()) {
        const size_t space = name.find(' ', pos);
        const std::string_view part =
            std::string_view(name).substr(pos, space == std::string::npos ? space : space - pos);
        match = j < words.size() && norm[j] == part;
        ++j;
        pos = space == std::string::npos ? name.size() : space + 1;
      }
      if (match) {
        best = {words[i].begin, words[j - 1].end};
        best_bytes = name.size();
      }
    }
    if (best.begin >= 0) found.push_back(best);
  }
  return found;
}

bool overlaps(const SlotSpan& s, const Said& n) {
  return s.begin < n.end && n.begin < s.end;
}

bool is_replaceable(std::string_view slot) {
  return slot == "name" || slot == "area" || slot == "floor" || slot == "device_class";
}

}  // namespace

HomeNameChange settle_home_name(std::string_view text, const SlotNormalizer& home, bool may_add,
                                std::vector<SlotSpan>* spans) {
  auto& v = *spans;
  const auto said = names_said(text, home, "name", kMinHomeNameBytes);
  if (said.empty()) return HomeNameChange::kNone;
  const auto name =
      std::find_if(v.begin(), v.end(), [](const auto& s) { return s.slot == "name"; });
  if (name != v.end()) {
    for (const auto& n : said)
      if (n.begin <= name->begin && name->end <= n.end &&
          (n.begin != name->begin || n.end != name->end)) {
        name->begin = n.begin;
        name->end = n.end;
        v.erase(std::remove_if(v.begin(), v.end(),
                               [&](const SlotSpan& s) {
                                 return s.slot != "name" && is_replaceable(s.slot) &&
                                        overlaps(s, n);
                               }),
                v.end());
        return HomeNameChange::kWidened;
      }
    return HomeNameChange::kNone;
  }
  if (!may_add) return HomeNameChange::kNone;
  for (const auto& n : said) {
    // A name inside another slot's words (a timer's command, an item) is not the device meant.
    const bool inside_other = std::any_of(v.begin(), v.end(), [&](const SlotSpan& s) {
      return !is_replaceable(s.slot) && overlaps(s, n);
    });
    if (inside_other) continue;
    v.erase(
        std::remove_if(v.begin(), v.end(),
                       [&](const SlotSpan& s) { return is_replaceable(s.slot) && overlaps(s, n); }),
        v.end());
    v.push_back({"name", n.begin, n.end});
    return HomeNameChange::kAdded;
  }
  return HomeNameChange::kNone;
}

void widen_home_places(std::string_view text, const SlotNormalizer& home,
                       std::vector<SlotSpan>* spans) {
  auto& v = *spans;
  const auto said = [&](const SlotSpan& s) { return text.substr(s.begin, s.end - s.begin); };
  const auto has_slot = [&](std::string_view slot) {
    return std::any_of(v.begin(), v.end(), [&](const SlotSpan& s) { return s.slot == slot; });
  };
  // A floor span saying only "floor": "{floor} floor" with the floor's own words tagged as
  // something else ("basement" as a name); with no floor of the home before it, no floor.
  for (size_t i = 0; i < v.size(); ++i) {
    const std::string w = normalize_words(said(v[i]));
    if (v[i].slot != "floor" || (w != "floor" && w != "floors")) continue;
    const int before = v[i].begin;
    SlotSpan widened = v[i];
    for (const auto& n : names_said(text, home, "floor", 1)) {
      const auto gap = text.substr(n.end, before - n.end);
      if (n.end <= before && gap.find_first_not_of(" \t") == std::string_view::npos)
        widened.begin = n.begin;
    }
    if (widened.begin == v[i].begin) {
      v.erase(v.begin() + static_cast<long>(i));
      --i;
      continue;
    }
    v[i] = widened;
    std::erase_if(v, [&](const SlotSpan& s) {
      return s.slot != "floor" && s.begin < widened.end && widened.begin < s.end;
    });
    break;
  }
  // A name the home does not know lying inside one of its areas or floors said in full
  // ("living" of "living room") is that place, when no span names the place already.
  for (auto& s : v) {
    if (s.slot != "name" || home.in_home("name", said(s))) continue;
    bool moved = false;
    for (std::string_view slot : {"area", "floor"}) {
      if (moved || has_slot(slot)) continue;
      for (const auto& n : names_said(text, home, slot, 1)) {
        const bool inside =
            n.begin <= s.begin && s.end <= n.end && (n.begin != s.begin || n.end != s.end);
        const bool clashes = std::any_of(
            v.begin(), v.end(), [&](const SlotSpan& o) { return &o != &s && overlaps(o, n); });
        if (inside && !clashes) {
          s = {std::string(slot), n.begin, n.end};
          moved = true;
          break;
        }
      }
    }
  }
  for (std::string_view slot : {"area", "floor"}) {
    const auto span =
        std::find_if(v.begin(), v.end(), [&](const SlotSpan& s) { return s.slot == slot; });
    if (span == v.end()) continue;
    for (const auto& n : names_said(text, home, slot, 1)) {
      const bool inside = n.begin <= span->begin && span->end <= n.end &&
                          (n.begin != span->begin || n.end != span->end);
      const bool clashes = std::any_of(
          v.begin(), v.end(), [&](const SlotSpan& s) { return &s != &*span && overlaps(s, n); });
      if (inside && !clashes) {
        span->begin = n.begin;
        span->end = n.end;
        break;
      }
    }
  }
}

}  // namespace earshot::nlp
