#include "asr/streaming_hypothesis.hpp"

#include <algorithm>
#include <cctype>

namespace earshot::asr {
namespace {

constexpr int kMaxNgram = 4;

bool same_tokens(std::span<const int> a, const TokenWord& wa, std::span<const int> b,
                 const TokenWord& wb) {
  return std::equal(a.begin() + wa.begin, a.begin() + wa.end, b.begin() + wb.begin,
                    b.begin() + wb.end);
}

// Copies, back to back, of the n-gram that ends at `last` (inclusive) in `w`.
int copies_ending_at(const std::vector<std::string>& w, size_t last, size_t n) {
  if (last + 1 < n) return 0;
  const size_t first = last + 1 - n;
  int copies = 1;
  for (size_t start = first; start >= n; start -= n) {
    if (!std::equal(w.begin() + first, w.begin() + first + n, w.begin() + (start - n))) break;
    ++copies;
  }
  return copies;
}

}  // namespace

std::vector<TokenWord> split_words(const WhisperTokenizer& tok, std::span<const int> tokens) {
  std::vector<TokenWord> words;
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (!tok.is_text(tokens[i])) continue;
    const std::string_view b = tok.bytes(tokens[i]);
    if (words.empty() || (!b.empty() && b[0] == ' ')) words.push_back({i, i, {}});
    TokenWord& w = words.back();
    w.end = i + 1;
    for (char c : b) {
      const auto u = static_cast<unsigned char>(c);
      if (u >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z')) {
        w.norm += c;
      } else if (c >= 'A' && c <= 'Z') {
        w.norm += static_cast<char>(c - 'A' + 'a');
      }
    }
  }
  return words;
}

size_t agreed_prefix_tokens(const WhisperTokenizer& tok, std::span<const int> older,
                            std::span<const int> newer) {
  const auto wo = split_words(tok, older);
  const auto wn = split_words(tok, newer);
  if (wn.empty() || wo.empty()) return 0;
  // Whisper flips case and punctuation between decodes ("go" / "Go", "forward." / "forward"):
  // words agree on their letters and digits (punctuation-only words on their tokens).
  auto agree = [&](size_t k) {
    if (wo[k].norm.empty() && wn[k].norm.empty()) return same_tokens(older, wo[k], newer, wn[k]);
    return wo[k].norm == wn[k].norm;
  };
  size_t k = 0;
  while (k < wo.size() && k < wn.size() && agree(k)) ++k;
  k = std::min({k, wn.size() - 1, wo.size() - 1});
  return word_prefix_tokens(tok, newer, k);
}

size_t word_prefix_tokens(const WhisperTokenizer& tok, std::span<const int> tokens, size_t words) {
  if (words == 0) return 0;
  const auto w = split_words(tok, tokens);
  if (w.empty()) return 0;
  const TokenWord& last = w[std::min(words, w.size()) - 1];
  size_t end = last.end;
  while (end > last.begin + 1) {
    const std::string_view b = tok.bytes(tokens[end - 1]);
    if (std::any_of(b.begin(), b.end(), [](char c) {
          return static_cast<unsigned char>(c) >= 0x80 ||
                 std::isalnum(static_cast<unsigned char>(c));
        })) {
      break;
    }
    --end;
  }
  return end;
}

bool starts_upper(const WhisperTokenizer& tok, std::span<const int> tokens) {
  for (int t : tokens) {
    if (!tok.is_text(t)) continue;
    for (char c : tok.bytes(t)) {
      if (c != ' ') return c >= 'A' && c <= 'Z';
    }
  }
  return false;
}

// Words that carry letters or digits, and which tail word each one is (-1: confirmed).
struct NormWords {
  std::vector<std::string> w;
  std::vector<int> owner;
  size_t confirmed = 0;  // the first `confirmed` words are the confirmed text's
};

NormWords norm_words(const std::vector<TokenWord>& cw, const std::vector<TokenWord>& tw) {
  NormWords n;
  for (const auto& x : cw) {
    if (!x.norm.empty()) {
      n.w.push_back(x.norm);
      n.owner.push_back(-1);
    }
  }
  n.confirmed = n.w.size();
  for (size_t i = 0; i < tw.size(); ++i) {
    if (!tw[i].norm.empty()) {
      n.w.push_back(tw[i].norm);
      n.owner.push_back(static_cast<int>(i));
    }
  }
  return n;
}

size_t loop_free_prefix(const WhisperTokenizer& tok, std::span<const int> confirmed,
                        std::span<const int> tail, int max_copies) {
  const auto tw = split_words(tok, tail);
  const NormWords n = norm_words(split_words(tok, confirmed), tw);
  for (size_t c = n.confirmed; c < n.w.size(); ++c) {
    for (size_t len = 1; len <= kMaxNgram; ++len) {
      if (copies_ending_at(n.w, c, len) <= max_copies) continue;
      // Cut where the extra copy starts (never inside the confirmed text).
      const size_t start = c + 1 - len;
      const int word = start >= n.confirmed ? n.owner[start] : 0;
      return tw[word].begin;
    }
  }
  return tail.size();
}

bool repeats_confirmed_end(const WhisperTokenizer& tok, std::span<const int> confirmed,
                           std::span<const int> tail) {
  const NormWords n = norm_words(split_words(tok, confirmed), split_words(tok, tail));
  const size_t kc = n.confirmed, kt = n.w.size() - n.confirmed;
  const size_t need = std::min<size_t>(3, kc);
  if (kc < 2 || kt < need) return false;
  for (size_t k = std::min(kc, kt); k >= need; --k) {
    if (std::equal(n.w.begin() + kc, n.w.begin() + kc + k, n.w.begin() + (kc - k))) return true;
  }
  return false;
}

int max_ngram_run(const std::vector<std::string>& words) {
  int best = words.empty() ? 0 : 1;
  for (size_t c = 0; c < words.size(); ++c) {
    for (size_t n = 1; n <= kMaxNgram; ++n) best = std::max(best, copies_ending_at(words, c, n));
  }
  return best;
}

}  // namespace earshot::asr
