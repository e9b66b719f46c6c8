#include "asr/logit_filter.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "runtime/kernels/softmax.hpp"

namespace earshot::asr {
namespace {
constexpr float kNegInf = -std::numeric_limits<float>::infinity();
}

LogitFilter::LogitFilter(const WhisperTokenizer& tok, const LogitFilterOptions& o)
    : sp_(tok.special()), o_(o), suppress_(tok.suppress_ids()) {
  // faster-whisper adds these to the "-1" list.
  for (int t : {sp_.transcribe, sp_.translate, sp_.sot, sp_.sot_prev, sp_.sot_lm, sp_.no_speech}) {
    suppress_.push_back(t);
  }
  std::sort(suppress_.begin(), suppress_.end());
  suppress_.erase(std::unique(suppress_.begin(), suppress_.end()), suppress_.end());
}

void LogitFilter::apply(std::span<const int> gen, std::span<float> logits) const {
  const int n = static_cast<int>(logits.size());
  for (int t : suppress_) {
    if (t < n) logits[t] = kNegInf;
  }
  if (gen.empty() && o_.suppress_blank) {
    logits[blank_] = kNegInf;
    logits[sp_.eot] = kNegInf;
  }
  const int tb = sp_.timestamp_begin;
  if (!o_.timestamps) {
    for (int t = tb; t < n; ++t) logits[t] = kNegInf;
    return;
  }
  logits[sp_.no_timestamps] = kNegInf;
  const size_t len = gen.size();
  const bool last_ts = len >= 1 && gen[len - 1] >= tb;
  const bool penult_ts = len < 2 || gen[len - 2] >= tb;
  if (last_ts) {
    if (penult_ts) {
      for (int t = tb; t < n; ++t) logits[t] = kNegInf;  // a pair closed: text or end
    } else {
      for (int t = 0; t < sp_.eot; ++t) logits[t] = kNegInf;  // must close the pair
    }
  }
  int last_timestamp = -1;
  for (size_t i = len; i-- > 0;) {
    if (gen[i] >= tb) {
      last_timestamp = gen[i];
      break;
    }
  }
  if (last_timestamp >= 0) {
    // Never decreasing; a segment must have a nonzero length.
    const int limit = (last_ts && !penult_ts) ? last_timestamp : last_timestamp + 1;
    for (int t = tb; t < std::min(limit, n); ++t) logits[t] = kNegInf;
  }
  if (o_.max_timestamp_index >= 0) {
    const int last_allowed = tb + o_.max_timestamp_index;
    for (int t = last_allowed + 1; t < n; ++t) logits[t] = kNegInf;
    if (last_ts && gen[len - 1] >= last_allowed) {
      for (int t = 0; t < n; ++t) logits[t] = t == sp_.eot ? logits[t] : kNegInf;
      logits[sp_.eot] = 0.0f;
      return;
    }
  }
  if (len == 0) {
    for (int t = 0; t < tb; ++t) logits[t] = kNegInf;
    for (int t = tb + o_.max_initial_timestamp_index + 1; t < n; ++t) logits[t] = kNegInf;
  }
  // If the timestamps together are more likely than any single text token, take one:
  // log sum_t p(t) > log p(best text) is sum_t exp(l_t - l_best) > 1 (no softmax over the
  // whole vocabulary needed).
  float max_text = kNegInf;
  for (int t = 0; t < tb; ++t) max_text = std::max(max_text, logits[t]);
  if (max_text == kNegInf) return;
  double ts_sum = 0.0;
  for (int t = tb; t < n; ++t) ts_sum += std::exp(static_cast<double>(logits[t]) - max_text);
  if (ts_sum > 1.0) {
    for (int t = 0; t < tb; ++t) logits[t] = kNegInf;
  }
}

void log_softmax(std::span<const float> logits, std::span<float> out) {
  // The vectorised softmax gives p; log-sum-exp is then l_max - log p(max), exact to float
  // rounding since p(max) >= 1 / n. A scalar exp per token was a fifth of beam search's time.
  const size_t best =
      static_cast<size_t>(std::max_element(logits.begin(), logits.end()) - logits.begin());
  kernels::softmax_kernels().softmax(logits.data(), 1.0f, logits.size(), out.data());
  const float lse = logits[best] - std::log(out[best]);
  for (size_t i = 0; i < logits.size(); ++i) out[i] = logits[i] - lse;
}

}  // namespace earshot::asr
