#include "runtime/model/model_writer.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <new>

#include "runtime/model/format.hpp"
#include "runtime/model/metadata_checks.hpp"
#include "runtime/model/sha256.hpp"

namespace earshot::model {

namespace f = format;

Status ModelWriter::add_tensor(const std::string& name, DType dtype,
                               std::span<const std::uint64_t> shape, const void* data,
                               std::size_t nbytes) {
  if (name.empty() || name.size() >= f::kNameSize || name.find('\0') != std::string::npos) {
    return InvalidArgument("tensor name '" + name + "' is empty, has a NUL or is over 95 bytes");
  }
  for (const auto& t : tensors_) {
    if (t.name == name) return InvalidArgument("tensor name '" + name + "' is used twice");
  }
  if (dtype_size(dtype) == 0) return InvalidArgument("tensor '" + name + "': unknown dtype");
  if (shape.size() > f::kMaxDims) {
    return InvalidArgument("tensor '" + name + "' has " + std::to_string(shape.size()) +
                           " dims, at most 6");
  }
  Pending p{name, dtype, {}, {}};
  p.shape.ndim = static_cast<std::uint32_t>(shape.size());
  std::uint64_t expect = dtype_size(dtype);
  for (std::size_t i = 0; i < shape.size(); ++i) {
    p.shape.dims[i] = shape[i];
    if (__builtin_mul_overflow(expect, shape[i], &expect)) {
      return InvalidArgument("tensor '" + name + "': shape overflows");
    }
  }
  if (expect != nbytes) {
    return InvalidArgument("tensor '" + name + "': shape " + p.shape.to_string() + " needs " +
                           std::to_string(expect) + " bytes, given " + std::to_string(nbytes));
  }
  const auto* bytes = static_cast<const std::uint8_t*>(data);
  p.bytes.assign(bytes, bytes + nbytes);
  tensors_.push_back(std::move(p));
  return Status::Ok();
}

Result<std::vector<std::uint8_t>> ModelWriter::serialize() const {
  EARSHOT_RETURN_IF_ERROR(check_metadata(metadata_, "", "model to write"));
  if (tensors_.size() > f::kMaxTensors) return InvalidArgument("model to write: too many tensors");
  std::string meta;
  try {
    meta = metadata_.dump();
  } catch (const std::exception& e) {
    return InvalidArgument(std::string("model to write: metadata cannot be written: ") + e.what());
  }
  std::uint64_t table_offset = 0, data_offset = 0;
  f::align_up(f::kHeaderSize + meta.size(), f::kTableAlign, &table_offset);
  f::align_up(table_offset + f::kEntrySize * tensors_.size(), f::kDataAlign, &data_offset);
  std::vector<std::uint64_t> offsets;
  std::uint64_t cursor = data_offset;
  for (const auto& t : tensors_) {
    f::align_up(cursor, f::kDataAlign, &cursor);
    offsets.push_back(cursor);
    cursor += t.bytes.size();
  }
  const std::uint64_t file_size = cursor + f::kHashSize;

  std::vector<std::uint8_t> out;
  try {
    out.assign(file_size, 0);
  } catch (const std::bad_alloc&) {
    return ResourceExhausted("model to write: cannot allocate " + std::to_string(file_size) +
                             " bytes");
  }
  std::uint8_t* h = out.data();
  std::memcpy(h + f::header::kMagic, f::kMagic, sizeof(f::kMagic));
  f::store_u32(h + f::header::kVersion, f::kVersion);
  f::store_u32(h + f::header::kHeaderSize, f::kHeaderSize);
  f::store_u64(h + f::header::kFileSize, file_size);
  f::store_u64(h + f::header::kMetaOffset, f::kHeaderSize);
  f::store_u64(h + f::header::kMetaSize, meta.size());
  f::store_u64(h + f::header::kTableOffset, table_offset);
  f::store_u32(h + f::header::kTensorCount, static_cast<std::uint32_t>(tensors_.size()));
  f::store_u32(h + f::header::kFlags, 0);
  f::store_u64(h + f::header::kDataOffset, data_offset);
  std::memcpy(h + f::kHeaderSize, meta.data(), meta.size());
  for (std::size_t i = 0; i < tensors_.size(); ++i) {
    const Pending& t = tensors_[i];
    std::uint8_t* e = h + table_offset + f::kEntrySize * i;
    std::memcpy(e + f::entry::kName, t.name.data(), t.name.size());
    f::store_u32(e + f::entry::kDtype, static_cast<std::uint32_t>(t.dtype));
    f::store_u32(e + f::entry::kNdim, t.shape.ndim);
    for (std::uint32_t d = 0; d < t.shape.ndim; ++d) {
      f::store_u64(e + f::entry::kShape + 8 * d, t.shape.dims[d]);
    }
    f::store_u64(e + f::entry::kOffset, offsets[i]);
    f::store_u64(e + f::entry::kNbytes, t.bytes.size());
    if (!t.bytes.empty()) std::memcpy(h + offsets[i], t.bytes.data(), t.bytes.size());
  }
  const Sha256Digest digest = Sha256::digest(h, file_size - f::kHashSize);
  std::memcpy(h + file_size - f::kHashSize, digest.data(), digest.size());
  return out;
}

Status ModelWriter::write_file(const std::string& path) const {
  auto bytes = serialize();
  if (!bytes.ok()) return bytes.status();
  const std::string tmp = path + ".tmp" + std::to_string(::getpid());
  std::FILE* file = std::fopen(tmp.c_str(), "wb");
  if (file == nullptr) return IoError(tmp + ": cannot create: " + std::strerror(errno));
  const bool written = std::fwrite(bytes->data(), 1, bytes->size(), file) == bytes->size();
  const bool closed = std::fclose(file) == 0;
  if (!written || !closed) {
    std::remove(tmp.c_str());
    return IoError(tmp + ": write failed");
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    std::remove(tmp.c_str());
    return IoError(path + ": cannot rename into place: " + std::strerror(err));
  }
  return Status::Ok();
}

}  // namespace earshot::model
