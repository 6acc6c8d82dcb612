#pragma once

#include <forge/export.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

// The HDF5 layer of checkpoints: named arrays and attributes, checksummed, written atomically.
// docs/checkpoint-format.md describes the bytes on disk for h5py users.
namespace forge {

// Element types a checkpoint stores, always little-endian. bf16 is stored as uint16 with the
// dataset attribute forge_dtype = "bfloat16", since HDF5 has no bfloat16 type.
enum class ArrayType { f32, f64, bf16, i32, i64, u8, u16 };

FORGE_API std::size_t element_size(ArrayType type);
FORGE_API std::string_view array_type_name(ArrayType type);  // "f32", "bf16", ...

// The element type and shape of a stored array; an empty shape is a 0-d scalar.
struct FORGE_API ArrayInfo {
  ArrayType type = ArrayType::f32;
  std::vector<std::int64_t> shape;
  std::size_t bytes() const;
};

// Attribute values: HDF5 scalars, UTF-8 strings and 1-d arrays.
using AttributeValue =
    std::variant<std::int64_t, double, std::string, std::vector<std::int64_t>, std::vector<double>>;

// Writes a checkpoint under "<file>.tmp-<pid>"; commit() flushes, closes, syncs and renames it
// into place, so a reader never sees a partial file. Without commit() the destructor removes
// the temporary. A new writer removes temporaries an interrupted writer of the same file left.
class FORGE_API CheckpointWriter {
 public:
  explicit CheckpointWriter(std::filesystem::path file);
  ~CheckpointWriter();
  CheckpointWriter(const CheckpointWriter&) = delete;
  CheckpointWriter& operator=(const CheckpointWriter&) = delete;

  // Writes one array at an absolute path such as "/model/transformer.h.0.attn.c_attn.weight",
  // creating the groups above it. `bytes` must be the shape's element count times the element
  // size. Each path is written once.
  void write_array(const std::string& path, ArrayType type, std::span<const std::int64_t> shape,
                   const void* data, std::size_t bytes);

  // Sets (or replaces) an attribute on "/", a group (created when missing) or a written array.
  // The names forge_crc32 and forge_dtype are reserved for the format itself.
  void set_attribute(const std::string& object_path, const std::string& name,
                     const AttributeValue& value);

  void commit();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Reads a checkpoint. Every array read is verified against its checksums; a missing, empty,
// truncated, damaged or non-HDF5 file is refused with a forge::Error that says so.
class FORGE_API CheckpointReader {
 public:
  explicit CheckpointReader(std::filesystem::path file);
  ~CheckpointReader();
  CheckpointReader(const CheckpointReader&) = delete;
  CheckpointReader& operator=(const CheckpointReader&) = delete;

  const std::filesystem::path& file() const;

  // Names of the direct children (groups and arrays) of a group, sorted.
  std::vector<std::string> list(const std::string& group) const;
  bool has(const std::string& path) const;
  ArrayInfo info(const std::string& path) const;

  // Reads an array into `out`, which holds exactly info(path).bytes() bytes.
  void read_array(const std::string& path, void* out, std::size_t bytes) const;

  // The attribute, or nullopt when the object or the attribute does not exist.
  std::optional<AttributeValue> attribute(const std::string& object_path,
                                          const std::string& name) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace forge
