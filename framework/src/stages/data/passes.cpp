#include "stages/data/passes.h"

#include <forge/error.h>
#include <forge/files.h>

#include <nlohmann/json.hpp>

#include <unistd.h>

#include <fstream>

namespace forge {
namespace fs = std::filesystem;

fs::path pass_documents(const fs::path& dir, const std::string& task) {
  return dir / (task + ".jsonl");
}
fs::path pass_signatures(const fs::path& dir, const std::string& task) {
  return dir / (task + ".sig");
}

struct PassWriter::Impl {
  std::unique_ptr<AtomicFileWriter> documents, signatures;
  std::size_t sig_bytes;
};

PassWriter::PassWriter(const fs::path& dir, const std::string& task, std::size_t sig_bytes)
    : impl_(std::make_unique<Impl>()) {
  fs::create_directories(dir);
  impl_->documents = std::make_unique<AtomicFileWriter>(pass_documents(dir, task), false);
  impl_->signatures = std::make_unique<AtomicFileWriter>(pass_signatures(dir, task), false);
  impl_->sig_bytes = sig_bytes;
}

PassWriter::~PassWriter() = default;

void PassWriter::write(const Document& document, const std::uint8_t* signature) {
  nlohmann::json line = {{"id", document.id},
                         {"text", document.text},
                         {"url", document.url},
                         {"metadata", document.metadata}};
  impl_->documents->write(line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) +
                          "\n");
  impl_->signatures->write(
      std::string_view(reinterpret_cast<const char*>(signature), impl_->sig_bytes));
  ++count_;
}

void PassWriter::commit() {
  impl_->signatures->commit();
  impl_->documents->commit();
}

void read_pass_documents(const fs::path& dir, const std::string& task,
                         const std::function<void(Document&&)>& sink) {
  const fs::path file = pass_documents(dir, task);
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error(cat("cannot read '", file.string(), "', written by an earlier pass"));
  std::string line;
  while (std::getline(in, line)) {
    nlohmann::json object = nlohmann::json::parse(line, nullptr, false);
    if (object.is_discarded())
      throw Error(cat("'", file.string(),
                      "' is damaged; delete the run's passes/ folder and "
                      "tasks/pass-* markers to redo the passes"));
    sink(Document{object["id"].get<std::string>(), object["text"].get<std::string>(),
                  object["url"].get<std::string>(), std::move(object["metadata"])});
  }
}

void append_signatures(const fs::path& dir, const std::string& task,
                       std::vector<std::uint8_t>& out) {
  const std::string bytes = read_file(pass_signatures(dir, task));
  out.insert(out.end(), bytes.begin(), bytes.end());
}

void write_decisions(const fs::path& file, const std::vector<bool>& drop) {
  std::string bytes(drop.size(), '\0');
  for (std::size_t i = 0; i < drop.size(); ++i) bytes[i] = drop[i] ? 1 : 0;
  // Every process of a run writes the same decisions, maybe at once: each renames its own
  // temporary (not named like AtomicFileWriter's, which clear each other's) into place.
  const fs::path temp = fs::path(file.string() + cat(".part-", ::getpid()));
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.flush();
    if (!out) throw Error(cat("cannot write '", temp.string(), "'"));
  }
  std::error_code error;
  fs::rename(temp, file, error);
  if (error) throw Error(cat("cannot move '", temp.string(), "' into place: ", error.message()));
}

std::vector<bool> read_decisions(const fs::path& file) {
  const std::string bytes = read_file(file);
  std::vector<bool> drop(bytes.size());
  for (std::size_t i = 0; i < bytes.size(); ++i) drop[i] = bytes[i] != 0;
  return drop;
}

}  // namespace forge
