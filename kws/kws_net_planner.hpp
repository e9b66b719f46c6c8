// Internal to KwsNet: turns the checked graph into steps. kws_net.cpp places the tensors
// (arena offsets by lifetime, aliases, state buffers); kws_net_lower.cpp lowers each op.
#pragma once

#include <string>
#include <vector>

#include "kws/kws_net.hpp"

namespace earshot::kws {

class KwsNet::Planner {
 public:
  Planner(KwsNet& net, const model::Model& model) : net_(net), model_(model) {}
  Status plan();

 private:
  // Where a tensor's bytes live once planned.
  enum class Place { kNone, kArena, kState, kConst, kAlias };
  struct Slot {
    Place place = Place::kNone;
    int alias_of = -1;       // kAlias: the tensor whose bytes these are
    int variable = -1;       // kState
    std::size_t offset = 0;  // kArena: into the arena; kState: into the state buffer
    int def = -1;            // op index that writes it (-1: graph input)
    int last = -1;           // last op index that reads it (aliases included)
  };

  Status place_tensors();
  Status lower(int op_index);
  uint8_t* address(int tensor);
  uint8_t* aligned_state(int variable);
  const GraphTensor& t(int index) const { return net_.graph_.tensors[index]; }
  Status fail(int op_index, const std::string& what) const;
  Status unsupported(int op_index, const std::string& what) const;
  Status expect_inputs(int op_index, std::size_t min_in, std::size_t max_in, std::size_t outputs);

  Status lower_moves(int op_index);
  Status lower_conv(int op_index);
  Status lower_depthwise(int op_index);
  Status lower_fully_connected(int op_index);
  Status lower_logistic(int op_index);
  Status lower_quantize(int op_index);

  // Records a copy, merged with the previous one when both ends are contiguous.
  void add_move(const uint8_t* src, uint8_t* dst, std::size_t n);
  Status add_strided_slice(int op_index);
  int32_t* own_ints(std::size_t n);

  KwsNet& net_;
  const model::Model& model_;
  std::vector<Slot> slots_;
  std::vector<std::size_t> var_offset_;
};

}  // namespace earshot::kws
