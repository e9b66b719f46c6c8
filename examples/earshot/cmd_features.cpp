// `earshot features`: runs a feature frontend over an audio file and writes the frames as
// .npy (float32, [frames, features]) or .csv.
#include <algorithm>
#include <cstdio>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "audio_input.hpp"
#include "command.hpp"
#include "features/feature_io.hpp"
#include "features/frontend_factory.hpp"
#include "features/whisper/whisper_log_mel.hpp"

namespace earshot::cli {
namespace {

struct FeaturesArgs {
  std::string frontend = "mfcc";
  AudioInput input;
  std::string output;
  features::mfcc::MfccConfig mfcc;
  std::string window = "hamming";
};

// Streams the clip through the frontend in 10 ms chunks, as a device would.
Result<std::vector<float>> run_streaming(features::StreamingFrontend& fe,
                                         const std::vector<int16_t>& audio) {
  constexpr std::size_t kChunk = 160;
  std::vector<float> frames;
  std::vector<float> out;
  for (std::size_t pos = 0; pos < audio.size(); pos += kChunk) {
    const std::span<const int16_t> chunk(audio.data() + pos, std::min(kChunk, audio.size() - pos));
    out.resize(fe.max_frames_for(chunk.size()) * fe.frame_size());
    const std::size_t n = fe.push(chunk, out);
    frames.insert(frames.end(), out.begin(), out.begin() + n * fe.frame_size());
  }
  out.resize(fe.max_flush_frames() * fe.frame_size());
  const std::size_t n = fe.flush(out);
  frames.insert(frames.end(), out.begin(), out.begin() + n * fe.frame_size());
  return frames;
}

int run_features(const FeaturesArgs& args) {
  if (!features::is_feature_file_name(args.output)) {
    return report_error("features: output '" + args.output + "' must end in .npy or .csv");
  }
  features::FrontendOptions options;
  options.mfcc = args.mfcc;
  options.mfcc.window = args.window == "hann" ? features::mfcc::WindowType::kHann
                                              : features::mfcc::WindowType::kHamming;
  // Create the frontend before reading the file, so a bad name or config fails fast.
  std::unique_ptr<features::StreamingFrontend> frontend;
  if (args.frontend != "whisper-mel") {
    auto fe = features::make_frontend(args.frontend, options);
    if (!fe.ok()) return report_error("features", fe.status());
    frontend = std::move(fe.value());
  }
  auto audio = read_audio_input(args.input);
  if (!audio.ok()) return report_error("features", audio.status());

  std::vector<float> frames;
  std::size_t cols = 0;
  if (frontend) {
    auto r = run_streaming(*frontend, audio.value());
    if (!r.ok()) return report_error("features", r.status());
    frames = std::move(r.value());
    cols = frontend->frame_size();
  } else {
    // Offline: Whisper's clamp needs the maximum over the whole clip.
    auto r = features::whisper::whisper_log_mel(audio.value());
    if (!r.ok()) return report_error("features: " + args.input.spec, r.status());
    frames = std::move(r.value());
    cols = features::whisper::kMelBins;
  }
  const std::size_t rows = cols > 0 ? frames.size() / cols : 0;
  const Status st = features::write_feature_file(args.output, frames.data(), rows, cols);
  if (!st.ok()) return report_error("features", st);
  std::fprintf(stderr, "earshot: features: %zu frames x %zu values -> %s\n", rows, cols,
               args.output.c_str());
  return 0;
}

CommandRunner setup_features(CLI::App& app) {
  auto args = std::make_shared<FeaturesArgs>();
  auto* cmd = app.add_subcommand("features", "Compute features of an audio file (.npy or .csv)");
  cmd->add_option("--frontend", args->frontend,
                  "mfcc (fixed point), mfcc-float (its FFTW reference), kws (wake-word "
                  "frontend) or whisper-mel (Whisper's normalised log-mel)")
      ->check(CLI::IsMember({"mfcc", "mfcc-float", "kws", "whisper-mel"}))
      ->capture_default_str();
  add_audio_input(cmd, args->input);
  cmd->add_option("-o,--output", args->output, "Output file, .npy or .csv")->required();
  auto& m = args->mfcc;
  cmd->add_option("--mel-bins", m.mel_bins, "mfcc: mel filters")->capture_default_str();
  cmd->add_option("--cepstra", m.cepstra, "mfcc: cepstral coefficients")->capture_default_str();
  cmd->add_flag("--log-mel", m.log_mel, "mfcc: output log-mel energies instead of MFCC");
  cmd->add_option("--frame-length", m.frame_length, "mfcc: samples per frame")
      ->capture_default_str();
  cmd->add_option("--hop", m.hop_length, "mfcc: samples per hop")->capture_default_str();
  cmd->add_option("--fft-size", m.fft_size, "mfcc: FFT size (power of two)")->capture_default_str();
  cmd->add_option("--pre-emphasis", m.pre_emphasis, "mfcc: pre-emphasis coefficient")
      ->capture_default_str();
  cmd->add_option("--lifter", m.lifter, "mfcc: cepstral lifter (0 = none)")->capture_default_str();
  cmd->add_option("--low-hz", m.low_hz, "mfcc: lowest mel frequency")->capture_default_str();
  cmd->add_option("--high-hz", m.high_hz, "mfcc: highest mel frequency (0 = Nyquist)")
      ->capture_default_str();
  cmd->add_option("--window", args->window, "mfcc: analysis window")
      ->check(CLI::IsMember({"hamming", "hann"}))
      ->capture_default_str();
  return [args] { return run_features(*args); };
}

const CommandRegistration kFeatures{"features", &setup_features};

}  // namespace
}  // namespace earshot::cli
