// Closed-compound spellings that recognisers and people write as one word where the model's
// training text has two ("nevermind" for "never mind"): rewritten before the model reads the
// text, whole words only, case kept for the rest.
#pragma once

#include <string>
#include <string_view>

namespace earshot::nlp {

// `text` with its one-word spellings split; `text` itself when there are none (`buffer` holds
// the rewritten text otherwise).
std::string_view respell(std::string_view text, std::string* buffer);

}  // namespace earshot::nlp
