// Word-number reading: tokens are runs of ASCII letters or digits (with one decimal point);
// fillers ("and", "a", "percent", "degrees") are skipped.
#include "nlp/number_words.hpp"

#include <array>
#include <cctype>
#include <charconv>
#include <span>
#include <string>
#include <vector>

namespace earshot::nlp {
namespace {

constexpr std::array<std::string_view, 20> kUnits = {
    "zero",     "one",     "two",     "three",     "four",     "five",    "six",
    "seven",    "eight",   "nine",    "ten",       "eleven",   "twelve",  "thirteen",
    "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"};
constexpr std::array<std::string_view, 8> kTens = {"twenty", "thirty",  "forty",  "fifty",
                                                   "sixty",  "seventy", "eighty", "ninety"};

int index_of(std::string_view word, std::span<const std::string_view> list) {
  for (size_t i = 0; i < list.size(); ++i)
    if (list[i] == word) return static_cast<int>(i);
  return -1;
}

std::vector<std::string> tokens_of(std::string_view text) {
  std::vector<std::string> out;
  size_t i = 0;
  auto is_alpha = [](char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; };
  auto is_digit = [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; };
  while (i < text.size()) {
    const char c = text[i];
    size_t j = i;
    if (is_alpha(c)) {
      while (j < text.size() && is_alpha(text[j])) ++j;
      std::string word(text.substr(i, j - i));
      for (char& ch : word) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      out.push_back(std::move(word));
    } else if (is_digit(c)) {
      while (j < text.size() && (is_digit(text[j]) || text[j] == ',')) ++j;
      if (j + 1 < text.size() && text[j] == '.' && is_digit(text[j + 1])) {
        ++j;
        while (j < text.size() && is_digit(text[j])) ++j;
      }
      std::string digits;
      for (char ch : text.substr(i, j - i))
        if (ch != ',') digits += ch;
      out.push_back(std::move(digits));
    } else {
      j = i + 1;
    }
    i = j;
  }
  return out;
}

}  // namespace

std::optional<double> parse_number(std::string_view text) {
  std::vector<std::string> tokens;
  for (auto& t : tokens_of(text))
    if (t != "and" && t != "a" && t != "percent" && t != "degrees" && t != "degree")
      tokens.push_back(std::move(t));
  if (tokens.empty()) return std::nullopt;
  if (tokens.size() == 1 && std::isdigit(static_cast<unsigned char>(tokens[0][0]))) {
    double v = 0;
    const auto& s = tokens[0];
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
    return v;
  }
  long long total = 0, current = 0;
  bool seen = false, in_fraction = false, half = false;
  std::string fraction;
  for (const auto& tok : tokens) {
    const int unit = index_of(tok, kUnits);
    if (half) return std::nullopt;
    if (in_fraction) {
      if (unit >= 0 && unit < 10) {
        fraction += static_cast<char>('0' + unit);
        continue;
      }
      return std::nullopt;
    }
    const int tens = index_of(tok, kTens);
    if (unit >= 0) {
      current += unit;
    } else if (tens >= 0) {
      current += 20 + 10 * tens;
    } else if (tok == "hundred") {
      current = (current > 0 ? current : 1) * 100;
    } else if (tok == "thousand") {
      total += (current > 0 ? current : 1) * 1000;
      current = 0;
    } else if (tok == "half" && seen && !half) {
      // "twenty one and a half": only as the last word.
      half = true;
      continue;
    } else if (tok == "point" && seen) {
      in_fraction = true;
      continue;
    } else {
      return std::nullopt;
    }
    if (total + current > 1000000000LL) return std::nullopt;
    seen = true;
  }
  if (!seen) return std::nullopt;
  double value = static_cast<double>(total + current) + (half ? 0.5 : 0.0);
  if (!fraction.empty()) {
    double scale = 0.1;
    for (char d : fraction) {
      value += (d - '0') * scale;
      scale /= 10;
    }
  }
  return value;
}

}  // namespace earshot::nlp
