#include "audio/alsa_capture.hpp"

#include <alsa/asoundlib.h>

#include <atomic>
#include <cstdarg>
#include <thread>

#include "audio/ring_buffer_source.hpp"

namespace earshot::audio {
namespace {

void quiet_alsa_handler(const char*, int, const char*, int, const char*, ...) {}

std::string alsa_spec(const std::string& device) {
  return "alsa:" + device;
}

struct PcmCloser {
  void operator()(snd_pcm_t* pcm) const { snd_pcm_close(pcm); }
};
using PcmHandle = std::unique_ptr<snd_pcm_t, PcmCloser>;

// The sample formats tried, best first, and how each becomes float.
struct AlsaFormat {
  snd_pcm_format_t alsa;
  SampleFormat ours;
};
constexpr AlsaFormat kFormats[] = {{SND_PCM_FORMAT_S16_LE, SampleFormat::kS16Le},
                                   {SND_PCM_FORMAT_S32_LE, SampleFormat::kS32Le},
                                   {SND_PCM_FORMAT_FLOAT_LE, SampleFormat::kF32Le},
                                   {SND_PCM_FORMAT_U8, SampleFormat::kU8}};

struct PcmSetup {
  SampleFormat format;
  unsigned rate;
  unsigned channels;
  snd_pcm_uframes_t period;
};

Status configure(snd_pcm_t* pcm, const std::string& device, PcmSetup* setup) {
  snd_pcm_hw_params_t* hw = nullptr;
  snd_pcm_hw_params_alloca(&hw);
  auto fail = [&](const char* step, int err) {
    return DeviceError(alsa_spec(device) + ": " + step + ": " + snd_strerror(err));
  };
  int err = snd_pcm_hw_params_any(pcm, hw);
  if (err < 0) return fail("no hardware configuration", err);
  if ((err = snd_pcm_hw_params_set_access(pcm, hw, SND_PCM_ACCESS_RW_INTERLEAVED)) < 0) {
    return fail("interleaved access not supported", err);
  }
  bool have_format = false;
  for (const auto& f : kFormats) {
    if (snd_pcm_hw_params_set_format(pcm, hw, f.alsa) == 0) {
      setup->format = f.ours;
      have_format = true;
      break;
    }
  }
  if (!have_format) return Unsupported(alsa_spec(device) + ": no supported sample format");
  setup->channels = 1;
  if ((err = snd_pcm_hw_params_set_channels_near(pcm, hw, &setup->channels)) < 0) {
    return fail("cannot set channels", err);
  }
  setup->rate = kTargetRate;
  if ((err = snd_pcm_hw_params_set_rate_near(pcm, hw, &setup->rate, nullptr)) < 0) {
    return fail("cannot set rate", err);
  }
  setup->period = setup->rate / 100;  // 10 ms
  if ((err = snd_pcm_hw_params_set_period_size_near(pcm, hw, &setup->period, nullptr)) < 0) {
    return fail("cannot set period", err);
  }
  snd_pcm_uframes_t buffer = setup->period * 8;
  if ((err = snd_pcm_hw_params_set_buffer_size_near(pcm, hw, &buffer)) < 0) {
    return fail("cannot set buffer", err);
  }
  if ((err = snd_pcm_hw_params(pcm, hw)) < 0) return fail("cannot apply parameters", err);
  EARSHOT_RETURN_IF_ERROR(
      validate_format(alsa_spec(device), setup->rate, static_cast<int>(setup->channels)));
  if ((err = snd_pcm_prepare(pcm)) < 0) return fail("cannot prepare", err);
  return Status::Ok();
}

class AlsaCaptureSource final : public RingBufferSource {
 public:
  AlsaCaptureSource(std::string device, PcmHandle pcm, PcmSetup setup, Mono16kConverter converter,
                    const LiveSourceConfig& config)
      : RingBufferSource(alsa_spec(device), setup.rate, static_cast<int>(setup.channels),
                         std::move(converter), config.ring_seconds, config.stall_timeout),
        pcm_(std::move(pcm)),
        setup_(setup) {}
  ~AlsaCaptureSource() override { stop(); }

  Status start() override {
    if (started()) return InvalidArgument(name() + ": already started");
    if (int err = snd_pcm_start(pcm_.get()); err < 0) {
      return DeviceError(name() + ": cannot start capture: " + snd_strerror(err));
    }
    set_started();
    thread_ = std::thread([this] { run(); });
    return Status::Ok();
  }
  void stop() override {
    quit_.store(true, std::memory_order_release);
    if (thread_.joinable()) thread_.join();
    mark_stopped();
  }
  std::string description() const override {
    return name() + " (" + std::to_string(setup_.rate) + " Hz, " + std::to_string(setup_.channels) +
           " ch, " + sample_format_name(setup_.format) + ")";
  }

