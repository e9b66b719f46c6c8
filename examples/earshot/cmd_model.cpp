// `earshot model`: inspect and check model files (.esm, docs/model-format.md).
//   earshot model info FILE     metadata and tensor table
//   earshot model verify FILE   every loading check, hash included: "ok" or the problem
//   earshot model sha256 FILE.. SHA-256 of whole files (earshot's own implementation)
#include <cinttypes>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "command.hpp"
#include "runtime/model/file_mapping.hpp"
#include "runtime/model/model_file.hpp"
#include "runtime/model/sha256.hpp"

namespace earshot::cli {
namespace {

struct ModelArgs {
  std::string file;
  std::string stage;
  bool verify = false;
  std::vector<std::string> files;
};

std::string human_bytes(std::uint64_t n) {
  char buf[32];
  if (n >= (1u << 20)) {
    std::snprintf(buf, sizeof buf, "%.1f MiB", static_cast<double>(n) / (1 << 20));
  } else if (n >= (1u << 10)) {
    std::snprintf(buf, sizeof buf, "%.1f KiB", static_cast<double>(n) / (1 << 10));
  } else {
    std::snprintf(buf, sizeof buf, "%" PRIu64 " B", n);
  }
  return buf;
}

int run_info(const ModelArgs& args) {
  model::OpenOptions options;
  options.verify_hash = args.verify;
  options.expected_stage = args.stage;
  auto m = model::Model::open(args.file, options);
  if (!m.ok()) return report_error("model info", m.status());
  std::printf("file: %s\n", m->path().c_str());
  std::printf("size: %" PRIu64 " bytes (%s)\n", m->file_size(),
              human_bytes(m->file_size()).c_str());
  std::printf("sha256 (stored): %s%s\n", model::to_hex(m->stored_hash()).c_str(),
              m->hash_verified() ? " (verified)" : " (not checked; use --verify)");
  std::printf("metadata:\n%s\n", m->metadata().dump(2).c_str());

  std::size_t name_width = 4;
  for (const auto& t : m->tensors()) name_width = std::max(name_width, t.name.size());
  std::printf("tensors: %zu\n", m->tensors().size());
  std::printf("  %-*s  %-5s  %-22s  %12s  %10s\n", static_cast<int>(name_width), "name", "dtype",
              "shape", "bytes", "offset");
  std::uint64_t total = 0;
  for (const auto& t : m->tensors()) {
    std::printf("  %-*.*s  %-5s  %-22s  %12zu  %10" PRIu64 "\n", static_cast<int>(name_width),
                static_cast<int>(t.name.size()), t.name.data(), model::dtype_name(t.dtype),
                t.shape.to_string().c_str(), t.nbytes, t.offset);
    total += t.nbytes;
  }
  std::printf("total: %zu tensors, %" PRIu64 " bytes of tensor data (%s)\n", m->tensors().size(),
              total, human_bytes(total).c_str());
  return 0;
}

int run_verify(const ModelArgs& args) {
  model::OpenOptions options;
  options.verify_hash = true;
  options.expected_stage = args.stage;
  auto m = model::Model::open(args.file, options);
  if (!m.ok()) return report_error("model verify", m.status());
  std::printf("ok\n");
  return 0;
}

int run_sha256(const ModelArgs& args) {
  int rc = 0;
  for (const auto& file : args.files) {
    auto mapping = model::FileMapping::map_file(file);
    if (!mapping.ok()) {
      rc = report_error("model sha256", mapping.status());
      continue;
    }
    mapping->advise_sequential();
    const auto digest = model::Sha256::digest(mapping->data(), mapping->size());
    std::printf("%s  %s\n", model::to_hex(digest).c_str(), file.c_str());
  }
  return rc;
}

CommandRunner setup_model(CLI::App& app) {
  auto args = std::make_shared<ModelArgs>();
  auto* cmd = app.add_subcommand("model", "Inspect and check earshot model files (.esm)");
  cmd->require_subcommand(1);

  auto* info = cmd->add_subcommand("info", "Print a model's metadata and tensor table");
  info->add_option("FILE", args->file, "Model file")->required();
  info->add_flag("--verify", args->verify, "Also check the SHA-256 trailer");
  info->add_option("--stage", args->stage, "Refuse a model for another stage (vad, kws, asr, nlp)");

  auto* verify = cmd->add_subcommand(
      "verify", "Run every loading check (header, metadata, tensor table, SHA-256); print ok");
  verify->add_option("FILE", args->file, "Model file")->required();
  verify->add_option("--stage", args->stage,
                     "Refuse a model for another stage (vad, kws, asr, nlp)");

  auto* sha = cmd->add_subcommand("sha256", "Print the SHA-256 of whole files, like sha256sum");
  sha->add_option("FILES", args->files, "Files")->required();

  return [args, info, verify, sha] {
    if (info->parsed()) return run_info(*args);
    if (verify->parsed()) return run_verify(*args);
    if (sha->parsed()) return run_sha256(*args);
    return report_error("model: no subcommand given; see earshot model --help");
  };
}

const CommandRegistration kModel{"model", &setup_model};

}  // namespace
}  // namespace earshot::cli
