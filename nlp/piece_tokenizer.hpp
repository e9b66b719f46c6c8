// SentencePiece tokenization of an utterance into piece ids and the bytes each piece covers
// (so that slot spans tagged on pieces map back to the words of the original text).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "earshot/status.hpp"

namespace sentencepiece {
class SentencePieceProcessor;
}

namespace earshot::nlp {

struct Pieces {
  std::vector<int> ids;
  std::vector<int> begin;  // byte offsets into the text, [begin, end)
  std::vector<int> end;
  bool truncated = false;  // more pieces than max_pieces: the rest was dropped
};

class PieceTokenizer {
 public:
  // `model_proto` is the serialized SentencePiece model (the .model file's bytes).
  static Result<PieceTokenizer> from_serialized(std::string_view model_proto);
  PieceTokenizer(PieceTokenizer&&) noexcept;
  PieceTokenizer& operator=(PieceTokenizer&&) noexcept;
  ~PieceTokenizer();

  int vocab_size() const;
  // At most max_pieces pieces of `text` (any bytes: invalid UTF-8 is replaced, never refused).
  Status encode(std::string_view text, int max_pieces, Pieces* out) const;

 private:
  PieceTokenizer();
  std::unique_ptr<sentencepiece::SentencePieceProcessor> sp_;
};

}  // namespace earshot::nlp
