#pragma once

#include <forge/export.h>

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace forge {

// Element types of tensors. f64 serves the CPU reference paths of the consistency tests.
enum class DType : std::uint8_t { f32, bf16, i32, f64 };

FORGE_API std::size_t dtype_size(DType dtype);
FORGE_API std::string_view dtype_name(DType dtype);
inline bool is_floating(DType dtype) { return dtype != DType::i32; }

// bfloat16: the top 16 bits of an IEEE float. Conversion rounds to nearest even, keeps NaN.
struct bf16_t {
  std::uint16_t bits = 0;

  bf16_t() = default;
  bf16_t(float value) {  // NOLINT(google-explicit-constructor): used like a float
    std::uint32_t u = std::bit_cast<std::uint32_t>(value);
    if ((u & 0x7f800000u) == 0x7f800000u && (u & 0x007fffffu)) {
      bits = static_cast<std::uint16_t>((u >> 16) | 0x0040u);  // quiet NaN
      return;
    }
    u += 0x7fffu + ((u >> 16) & 1u);
    bits = static_cast<std::uint16_t>(u >> 16);
  }
  operator float() const {  // NOLINT(google-explicit-constructor)
    return std::bit_cast<float>(static_cast<std::uint32_t>(bits) << 16);
  }
};
static_assert(sizeof(bf16_t) == 2);

// The C++ type of each element type, for kernels.
template <DType D>
struct DTypeTraits;
template <>
struct DTypeTraits<DType::f32> {
  using type = float;
};
template <>
struct DTypeTraits<DType::bf16> {
  using type = bf16_t;
};
template <>
struct DTypeTraits<DType::i32> {
  using type = std::int32_t;
};
template <>
struct DTypeTraits<DType::f64> {
  using type = double;
};

template <class T>
constexpr DType dtype_of();
template <>
constexpr DType dtype_of<float>() {
  return DType::f32;
}
template <>
constexpr DType dtype_of<bf16_t>() {
  return DType::bf16;
}
template <>
constexpr DType dtype_of<std::int32_t>() {
  return DType::i32;
}
template <>
constexpr DType dtype_of<double>() {
  return DType::f64;
}

}  // namespace forge
