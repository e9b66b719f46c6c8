// The --model argument of the Whisper commands (transcribe, listen).
#pragma once

#include <string>

#include "earshot/status.hpp"

namespace earshot::cli {

// "tiny.en" means whisper-tiny.en.int8.esm (else .f32.esm, else .esm) in the models folder;
// a path with a slash or ending in .esm is taken as is. NotFound names the file to make.
Result<std::string> resolve_whisper_model(const std::string& m);

}  // namespace earshot::cli
