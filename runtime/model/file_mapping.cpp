#include "runtime/model/file_mapping.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <new>
#include <utility>

namespace earshot::model {
namespace {

constexpr std::size_t kHeapAlign = 64;

std::string errno_text(int err) {
  return std::strerror(err);
}

}  // namespace

FileMapping::~FileMapping() {
  release();
}

FileMapping::FileMapping(FileMapping&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)),
      size_(std::exchange(other.size_, 0)),
      kind_(std::exchange(other.kind_, Kind::kNone)) {}

FileMapping& FileMapping::operator=(FileMapping&& other) noexcept {
  if (this != &other) {
    release();
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
    kind_ = std::exchange(other.kind_, Kind::kNone);
  }
  return *this;
}

void FileMapping::release() noexcept {
  if (kind_ == Kind::kMapped) {
    ::munmap(const_cast<std::uint8_t*>(data_), size_);
  } else if (kind_ == Kind::kHeap) {
    ::operator delete (const_cast<std::uint8_t*>(data_), std::align_val_t{kHeapAlign});
  }
  data_ = nullptr;
  size_ = 0;
  kind_ = Kind::kNone;
}

Result<FileMapping> FileMapping::map_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    if (err == ENOENT) return NotFound(path + ": no such file");
    return IoError(path + ": cannot open: " + errno_text(err));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    const int err = errno;
    ::close(fd);
    return IoError(path + ": cannot stat: " + errno_text(err));
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return InvalidArgument(path + ": not a regular file");
  }
  FileMapping m;
  if (st.st_size > 0) {
    const auto size = static_cast<std::size_t>(st.st_size);
    void* p = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (p == MAP_FAILED) {
      const int err = errno;
      ::close(fd);
      return IoError(path + ": cannot map: " + errno_text(err));
    }
    m.data_ = static_cast<const std::uint8_t*>(p);
    m.size_ = size;
    m.kind_ = Kind::kMapped;
  }
  ::close(fd);  // the mapping stays valid without the descriptor
  return m;
}

Result<FileMapping> FileMapping::copy_of(const void* data, std::size_t size) {
  FileMapping m;
  if (size == 0) return m;
  auto* p =
      static_cast<std::uint8_t*>(::operator new (size, std::align_val_t{kHeapAlign}, std::nothrow));
  if (p == nullptr) return ResourceExhausted("cannot allocate " + std::to_string(size) + " bytes");
  std::memcpy(p, data, size);
  m.data_ = p;
  m.size_ = size;
  m.kind_ = Kind::kHeap;
  return m;
}

void FileMapping::advise_sequential() const noexcept {
  if (kind_ == Kind::kMapped) {
    // Two calls: madvise advice values are not flags.
    ::madvise(const_cast<std::uint8_t*>(data_), size_, MADV_SEQUENTIAL);
    ::madvise(const_cast<std::uint8_t*>(data_), size_, MADV_WILLNEED);
  }
}

void FileMapping::drop_pages(const void* p, std::size_t n) const noexcept {
  if (kind_ != Kind::kMapped || p == nullptr) return;
  const auto begin = reinterpret_cast<std::uintptr_t>(p);
  const auto base = reinterpret_cast<std::uintptr_t>(data_);
  if (begin < base || n > size_ || begin - base > size_ - n) return;
  const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
  const std::uintptr_t first = (begin + page - 1) / page * page;
  const std::uintptr_t last = (begin + n) / page * page;
  // A private read-only mapping never written: the pages are re-read from the file if needed.
  if (last > first) ::madvise(reinterpret_cast<void*>(first), last - first, MADV_DONTNEED);
}

}  // namespace earshot::model
