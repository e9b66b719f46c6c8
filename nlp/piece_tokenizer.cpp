#include "nlp/piece_tokenizer.hpp"

#include <sentencepiece_processor.h>

namespace earshot::nlp {

PieceTokenizer::PieceTokenizer() : sp_(std::make_unique<sentencepiece::SentencePieceProcessor>()) {}
PieceTokenizer::PieceTokenizer(PieceTokenizer&&) noexcept = default;
PieceTokenizer& PieceTokenizer::operator=(PieceTokenizer&&) noexcept = default;
PieceTokenizer::~PieceTokenizer() = default;

Result<PieceTokenizer> PieceTokenizer::from_serialized(std::string_view model_proto) {
  PieceTokenizer t;
  const auto st = t.sp_->LoadFromSerializedProto(model_proto);
  if (!st.ok()) return CorruptData("SentencePiece model: " + st.ToString());
  return t;
}

int PieceTokenizer::vocab_size() const {
  return sp_->GetPieceSize();
}

Status PieceTokenizer::encode(std::string_view text, int max_pieces, Pieces* out) const {
  if (out == nullptr || max_pieces < 1) return InvalidArgument("PieceTokenizer::encode: bad args");
  out->ids.clear();
  out->begin.clear();
  out->end.clear();
  out->truncated = false;
  sentencepiece::ImmutableSentencePieceText spt;
  const auto st = sp_->Encode(text, spt.mutable_proto());
  if (!st.ok()) return InvalidArgument("SentencePiece: " + st.ToString());
  for (const auto& p : spt.pieces()) {
    if (static_cast<int>(out->ids.size()) == max_pieces) {
      out->truncated = true;
      break;
    }
    out->ids.push_back(static_cast<int>(p.id()));
    out->begin.push_back(static_cast<int>(p.begin()));
    out->end.push_back(static_cast<int>(p.end()));
  }
  return Status::Ok();
}

}  // namespace earshot::nlp
