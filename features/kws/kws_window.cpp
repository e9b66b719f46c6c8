#include "features/kws/kws_window.hpp"

#include <cmath>
#include <numbers>

#include "features/kws/kws_bits.hpp"

namespace earshot::features::kws {

KwsWindow::KwsWindow(std::size_t size) : coefficients_(size) {
  // Single precision throughout (cosf, float rounding), as the reference build computes it:
  // a double-precision Hann window differs in a few coefficients.
  const float arg = static_cast<float>(2.0 * std::numbers::pi) / static_cast<float>(size);
  for (std::size_t i = 0; i < size; ++i) {
    const float value = 0.5f - 0.5f * std::cos((static_cast<float>(i) + 0.5f) * arg);
    coefficients_[i] =
        static_cast<int16_t>(std::floor(value * static_cast<float>(1 << kKwsWindowBits) + 0.5f));
  }
}

int16_t KwsWindow::apply(std::span<const int16_t> in, std::span<int16_t> out) const {
  int16_t max_abs = 0;
  const std::size_t n = coefficients_.size();
  for (std::size_t i = 0; i < n; ++i) {
    const int16_t v = static_cast<int16_t>((int32_t{in[i]} * coefficients_[i]) >> kKwsWindowBits);
    out[i] = v;
    const int16_t mag = v < 0 ? static_cast<int16_t>(-v) : v;
    if (mag > max_abs) max_abs = mag;
  }
  return max_abs;
}

}  // namespace earshot::features::kws
