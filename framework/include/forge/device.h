#pragma once

#include <forge/export.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace forge {

// Where a tensor's memory lives: the host, or one CUDA device.
struct FORGE_API Device {
  enum class Type : std::uint8_t { cpu, cuda };
  Type type = Type::cpu;
  int index = 0;

  static Device cpu() { return {}; }
  static Device cuda(int index = 0) { return {Type::cuda, index}; }
  // "cpu", "cuda", "cuda:1"; throws forge::Error for anything else.
  static Device parse(std::string_view text);
  std::string str() const;
  bool operator==(const Device& other) const = default;
};

}  // namespace forge
