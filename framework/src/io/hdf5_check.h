#pragma once

#include <forge/error.h>

#include <hdf5.h>

#include <algorithm>
#include <bit>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>

#include "io/checkpoint_file.h"

// Checked HDF5 calls for the checkpoint reader and writer: every call goes through FORGE_H5,
// which turns a failure into a forge::Error naming the file, the object and HDF5's own reason.
namespace forge::h5 {

// The format stores little-endian bytes and checksums them as they lie in memory.
static_assert(std::endian::native == std::endian::little,
              "Forge checkpoints need a little-endian host");

// The checkpoint a call works on, for the error's "where" and "how to fix".
struct Site {
  const std::filesystem::path& file;
  bool writing;
};

// What a failed call left on this thread's HDF5 error stack.
struct Failure {
  std::string innermost;   // the message of the function that detected the error
  bool checksum = false;   // Fletcher32 or a metadata checksum rejected the bytes
  bool truncated = false;  // the file is shorter than its superblock says
};

// Turns HDF5's printing of error stacks to stderr off for this thread (a threadsafe HDF5 keeps
// one error stack per thread): Forge reports the failure itself, once, in one line.
inline void silence_errors() {
  thread_local bool silenced = false;
  if (silenced) return;
  FORGE_CHECK(H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr) >= 0, "H5Eset_auto2 failed");
  silenced = true;
}

// Reads and clears this thread's error stack; must run before the next HDF5 call clears it.
inline Failure take_failure() {
  Failure failure;
  hid_t stack = H5Eget_current_stack();
  if (stack < 0) {
    failure.innermost = "HDF5 gave no reason";
    return failure;
  }
  // The _g globals are the error ids behind H5E_PLINE etc., read without calling H5open.
  auto visit = [](unsigned n, const H5E_error2_t* error, void* data) -> herr_t {
    auto& out = *static_cast<Failure*>(data);
    std::string_view desc = error->desc ? error->desc : "";
    if (n == 0) out.innermost = desc.empty() ? error->func_name : desc;
    if (desc.find("checksum") != std::string_view::npos ||
        (error->maj_num == H5E_PLINE_g && error->min_num == H5E_READERROR_g)) {
      out.checksum = true;
    }
    if (error->min_num == H5E_TRUNCATED_g) out.truncated = true;
    return 0;
  };
  if (H5Ewalk2(stack, H5E_WALK_UPWARD, visit, &failure) < 0 || failure.innermost.empty()) {
    failure.innermost = "HDF5 gave no reason";
  }
  if (H5Eclose_stack(stack) < 0) failure.innermost += " (and its error stack could not be closed)";
  return failure;
}

inline std::string damaged_message(const Site& site, std::string_view object) {
  return cat("checkpoint '", site.file.string(), "': ", object,
             " is damaged (checksum mismatch); the file cannot be used: restore it from a copy or "
             "resume from an earlier checkpoint");
}

// `object` reads like "dataset '/model/wte.weight'"; `action` like "read".
[[noreturn]] inline void fail(const char* call, const Site& site, std::string_view action,
                              std::string_view object) {
  Failure failure = take_failure();
  const std::string file = site.file.string();
  if (failure.checksum) throw Error(damaged_message(site, object));
  if (failure.truncated) {
    throw Error(cat("checkpoint '", file, "' is truncated (HDF5: ", failure.innermost,
                    "); it was not completely written or copied: copy it again or resume from an "
                    "earlier checkpoint"));
  }
  std::string_view function(call);
  function = function.substr(0, function.find('('));
  throw Error(cat("checkpoint '", file, "': cannot ", action, " ", object, ": ", failure.innermost,
                  " (", function, "); ",
                  site.writing ? "check that its folder is writable and the disk has space"
                               : "the file may be damaged or not a Forge checkpoint"));
}

// HDF5 signals failure with a negative herr_t, hid_t, htri_t or ssize_t.
template <class T>
T check(T result, const char* call, const Site& site, std::string_view action,
        std::string_view object) {
  if (result < 0) fail(call, site, action, object);
  return result;
}

