#include "runtime/model/model_file.hpp"

#include <algorithm>
#include <cstring>
#include <numeric>
#include <utility>

#include "runtime/model/format.hpp"
#include "runtime/model/layout_checks.hpp"
#include "runtime/model/metadata_checks.hpp"

namespace earshot::model {

Result<Model> Model::open(const std::string& path, const OpenOptions& options) {
  auto mapping = FileMapping::map_file(path);
  if (!mapping.ok()) return mapping.status();
  return check(std::move(mapping).value(), options, path);
}

Result<Model> Model::from_memory(const void* data, std::size_t size, const OpenOptions& options,
                                 const std::string& name) {
  auto mapping = FileMapping::copy_of(data, size);
  if (!mapping.ok()) return mapping.status();
  return check(std::move(mapping).value(), options, name);
}

Result<Model> Model::check(FileMapping mapping, const OpenOptions& options, std::string path) {
  const std::uint8_t* data = mapping.data();
  const std::size_t size = mapping.size();
  if (size == 0) return CorruptData(path + ": file is empty");

  FileHeader header;
  EARSHOT_RETURN_IF_ERROR(check_header(data, size, path, &header));
  auto meta = parse_metadata(reinterpret_cast<const char*>(data + header.meta_offset),
                             static_cast<std::size_t>(header.meta_size), path);
  if (!meta.ok()) return meta.status();
  EARSHOT_RETURN_IF_ERROR(check_metadata(*meta, options.expected_stage, path));

  Model model;
  EARSHOT_RETURN_IF_ERROR(check_table(data, size, header, path, &model.tensors_));

  if (options.verify_hash) {
    const std::size_t payload = size - format::kHashSize;
    mapping.advise_sequential();
    const Sha256Digest digest = Sha256::digest(data, payload);
    if (std::memcmp(digest.data(), data + payload, digest.size()) != 0) {
      return CorruptData(path + ": SHA-256 mismatch (file corrupted): content hashes to " +
                         to_hex(digest));
    }
    model.hash_verified_ = true;
  }

  model.by_name_.resize(model.tensors_.size());
  std::iota(model.by_name_.begin(), model.by_name_.end(), 0u);
  std::sort(model.by_name_.begin(), model.by_name_.end(),
            [&](auto a, auto b) { return model.tensors_[a].name < model.tensors_[b].name; });
  model.metadata_ = std::move(meta).value();
  model.path_ = std::move(path);
  model.mapping_ = std::move(mapping);  // the views stay valid: the bytes do not move
  return model;
}

Sha256Digest Model::stored_hash() const {
  Sha256Digest d{};
  std::memcpy(d.data(), mapping_.data() + mapping_.size() - d.size(), d.size());
  return d;
}

const TensorView* Model::find(std::string_view name) const {
  auto it =
      std::lower_bound(by_name_.begin(), by_name_.end(), name,
                       [&](std::uint32_t i, std::string_view n) { return tensors_[i].name < n; });
  if (it == by_name_.end() || tensors_[*it].name != name) return nullptr;
  return &tensors_[*it];
}

Result<TensorView> Model::tensor(std::string_view name) const {
  const TensorView* t = find(name);
  if (t == nullptr) return missing(name);
  return *t;
}

Status Model::missing(std::string_view name) const {
  return NotFound(path_ + ": no tensor named '" + std::string(name) + "'");
}

}  // namespace earshot::model
