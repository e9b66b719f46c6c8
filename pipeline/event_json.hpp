// One event as one line of JSON, the CLI's contract: every line has "type", "time" (seconds)
// and "sample"; wake has "keyword" and "score"; final has "text"; intent has "intent",
// "slots" (an object) and "text".
#pragma once

#include <string>

#include "pipeline/events.hpp"

namespace earshot::pipeline {

// Without a trailing newline. Invalid UTF-8 in text is replaced, never thrown on.
std::string event_to_json(const Event& e);

}  // namespace earshot::pipeline
