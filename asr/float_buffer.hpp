// A float array left uninitialised. Whisper's buffers are sized for 30 s windows; a 10 s
// window writes a third of them, and pages never written cost no resident memory, where
// std::vector's zero fill made every page resident.
#pragma once

#include <cstddef>
#include <memory>

namespace earshot::asr {

class FloatBuffer {
 public:
  // Makes room for n floats; the contents are not kept (they are scratch).
  void resize(size_t n) {
    if (n <= n_) return;
    p_.reset(new float[n]);
    n_ = n;
  }
  float* data() { return p_.get(); }
  const float* data() const { return p_.get(); }
  size_t size() const { return n_; }
  float& operator[](size_t i) { return p_[i]; }
  float operator[](size_t i) const { return p_[i]; }

 private:
  std::unique_ptr<float[]> p_;
  size_t n_ = 0;
};

}  // namespace earshot::asr
