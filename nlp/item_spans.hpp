// Shopping-list items of two or three words the slot head tags in part ("oat" of "oat milk",
// "paste" of "curry paste"): the item grows over the untagged words beside it up to the words
// that frame it (a preposition before the list, a verb, an article, a filler), since an item is
// every word between them. With no item tagged at all, the words before "... list" are the item
// ("put eggs on the list": the slot head missed a phrasing it was not trained on).
#pragma once

#include <string_view>
#include <vector>

#include "nlp/slot_spans.hpp"

namespace earshot::nlp {

void grow_item_span(std::string_view text, std::vector<SlotSpan>* spans);

}  // namespace earshot::nlp
