#include "features/kws_frontend_factory.hpp"

#include "features/kws/kws_frontend.hpp"

namespace earshot::features {

Result<std::unique_ptr<StreamingFrontend>> make_kws_frontend() {
  auto frontend = kws::KwsFrontend::create(kws::KwsFrontendConfig{});
  if (!frontend.ok()) return frontend.status();
  return std::unique_ptr<StreamingFrontend>(std::move(frontend).value());
}

}  // namespace earshot::features
