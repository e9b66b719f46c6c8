#include "features/feature_io.hpp"

#include <bit>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

namespace earshot::features {
namespace {

static_assert(std::endian::native == std::endian::little, "NPY writer assumes little endian");

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

Result<File> open_for_write(const std::string& path) {
  File f(std::fopen(path.c_str(), "wb"));
  if (!f) return IoError("cannot write '" + path + "': " + std::strerror(errno));
  return f;
}

Status finish(File f, const std::string& path) {
  const bool bad = std::ferror(f.get()) != 0;
  if (std::fclose(f.release()) != 0 || bad) {
    return IoError("writing '" + path + "' failed: " + std::strerror(errno));
  }
  return Status::Ok();
}

bool ends_with(const std::string& s, const char* suffix) {
  const std::size_t n = std::strlen(suffix);
  return s.size() > n && s.compare(s.size() - n, n, suffix) == 0;
}

}  // namespace

Status write_npy(const std::string& path, const float* data, std::size_t rows, std::size_t cols) {
  std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" +
                       std::to_string(rows) + ", " + std::to_string(cols) + "), }";
  // magic (6) + version (2) + header length (2) + header, padded with spaces to a multiple
  // of 64 and ended by '\n', as NumPy writes it.
  const std::size_t unpadded = 10 + header.size() + 1;
  header.append((64 - unpadded % 64) % 64, ' ');
  header.push_back('\n');
  auto f = open_for_write(path);
  if (!f.ok()) return f.status();
  const unsigned char preamble[10] = {0x93,
                                      'N',
                                      'U',
                                      'M',
                                      'P',
                                      'Y',
                                      1,
                                      0,
                                      static_cast<unsigned char>(header.size() & 0xff),
                                      static_cast<unsigned char>(header.size() >> 8)};
  std::fwrite(preamble, 1, sizeof(preamble), f->get());
  std::fwrite(header.data(), 1, header.size(), f->get());
  if (rows * cols > 0) std::fwrite(data, sizeof(float), rows * cols, f->get());
  return finish(std::move(f.value()), path);
}

Status write_csv(const std::string& path, const float* data, std::size_t rows, std::size_t cols) {
  auto f = open_for_write(path);
  if (!f.ok()) return f.status();
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t c = 0; c < cols; ++c) {
      std::fprintf(f->get(), c + 1 < cols ? "%.9g," : "%.9g\n", data[r * cols + c]);
    }
  }
  return finish(std::move(f.value()), path);
}

bool is_feature_file_name(const std::string& path) {
  return ends_with(path, ".npy") || ends_with(path, ".csv");
}

Status write_feature_file(const std::string& path, const float* data, std::size_t rows,
                          std::size_t cols) {
  if (ends_with(path, ".npy")) return write_npy(path, data, rows, cols);
  if (ends_with(path, ".csv")) return write_csv(path, data, rows, cols);
  return InvalidArgument("output '" + path + "' must end in .npy or .csv");
}

}  // namespace earshot::features
