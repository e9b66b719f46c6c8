// Creates a streaming frontend by name, for the CLI, the tests and the pipeline.
#pragma once

#include <memory>
#include <string_view>

#include "earshot/status.hpp"
#include "features/frontend.hpp"
#include "features/mfcc/mfcc_config.hpp"

namespace earshot::features {

struct FrontendOptions {
  mfcc::MfccConfig mfcc;  // used by "mfcc" and "mfcc-float"
};

// Names: "mfcc" (FixedPointMfcc), "mfcc-float" (FloatMfccReference), "kws" (wake-word
// frontend), "whisper-mel" (StreamingWhisperMel: log10 mel before Whisper's clip-wide clamp).
// An unknown name or a bad config gives InvalidArgument naming it.
Result<std::unique_ptr<StreamingFrontend>> make_frontend(std::string_view name,
                                                         const FrontendOptions& options = {});

// The names make_frontend() accepts, separated by '|', for help texts.
const char* frontend_names();

}  // namespace earshot::features
