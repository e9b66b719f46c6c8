// Slot spans decided per word (nlp/slot_spans.hpp): the word split agrees with
// tools/nlu/words.py, a word is never cut in half whatever the piece tags say, and the C++
// decode of torch's slot probabilities (an ensemble's mean) gives the spans
// tools/nlu/train_decode.py gave (the fixture).
#include "nlp/slot_spans.hpp"

#include <gtest/gtest.h>

#include "nlu_test_util.hpp"

namespace earshot::nlp {
namespace {

std::vector<std::pair<int, int>> words_of(std::string_view text) {
  std::vector<std::pair<int, int>> out;
  for (const auto& w : split_words(text)) out.emplace_back(w.begin, w.end);
  return out;
}

TEST(SplitWords, AgreesWithPythonWords) {
  // Expected spans printed by tools/nlu/train_decode.word_byte_spans.
  using V = std::vector<std::pair<int, int>>;
  EXPECT_EQ(words_of("turn on the orange lamp -minute 50% what's"), (V{{0, 4},
                                                                       {5, 7},
                                                                       {8, 11},
                                                                       {12, 18},
                                                                       {19, 23},
                                                                       {24, 25},
                                                                       {25, 31},
                                                                       {32, 34},
                                                                       {34, 35},
                                                                       {36, 42}}));
  EXPECT_EQ(words_of("set 21.5 degrees, ok."),
            (V{{0, 3}, {4, 8}, {9, 16}, {16, 17}, {18, 20}, {20, 21}}));
  EXPECT_EQ(words_of("it\xE2\x80\x99s caf\xC3\xA9_bar \xF0\x9F\x98\x80 done"),
            (V{{0, 6}, {7, 12}, {12, 13}, {13, 16}, {17, 21}, {22, 26}}));
  EXPECT_EQ(words_of("a..b"), (V{{0, 1}, {1, 2}, {2, 3}, {3, 4}}));
  EXPECT_TRUE(words_of("").empty());
  EXPECT_TRUE(words_of(" \t\n").empty());
}

// "turn on the orange lamp" as SentencePiece cuts it: "▁turn" "▁on" "▁the" "▁" "or" "a" "ng"
// "e" "▁lamp" (the lone "▁" covers the space before "orange").
Pieces orange_pieces() {
  Pieces p;
  const int bounds[][2] = {{0, 4},   {4, 7},   {7, 11},  {11, 12}, {12, 14},
                           {14, 15}, {15, 17}, {17, 18}, {18, 23}};
  for (const auto& b : bounds) {
    p.ids.push_back(static_cast<int>(p.ids.size()) + 2);
    p.begin.push_back(b[0]);
    p.end.push_back(b[1]);
  }
  return p;
}

const std::vector<std::string> kTags = {"O", "B-color", "I-color", "B-name", "I-name"};

TEST(SlotSpans, AWordIsNeverSplit) {
  const std::string text = "turn on the orange lamp";
  const auto pieces = orange_pieces();
  // The slot head tags the middle of "orange": piece decoding gave "ange". Per word, the first
  // piece ("or") says O, so there is no color at all.
  auto spans = decode_slot_spans(text, pieces, std::vector<int>{0, 0, 0, 0, 0, 1, 2, 2, 0}, kTags);
  EXPECT_TRUE(spans.empty());
  // The first piece starts the slot, later pieces disagree: still the whole word.
  spans = decode_slot_spans(text, pieces, std::vector<int>{0, 0, 0, 1, 1, 0, 3, 0, 0}, kTags);
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].slot, "color");
  EXPECT_EQ(text.substr(spans[0].begin, spans[0].end - spans[0].begin), "orange");
  // Two words of one name.
  spans = decode_slot_spans(text, pieces, std::vector<int>{0, 0, 0, 0, 3, 0, 0, 0, 4}, kTags);
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].slot, "name");
  EXPECT_EQ(text.substr(spans[0].begin, spans[0].end - spans[0].begin), "orange lamp");
}

TEST(SlotSpans, FirstSpanWinsAndTruncationIsO) {
  const std::string text = "turn on the orange lamp";
  auto pieces = orange_pieces();
  auto spans = decode_slot_spans(text, pieces, std::vector<int>{0, 1, 0, 0, 1, 0, 0, 0, 1}, kTags);
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(text.substr(spans[0].begin, spans[0].end - spans[0].begin), "on");
  // Only the first four pieces survived: "orange" and "lamp" have none, so no slot.
  for (auto* v : {&pieces.ids, &pieces.begin, &pieces.end}) v->resize(4);
  spans = decode_slot_spans(text, pieces, std::vector<int>{0, 0, 0, 1}, kTags);
  EXPECT_TRUE(spans.empty());
  // Out of range tag indices read as O.
  spans = decode_slot_spans(text, orange_pieces(), std::vector<int>(9, 99), kTags);
  EXPECT_TRUE(spans.empty());
}

// Tensor names s<i>.slot_probs (appended piecewise: GCC 12 warns falsely on chains of operator+).
std::string key(size_t i, const char* what) {
  std::string k("s");
  k.append(std::to_string(i));
  k.append(what);
  return k;
}

TEST(SlotSpans, MatchesPythonOnTorchLogits) {
  auto fx = model::Model::open(EARSHOT_NLP_FIXTURE);
  ASSERT_TRUE(fx.ok()) << fx.status().to_string();
  const auto& meta = fx->metadata();
  ASSERT_TRUE(meta.contains("spans") && meta.contains("tags")) << "regenerate the fixture";
  const auto texts = meta["texts"].get<std::vector<std::string>>();
  const auto tags = meta["tags"].get<std::vector<std::string>>();
  auto nlu = test::load_nlu("f32");
  ASSERT_TRUE(nlu.ok()) << nlu.status().to_string();
  int checked = 0, with_slots = 0;
  for (size_t i = 0; i < texts.size(); ++i) {
    auto slots = fx->tensor_as<float>(key(i, ".slot_probs"));  // the ensemble's mean
    if (!slots.ok()) continue;                                 // empty after tokenization
    Pieces p;
    ASSERT_TRUE(nlu->tokenizer().encode(texts[i], 64, &p).ok());
    ASSERT_EQ(slots->size(), p.ids.size() * tags.size()) << texts[i];
    std::vector<int> best(p.ids.size());
    for (size_t k = 0; k < best.size(); ++k) {
      const float* row = slots->data() + k * tags.size();
      best[k] = static_cast<int>(std::max_element(row, row + tags.size()) - row);
    }
    const auto spans = decode_slot_spans(texts[i], p, best, tags);
    const auto& want = meta["spans"][std::to_string(i)];
    ASSERT_EQ(spans.size(), want.size()) << texts[i];
    const auto words = words_of(texts[i]);
    for (size_t k = 0; k < spans.size(); ++k) {
      EXPECT_EQ(spans[k].slot, want[k][0].get<std::string>()) << texts[i];
      EXPECT_EQ(spans[k].begin, want[k][1].get<int>()) << texts[i];
      EXPECT_EQ(spans[k].end, want[k][2].get<int>()) << texts[i];
      // On word boundaries: a word starts at begin and one ends at end.
      EXPECT_TRUE(std::any_of(words.begin(), words.end(),
                              [&](auto w) { return w.first == spans[k].begin; }));
      EXPECT_TRUE(std::any_of(words.begin(), words.end(),
                              [&](auto w) { return w.second == spans[k].end; }));
    }
    with_slots += !spans.empty();
    ++checked;
  }
  EXPECT_GE(checked, 40);
  EXPECT_GE(with_slots, 10);
}

}  // namespace
}  // namespace earshot::nlp
