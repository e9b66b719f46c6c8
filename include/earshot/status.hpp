// Status and Result: how every earshot function reports failure. The library never throws
// into the host and never exits; callers test `ok()` and read `message()`.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace earshot {

enum class StatusCode : int {
  kOk = 0,
  kInvalidArgument = 1,  // a parameter or config value out of range
  kNotFound = 2,         // file, device, keyword or tensor that does not exist
  kIoError = 3,          // read/write/open failed
  kUnsupported = 4,      // valid input we do not handle (format, sample type, CPU)
  kCorruptData = 5,      // malformed or hostile file contents
  kDeviceError = 6,      // audio device failed or vanished
  kResourceExhausted = 7,  // out of memory or a fixed capacity
  kInternal = 8,
  kFailedPrecondition = 9,  // a call out of order (e.g. push() after finish())
};

const char* status_code_name(StatusCode code) noexcept;

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return {}; }

  bool ok() const noexcept { return code_ == StatusCode::kOk; }
  StatusCode code() const noexcept { return code_; }
  const std::string& message() const noexcept { return message_; }
  // "<code name>: <message>", for logs and the CLI.
  std::string to_string() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

inline Status InvalidArgument(std::string m) { return {StatusCode::kInvalidArgument, std::move(m)}; }
inline Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
inline Status IoError(std::string m) { return {StatusCode::kIoError, std::move(m)}; }
inline Status Unsupported(std::string m) { return {StatusCode::kUnsupported, std::move(m)}; }
inline Status CorruptData(std::string m) { return {StatusCode::kCorruptData, std::move(m)}; }
inline Status DeviceError(std::string m) { return {StatusCode::kDeviceError, std::move(m)}; }
inline Status ResourceExhausted(std::string m) { return {StatusCode::kResourceExhausted, std::move(m)}; }
inline Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }
inline Status FailedPrecondition(std::string m) {
  return {StatusCode::kFailedPrecondition, std::move(m)};
}

// A value or the Status that explains why there is none.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {  // NOLINT
    if (std::get<Status>(v_).ok()) v_ = Status(StatusCode::kInternal, "Result built from an OK status");
  }

  bool ok() const noexcept { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace earshot

// Return early from a function returning Status or Result<T> when `expr` fails.
#define EARSHOT_RETURN_IF_ERROR(expr)          \
  do {                                         \
    ::earshot::Status earshot_st_ = (expr);    \
    if (!earshot_st_.ok()) return earshot_st_; \
  } while (0)
