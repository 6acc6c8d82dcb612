// Dataset `jsonl`: JSON Lines documents, plain or gzip, read and written.
#include <forge/dataset.h>
#include <forge/error.h>
#include <forge/files.h>
#include <forge/node.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <string>
#include <system_error>
#include <vector>

namespace forge {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

constexpr auto kReplaceInvalid = Json::error_handler_t::replace;

std::string dump(const Json& value) { return value.dump(-1, ' ', false, kReplaceInvalid); }

// The field names a document's parts are stored under.
struct Keys {
  std::string text;
  std::string id;
  std::string url;
};

// The *.jsonl and *.jsonl.gz files directly inside `folder`, sorted.
std::vector<fs::path> jsonl_files_in(const fs::path& folder) {
  std::vector<fs::path> files;
  std::error_code error;
  for (fs::directory_iterator it(folder, error), end; !error && it != end; it.increment(error)) {
    std::string name = it->path().filename().string();
    bool jsonl = name.ends_with(".jsonl") || name.ends_with(".jsonl.gz");
    if (jsonl && name[0] != '.' && !fs::is_directory(it->path())) files.push_back(it->path());
  }
  if (error)
    throw Error(cat("jsonl: cannot list folder '", folder.string(), "': ", error.message()));
  if (files.empty()) {
    throw Error(cat("jsonl: folder '", folder.string(), "' holds no .jsonl or .jsonl.gz files"));
  }
  return files;
}

// One output file: each document as one compact JSON object per line, in a fixed key order
// (id, text, url, then metadata keys sorted), so equal input gives equal bytes.
class JsonlWriter : public DocumentWriter {
 public:
  JsonlWriter(const fs::path& file, bool gzip, Keys keys)
      : out_(file, gzip), keys_(std::move(keys)) {}

  void write(const Document& document) override {
    line_.clear();
    line_ += '{';
    field(keys_.id, document.id);
    field(keys_.text, document.text);
    if (!document.url.empty()) field(keys_.url, document.url);
    if (!document.metadata.is_null() && !document.metadata.is_object()) {
      throw Error(cat("jsonl: document '", document.id,
                      "' has metadata that is not an object: ", dump(document.metadata)));
    }
    for (const auto& [key, value] : document.metadata.items()) {
      if (key == keys_.id || key == keys_.text || key == keys_.url) {
        throw Error(cat("jsonl: document '", document.id, "' has a metadata field '", key,
                        "' that clashes with the document's own '", key,
                        "' field; rename it in the step that sets it"));
      }
      field(key, value);
    }
    line_ += "}\n";
    out_.write(line_);
  }

  void commit() override { out_.commit(); }

 private:
  void field(const std::string& key, const Json& value) {
    if (line_.size() > 1) line_ += ',';
    line_ += dump(key);
    line_ += ':';
    line_ += dump(value);
  }

  AtomicFileWriter out_;
  Keys keys_;
  std::string line_;
};

class Jsonl : public Dataset {
 public:
  explicit Jsonl(const Config& config)
      : section_(config.node()),
        section_path_(config.path()),
        paths_(config.strings("paths")),
        output_(config.string("path")),
        gzip_(config.string("compression") == "gzip"),
        keys_{config.string("text_key"), config.string("id_key"), config.string("url_key")} {
    if (keys_.text == keys_.id) {
      config.fail("text_key", cat("must differ from id_key ('", keys_.id, "')"));
    }
    if (keys_.url == keys_.id || keys_.url == keys_.text) {
      config.fail("url_key", "must differ from text_key and id_key");
    }
  }

  std::vector<std::string> shards() const override {
    if (paths_.empty())
      Config(section_, section_path_).fail("paths", "jsonl: nothing to read; set 'paths'");
    std::vector<fs::path> files;
    for (const std::string& entry : paths_) {
      std::error_code ignored;
      std::vector<fs::path> found =
          fs::is_directory(entry, ignored) ? jsonl_files_in(entry) : expand_glob(entry);
      files.insert(files.end(), found.begin(), found.end());
    }
    std::vector<std::string> names;
    names.reserve(files.size());
    for (const fs::path& file : files) names.push_back(file.string());
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    return names;
  }

  void read(const std::string& shard, const std::function<bool(Document&&)>& sink) const override {
    read_json_lines(shard, [&](Json&& object, const std::string& where) {
      return sink(parse(std::move(object), where));
    });
  }

  bool can_write() const override { return true; }

  std::unique_ptr<DocumentWriter> open_writer(const WriteTarget& target) const override {
    fs::path folder = output_.is_absolute() ? output_ : target.run_dir / output_;
    std::error_code error;
    fs::create_directories(folder, error);
    if (error) {
      throw Error(
          cat("jsonl: cannot create output folder '", folder.string(), "': ", error.message()));
    }
    fs::path file = folder / (target.task + (gzip_ ? ".jsonl.gz" : ".jsonl"));
    return std::make_unique<JsonlWriter>(file, gzip_, keys_);
  }

 private:
  // One line's object as a document; `where` is "file:line" for messages.
  Document parse(Json&& object, const std::string& where) const {
    Document document;
    auto text = object.find(keys_.text);
    if (text == object.end()) {
      throw Error(cat(where, ": no '", keys_.text,
                      "' field (set text_key to the field that holds the text)"));
    }
    if (!text->is_string()) {
      throw Error(
          cat(where, ": field '", keys_.text, "' must be a string, found ", text->type_name()));
    }
    document.text = text->get<std::string>();
    document.id = where;
    if (auto id = object.find(keys_.id); id != object.end()) {
      if (id->is_string()) {
        document.id = id->get<std::string>();
      } else if (id->is_number()) {
        document.id = id->dump();
      } else {
        throw Error(cat(where, ": field '", keys_.id, "' must be a string or a number, found ",
                        id->type_name()));
      }
    }
    if (auto url = object.find(keys_.url); url != object.end() && !url->is_null()) {
      if (!url->is_string()) {
        throw Error(
            cat(where, ": field '", keys_.url, "' must be a string, found ", url->type_name()));
      }
      document.url = url->get<std::string>();
    }
    for (auto& [key, value] : object.items()) {
      if (key != keys_.text && key != keys_.id && key != keys_.url) {
        document.metadata[key] = std::move(value);
      }
    }
    return document;
  }

  Node section_;  // a copy, so a late error can still point at the recipe
  std::string section_path_;
  std::vector<std::string> paths_;
  fs::path output_;
  bool gzip_;
  Keys keys_;
};

std::vector<PluginInfo> plugins() {
  Schema schema{
      param::string_list("paths")
          .fallback(std::vector<std::string>{})
          .doc("files to read: paths, glob patterns or folders (every *.jsonl and *.jsonl.gz)"),
      param::string("path").fallback("output").doc(
          "folder written to, one file per task; relative paths are inside the run directory"),
      param::string("compression")
          .fallback("gzip")
          .one_of({"gzip", "none"})
          .doc("how written files are compressed: 'gzip' (.jsonl.gz) or 'none' (.jsonl)"),
      param::string("text_key").fallback("text").doc("field holding the document's text"),
      param::string("id_key").fallback("id").doc(
          "field holding the document's id; without it, ids are 'file:line'"),
      param::string("url_key").fallback("url").doc("field holding the document's source URL"),
  };
  return {describe_plugin<Jsonl>(
      "jsonl", "1.0", "JSON Lines documents, plain or gzip: reads and writes", std::move(schema))};
}

}  // namespace
}  // namespace forge

FORGE_PLUGIN_LIBRARY(forge::plugins)
