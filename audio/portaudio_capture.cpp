#include "audio/portaudio_capture.hpp"

#include <portaudio.h>

#include <algorithm>
#include <charconv>

#include "audio/alsa_capture.hpp"
#include "audio/ring_buffer_source.hpp"

namespace earshot::audio {
namespace {

std::string pa_spec(const std::string& device) {
  return "pa:" + device;
}

// Pa_Initialize/Pa_Terminate are reference counted by PortAudio; this pairs them.
class PaSession {
 public:
  PaSession() {
    silence_alsa_library_errors();  // PortAudio's ALSA back end probes every PCM loudly
    error_ = Pa_Initialize();
  }
  ~PaSession() {
    if (error_ == paNoError) Pa_Terminate();
  }
  PaSession(const PaSession&) = delete;
  PaSession& operator=(const PaSession&) = delete;
  Status status() const {
    if (error_ == paNoError) return Status::Ok();
    return DeviceError(std::string("PortAudio failed to initialise: ") + Pa_GetErrorText(error_));
  }

 private:
  PaError error_;
};

Result<PaDeviceIndex> find_device(const std::string& device) {
  const PaDeviceIndex count = Pa_GetDeviceCount();
  if (count < 0) return DeviceError(pa_spec(device) + ": " + Pa_GetErrorText(count));
  if (device == "default") {
    const PaDeviceIndex def = Pa_GetDefaultInputDevice();
    if (def == paNoDevice) return NotFound(pa_spec(device) + ": no default input device");
    return def;
  }
  int index = -1;
  auto [end, ec] = std::from_chars(device.data(), device.data() + device.size(), index);
  if (ec == std::errc() && end == device.data() + device.size()) {
    if (index < 0 || index >= count) {
      return NotFound(pa_spec(device) + ": no such device index (there are " +
                      std::to_string(count) + " devices; see `earshot devices`)");
    }
    if (Pa_GetDeviceInfo(index)->maxInputChannels < 1) {
      return InvalidArgument(pa_spec(device) + ": device has no inputs");
    }
    return static_cast<PaDeviceIndex>(index);
  }
  PaDeviceIndex match = paNoDevice;
  int matches = 0;
  for (PaDeviceIndex i = 0; i < count; ++i) {
    const PaDeviceInfo* info = Pa_GetDeviceInfo(i);
    if (info == nullptr || info->maxInputChannels < 1) continue;
    const std::string name = info->name;
    if (name == device) return i;
    if (name.find(device) != std::string::npos) {
      match = i;
      ++matches;
    }
  }
  if (matches == 1) return match;
  if (matches > 1) return InvalidArgument(pa_spec(device) + ": name matches several devices");
  return NotFound(pa_spec(device) + ": no such input device (see `earshot devices`)");
}

class PortAudioCaptureSource final : public RingBufferSource {
 public:
  PortAudioCaptureSource(std::unique_ptr<PaSession> session, std::string device, double rate,
                         int channels, Mono16kConverter converter, const LiveSourceConfig& config)
      : RingBufferSource(pa_spec(device), rate, channels, std::move(converter), config.ring_seconds,
                         config.stall_timeout),
        session_(std::move(session)) {}
  ~PortAudioCaptureSource() override {
    stop();
    if (stream_ != nullptr) Pa_CloseStream(stream_);
  }

  Status open(PaDeviceIndex index) {
    PaStreamParameters in{};
    in.device = index;
    in.channelCount = channels();
    in.sampleFormat = paFloat32;
    in.suggestedLatency = Pa_GetDeviceInfo(index)->defaultLowInputLatency;
    PaError err = Pa_OpenStream(&stream_, &in, nullptr, rate(), paFramesPerBufferUnspecified,
                                paNoFlag, &PortAudioCaptureSource::callback, this);
    if (err != paNoError) {
      stream_ = nullptr;
      return DeviceError(name() + ": cannot open stream: " + Pa_GetErrorText(err));
    }
    Pa_SetStreamFinishedCallback(stream_, &PortAudioCaptureSource::finished);
    return Status::Ok();
  }

