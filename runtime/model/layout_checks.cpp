#include "runtime/model/layout_checks.hpp"

#include <algorithm>
#include <cstring>
#include <numeric>

#include "runtime/model/format.hpp"

namespace earshot::model {
namespace {

namespace f = format;

Status corrupt(const std::string& where, const std::string& what) {
  return CorruptData(where + ": " + what);
}

std::string num(std::uint64_t v) {
  return std::to_string(v);
}

// a * b, false on overflow.
bool mul_u64(std::uint64_t a, std::uint64_t b, std::uint64_t* out) {
  return !__builtin_mul_overflow(a, b, out);
}

}  // namespace

bool is_valid_utf8(const std::uint8_t* s, std::size_t n) {
  std::size_t i = 0;
  while (i < n) {
    const std::uint8_t c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    std::uint32_t cp = 0, min = 0;
    if ((c & 0xE0) == 0xC0) {
      len = 2, cp = c & 0x1F, min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3, cp = c & 0x0F, min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4, cp = c & 0x07, min = 0x10000;
    } else {
      return false;
    }
    if (n - i < len) return false;
    for (std::size_t k = 1; k < len; ++k) {
      if ((s[i + k] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += len;
  }
  return true;
}

Status check_header(const std::uint8_t* data, std::size_t size, const std::string& where,
                    FileHeader* out) {
  if (size < f::kHeaderSize + f::kHashSize) {
    return corrupt(where, "file is " + num(size) + " bytes, smaller than header + hash (" +
                              num(f::kHeaderSize + f::kHashSize) + ")");
  }
  if (std::memcmp(data + f::header::kMagic, f::kMagic, sizeof(f::kMagic)) != 0) {
    return corrupt(where, "bad magic (not an earshot model file)");
  }
  FileHeader h;
  h.version = f::load_u32(data + f::header::kVersion);
  if (h.version != f::kVersion) {
    return Unsupported(where + ": format version " + num(h.version) +
                       " is not supported (this reader reads " + num(f::kVersion) + ")");
  }
  const std::uint32_t header_size = f::load_u32(data + f::header::kHeaderSize);
  h.file_size = f::load_u64(data + f::header::kFileSize);
  h.meta_offset = f::load_u64(data + f::header::kMetaOffset);
  h.meta_size = f::load_u64(data + f::header::kMetaSize);
  h.table_offset = f::load_u64(data + f::header::kTableOffset);
  h.tensor_count = f::load_u32(data + f::header::kTensorCount);
  const std::uint32_t flags = f::load_u32(data + f::header::kFlags);
  h.data_offset = f::load_u64(data + f::header::kDataOffset);

  if (header_size != f::kHeaderSize) {
    return corrupt(where,
                   "header_size is " + num(header_size) + ", expected " + num(f::kHeaderSize));
  }
  if (h.file_size != size) {
    return corrupt(where, "header says " + num(h.file_size) + " bytes but the file has " +
                              num(size) + " (truncated or appended to)");
  }
  if (h.meta_offset != f::kHeaderSize) {
    return corrupt(where,
                   "meta_offset is " + num(h.meta_offset) + ", expected " + num(f::kHeaderSize));
  }
  if (h.meta_size == 0) return corrupt(where, "meta_size is 0");
  if (h.table_offset % f::kTableAlign != 0) {
    return corrupt(where, "table_offset " + num(h.table_offset) + " is not a multiple of " +
                              num(f::kTableAlign));
  }
  // meta_offset is 64 here, so the subtraction cannot wrap.
  if (h.table_offset < h.meta_offset || h.meta_size > h.table_offset - h.meta_offset) {
    return corrupt(where, "metadata [" + num(h.meta_offset) + ", +" + num(h.meta_size) +
                              ") runs past table_offset " + num(h.table_offset));
  }
  if (h.tensor_count > f::kMaxTensors) {
    return corrupt(where,
                   "tensor_count " + num(h.tensor_count) + " exceeds " + num(f::kMaxTensors));
  }
  if (flags != 0) return corrupt(where, "flags is " + num(flags) + ", expected 0");
  if (h.data_offset % f::kDataAlign != 0) {
    return corrupt(
        where, "data_offset " + num(h.data_offset) + " is not a multiple of " + num(f::kDataAlign));
  }
  const std::uint64_t payload_end = size - f::kHashSize;
  // tensor_count <= 65536, so the table is at most ~11 MB: compare without overflow.
  const std::uint64_t table_bytes = f::kEntrySize * h.tensor_count;
  if (h.table_offset > payload_end || table_bytes > payload_end - h.table_offset) {
    return corrupt(where, "tensor table [" + num(h.table_offset) + ", +" + num(table_bytes) +
                              ") runs past the data end " + num(payload_end));
  }
  if (h.data_offset < h.table_offset + table_bytes) {
    return corrupt(where, "data_offset " + num(h.data_offset) +
                              " overlaps the tensor table (ends at " +
                              num(h.table_offset + table_bytes) + ")");
  }
  if (h.data_offset > payload_end) {
    return corrupt(where, "data_offset " + num(h.data_offset) + " is past the end of the data (" +
                              num(payload_end) + ")");
  }
  *out = h;
  return Status::Ok();
}

Status check_table(const std::uint8_t* data, std::size_t size, const FileHeader& h,
                   const std::string& where, std::vector<TensorView>* out) {
  const std::uint64_t payload_end = size - f::kHashSize;  // check_header: size >= 96
  std::vector<TensorView> tensors;
  tensors.reserve(h.tensor_count);
  for (std::uint32_t i = 0; i < h.tensor_count; ++i) {
    const std::uint8_t* e = data + h.table_offset + f::kEntrySize * i;
    const std::string at = "tensor " + num(i);
    const auto* name_bytes = e + f::entry::kName;
    const void* nul = std::memchr(name_bytes, 0, f::kNameSize);
    if (nul == nullptr) return corrupt(where, at + ": name is not NUL-terminated");
    const auto name_len =
        static_cast<std::size_t>(static_cast<const std::uint8_t*>(nul) - name_bytes);
    if (name_len == 0) return corrupt(where, at + ": name is empty");
    for (std::size_t k = name_len; k < f::kNameSize; ++k) {
      if (name_bytes[k] != 0) return corrupt(where, at + ": name is not NUL-padded");
    }
    if (!is_valid_utf8(name_bytes, name_len)) return corrupt(where, at + ": name is not UTF-8");
    TensorView t;
    t.name = std::string_view(reinterpret_cast<const char*>(name_bytes), name_len);
    const std::string tn = "tensor '" + std::string(t.name) + "'";

    const std::uint32_t code = f::load_u32(e + f::entry::kDtype);
    const auto dtype = dtype_from_code(code);
    if (!dtype) return corrupt(where, tn + ": unknown dtype code " + num(code));
    t.dtype = *dtype;
    t.shape.ndim = f::load_u32(e + f::entry::kNdim);
    if (t.shape.ndim > f::kMaxDims) {
      return corrupt(where, tn + ": ndim " + num(t.shape.ndim) + " exceeds " + num(f::kMaxDims));
    }
    std::uint64_t elements = 1;
    bool overflow = false;
    for (std::uint32_t d = 0; d < f::kMaxDims; ++d) {
      const std::uint64_t dim = f::load_u64(e + f::entry::kShape + 8 * d);
      if (d >= t.shape.ndim) {
        if (dim != 0) return corrupt(where, tn + ": dims past ndim are not 0");
        continue;
      }
      t.shape.dims[d] = dim;
      overflow = overflow || !mul_u64(elements, dim, &elements);
    }
    std::uint64_t expect = 0;
    if (overflow || !mul_u64(elements, dtype_size(t.dtype), &expect)) {
      return corrupt(where, tn + ": shape " + t.shape.to_string() + " overflows");
    }
    t.offset = f::load_u64(e + f::entry::kOffset);
    const std::uint64_t nbytes = f::load_u64(e + f::entry::kNbytes);
    if (expect != nbytes) {
      return corrupt(where, tn + ": shape and dtype give " + num(expect) + " bytes, entry says " +
                                num(nbytes));
    }
    if (t.offset % f::kDataAlign != 0) {
      return corrupt(
          where, tn + ": offset " + num(t.offset) + " is not a multiple of " + num(f::kDataAlign));
    }
    if (t.offset < h.data_offset) {
      return corrupt(
          where, tn + ": offset " + num(t.offset) + " is before data_offset " + num(h.data_offset));
    }
    if (t.offset > payload_end || nbytes > payload_end - t.offset) {
      return corrupt(where, tn + ": [" + num(t.offset) + ", +" + num(nbytes) +
                                ") runs past the data end " + num(payload_end));
    }
    t.nbytes = static_cast<std::size_t>(nbytes);  // <= size, so it fits
    t.data = data + t.offset;
    tensors.push_back(t);
  }

  // Unique names and no overlap: sort indices, not the table (which keeps file order).
  std::vector<std::uint32_t> order(tensors.size());
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(),
            [&](auto a, auto b) { return tensors[a].name < tensors[b].name; });
  for (std::size_t k = 1; k < order.size(); ++k) {
    if (tensors[order[k - 1]].name == tensors[order[k]].name) {
      return corrupt(where, "tensor '" + std::string(tensors[order[k]].name) + "' appears twice");
    }
  }
  std::sort(order.begin(), order.end(), [&](auto a, auto b) {
    return tensors[a].offset != tensors[b].offset ? tensors[a].offset < tensors[b].offset
                                                  : tensors[a].nbytes < tensors[b].nbytes;
  });
  // Empty tensors occupy no bytes, so they overlap nothing; skip them.
  const TensorView* last = nullptr;
  for (const std::uint32_t k : order) {
    const TensorView& t = tensors[k];
    if (t.nbytes == 0) continue;
    if (last != nullptr && t.offset < last->offset + last->nbytes) {
      return corrupt(where, "tensors '" + std::string(last->name) + "' and '" +
                                std::string(t.name) + "' overlap");
    }
    last = &t;
  }
  *out = std::move(tensors);
  return Status::Ok();
}

}  // namespace earshot::model
