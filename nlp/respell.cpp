#include "nlp/respell.hpp"

#include <array>
#include <cctype>
#include <utility>

namespace earshot::nlp {
namespace {

constexpr std::array<std::pair<std::string_view, std::string_view>, 1> kSpellings = {{
    {"nevermind", "never mind"},
}};

bool is_word_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  return std::isalnum(u) || u >= 0x80 || c == '\'';
}

bool equals_lower(std::string_view said, std::string_view word) {
  if (said.size() != word.size()) return false;
  for (size_t i = 0; i < said.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(said[i])) != word[i]) return false;
  return true;
}

}  // namespace

std::string_view respell(std::string_view text, std::string* buffer) {
  bool changed = false;
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    if (!is_word_char(text[i])) {
      out += text[i++];
      continue;
    }
    size_t j = i;
    while (j < text.size() && is_word_char(text[j])) ++j;
    const std::string_view word = text.substr(i, j - i);
    std::string_view replaced = word;
    for (const auto& [one, two] : kSpellings)
      if (equals_lower(word, one)) {
        replaced = two;
        changed = true;
      }
    out += replaced;
    i = j;
  }
  if (!changed) return text;
  *buffer = std::move(out);
  return *buffer;
}

}  // namespace earshot::nlp