  Status start() override {
    if (started()) return InvalidArgument(name() + ": already started");
    if (PaError err = Pa_StartStream(stream_); err != paNoError) {
      return DeviceError(name() + ": cannot start stream: " + Pa_GetErrorText(err));
    }
    set_started();
    return Status::Ok();
  }
  void stop() override {
    stopping_.store(true, std::memory_order_release);
    if (stream_ != nullptr && Pa_IsStreamActive(stream_) == 1) Pa_StopStream(stream_);
    mark_stopped();
  }
  std::string description() const override {
    return name() + " (" + std::to_string(static_cast<int>(rate())) + " Hz, " +
           std::to_string(channels()) + " ch)";
  }

 private:
  // Real-time thread: copy into the ring and nothing else (no allocation, no locks).
  static int callback(const void* input, void*, unsigned long frames,
                      const PaStreamCallbackTimeInfo*, PaStreamCallbackFlags, void* self) {
    if (input != nullptr) {
      static_cast<PortAudioCaptureSource*>(self)->push_frames(static_cast<const float*>(input),
                                                              frames);
    }
    return paContinue;
  }
  // The stream ended without stop(): the device went away.
  static void finished(void* self) {
    auto* source = static_cast<PortAudioCaptureSource*>(self);
    if (!source->stopping_.load(std::memory_order_acquire)) source->mark_device_lost();
  }

  std::unique_ptr<PaSession> session_;  // outlives the stream (declared first)
  PaStream* stream_ = nullptr;
  std::atomic<bool> stopping_{false};
};

}  // namespace

Result<std::vector<CaptureDevice>> list_portaudio_capture_devices() {
  PaSession session;
  EARSHOT_RETURN_IF_ERROR(session.status());
  std::vector<CaptureDevice> devices;
  const PaDeviceIndex count = Pa_GetDeviceCount();
  if (count < 0) return DeviceError(std::string("PortAudio: ") + Pa_GetErrorText(count));
  for (PaDeviceIndex i = 0; i < count; ++i) {
    const PaDeviceInfo* info = Pa_GetDeviceInfo(i);
    if (info == nullptr || info->maxInputChannels < 1) continue;
    const PaHostApiInfo* api = Pa_GetHostApiInfo(info->hostApi);
    devices.push_back({"pa:" + std::to_string(i),
                       std::string(info->name) + " [" + (api ? api->name : "?") + "] (" +
                           std::to_string(info->maxInputChannels) + " ch, " +
                           std::to_string(static_cast<int>(info->defaultSampleRate)) + " Hz)"});
  }
  if (Pa_GetDefaultInputDevice() != paNoDevice) {
    devices.insert(devices.begin(), {"pa:default", "PortAudio's default input device"});
  }
  return devices;
}

Result<std::unique_ptr<AudioSource>> open_portaudio_source(const std::string& device,
                                                           const LiveSourceConfig& config) {
  if (device.empty()) return InvalidArgument("pa: empty device name (try pa:default)");
  auto session = std::make_unique<PaSession>();
  EARSHOT_RETURN_IF_ERROR(session->status());
  auto index = find_device(device);
  if (!index.ok()) return index.status();
  const PaDeviceInfo* info = Pa_GetDeviceInfo(*index);
  // Prefer 16 kHz mono straight from the device; otherwise its own rate, up to 2 channels.
  PaStreamParameters probe{};
  probe.device = *index;
  probe.channelCount = 1;
  probe.sampleFormat = paFloat32;
  probe.suggestedLatency = info->defaultLowInputLatency;
  double rate = kTargetRate;
  if (Pa_IsFormatSupported(&probe, nullptr, rate) != paFormatIsSupported) {
    rate = info->defaultSampleRate;
    probe.channelCount = std::min(info->maxInputChannels, 2);
  }
  const int channels = probe.channelCount;
  auto converter = Mono16kConverter::create(rate, channels);
  if (!converter.ok())
    return Status(converter.status().code(), pa_spec(device) + ": " + converter.status().message());
  auto source = std::make_unique<PortAudioCaptureSource>(std::move(session), device, rate, channels,
                                                         std::move(converter).value(), config);
  EARSHOT_RETURN_IF_ERROR(source->open(*index));
  return std::unique_ptr<AudioSource>(std::move(source));
}

}  // namespace earshot::audio
