// CPU features that decide which kernel variants may run. Detected once (CPUID on x86,
// getauxval(AT_HWCAP) on aarch64) and cached.
#pragma once

#include <string>

namespace earshot::kernels {

struct CpuFeatures {
  // x86
  bool avx2 = false;
  bool fma = false;
  bool avx_vnni = false;  // 256-bit VEX vpdpbusd (Alder Lake, Zen 5)
  bool avx512f = false;
  bool avx512bw = false;
  bool avx512vl = false;
  bool avx512vnni = false;
  // aarch64
  bool neon = false;      // Advanced SIMD, always present on aarch64
  bool neon_dot = false;  // SDOT/UDOT (HWCAP_ASIMDDP)
};

// The features of the CPU this process runs on (the OS must also save the wide registers).
const CpuFeatures& cpu_features() noexcept;

// e.g. "avx2 fma avx512f avx512bw avx512vl avx512vnni" or "neon dotprod"; "none" if empty.
std::string cpu_features_string();

}  // namespace earshot::kernels
