#include <gtest/gtest.h>

#include "earshot/status.hpp"

namespace earshot {
namespace {

Result<int> parse_positive(int v) {
  if (v <= 0) return InvalidArgument("value must be positive, got " + std::to_string(v));
  return v;
}

Status chain(int v) {
  EARSHOT_RETURN_IF_ERROR(parse_positive(v).status());
  return Status::Ok();
}

TEST(Status, OkAndErrorCarryCodeAndMessage) {
  EXPECT_TRUE(Status::Ok().ok());
  Status s = CorruptData("tensor table past end of file");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kCorruptData);
  EXPECT_EQ(s.to_string(), "corrupt data: tensor table past end of file");
}

TEST(Status, ResultHoldsValueOrStatus) {
  auto good = parse_positive(3);
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(*good, 3);
  auto bad = parse_positive(-1);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("-1"), std::string::npos);
}

TEST(Status, ResultFromOkStatusBecomesInternalError) {
  Result<int> r{Status::Ok()};
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInternal);
}

TEST(Status, ReturnIfErrorPropagates) {
  EXPECT_TRUE(chain(1).ok());
  EXPECT_EQ(chain(0).code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace earshot
