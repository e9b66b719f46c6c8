// `earshot nlu [--format json|text] [--model FILE] ["TEXT"]`: intent and slots of TEXT, or of
// every line of stdin, as Home Assistant names them. One JSON object per utterance:
//   {"text":"turn off the kitchen light","intent":"HassTurnOff","slots":{"name":"kitchen light"},
//    "confidence":0.98}
#include <cmath>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "command.hpp"
#include "nlp/nlu.hpp"

namespace earshot::cli {
namespace {

struct NluOptions {
  std::string text;
  bool has_text = false;
  std::string format = "json";
  std::string model;
  std::string precision = "int8";
};

nlohmann::ordered_json to_json(const std::string& text, const nlp::NluResult& r) {
  nlohmann::ordered_json slots = nlohmann::ordered_json::object();
  for (const auto& s : r.slots) {
    if (s.is_number) {
      if (std::floor(s.number) == s.number && std::fabs(s.number) < 1e15)
        slots[s.name] = static_cast<long long>(s.number);
      else
        slots[s.name] = s.number;
    } else {
      slots[s.name] = s.text;
    }
  }
  return {{"text", text},
          {"intent", r.intent},
          {"slots", slots},
          {"confidence", std::round(r.confidence * 1e4) / 1e4}};
}

int run_nlu(const NluOptions& o) {
  std::string path = o.model;
  if (path.empty()) path = std::string(EARSHOT_NLU_MODEL_DIR) + "/nlu-" + o.precision + ".esm";
  auto model = model::Model::open(path, {.verify_hash = true, .expected_stage = "nlp"});
  if (!model.ok()) return report_error("nlu", model.status());
  auto nlu = nlp::Nlu::create({}, std::move(*model));
  if (!nlu.ok()) return report_error("nlu: " + path, nlu.status());
  nlp::NluResult r;
  auto one = [&](const std::string& text) -> int {
    const Status st = nlu->understand(text, &r);
    if (!st.ok()) return report_error("nlu", st);
    if (r.truncated)
      std::fprintf(stderr, "earshot: nlu: warning: utterance longer than %d pieces, truncated\n",
                   r.pieces);
    const auto j = to_json(text, r);
    if (o.format == "json") {
      std::printf("%s\n", j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    } else {
      std::printf(
          "%s (%.3f) %s\n", r.intent.c_str(), r.confidence,
          j["slots"].dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    }
    std::fflush(stdout);
    return 0;
  };
  if (o.has_text) return one(o.text);
  std::string line;
  while (std::getline(std::cin, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (int rc = one(line); rc != 0) return rc;
  }
  return 0;
}

CommandRunner setup_nlu(CLI::App& app) {
  auto opts = std::make_shared<NluOptions>();
  auto* cmd = app.add_subcommand(
      "nlu", "Intent and slots of a command (TEXT, or one utterance per line of stdin)");
  cmd->add_option("text", opts->text, "the utterance; without it, lines of stdin");
  cmd->add_option("--format", opts->format, "json (default) or text")
      ->check(CLI::IsMember({"json", "text"}));
  cmd->add_option("--model", opts->model, "an nlp .esm model (default: models/nlu/nlu-int8.esm)");
  cmd->add_option("--precision", opts->precision, "int8 (default) or f32 committed model")
      ->check(CLI::IsMember({"int8", "f32"}));
  return [opts, cmd] {
    opts->has_text = cmd->count("text") > 0;
    return run_nlu(*opts);
  };
}

const CommandRegistration kNlu{"nlu", &setup_nlu};

}  // namespace
}  // namespace earshot::cli
