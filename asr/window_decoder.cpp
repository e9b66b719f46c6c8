#include "asr/window_decoder.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace earshot::asr {
namespace {
constexpr float kNegInf = -std::numeric_limits<float>::infinity();
}

WindowDecoder::WindowDecoder(WhisperDecoder& decoder, const WhisperTokenizer& tok)
    : dec_(decoder), tok_(tok) {
  logits_.resize(tok.vocab_size());
  logprobs_.resize(tok.vocab_size());
}

float WindowDecoder::no_speech(std::span<const float> raw) const {
  std::vector<float>& lp = const_cast<std::vector<float>&>(logprobs_);
  log_softmax(raw, lp);
  return std::exp(lp[tok_.special().no_speech]);
}

Result<WindowResult> WindowDecoder::decode(std::span<const int> prompt,
                                           const WindowDecodeOptions& o,
                                           runtime::ThreadPool* pool) {
  if (prompt.empty()) return InvalidArgument("WindowDecoder: empty prompt");
  if (static_cast<int>(prompt.size()) >= dec_.max_length()) {
    return InvalidArgument("WindowDecoder: prompt longer than the text context");
  }
  if (o.beam_size > 1 && o.temperature == 0.0f) return beam(prompt, o, pool);
  return greedy(prompt, o, pool);
}

Result<WindowResult> WindowDecoder::greedy(std::span<const int> prompt,
                                           const WindowDecodeOptions& o,
                                           runtime::ThreadPool* pool) {
  LogitFilter filter(tok_, o.filter);
  WindowResult r;
  dec_.clear(0);
  EARSHOT_RETURN_IF_ERROR(
      dec_.forward(0, prompt.data(), static_cast<int>(prompt.size()), logits_.data(), pool));
  r.no_speech_prob = no_speech(logits_);
  const int eot = tok_.special().eot;
  const int limit = std::min<int>(o.max_new_tokens, dec_.max_length() - prompt.size());
  for (int step = 0;; ++step) {
    filter.apply(r.tokens, logits_);
    log_softmax(logits_, logprobs_);
    int next = eot;
    if (o.temperature > 0.0f) {
      // Sample from softmax(logits / T).
      std::vector<double> cdf(logits_.size());
      double acc = 0.0;
      for (size_t i = 0; i < logits_.size(); ++i) {
        acc += std::exp(static_cast<double>(logprobs_[i]) / o.temperature);
        cdf[i] = acc;
      }
      std::uniform_real_distribution<double> u(0.0, acc);
      next = static_cast<int>(std::upper_bound(cdf.begin(), cdf.end(), u(rng_)) - cdf.begin());
      next = std::min<int>(next, static_cast<int>(logits_.size()) - 1);
    } else {
      next = static_cast<int>(std::max_element(logprobs_.begin(), logprobs_.end()) -
                              logprobs_.begin());
    }
    if (logprobs_[next] == kNegInf) next = eot;
    r.sum_logprob += logprobs_[next];
    if (next == eot || step >= limit) break;
    r.tokens.push_back(next);
    r.probs.push_back(std::exp(logprobs_[next]));
    if (step + 1 >= limit) break;
    EARSHOT_RETURN_IF_ERROR(dec_.forward(0, &next, 1, logits_.data(), pool));
  }
  r.avg_logprob = r.sum_logprob / (static_cast<double>(r.tokens.size()) + 1.0);
  return r;
}

