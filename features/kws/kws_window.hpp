// Hann window in Q12, applied to int16 samples with the truncating arithmetic of the TFLM
// frontend; reports the largest magnitude so the FFT input can be normalised.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace earshot::features::kws {

class KwsWindow {
 public:
  explicit KwsWindow(std::size_t size);

  std::size_t size() const { return coefficients_.size(); }
  std::span<const int16_t> coefficients() const { return coefficients_; }

  // out[i] = (in[i] * w[i]) >> 12, truncated to int16. Returns max |out[i]| as int16 arithmetic
  // gives it (|-32768| wraps and is not counted, as in the reference).
  int16_t apply(std::span<const int16_t> in, std::span<int16_t> out) const;

 private:
  std::vector<int16_t> coefficients_;
};

}  // namespace earshot::features::kws
