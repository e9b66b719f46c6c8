#include "pipeline/wake_phrase.hpp"

#include <cctype>
#include <vector>

namespace earshot::pipeline {
namespace {

struct Word {
  std::string norm;  // lower-case letters and digits
  size_t end = 0;    // byte after the word in the text
};

std::vector<Word> words_of(std::string_view text, size_t max_words) {
  std::vector<Word> out;
  size_t i = 0;
  while (i < text.size() && out.size() < max_words) {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    if (i == text.size()) break;
    Word w;
    while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i]))) {
      const unsigned char c = static_cast<unsigned char>(text[i]);
      if (std::isalnum(c)) w.norm.push_back(static_cast<char>(std::tolower(c)));
      ++i;
    }
    w.end = i;
    out.push_back(std::move(w));
  }
  return out;
}

std::vector<std::string> phrase_words(std::string_view keyword) {
  std::vector<std::string> out;
  std::string cur;
  for (char ch : keyword) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if (ch == '_' || ch == ' ' || ch == '-') {
      if (!cur.empty()) out.push_back(std::move(cur));
      cur.clear();
    } else if (std::isalnum(c)) {
      cur.push_back(static_cast<char>(std::tolower(c)));
    }
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  return out;
}

}  // namespace

std::string strip_wake_phrase(std::string_view text, std::string_view keyword) {
  const std::vector<std::string> phrase = phrase_words(keyword);
  if (phrase.empty()) return std::string(text);
  const std::vector<Word> words = words_of(text, phrase.size());
  // The longest suffix of the phrase that the text starts with.
  for (size_t k = phrase.size(); k >= 1; --k) {
    if (words.size() < k) continue;
    bool match = true;
    for (size_t j = 0; j < k && match; ++j) match = words[j].norm == phrase[phrase.size() - k + j];
    if (!match) continue;
    size_t b = words[k - 1].end;
    while (b < text.size() && (std::isspace(static_cast<unsigned char>(text[b])) ||
                               std::ispunct(static_cast<unsigned char>(text[b])))) {
      ++b;
    }
    return std::string(text.substr(b));
  }
  return std::string(text);
}

}  // namespace earshot::pipeline
