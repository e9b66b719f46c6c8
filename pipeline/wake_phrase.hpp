// The command heard after a wake word may begin with the wake word's last words: the
// recogniser starts a little before the detection point so that a command spoken without a
// pause keeps its first word. Those words are taken off again here.
#pragma once

#include <string>
#include <string_view>

namespace earshot::pipeline {

// `text` without a leading run of the words of `keyword` (its name, words joined by '_', e.g.
// "hey_jarvis"): "Jarvis, turn on the light." -> "turn on the light."; "Hey Jarvis." -> "".
// Only a suffix of the phrase is taken ("jarvis", "hey jarvis"), case and punctuation aside.
std::string strip_wake_phrase(std::string_view text, std::string_view keyword);

}  // namespace earshot::pipeline
