#include <forge/error.h>

#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "io/checkpoint_file.h"
#include "io/hdf5_check.h"

namespace forge {
namespace {

// Chunks stay small enough for HDF5's chunk cache and fine enough that a damaged chunk is
// located, yet large enough that per-chunk overhead is negligible.
constexpr std::size_t kChunkBytes = std::size_t{4} << 20;

using h5::Handle;
using h5::quoted;

bool reserved_attribute(std::string_view name) {
  return name == "forge_crc32" || name == "forge_dtype";
}

// Whole trailing dimensions while they fit in kChunkBytes (so a chunk holds whole rows), then
// as many slices of the next dimension as fit, at least one; outer dimensions get 1.
std::vector<hsize_t> chunk_shape(std::span<const std::int64_t> shape, std::size_t element) {
  std::vector<hsize_t> chunk(shape.size(), 1);
  const std::size_t budget = std::max<std::size_t>(kChunkBytes / element, 1);
  std::size_t inner = 1;
  for (std::size_t i = shape.size(); i-- > 0;) {
    const auto dim = static_cast<std::size_t>(shape[i]);
    if (inner * dim > budget) {
      chunk[i] = std::max<std::size_t>(budget / inner, 1);
      break;
    }
    chunk[i] = dim;
    inner *= dim;
  }
  return chunk;
}

Handle scalar_space(const h5::Site& site, std::string_view object) {
  return Handle(FORGE_H5(H5Screate(H5S_SCALAR), site, "describe", object), H5Sclose);
}

Handle vector_space(std::size_t size, const h5::Site& site, std::string_view object) {
  hsize_t dims[1] = {size};
  return Handle(FORGE_H5(H5Screate_simple(1, dims, nullptr), site, "describe", object), H5Sclose);
}

// A variable-length UTF-8 string type: h5py reads such attributes as str, of any length.
Handle utf8_string_type(const h5::Site& site, std::string_view object) {
  Handle type(FORGE_H5(H5Tcopy(H5T_C_S1), site, "describe", object), H5Tclose);
  FORGE_H5(H5Tset_size(type.get(), H5T_VARIABLE), site, "describe", object);
  FORGE_H5(H5Tset_cset(type.get(), H5T_CSET_UTF8), site, "describe", object);
  return type;
}

void write_attribute(hid_t owner, const std::string& name, hid_t file_type, hid_t memory_type,
                     hid_t space, const void* data, const h5::Site& site, std::string_view object) {
  Handle attribute(
      FORGE_H5(H5Acreate2(owner, name.c_str(), file_type, space, H5P_DEFAULT, H5P_DEFAULT), site,
               "create", object),
      H5Aclose);
  // An empty array attribute has nothing to write, and H5Awrite refuses its null buffer.
  if (data) FORGE_H5(H5Awrite(attribute.get(), memory_type, data), site, "write", object);
  attribute.close(site, object);
}

void write_attribute_value(hid_t owner, const std::string& name, const AttributeValue& value,
                           const h5::Site& site, std::string_view object) {
  auto write = [&](hid_t file_type, hid_t memory_type, Handle space, const void* data) {
    write_attribute(owner, name, file_type, memory_type, space.get(), data, site, object);
    space.close(site, object);
  };
  if (const auto* number = std::get_if<std::int64_t>(&value)) {
    write(H5T_STD_I64LE, H5T_NATIVE_INT64, scalar_space(site, object), number);
  } else if (const auto* real = std::get_if<double>(&value)) {
    write(H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, scalar_space(site, object), real);
  } else if (const auto* text = std::get_if<std::string>(&value)) {
    if (text->find('\0') != std::string::npos) {
      throw Error(cat("checkpoint '", site.file.string(), "': ", object,
                      " contains a NUL character, which HDF5 strings cannot hold; remove it"));
    }
    Handle type = utf8_string_type(site, object);
    const char* chars = text->c_str();
    write(type.get(), type.get(), scalar_space(site, object), &chars);
    type.close(site, object);
  } else if (const auto* numbers = std::get_if<std::vector<std::int64_t>>(&value)) {
    write(H5T_STD_I64LE, H5T_NATIVE_INT64, vector_space(numbers->size(), site, object),
          numbers->empty() ? nullptr : numbers->data());
  } else {
    const auto& reals = std::get<std::vector<double>>(value);
    write(H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, vector_space(reals.size(), site, object),
          reals.empty() ? nullptr : reals.data());
  }
}

// A writer killed before commit() leaves "<name>.tmp-<pid>"; the next writer of the same file
// removes it, so interrupted runs leave no debris next to their checkpoints.
void remove_stale_temporaries(const std::filesystem::path& file) {
  std::error_code error;
  const std::string prefix = file.filename().string() + ".tmp-";
  const auto folder = file.has_parent_path() ? file.parent_path() : std::filesystem::path(".");
  for (const auto& entry : std::filesystem::directory_iterator(folder, error)) {
    if (entry.path().filename().string().rfind(prefix, 0) == 0) {
      std::filesystem::remove(entry.path(), error);
    }
  }
}

void sync_file(const std::filesystem::path& path, const std::string& file) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 || ::fsync(fd) != 0) {
    int saved = errno;
    if (fd >= 0) ::close(fd);
    throw Error(cat("cannot write checkpoint '", file, "': cannot sync '", path.string(),
                    "' to disk: ", std::strerror(saved), "; check the disk and retry"));
  }
  ::close(fd);
}

}  // namespace

