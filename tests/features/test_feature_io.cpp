// The .npy and .csv writers: byte layout of the NPY v1.0 header, values, and write errors.
#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "features/feature_io.hpp"

namespace earshot::features {
namespace {

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

std::string temp_path(const char* name) {
  return (std::string(::testing::TempDir()) + "/") + name;
}

TEST(FeatureIo, NpyHeaderAndData) {
  const std::vector<float> v = {1.5f, -2.0f, 3.25f, 0.0f, 1e-7f, 42.0f};
  const std::string path = temp_path("earshot_io.npy");
  ASSERT_TRUE(write_npy(path, v.data(), 2, 3).ok());
  const std::string bytes = read_all(path);
  ASSERT_GT(bytes.size(), 10u);
  EXPECT_EQ(bytes.substr(0, 8), std::string("\x93NUMPY\x01\x00", 8));
  const std::size_t header_len =
      static_cast<uint8_t>(bytes[8]) | (static_cast<uint8_t>(bytes[9]) << 8);
  EXPECT_EQ((10 + header_len) % 64, 0u);
  const std::string header = bytes.substr(10, header_len);
  EXPECT_NE(header.find("'descr': '<f4'"), std::string::npos);
  EXPECT_NE(header.find("'fortran_order': False"), std::string::npos);
  EXPECT_NE(header.find("'shape': (2, 3)"), std::string::npos);
  EXPECT_EQ(header.back(), '\n');
  ASSERT_EQ(bytes.size(), 10 + header_len + v.size() * 4);
  std::vector<float> back(v.size());
  std::memcpy(back.data(), bytes.data() + 10 + header_len, v.size() * 4);
  EXPECT_EQ(back, v);
}

TEST(FeatureIo, CsvRowsAndWriterChoice) {
  const std::vector<float> v = {1.5f, -2.0f, 3.25f, 0.125f};
  const std::string path = temp_path("earshot_io.csv");
  ASSERT_TRUE(write_feature_file(path, v.data(), 2, 2).ok());
  EXPECT_EQ(read_all(path), "1.5,-2\n3.25,0.125\n");
  EXPECT_EQ(write_feature_file(temp_path("x.txt"), v.data(), 2, 2).code(),
            StatusCode::kInvalidArgument);
  const Status st = write_npy("/nonexistent-dir/x.npy", v.data(), 2, 2);
  EXPECT_EQ(st.code(), StatusCode::kIoError);
  EXPECT_NE(st.message().find("/nonexistent-dir/x.npy"), std::string::npos);
}

}  // namespace
}  // namespace earshot::features
