// Read-only bytes of a model: a private read-only mmap of a file, or an owned 64-byte
// aligned copy of a memory buffer. Move-only; unmaps / frees on destruction.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "earshot/status.hpp"

namespace earshot::model {

class FileMapping {
 public:
  FileMapping() = default;
  ~FileMapping();
  FileMapping(FileMapping&& other) noexcept;
  FileMapping& operator=(FileMapping&& other) noexcept;
  FileMapping(const FileMapping&) = delete;
  FileMapping& operator=(const FileMapping&) = delete;

  // Maps the whole regular file `path` read-only. An empty file gives an empty mapping.
  static Result<FileMapping> map_file(const std::string& path);
  // Copies `size` bytes into a 64-byte aligned buffer this object owns.
  static Result<FileMapping> copy_of(const void* data, std::size_t size);

  const std::uint8_t* data() const noexcept { return data_; }
  std::size_t size() const noexcept { return size_; }

  // Hints that the whole range will be read soon, in order (before hashing it).
  void advise_sequential() const noexcept;
  // Hints that [p, p + n) will not be read again (its bytes were copied, e.g. packed weights):
  // a mapped file gives back the whole pages inside the range, so they stop counting in the
  // process's resident memory. Reading them later still works (they are read from the file
  // again). No effect on a heap copy or outside the mapping.
  void drop_pages(const void* p, std::size_t n) const noexcept;

 private:
  enum class Kind { kNone, kMapped, kHeap };
  void release() noexcept;

  const std::uint8_t* data_ = nullptr;
  std::size_t size_ = 0;
  Kind kind_ = Kind::kNone;
};

}  // namespace earshot::model
