#include "features/frontend_factory.hpp"

#include <string>

#include "features/kws_frontend_factory.hpp"
#include "features/mfcc/fixed_point_mfcc.hpp"
#include "features/mfcc/float_mfcc_reference.hpp"
#include "features/whisper/streaming_whisper_mel.hpp"

namespace earshot::features {
namespace {

template <typename T>
Result<std::unique_ptr<StreamingFrontend>> upcast(Result<std::unique_ptr<T>> r) {
  if (!r.ok()) return r.status();
  return std::unique_ptr<StreamingFrontend>(std::move(r.value()));
}

}  // namespace

const char* frontend_names() {
  return "mfcc|mfcc-float|kws|whisper-mel";
}

Result<std::unique_ptr<StreamingFrontend>> make_frontend(std::string_view name,
                                                         const FrontendOptions& options) {
  if (name == "mfcc") return upcast(mfcc::FixedPointMfcc::create(options.mfcc));
  if (name == "mfcc-float") return upcast(mfcc::FloatMfccReference::create(options.mfcc));
  if (name == "kws") return make_kws_frontend();
  if (name == "whisper-mel") {
    auto w = std::make_unique<whisper::StreamingWhisperMel>();
    if (!w->ok()) return Internal("whisper-mel: FFTW could not plan the FFT");
    return std::unique_ptr<StreamingFrontend>(std::move(w));
  }
  return InvalidArgument("unknown frontend '" + std::string(name) +
                         "' (known: " + frontend_names() + ")");
}

}  // namespace earshot::features
