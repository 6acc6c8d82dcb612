#include "train/shuffled_order.h"

#include <forge/random.h>

#include <numeric>
#include <utility>

namespace forge {

std::size_t ShuffledOrder::at(std::uint64_t position) {
  const std::uint64_t pass = position / count_;
  if (pass != pass_ || order_.empty()) {
    order_.resize(count_);
    std::iota(order_.begin(), order_.end(), std::size_t{0});
    Generator g(mix64(seed_ ^ mix64(pass + 1)));
    for (std::size_t k = order_.size(); k > 1; --k)
      std::swap(order_[k - 1], order_[g.next_u64() % k]);
    pass_ = pass;
  }
  return order_[position % count_];
}

}  // namespace forge