std::size_t element_size(ArrayType type) {
  switch (type) {
    case ArrayType::u8:
      return 1;
    case ArrayType::bf16:
    case ArrayType::u16:
      return 2;
    case ArrayType::f32:
    case ArrayType::i32:
      return 4;
    case ArrayType::f64:
    case ArrayType::i64:
      return 8;
  }
  FORGE_CHECK(false, "unknown ArrayType ", static_cast<int>(type));
}

std::string_view array_type_name(ArrayType type) {
  switch (type) {
    case ArrayType::f32:
      return "f32";
    case ArrayType::f64:
      return "f64";
    case ArrayType::bf16:
      return "bf16";
    case ArrayType::i32:
      return "i32";
    case ArrayType::i64:
      return "i64";
    case ArrayType::u8:
      return "u8";
    case ArrayType::u16:
      return "u16";
  }
  FORGE_CHECK(false, "unknown ArrayType ", static_cast<int>(type));
}

std::size_t ArrayInfo::bytes() const {
  std::size_t count = 1;
  for (std::int64_t dim : shape) count *= static_cast<std::size_t>(dim);
  return count * element_size(type);
}

struct CheckpointWriter::Impl {
  std::filesystem::path file;
  std::filesystem::path temp;
  Handle h5file;
  bool committed = false;

  // Also runs when the constructor throws, so no path leaves the temporary behind.
  ~Impl() {
    if (committed) return;
    h5file = Handle();
    std::error_code ignored;
    std::filesystem::remove(temp, ignored);
  }

  h5::Site site() const { return {file, true}; }

  // HDF5's own complaint about an object under a dataset is cryptic ("message type not found").
  void check_parents(const std::string& path) {
    for (std::size_t end = path.find('/', 1); end != std::string::npos;
         end = path.find('/', end + 1)) {
      const std::string parent = path.substr(0, end);
      if (!h5::exists(h5file.get(), parent, site())) return;
      if (h5::object_kind(h5file.get(), parent, site()) != H5I_GROUP) {
        throw Error(cat("checkpoint '", file.string(), "': cannot put '", path, "' under dataset '",
                        parent, "', since an array holds no other objects; rename one of them"));
      }
    }
  }

