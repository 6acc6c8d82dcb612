#include <forge/error.h>

#include <zlib.h>
#include <algorithm>
#include <array>
#include <utility>

#include "io/checkpoint_file.h"
#include "io/hdf5_check.h"

namespace forge {
namespace {

using h5::Handle;
using h5::quoted;

constexpr std::array kArrayTypes = {ArrayType::f32, ArrayType::f64, ArrayType::i32,
                                    ArrayType::i64, ArrayType::u8,  ArrayType::u16};

// Byte order aside, the HDF5 type a stored array has; big-endian files from other tools are
// converted by HDF5 on read.
std::optional<ArrayType> array_type_of(hid_t type, const h5::Site& site, std::string_view label) {
  for (ArrayType candidate : kArrayTypes) {
    Handle swapped(FORGE_H5(H5Tcopy(h5::storage_type(candidate)), site, "inspect", label),
                   H5Tclose);
    FORGE_H5(H5Tset_order(swapped.get(), H5T_ORDER_BE), site, "inspect", label);
    bool match = FORGE_H5(H5Tequal(type, h5::storage_type(candidate)), site, "inspect", label) ||
                 FORGE_H5(H5Tequal(type, swapped.get()), site, "inspect", label);
    swapped.close(site, label);
    if (match) return candidate;
  }
  return std::nullopt;
}

std::string shape_text(const std::vector<std::int64_t>& shape) {
  std::string text = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) text += cat(i ? ", " : "", shape[i]);
  return text + "]";
}

}  // namespace

struct CheckpointReader::Impl {
  std::filesystem::path file;
  Handle h5file;

  h5::Site site() const { return {file, false}; }

  [[noreturn]] void refuse(std::string_view what) const {
    throw Error(cat("checkpoint '", file.string(), "' ", what));
  }

  // The object at `path`, which must exist and be of `kind` (H5I_GROUP or H5I_DATASET).
  Handle open(const std::string& path, H5I_type_t kind) const {
    const h5::Site where = site();
    h5::check_path(where, path, kind == H5I_GROUP);
    const char* noun = kind == H5I_GROUP ? "group" : "dataset";
    if (!h5::exists(h5file.get(), path, where)) {
      // Shows what the deepest group that does exist on the way holds.
      std::string parent = path;
      do {
        parent = parent.substr(0, std::max<std::size_t>(parent.rfind('/'), 1));
      } while (parent != "/" && !(h5::exists(h5file.get(), parent, where) &&
                                  h5::object_kind(h5file.get(), parent, where) == H5I_GROUP));
      std::vector<std::string> names = children(parent);
      std::string shown;
      for (std::size_t i = 0; i < names.size() && i < 8; ++i) shown += cat(i ? ", " : "", names[i]);
      if (names.size() > 8) shown += cat(" and ", names.size() - 8, " more");
      refuse(cat("has no ", noun, " '", path, "'; '", parent,
                 "' holds: ", names.empty() ? "nothing" : shown));
    }
    Handle object(FORGE_H5(H5Oopen(h5file.get(), path.c_str(), H5P_DEFAULT), where, "open",
                           quoted(noun, path)),
                  H5Oclose);
    if (FORGE_H5(H5Iget_type(object.get()), where, "inspect", quoted(noun, path)) != kind) {
      refuse(cat("holds '", path, "', but it is not a ", noun));
    }
    return object;
  }

  std::vector<std::string> children(const std::string& path) const {
    Handle group(FORGE_H5(H5Oopen(h5file.get(), path.c_str(), H5P_DEFAULT), site(), "open",
                          quoted("group", path)),
                 H5Oclose);
    std::vector<std::string> names;
    auto collect = [](hid_t, const char* name, const H5L_info_t*, void* data) -> herr_t {
      static_cast<std::vector<std::string>*>(data)->emplace_back(name);
      return 0;
    };
    FORGE_H5(H5Literate(group.get(), H5_INDEX_NAME, H5_ITER_INC, nullptr, collect, &names), site(),
             "list", quoted("group", path));
    group.close(site(), quoted("group", path));
    std::sort(names.begin(), names.end());
    return names;
  }

