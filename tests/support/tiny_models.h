#pragma once

// Tiny models built by the in-tree architecture plugins, for tests.

#include <forge/architecture.h>

#include <memory>
#include <string>

namespace forge::test {

// A model from an architecture section such as "{plugin: gpt2, n_layer: 2, ...}".
std::unique_ptr<Model> tiny_model(const std::string& section, std::int64_t vocab,
                                  DType dtype = DType::f32, std::uint64_t seed = 7,
                                  Device device = Device::cpu());

// Sections of small models that still have every part: several layers and heads, grouped
// kv heads for llama, a padded vocabulary for gpt2.
inline const char* kTinyGpt2 =
    "{plugin: gpt2, n_layer: 2, n_head: 2, d_model: 8, context: 12, vocab_multiple: 8}";
inline const char* kTinyLlama =
    "{plugin: llama, n_layer: 2, n_head: 4, n_kv_head: 2, d_model: 16, context: 12, "
    "intermediate_size: 24}";

}  // namespace forge::test