// An open HDF5 identifier. close() is the checked close of the normal path (closing a dataset
// can write its last chunks). The destructor closes quietly: it runs on error paths, where an
// error is already on its way out, and for a reader's file, where closing writes nothing.
class Handle {
 public:
  using Closer = herr_t (*)(hid_t);
  Handle() = default;
  Handle(hid_t id, Closer closer) : id_(id), closer_(closer) {}
  Handle(Handle&& other) noexcept
      : id_(std::exchange(other.id_, H5I_INVALID_HID)), closer_(other.closer_) {}
  Handle& operator=(Handle&& other) noexcept {
    if (this != &other) {
      discard();
      id_ = std::exchange(other.id_, H5I_INVALID_HID);
      closer_ = other.closer_;
    }
    return *this;
  }
  ~Handle() { discard(); }

  hid_t get() const { return id_; }
  void close(const Site& site, std::string_view object) {
    hid_t id = std::exchange(id_, H5I_INVALID_HID);
    if (id >= 0) check(closer_(id), "close", site, "close", object);
  }

 private:
  void discard() noexcept {
    if (id_ >= 0) static_cast<void>(closer_(std::exchange(id_, H5I_INVALID_HID)));
  }
  hid_t id_ = H5I_INVALID_HID;
  Closer closer_ = nullptr;
};

}  // namespace forge::h5

#define FORGE_H5(call, site, action, object) \
  ::forge::h5::check((call), #call, (site), (action), (object))

namespace forge::h5 {

// The little-endian type an ArrayType is stored as; also its memory type on this host.
inline hid_t storage_type(ArrayType type) {
  switch (type) {
    case ArrayType::f32:
      return H5T_IEEE_F32LE;
    case ArrayType::f64:
      return H5T_IEEE_F64LE;
    case ArrayType::bf16:
      return H5T_STD_U16LE;
    case ArrayType::i32:
      return H5T_STD_I32LE;
    case ArrayType::i64:
      return H5T_STD_I64LE;
    case ArrayType::u8:
      return H5T_STD_U8LE;
    case ArrayType::u16:
      return H5T_STD_U16LE;
  }
  FORGE_CHECK(false, "unknown ArrayType ", static_cast<int>(type));
}

inline std::string quoted(std::string_view kind, std::string_view path) {
  return cat(kind, " '", path, "'");
}

// Object paths are absolute ("/model/wte.weight"); HDF5 would read "." and ".." differently.
inline void check_path(const Site& site, std::string_view path, bool allow_root) {
  bool valid = !path.empty() && path.front() == '/' && (allow_root || path.size() > 1) &&
               (path.size() == 1 || path.back() != '/');
  for (std::size_t start = 1; valid && start < path.size();) {
    std::size_t end = std::min(path.find('/', start), path.size());
    std::string_view part = path.substr(start, end - start);
    valid = !part.empty() && part != "." && part != "..";
    start = end + 1;
  }
  if (!valid) {
    throw Error(cat("checkpoint '", site.file.string(), "': invalid object path '", path,
                    "'; paths are absolute like '/model/wte.weight', with no empty, '.' or '..' "
                    "parts",
                    allow_root ? " ('/' is the root group)" : ""));
  }
}

// The kind of object at an existing path: H5I_GROUP or H5I_DATASET (or H5I_DATATYPE).
inline H5I_type_t object_kind(hid_t file, const std::string& path, const Site& site) {
  Handle object(
      FORGE_H5(H5Oopen(file, path.c_str(), H5P_DEFAULT), site, "open", quoted("object", path)),
      H5Oclose);
  H5I_type_t kind = FORGE_H5(H5Iget_type(object.get()), site, "inspect", quoted("object", path));
  object.close(site, quoted("object", path));
  return kind;
}

// Whether a path names an object, walking it one part at a time: H5Lexists fails rather than
// answering when a part above the last is missing or is a dataset.
inline bool exists(hid_t file, const std::string& path, const Site& site) {
  if (path == "/") return true;
  for (std::size_t end = path.find('/', 1);; end = path.find('/', end + 1)) {
    std::string prefix = path.substr(0, end);
    if (!FORGE_H5(H5Lexists(file, prefix.c_str(), H5P_DEFAULT), site, "look up",
                  quoted("object", prefix))) {
      return false;
    }
    if (end == std::string::npos) return true;
    if (object_kind(file, prefix, site) != H5I_GROUP) return false;
  }
}

}  // namespace forge::h5