  // A string attribute, fixed-length or variable-length (as h5py and Forge write them).
  std::string read_string(hid_t attribute, hid_t type, std::string_view label) const {
    const h5::Site where = site();
    if (FORGE_H5(H5Tis_variable_str(type), where, "inspect", label)) {
      char* chars = nullptr;
      FORGE_H5(H5Aread(attribute, type, &chars), where, "read", label);
      std::string text = chars ? chars : "";
      FORGE_H5(H5free_memory(chars), where, "release", label);
      return text;
    }
    const std::size_t size = H5Tget_size(type);  // 0 signals failure here
    if (size == 0) h5::fail("H5Tget_size", where, "inspect", label);
    std::string text(size, '\0');
    FORGE_H5(H5Aread(attribute, type, text.data()), where, "read", label);
    text.resize(std::min(text.size(), text.find('\0')));
    if (FORGE_H5(H5Tget_strpad(type), where, "inspect", label) == H5T_STR_SPACEPAD) {
      text.erase(text.find_last_not_of(' ') + 1);
    }
    return text;
  }
};

CheckpointReader::CheckpointReader(std::filesystem::path file) : impl_(std::make_unique<Impl>()) {
  Impl& in = *impl_;
  in.file = std::move(file);
  h5::silence_errors();
  std::error_code error;
  auto status = std::filesystem::status(in.file, error);
  if (!std::filesystem::exists(status)) in.refuse("does not exist; check the path");
  if (std::filesystem::is_directory(status)) in.refuse("is a folder, not a checkpoint file");
  if (std::filesystem::file_size(in.file, error) == 0) {
    in.refuse("is empty (0 bytes); it was not completely written: resume from an earlier one");
  }
  const h5::Site site = in.site();
  if (!FORGE_H5(H5Fis_hdf5(in.file.c_str()), site, "inspect", "the file")) {
    in.refuse("is not an HDF5 file (it has no HDF5 signature); pass a checkpoint Forge wrote");
  }
  Handle access(FORGE_H5(H5Pcreate(H5P_FILE_ACCESS), site, "prepare", "the file"), H5Pclose);
  // Filesystems without locks (some network mounts) can still be read from.
  FORGE_H5(H5Pset_file_locking(access.get(), true, true), site, "prepare", "the file");
  in.h5file = Handle(
      FORGE_H5(H5Fopen(in.file.c_str(), H5F_ACC_RDONLY, access.get()), site, "open", "the file"),
      H5Fclose);
  access.close(site, "the file's access properties");
}

CheckpointReader::~CheckpointReader() = default;

const std::filesystem::path& CheckpointReader::file() const { return impl_->file; }

std::vector<std::string> CheckpointReader::list(const std::string& group) const {
  impl_->open(group, H5I_GROUP).close(impl_->site(), quoted("group", group));
  return impl_->children(group);
}

bool CheckpointReader::has(const std::string& path) const {
  h5::check_path(impl_->site(), path, true);
  return h5::exists(impl_->h5file.get(), path, impl_->site());
}

ArrayInfo CheckpointReader::info(const std::string& path) const {
  const h5::Site site = impl_->site();
  const std::string label = quoted("dataset", path);
  Handle dataset = impl_->open(path, H5I_DATASET);
  Handle type(FORGE_H5(H5Dget_type(dataset.get()), site, "inspect", label), H5Tclose);
  Handle space(FORGE_H5(H5Dget_space(dataset.get()), site, "inspect", label), H5Sclose);
  std::optional<ArrayType> stored = array_type_of(type.get(), site, label);
  auto dtype = attribute(path, "forge_dtype");
  if (dtype && *dtype == AttributeValue(std::string("bfloat16")) && stored == ArrayType::u16) {
    stored = ArrayType::bf16;
  } else if (dtype) {
    stored.reset();
  }
  if (!stored) {
    impl_->refuse(cat("holds ", label,
                      " of an element type Forge does not read; it reads "
                      "f32, f64, bf16, i32, i64, u8 and u16"));
  }
  H5S_class_t kind = FORGE_H5(H5Sget_simple_extent_type(space.get()), site, "inspect", label);
  if (kind == H5S_NULL)
    impl_->refuse(cat("holds ", label, " without a shape (an HDF5 null space)"));
  const int rank = FORGE_H5(H5Sget_simple_extent_ndims(space.get()), site, "inspect", label);
  std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
  FORGE_H5(H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr), site, "inspect", label);
  space.close(site, label);
  type.close(site, label);
  dataset.close(site, label);
  return ArrayInfo{*stored, std::vector<std::int64_t>(dims.begin(), dims.end())};
}