Result<WindowResult> WindowDecoder::beam(std::span<const int> prompt, const WindowDecodeOptions& o,
                                         runtime::ThreadPool* pool) {
  const int B = o.beam_size;
  if (dec_.states() < 2 * B) return InvalidArgument("WindowDecoder: decoder has too few states");
  LogitFilter filter(tok_, o.filter);
  const int eot = tok_.special().eot;
  const int limit = std::min<int>(o.max_new_tokens, dec_.max_length() - prompt.size());
  struct Hyp {
    std::vector<int> tokens;
    std::vector<float> probs;
    double score = 0.0;
    int state = 0;
  };
  struct Cand {
    double score;
    int parent;
    int token;
    float logprob;
  };
  WindowResult best;
  dec_.clear(0);
  EARSHOT_RETURN_IF_ERROR(
      dec_.forward(0, prompt.data(), static_cast<int>(prompt.size()), logits_.data(), pool));
  best.no_speech_prob = no_speech(logits_);
  std::vector<float> first_logits = logits_;

  std::vector<Hyp> beams(1);
  beams[0].state = 0;
  std::vector<Hyp> finished;
  const size_t want_finished = static_cast<size_t>(std::ceil(B * o.patience));
  int half = 0;  // active states live in [half * B, half * B + B)
  std::vector<std::vector<float>> beam_logits(1, first_logits);
  for (int step = 0; step <= limit && !beams.empty(); ++step) {
    std::vector<Cand> cands;
    for (size_t b = 0; b < beams.size(); ++b) {
      std::vector<float>& lg = beam_logits[b];
      filter.apply(beams[b].tokens, lg);
      log_softmax(lg, logprobs_);
      // The best B + 1 tokens of this hypothesis are enough to fill the next beam.
      std::vector<int> idx(logprobs_.size());
      std::iota(idx.begin(), idx.end(), 0);
      std::partial_sort(idx.begin(), idx.begin() + B + 1, idx.end(),
                        [&](int a, int c) { return logprobs_[a] > logprobs_[c]; });
      for (int j = 0; j < B + 1; ++j) {
        if (logprobs_[idx[j]] == kNegInf) break;
        cands.push_back(
            {beams[b].score + logprobs_[idx[j]], static_cast<int>(b), idx[j], logprobs_[idx[j]]});
      }
    }
    std::sort(cands.begin(), cands.end(),
              [](const Cand& a, const Cand& c) { return a.score > c.score; });
    std::vector<Hyp> next;
    const int new_half = 1 - half;
    for (const Cand& c : cands) {
      const Hyp& parent = beams[c.parent];
      if (c.token == eot || step == limit) {
        if (finished.size() < want_finished) {
          Hyp h = parent;
          h.score = c.score;
          finished.push_back(std::move(h));
        }
        continue;
      }
      Hyp h;
      h.tokens = parent.tokens;
      h.tokens.push_back(c.token);
      h.probs = parent.probs;
      h.probs.push_back(std::exp(c.logprob));
      h.score = c.score;
      h.state = new_half * B + static_cast<int>(next.size());
      dec_.copy_state(parent.state, h.state);
      next.push_back(std::move(h));
      // As OpenAI's BeamSearchDecoder: candidates ranked below the B-th continuation are
      // dropped, end-of-text ones included (collecting those too ends the search early, on
      // short, truncated hypotheses).
      if (static_cast<int>(next.size()) >= B) break;
    }
    half = new_half;
    beams = std::move(next);
    if (finished.size() >= want_finished) break;
    // Every hypothesis's next token in one decoder pass.
    const size_t vocab = logits_.size();
    std::vector<int> states(beams.size()), toks(beams.size());
    for (size_t b = 0; b < beams.size(); ++b) {
      states[b] = beams[b].state;
      toks[b] = beams[b].tokens.back();
    }
    batch_logits_.resize(beams.size() * vocab);
    EARSHOT_RETURN_IF_ERROR(dec_.forward_batch(
        states.data(), toks.data(), static_cast<int>(beams.size()), batch_logits_.data(), pool));
    beam_logits.resize(beams.size());
    for (size_t b = 0; b < beams.size(); ++b) {
      beam_logits[b].assign(batch_logits_.begin() + b * vocab,
                            batch_logits_.begin() + (b + 1) * vocab);
    }
  }
  for (auto& h : beams) finished.push_back(std::move(h));  // unfinished at the limit
  if (finished.empty()) return best;
  // Length penalty 1: the score divided by the length (tokens + end-of-text).
  auto norm = [](const Hyp& h) { return h.score / (static_cast<double>(h.tokens.size()) + 1.0); };
  const Hyp& top = *std::max_element(finished.begin(), finished.end(),
                                     [&](const Hyp& a, const Hyp& c) { return norm(a) < norm(c); });
  best.tokens = top.tokens;
  best.probs = top.probs;
  best.sum_logprob = top.score;
  best.avg_logprob = top.score / (static_cast<double>(top.tokens.size()) + 1.0);
  return best;
}

}  // namespace earshot::asr
