// A loaded earshot model file (.esm, docs/model-format.md): mapped read-only, checked, and
// read in place. Tensors point straight into the mapping; nothing is copied.
//
//   auto model = earshot::model::Model::open(path, {.expected_stage = "vad"});
//   if (!model.ok()) return model.status();
//   auto w = model->tensor_as<float>("conv1.weight");
//
// The mapping reads the file as it is on disk: replace model files by rename (as both writers
// do), never truncate or rewrite one in place while it is open (a read past a shrunken end
// raises SIGBUS, which no loader can check for).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "earshot/status.hpp"
#include "runtime/model/file_mapping.hpp"
#include "runtime/model/sha256.hpp"
#include "runtime/model/tensor_view.hpp"

namespace earshot::model {

struct OpenOptions {
  // Check the SHA-256 trailer (reads every byte). Skip it only for a file verified before.
  bool verify_hash = true;
  // Refuse a model made for another stage ("vad", "kws", "asr", "nlp"); empty accepts any.
  std::string expected_stage;
};

class Model {
 public:
  // Maps `path` read-only and checks it; the error names the file and the problem.
  static Result<Model> open(const std::string& path, const OpenOptions& options = {});
  // Checks a copy of `size` bytes at `data` (tests, embedded models); `name` is used in errors.
  static Result<Model> from_memory(const void* data, std::size_t size,
                                   const OpenOptions& options = {},
                                   const std::string& name = "<memory>");

  Model(Model&&) noexcept = default;
  Model& operator=(Model&&) noexcept = default;
  Model(const Model&) = delete;
  Model& operator=(const Model&) = delete;

  const std::string& path() const { return path_; }
  const nlohmann::json& metadata() const { return metadata_; }
  std::string stage() const { return metadata_["stage"].get<std::string>(); }
  std::string architecture() const { return metadata_["architecture"].get<std::string>(); }
  std::uint64_t file_size() const { return mapping_.size(); }
  // The trailer as stored; compared with the content only when opened with verify_hash.
  Sha256Digest stored_hash() const;
  bool hash_verified() const { return hash_verified_; }

  // The tensor's bytes will not be read again (FileMapping::drop_pages).
  void drop_pages(const TensorView& t) const noexcept { mapping_.drop_pages(t.data, t.nbytes); }

  // Every tensor, in table order.
  const std::vector<TensorView>& tensors() const { return tensors_; }
  // nullptr when there is no tensor of that name.
  const TensorView* find(std::string_view name) const;
  Result<TensorView> tensor(std::string_view name) const;
  template <typename T>
  Result<std::span<const T>> tensor_as(std::string_view name) const {
    const TensorView* t = find(name);
    if (t == nullptr) return missing(name);
    return t->as<T>();
  }

 private:
  Model() = default;
  static Result<Model> check(FileMapping mapping, const OpenOptions& options, std::string path);
  Status missing(std::string_view name) const;

  FileMapping mapping_;
  std::string path_;
  nlohmann::json metadata_;
  std::vector<TensorView> tensors_;
  std::vector<std::uint32_t> by_name_;  // indices into tensors_, sorted by name
  bool hash_verified_ = false;
};

}  // namespace earshot::model