void CheckpointReader::read_array(const std::string& path, void* out, std::size_t bytes) const {
  const h5::Site site = impl_->site();
  const std::string label = quoted("dataset", path);
  const ArrayInfo stored = info(path);
  if (bytes != stored.bytes()) {
    impl_->refuse(cat("holds ", label, " as ", array_type_name(stored.type), " ",
                      shape_text(stored.shape), " (", stored.bytes(), " bytes), but ", bytes,
                      " bytes were asked for; the checkpoint does not match what loads it"));
  }
  FORGE_CHECK(out != nullptr || bytes == 0, "no buffer to read ", label, " into");
  Handle dataset = impl_->open(path, H5I_DATASET);
  // HDF5 verifies each chunk's Fletcher32 checksum here; a mismatch fails the read.
  if (bytes > 0) {
    FORGE_H5(
        H5Dread(dataset.get(), h5::storage_type(stored.type), H5S_ALL, H5S_ALL, H5P_DEFAULT, out),
        site, "read", label);
  }
  // forge_crc32 also covers contiguous datasets and damage that Fletcher32 cannot see.
  if (FORGE_H5(H5Aexists(dataset.get(), "forge_crc32"), site, "look up", label)) {
    Handle attribute(
        FORGE_H5(H5Aopen(dataset.get(), "forge_crc32", H5P_DEFAULT), site, "open", label),
        H5Aclose);
    std::uint32_t expected = 0;
    FORGE_H5(H5Aread(attribute.get(), H5T_NATIVE_UINT32, &expected), site, "read", label);
    attribute.close(site, label);
    const auto actual = static_cast<std::uint32_t>(
        ::crc32_z(0, static_cast<const Bytef*>(out), static_cast<z_size_t>(bytes)));
    if (actual != expected) throw Error(h5::damaged_message(site, label));
  }
  dataset.close(site, label);
}

std::optional<AttributeValue> CheckpointReader::attribute(const std::string& object_path,
                                                          const std::string& name) const {
  const h5::Site site = impl_->site();
  h5::check_path(site, object_path, true);
  const std::string label = cat("attribute '", name, "' of '", object_path, "'");
  if (!h5::exists(impl_->h5file.get(), object_path, site)) return std::nullopt;
  Handle owner(FORGE_H5(H5Oopen(impl_->h5file.get(), object_path.c_str(), H5P_DEFAULT), site,
                        "open", quoted("object", object_path)),
               H5Oclose);
  if (!FORGE_H5(H5Aexists(owner.get(), name.c_str()), site, "look up", label)) {
    return std::nullopt;
  }
  Handle attribute(FORGE_H5(H5Aopen(owner.get(), name.c_str(), H5P_DEFAULT), site, "open", label),
                   H5Aclose);
  Handle type(FORGE_H5(H5Aget_type(attribute.get()), site, "inspect", label), H5Tclose);
  Handle space(FORGE_H5(H5Aget_space(attribute.get()), site, "inspect", label), H5Sclose);
  const H5T_class_t type_class = FORGE_H5(H5Tget_class(type.get()), site, "inspect", label);
  const H5S_class_t shape =
      FORGE_H5(H5Sget_simple_extent_type(space.get()), site, "inspect", label);
  const int rank = FORGE_H5(H5Sget_simple_extent_ndims(space.get()), site, "inspect", label);
  const auto count = static_cast<std::size_t>(
      FORGE_H5(H5Sget_simple_extent_npoints(space.get()), site, "inspect", label));

  std::optional<AttributeValue> value;
  const bool scalar = shape == H5S_SCALAR;
  const bool vector = shape == H5S_SIMPLE && rank == 1;
  auto read = [&](hid_t memory_type, void* data) {
    FORGE_H5(H5Aread(attribute.get(), memory_type, data), site, "read", label);
  };
  if (type_class == H5T_STRING && scalar) {
    value = impl_->read_string(attribute.get(), type.get(), label);
  } else if (type_class == H5T_INTEGER && scalar) {
    std::int64_t number = 0;
    read(H5T_NATIVE_INT64, &number);
    value = number;
  } else if (type_class == H5T_FLOAT && scalar) {
    double real = 0;
    read(H5T_NATIVE_DOUBLE, &real);
    value = real;
  } else if (type_class == H5T_INTEGER && vector) {
    std::vector<std::int64_t> numbers(count);
    if (count > 0) read(H5T_NATIVE_INT64, numbers.data());
    value = std::move(numbers);
  } else if (type_class == H5T_FLOAT && vector) {
    std::vector<double> reals(count);
    if (count > 0) read(H5T_NATIVE_DOUBLE, reals.data());
    value = std::move(reals);
  } else {
    impl_->refuse(cat("holds ", label,
                      " of a kind Forge does not read; it reads integer, float "
                      "and string scalars and 1-d integer and float arrays"));
  }
  space.close(site, label);
  type.close(site, label);
  attribute.close(site, label);
  owner.close(site, quoted("object", object_path));
  return value;
}

}  // namespace forge
