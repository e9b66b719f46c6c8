// Kernel engines: which compiled variant of each kernel family runs on this CPU.
//
// The choice is made once, on first use, from cpu_features() and stored in a table of function
// pointers. EARSHOT_KERNELS=ref in the environment forces the scalar reference everywhere;
// EARSHOT_KERNELS=<variant name> (e.g. avx2) forces that variant where it is compiled and
// supported. Building with -DEARSHOT_FORCE_REF=ON compiles the reference kernels only.
#pragma once

#include <span>
#include <string>

#include "runtime/kernels/f32_gemm.hpp"
#include "runtime/kernels/i8_gemm.hpp"

namespace earshot::kernels {

enum class Isa { kRef, kAvx2, kAvxVnni, kAvx512Vnni, kNeon, kNeonDot, kEigen };
const char* isa_name(Isa isa) noexcept;

struct I8GemmVariant {
  Isa isa;
  const char* name;  // "ref", "avx2", "avx-vnni", "avx512-vnni", "neon", "neon-dot"
  I8GemmFn run;
  bool exact_for_minus_128;  // false: needs weights in [-127, 127]
};

struct F32GemmVariant {
  Isa isa;
  const char* name;  // "ref", "eigen", "avx2-fma", ...
  F32GemmFn run;
};

// Variants compiled into this build AND supported by this CPU, reference first.
std::span<const I8GemmVariant> i8_gemm_variants() noexcept;
std::span<const F32GemmVariant> f32_gemm_variants() noexcept;

// The variants the engines use (chosen once).
const I8GemmVariant& i8_gemm_active() noexcept;
const F32GemmVariant& f32_gemm_active() noexcept;

// For `earshot info` and logs, e.g. "i8: avx512-vnni, f32: eigen (EARSHOT_KERNELS unset)".
std::string engine_description();

}  // namespace earshot::kernels
