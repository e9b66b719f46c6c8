// One-word spellings are split before the model reads the text (nlp/respell.hpp).
#include "nlp/respell.hpp"

#include <gtest/gtest.h>

namespace earshot::nlp {
namespace {

TEST(SlotRespell, OneWordSpellingsSplitWholeWordsOnly) {
  std::string buffer;
  EXPECT_EQ(respell("Okay um Nevermind.", &buffer), "Okay um never mind.");
  EXPECT_EQ(respell("nevermind", &buffer), "never mind");
  // Unchanged text is the input itself; parts of words stay.
  const std::string_view plain = "turn on the nevermindful lamp";
  EXPECT_EQ(respell(plain, &buffer).data(), plain.data());
  EXPECT_EQ(respell("", &buffer), "");
}

}  // namespace
}  // namespace earshot::nlp