  // The group at `path`, created with the groups above it when missing; or the array there.
  Handle object(const std::string& path) {
    const std::string label = quoted("object", path);
    if (h5::exists(h5file.get(), path, site())) {
      return Handle(
          FORGE_H5(H5Oopen(h5file.get(), path.c_str(), H5P_DEFAULT), site(), "open", label),
          H5Oclose);
    }
    check_parents(path);
    Handle links = intermediate_groups();
    Handle group(
        FORGE_H5(H5Gcreate2(h5file.get(), path.c_str(), links.get(), H5P_DEFAULT, H5P_DEFAULT),
                 site(), "create", quoted("group", path)),
        H5Gclose);
    links.close(site(), label);
    return group;
  }

  Handle intermediate_groups() {
    Handle links(FORGE_H5(H5Pcreate(H5P_LINK_CREATE), site(), "prepare", "a link"), H5Pclose);
    FORGE_H5(H5Pset_create_intermediate_group(links.get(), 1), site(), "prepare", "a link");
    return links;
  }
};

CheckpointWriter::CheckpointWriter(std::filesystem::path file) : impl_(std::make_unique<Impl>()) {
  Impl& out = *impl_;
  out.file = std::move(file);
  out.temp = out.file;
  out.temp += cat(".tmp-", ::getpid());
  h5::silence_errors();
  const auto folder = out.file.has_parent_path() ? out.file.parent_path() : ".";
  std::error_code error;
  if (!std::filesystem::is_directory(folder, error)) {
    throw Error(cat("cannot write checkpoint '", out.file.string(), "': folder '", folder.string(),
                    "' does not exist; create it first"));
  }
  remove_stale_temporaries(out.file);

  const h5::Site site = out.site();
  Handle access(FORGE_H5(H5Pcreate(H5P_FILE_ACCESS), site, "prepare", "the file"), H5Pclose);
  // The HDF5 1.8 format: readable by every h5py, and it stores attributes of any size.
  FORGE_H5(H5Pset_libver_bounds(access.get(), H5F_LIBVER_V18, H5F_LIBVER_V18), site, "prepare",
           "the file");
  // Closing fails while an object is still open, rather than leaving the file half-closed.
  FORGE_H5(H5Pset_fclose_degree(access.get(), H5F_CLOSE_SEMI), site, "prepare", "the file");
  // Filesystems without locks (some network mounts) still work; the temporary name is private.
  FORGE_H5(H5Pset_file_locking(access.get(), true, true), site, "prepare", "the file");
  out.h5file =
      Handle(FORGE_H5(H5Fcreate(out.temp.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, access.get()), site,
                      "create", quoted("temporary file", out.temp.string())),
             H5Fclose);
  access.close(site, "the file's access properties");
}

CheckpointWriter::~CheckpointWriter() = default;

