// FFTW's planner is not thread-safe (only fftw*_execute is): every plan creation and
// destruction in earshot takes this lock. Setup-time only, never on the audio path.
#pragma once

#include <mutex>

namespace earshot::features {

inline std::mutex& fftw_planner_mutex() {
  static std::mutex mutex;
  return mutex;
}

}  // namespace earshot::features
