// The committed NLU models (models/nlu) for the tests.
#pragma once

#include <string>

#include "nlp/nlu.hpp"

namespace earshot::nlp::test {

inline std::string model_path(const std::string& precision) {
  return std::string(EARSHOT_NLU_MODEL_DIR) + "/nlu-" + precision + ".esm";
}

inline Result<Nlu> load_nlu(const std::string& precision, NluConfig config = {}) {
  auto m = model::Model::open(model_path(precision), {.expected_stage = "nlp"});
  if (!m.ok()) return m.status();
  return Nlu::create(config, std::move(*m));
}

}  // namespace earshot::nlp::test