 private:
  void run() {
    const std::size_t frame_bytes = bytes_per_sample(setup_.format) * setup_.channels;
    std::vector<std::uint8_t> raw(setup_.period * frame_bytes);
    std::vector<float> frames(setup_.period * setup_.channels);
    snd_pcm_t* pcm = pcm_.get();
    while (!quit_.load(std::memory_order_acquire)) {
      // Wait with a timeout so stop() is honoured even when the device delivers nothing.
      int err = snd_pcm_wait(pcm, 100);
      if (err == 0) continue;
      snd_pcm_sframes_t got = err < 0 ? err : snd_pcm_readi(pcm, raw.data(), setup_.period);
      if (got == -EAGAIN) continue;
      if (got < 0) {
        // Overrun (EPIPE) or suspend (ESTRPIPE) recover; anything else means the device is
        // gone (ENODEV after unplugging) and is reported.
        if (snd_pcm_recover(pcm, static_cast<int>(got), 1) < 0 || got == -ENODEV) {
          report_failure(
              DeviceError(name() + ": capture failed: " + snd_strerror(static_cast<int>(got))));
          return;
        }
        snd_pcm_start(pcm);
        continue;
      }
      decode_samples(setup_.format, raw.data(), static_cast<std::size_t>(got) * setup_.channels,
                     frames.data());
      push_frames(frames.data(), static_cast<std::size_t>(got));
    }
  }

  PcmHandle pcm_;
  PcmSetup setup_;
  std::thread thread_;
  std::atomic<bool> quit_{false};
};

}  // namespace

void silence_alsa_library_errors() {
  snd_lib_error_set_handler(&quiet_alsa_handler);
}

Result<std::vector<CaptureDevice>> list_alsa_capture_devices() {
  silence_alsa_library_errors();
  std::vector<CaptureDevice> devices;
  int card = -1;
  while (snd_card_next(&card) == 0 && card >= 0) {
    snd_ctl_t* ctl = nullptr;
    const std::string hw = "hw:" + std::to_string(card);
    if (snd_ctl_open(&ctl, hw.c_str(), 0) < 0) continue;
    snd_ctl_card_info_t* card_info = nullptr;
    snd_ctl_card_info_alloca(&card_info);
    std::string card_name = hw;
    if (snd_ctl_card_info(ctl, card_info) == 0) card_name = snd_ctl_card_info_get_name(card_info);
    int dev = -1;
    while (snd_ctl_pcm_next_device(ctl, &dev) == 0 && dev >= 0) {
      snd_pcm_info_t* info = nullptr;
      snd_pcm_info_alloca(&info);
      snd_pcm_info_set_device(info, static_cast<unsigned>(dev));
      snd_pcm_info_set_subdevice(info, 0);
      snd_pcm_info_set_stream(info, SND_PCM_STREAM_CAPTURE);
      if (snd_ctl_pcm_info(ctl, info) < 0) continue;  // playback only
      devices.push_back({"alsa:" + hw + "," + std::to_string(dev),
                         card_name + ": " + snd_pcm_info_get_name(info)});
    }
    snd_ctl_close(ctl);
  }
  if (!devices.empty()) {
    devices.insert(devices.begin(), {"alsa:default", "the system's default capture device"});
  }
  return devices;
}

Result<std::unique_ptr<AudioSource>> open_alsa_source(const std::string& device,
                                                      const LiveSourceConfig& config) {
  silence_alsa_library_errors();
  if (device.empty()) return InvalidArgument("alsa: empty device name (try alsa:default)");
  snd_pcm_t* raw = nullptr;
  // Non-blocking open: a device held by another program fails at once instead of hanging.
  int err = snd_pcm_open(&raw, device.c_str(), SND_PCM_STREAM_CAPTURE, SND_PCM_NONBLOCK);
  if (err < 0) {
    const StatusCode code = (err == -ENOENT || err == -ENODEV || err == -ENXIO)
                                ? StatusCode::kNotFound
                                : StatusCode::kDeviceError;
    return Status(code, alsa_spec(device) + ": cannot open capture device: " + snd_strerror(err) +
                            " (see `earshot devices`)");
  }
  PcmHandle pcm(raw);
  PcmSetup setup{};
  EARSHOT_RETURN_IF_ERROR(configure(pcm.get(), device, &setup));
  auto converter = Mono16kConverter::create(setup.rate, static_cast<int>(setup.channels));
  if (!converter.ok()) return converter.status();
  return std::unique_ptr<AudioSource>(
      new AlsaCaptureSource(device, std::move(pcm), setup, std::move(converter).value(), config));
}

}  // namespace earshot::audio
