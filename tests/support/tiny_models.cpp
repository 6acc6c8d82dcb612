#include "support/tiny_models.h"

#include "support/test_support.h"

namespace forge::test {

std::unique_ptr<Model> tiny_model(const std::string& section, std::int64_t vocab, DType dtype,
                                  std::uint64_t seed, Device device) {
  auto architecture = make_plugin<Architecture>(section);
  Generator init(seed);
  ModelRequest request;
  request.vocab_size = vocab;
  request.dtype = dtype;
  request.init = &init;
  request.device = device;
  return architecture->build(request);
}

}  // namespace forge::test