void CheckpointWriter::write_array(const std::string& path, ArrayType type,
                                   std::span<const std::int64_t> shape, const void* data,
                                   std::size_t bytes) {
  Impl& out = *impl_;
  FORGE_CHECK(!out.committed, "write_array('", path, "') after commit() of ", out.file.string());
  const h5::Site site = out.site();
  h5::check_path(site, path, false);
  const std::string label = quoted("dataset", path);
  std::vector<hsize_t> dims;
  for (std::int64_t dim : shape) {
    FORGE_CHECK(dim >= 0, "negative dimension ", dim, " for ", label);
    dims.push_back(static_cast<hsize_t>(dim));
  }
  const ArrayInfo info{type, {shape.begin(), shape.end()}};
  FORGE_CHECK(bytes == info.bytes(), label, " of type ", array_type_name(type), " needs ",
              info.bytes(), " bytes, got ", bytes);
  FORGE_CHECK(data != nullptr || bytes == 0, "no data for ", label);
  if (h5::exists(out.h5file.get(), path, site)) {
    throw Error(cat("checkpoint '", out.file.string(), "': ", label,
                    " is written twice; each array is written once"));
  }
  out.check_parents(path);

  Handle space(dims.empty()
                   ? FORGE_H5(H5Screate(H5S_SCALAR), site, "describe", label)
                   : FORGE_H5(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr),
                              site, "describe", label),
               H5Sclose);
  Handle layout(FORGE_H5(H5Pcreate(H5P_DATASET_CREATE), site, "prepare", label), H5Pclose);
  // HDF5 cannot chunk a 0-d or an empty dataset; those stay contiguous, guarded by forge_crc32.
  if (!dims.empty() && bytes > 0) {
    std::vector<hsize_t> chunk = chunk_shape(shape, element_size(type));
    FORGE_H5(H5Pset_chunk(layout.get(), static_cast<int>(chunk.size()), chunk.data()), site,
             "prepare", label);
    FORGE_H5(H5Pset_fletcher32(layout.get()), site, "prepare", label);
  }
  Handle links = out.intermediate_groups();
  const hid_t stored = h5::storage_type(type);
  Handle dataset(FORGE_H5(H5Dcreate2(out.h5file.get(), path.c_str(), stored, space.get(),
                                     links.get(), layout.get(), H5P_DEFAULT),
                          site, "create", label),
                 H5Dclose);
  if (bytes > 0) {
    FORGE_H5(H5Dwrite(dataset.get(), stored, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), site, "write",
             label);
  }
  const auto crc = static_cast<std::uint32_t>(
      ::crc32_z(0, static_cast<const Bytef*>(data), static_cast<z_size_t>(bytes)));
  Handle scalar = scalar_space(site, label);
  write_attribute(dataset.get(), "forge_crc32", H5T_STD_U32LE, H5T_NATIVE_UINT32, scalar.get(),
                  &crc, site, label);
  if (type == ArrayType::bf16) {
    write_attribute_value(dataset.get(), "forge_dtype", std::string("bfloat16"), site, label);
  }
  scalar.close(site, label);
  dataset.close(site, label);
  links.close(site, label);
  layout.close(site, label);
  space.close(site, label);
}

void CheckpointWriter::set_attribute(const std::string& object_path, const std::string& name,
                                     const AttributeValue& value) {
  Impl& out = *impl_;
  FORGE_CHECK(!out.committed, "set_attribute('", name, "') after commit() of ", out.file.string());
  const h5::Site site = out.site();
  h5::check_path(site, object_path, true);
  const std::string label = cat("attribute '", name, "' of '", object_path, "'");
  if (name.empty() || name.find('\0') != std::string::npos || reserved_attribute(name)) {
    throw Error(cat("checkpoint '", out.file.string(), "': cannot set ", label,
                    ": attribute names must be non-empty, and forge_crc32 and forge_dtype are "
                    "reserved for the format; choose another name"));
  }
  Handle owner = out.object(object_path);
  if (FORGE_H5(H5Aexists(owner.get(), name.c_str()), site, "look up", label)) {
    FORGE_H5(H5Adelete(owner.get(), name.c_str()), site, "replace", label);
  }
  write_attribute_value(owner.get(), name, value, site, label);
  owner.close(site, quoted("object", object_path));
}

void CheckpointWriter::commit() {
  Impl& out = *impl_;
  FORGE_CHECK(!out.committed, "commit() twice on ", out.file.string());
  const h5::Site site = out.site();
  FORGE_H5(H5Fflush(out.h5file.get(), H5F_SCOPE_GLOBAL), site, "flush", "the file");
  out.h5file.close(site, "the file");
  sync_file(out.temp, out.file.string());
  if (std::rename(out.temp.c_str(), out.file.c_str()) != 0) {
    throw Error(cat("cannot write checkpoint '", out.file.string(), "': cannot rename '",
                    out.temp.string(), "' into place: ", std::strerror(errno),
                    "; check the folder's permissions"));
  }
  out.committed = true;
  // Syncing the folder makes the rename itself durable; failing here loses nothing written.
  const auto folder = out.file.has_parent_path() ? out.file.parent_path() : ".";
  int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

}  // namespace forge
