// Creates the wake-word frontend (features/kws/) behind the StreamingFrontend interface, with
// the configuration microWakeWord models are trained on.
#pragma once

#include <memory>

#include "earshot/status.hpp"
#include "features/frontend.hpp"

namespace earshot::features {

Result<std::unique_ptr<StreamingFrontend>> make_kws_frontend();

}  // namespace earshot::features
