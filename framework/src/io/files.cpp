#include <forge/error.h>
#include <forge/files.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>

#include "io/zlib_message.h"

namespace forge {
namespace {

constexpr std::size_t kChunk = 1 << 16;

// A plain or gzip file read through zlib, which picks the format from the first two bytes
// (1f 8b) and reads concatenated gzip members as one stream.
class GzipSource {
 public:
  explicit GzipSource(const std::filesystem::path& file) : name_(file.string()) {
    int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw Error(cat("cannot open '", name_, "': ", std::strerror(errno)));
    struct stat info {};
    if (::fstat(fd, &info) == 0 && S_ISDIR(info.st_mode)) {
      ::close(fd);
      throw Error(cat("cannot read '", name_, "': it is a folder"));
    }
    file_ = ::gzdopen(fd, "rb");
    if (!file_) {
      ::close(fd);
      throw Error(cat("cannot open '", name_, "': out of memory"));
    }
    ::gzbuffer(file_, kChunk);
  }
  ~GzipSource() { ::gzclose(file_); }
  GzipSource(const GzipSource&) = delete;
  GzipSource& operator=(const GzipSource&) = delete;

  // Reads up to `size` bytes; 0 at the end. `where` prefixes error messages ("file" or
  // "file:line"), and a truncated or damaged gzip stream is an error, not a short file.
  std::size_t read(char* data, std::size_t size, const std::string& where) {
    int got = ::gzread(file_, data, static_cast<unsigned>(std::min<std::size_t>(size, INT_MAX)));
    int code = Z_OK;
    ::gzerror(file_, &code);
    if (got < 0 || (got == 0 && code != Z_OK)) {
      if (::gzdirect(file_)) throw Error(cat(where, ": cannot read: ", zlib_message(file_)));
      throw Error(cat(where, ": damaged or truncated gzip data (", zlib_message(file_), ")"));
    }
    return static_cast<std::size_t>(got);
  }

  const std::string& name() const { return name_; }

 private:
  std::string name_;
  gzFile file_ = nullptr;
};

}  // namespace

std::string read_file(const std::filesystem::path& file) {
  GzipSource source(file);
  std::string content;
  std::size_t size = 0;
  for (;;) {
    content.resize(size + kChunk);
    std::size_t got = source.read(content.data() + size, kChunk, source.name());
    if (got == 0) break;
    size += got;
  }
  content.resize(size);
  return content;
}

struct LineReader::Impl {
  explicit Impl(const std::filesystem::path& file) : source(file) {}
  GzipSource source;
  std::string buffer;
  std::size_t position = 0;
  bool at_end = false;
};

LineReader::LineReader(const std::filesystem::path& file) : impl_(std::make_unique<Impl>(file)) {}

LineReader::~LineReader() = default;

bool LineReader::next(std::string& line) {
  Impl& in = *impl_;
  line.clear();
  for (;;) {
    std::size_t newline = in.buffer.find('\n', in.position);
    std::size_t end = newline == std::string::npos ? in.buffer.size() : newline;
    line.append(in.buffer, in.position, end - in.position);
    if (newline != std::string::npos) {
      in.position = newline + 1;
      break;
    }
    in.buffer.clear();
    in.position = 0;
    if (in.at_end) {
      if (line.empty()) return false;
      break;  // a last line without '\n'
    }
    in.buffer.resize(kChunk);
    std::size_t got =
        in.source.read(in.buffer.data(), kChunk, cat(in.source.name(), ":", line_number_ + 1));
    in.buffer.resize(got);
    in.at_end = got == 0;
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  ++line_number_;
  return true;
}

void read_json_lines(
    const std::filesystem::path& file,
    const std::function<bool(nlohmann::json&& object, const std::string& where)>& sink) {
  LineReader reader(file);
  std::string line;
  while (reader.next(line)) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const std::string where = cat(file.string(), ":", reader.line_number());
    nlohmann::json object;
    try {
      object = nlohmann::json::parse(line);
    } catch (const nlohmann::json::parse_error& error) {
      std::string message = error.what();
      std::size_t tag = message.find("] ");  // drop nlohmann's "[json.exception...] " tag
      if (tag != std::string::npos) message.erase(0, tag + 2);
      throw Error(cat(where, ": invalid JSON: ", message));
    }
    if (!object.is_object())
      throw Error(cat(where, ": expected a JSON object, found ", object.type_name()));
    if (!sink(std::move(object), where)) return;
  }
}

}  // namespace forge
