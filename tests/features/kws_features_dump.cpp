// Test helper for kws_parity.py: runs the wake-word frontend over raw 16 kHz s16le audio and
// writes the native uint16 frames (40 per 10 ms, little-endian) and, with --int8 SCALE ZP, the
// model input bytes KwsInputQuantizer makes of them.
//   kws_features_dump IN.raw OUT.u16 [--int8 SCALE ZERO_POINT OUT.i8]
//   kws_features_dump --quantize-all SCALE ZERO_POINT OUT.i8   (every uint16 value 0..65535)
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "features/kws/kws_frontend.hpp"
#include "features/kws/kws_input_quantizer.hpp"

namespace {

using earshot::features::kws::KwsFrontend;
using earshot::features::kws::KwsInputQuantizer;

int fail(const std::string& message) {
  std::cerr << "kws_features_dump: " << message << "\n";
  return 1;
}

bool write_file(const std::string& path, const void* data, std::size_t bytes) {
  std::ofstream f(path, std::ios::binary);
  f.write(static_cast<const char*>(data), static_cast<std::streamsize>(bytes));
  return static_cast<bool>(f);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 5 && std::strcmp(argv[1], "--quantize-all") == 0) {
    auto q = KwsInputQuantizer::create(std::strtof(argv[2], nullptr), std::atoi(argv[3]));
    if (!q.ok()) return fail(q.status().to_string());
    std::vector<int8_t> out(65536);
    for (uint32_t v = 0; v < 65536; ++v) out[v] = q->quantize(static_cast<uint16_t>(v));
    return write_file(argv[4], out.data(), out.size()) ? 0 : fail("cannot write output");
  }
  if (argc != 3 && argc != 7) {
    return fail("usage: IN.raw OUT.u16 [--int8 SCALE ZERO_POINT OUT.i8]");
  }
  std::ifstream in(argv[1], std::ios::binary);
  if (!in) return fail(std::string("cannot open ") + argv[1]);
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<int16_t> samples(bytes.size() / 2);
  std::memcpy(samples.data(), bytes.data(), samples.size() * 2);

  auto frontend = KwsFrontend::create();
  if (!frontend.ok()) return fail(frontend.status().to_string());
  KwsFrontend& fe = **frontend;
  std::vector<uint16_t> frames(fe.max_frames_for(samples.size()) * fe.frame_size());
  const std::size_t n = fe.push_native(samples, frames);
  frames.resize(n * fe.frame_size());
  if (!write_file(argv[2], frames.data(), frames.size() * 2)) return fail("cannot write output");

  if (argc == 7) {
    if (std::strcmp(argv[3], "--int8") != 0) return fail("expected --int8");
    auto q = KwsInputQuantizer::create(std::strtof(argv[4], nullptr), std::atoi(argv[5]));
    if (!q.ok()) return fail(q.status().to_string());
    std::vector<int8_t> quantized(frames.size());
    q->quantize(frames, quantized);
    if (!write_file(argv[6], quantized.data(), quantized.size())) {
      return fail("cannot write output");
    }
  }
  return 0;
}
