// `earshot devices`: the ALSA and PortAudio capture devices, one per line with the source
// spec to pass to other commands.
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>

#include "audio/alsa_capture.hpp"
#include "audio/portaudio_capture.hpp"
#include "command.hpp"

namespace earshot::cli {
namespace {

// PortAudio's JACK back end prints "jack server is not running" and the like straight to
// stderr while probing; hide that during the listing only (our own errors come after).
class QuietStderr {
 public:
  QuietStderr() : saved_(::dup(STDERR_FILENO)) {
    std::fflush(stderr);
    const int null = ::open("/dev/null", O_WRONLY);
    if (null >= 0) {
      ::dup2(null, STDERR_FILENO);
      ::close(null);
    }
  }
  ~QuietStderr() {
    std::fflush(stderr);
    if (saved_ >= 0) {
      ::dup2(saved_, STDERR_FILENO);
      ::close(saved_);
    }
  }
  QuietStderr(const QuietStderr&) = delete;
  QuietStderr& operator=(const QuietStderr&) = delete;

 private:
  int saved_;
};

CommandRunner setup_devices(CLI::App& app) {
  auto* cmd = app.add_subcommand("devices", "List audio capture devices (ALSA and PortAudio)");
  auto backend = std::make_shared<std::string>("all");
  cmd->add_option("--backend", *backend, "Which to list: all, alsa or pa")
      ->check(CLI::IsMember({"all", "alsa", "pa"}));
  return [backend] {
    using audio::CaptureDevice;
    Result<std::vector<CaptureDevice>> alsa = std::vector<CaptureDevice>{};
    Result<std::vector<CaptureDevice>> pa = std::vector<CaptureDevice>{};
    {
      QuietStderr quiet;
      if (*backend != "pa") alsa = audio::list_alsa_capture_devices();
      if (*backend != "alsa") pa = audio::list_portaudio_capture_devices();
    }
    std::size_t listed = 0;
    for (const auto* list : {&alsa, &pa}) {
      if (!list->ok()) {
        std::fprintf(stderr, "earshot: devices: %s\n", list->status().message().c_str());
        continue;
      }
      for (const auto& d : list->value()) {
        std::printf("%-24s %s\n", d.spec.c_str(), d.description.c_str());
        ++listed;
      }
    }
    if (listed == 0) {
      std::printf(
          "no capture devices found (no sound card?); use a file or - (raw PCM on stdin) "
          "as the audio source\n");
    }
    return 0;
  };
}

const CommandRegistration kDevices{"devices", &setup_devices};

}  // namespace
}  // namespace earshot::cli
