#include "runtime/model/tensor_view.hpp"

namespace earshot::model {

std::string Shape::to_string() const {
  std::string s = "[";
  for (std::uint32_t i = 0; i < ndim; ++i) {
    if (i > 0) s += ", ";
    s += std::to_string(dims[i]);
  }
  return s + "]";
}

Status TensorView::wrong_dtype(DType wanted) const {
  return InvalidArgument("tensor '" + std::string(name) + "' is " + dtype_name(dtype) +
                         ", read as " + dtype_name(wanted));
}

}  // namespace earshot::model
