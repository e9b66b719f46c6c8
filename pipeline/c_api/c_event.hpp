// An Event seen through the C ABI: earshot_event with pointers into storage this holder
// owns, valid until the holder is filled again.
#pragma once

#include <string>
#include <vector>

#include "earshot/earshot.h"
#include "pipeline/events.hpp"

namespace earshot::pipeline {

class CEventHolder {
 public:
  // Copies `e` and points view() at the copy.
  void fill(const Event& e);
  const earshot_event& view() const noexcept { return view_; }

 private:
  Event event_;
  std::vector<earshot_slot> slots_;
  std::string json_;
  earshot_event view_{};
};

}  // namespace earshot::pipeline
