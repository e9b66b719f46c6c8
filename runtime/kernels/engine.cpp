// Engine selection: the variants compiled in and supported by this CPU, the one each family
// uses (picked once, on first use) and the EARSHOT_KERNELS override.
#include "runtime/kernels/engine.hpp"

#include <cstdlib>
#include <cstring>
#include <vector>

#include "runtime/kernels/cpu_features.hpp"
#include "runtime/kernels/f32_gemm_variants.hpp"
#include "runtime/kernels/i8_gemm_variants.hpp"

namespace earshot::kernels {
namespace {

std::vector<I8GemmVariant> supported_i8() {
  std::vector<I8GemmVariant> v{{Isa::kRef, "ref", &i8_gemm_ref, true}};
  [[maybe_unused]] const CpuFeatures& f = cpu_features();
#ifdef EARSHOT_HAVE_X86_KERNELS
  if (f.avx2) v.push_back({Isa::kAvx2, "avx2", &i8_gemm_avx2, false});
  if (f.avx_vnni) v.push_back({Isa::kAvxVnni, "avx-vnni", &i8_gemm_avxvnni, true});
  if (f.avx512f && f.avx512bw && f.avx512vl && f.avx512vnni)
    v.push_back({Isa::kAvx512Vnni, "avx512-vnni", &i8_gemm_avx512vnni, true});
#endif
#ifdef EARSHOT_HAVE_ARM64_KERNELS
  if (f.neon) v.push_back({Isa::kNeon, "neon", &i8_gemm_neon, true});
  if (f.neon_dot) v.push_back({Isa::kNeonDot, "neon-dot", &i8_gemm_neondot, true});
#endif
  return v;
}

std::vector<F32GemmVariant> supported_f32() {
  std::vector<F32GemmVariant> v{{Isa::kRef, "ref", &f32_gemm_ref}};
#ifndef EARSHOT_FORCE_REF
  v.push_back({Isa::kEigen, "eigen", &f32_gemm_eigen});
#endif
#ifdef EARSHOT_HAVE_X86_F32_KERNELS
  const CpuFeatures& f = cpu_features();
  if (f.avx2 && f.fma) v.push_back({Isa::kAvx2, "avx2-fma", &f32_gemm_avx2});
#endif
  return v;
}

const char* kernels_env() {
  const char* e = std::getenv("EARSHOT_KERNELS");
  return (e != nullptr && *e != '\0') ? e : nullptr;
}

// The last (fastest) supported variant, unless EARSHOT_KERNELS names one: "ref" always
// exists; another name is used where that family has it, else the default stays.
template <typename V>
const V& choose(const std::vector<V>& all) {
  const char* env = kernels_env();
  if (env != nullptr) {
    for (const V& v : all)
      if (std::strcmp(v.name, env) == 0) return v;
  }
  return all.back();
}

const std::vector<I8GemmVariant>& i8_all() {
  static const std::vector<I8GemmVariant> all = supported_i8();
  return all;
}
const std::vector<F32GemmVariant>& f32_all() {
  static const std::vector<F32GemmVariant> all = supported_f32();
  return all;
}

}  // namespace

const char* isa_name(Isa isa) noexcept {
  switch (isa) {
    case Isa::kRef: return "ref";
    case Isa::kAvx2: return "avx2";
    case Isa::kAvxVnni: return "avx-vnni";
    case Isa::kAvx512Vnni: return "avx512-vnni";
    case Isa::kNeon: return "neon";
    case Isa::kNeonDot: return "neon-dot";
    case Isa::kEigen: return "eigen";
  }
  return "unknown";
}

std::span<const I8GemmVariant> i8_gemm_variants() noexcept {
  return i8_all();
}
std::span<const F32GemmVariant> f32_gemm_variants() noexcept {
  return f32_all();
}

const I8GemmVariant& i8_gemm_active() noexcept {
  static const I8GemmVariant& v = choose(i8_all());
  return v;
}
const F32GemmVariant& f32_gemm_active() noexcept {
  static const F32GemmVariant& v = choose(f32_all());
  return v;
}

std::string engine_description() {
  std::string s = "i8: ";
  s += i8_gemm_active().name;
  s += ", f32: ";
  s += f32_gemm_active().name;
  const char* env = kernels_env();
  s += env != nullptr ? std::string(" (EARSHOT_KERNELS=") + env + ")" : " (auto)";
#ifdef EARSHOT_FORCE_REF
  s += " [built with EARSHOT_FORCE_REF]";
#endif
  s += "; cpu: " + cpu_features_string();
  return s;
}

}  // namespace earshot::kernels
