#include "nlp/number_words.hpp"

#include <gtest/gtest.h>

namespace earshot::nlp {
namespace {

TEST(NumberWords, DigitsAndWords) {
  EXPECT_EQ(parse_number("26"), 26.0);
  EXPECT_EQ(parse_number("80%"), 80.0);
  EXPECT_EQ(parse_number("19.5"), 19.5);
  EXPECT_EQ(parse_number("twenty-six"), 26.0);
  EXPECT_EQ(parse_number("THIRTY FOUR"), 34.0);
  EXPECT_EQ(parse_number("nineteen point five"), 19.5);
  EXPECT_EQ(parse_number("one thousand one hundred"), 1100.0);
  EXPECT_EQ(parse_number("six thousand seven hundred"), 6700.0);
  EXPECT_EQ(parse_number("a hundred"), 100.0);
  EXPECT_EQ(parse_number("1,500"), 1500.0);
  EXPECT_EQ(parse_number("sixty-five"), 65.0);
  EXPECT_EQ(parse_number("one hundred and five"), 105.0);
  EXPECT_EQ(parse_number("twenty one and a half"), 21.5);
}

TEST(NumberWords, NotNumbers) {
  EXPECT_FALSE(parse_number(""));
  EXPECT_FALSE(parse_number("half"));
  EXPECT_FALSE(parse_number("1/2"));
  EXPECT_FALSE(parse_number("warm white"));
  EXPECT_FALSE(parse_number("point five"));
  EXPECT_FALSE(parse_number("two apples"));
  EXPECT_FALSE(parse_number("half a hundred"));  // "half" only ends a number
  EXPECT_FALSE(parse_number("two half half"));
}

}  // namespace
}  // namespace earshot::nlp
