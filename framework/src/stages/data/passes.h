#pragma once

// The files between the passes of a data run with global steps (deduplication): per task, the
// documents that reached a global step as JSON Lines, and their signatures; per global step,
// the decisions over all of them.

#include <forge/document.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace forge {

// Writes one task's documents and signatures under temporary names; commit() publishes both.
class PassWriter {
 public:
  PassWriter(const std::filesystem::path& dir, const std::string& task, std::size_t sig_bytes);
  ~PassWriter();
  void write(const Document& document, const std::uint8_t* signature);
  void commit();
  std::uint64_t count() const { return count_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::uint64_t count_ = 0;
};

std::filesystem::path pass_documents(const std::filesystem::path& dir, const std::string& task);
std::filesystem::path pass_signatures(const std::filesystem::path& dir, const std::string& task);

// Calls `sink` with each document of one task's pass file, in order.
void read_pass_documents(const std::filesystem::path& dir, const std::string& task,
                         const std::function<void(Document&&)>& sink);

// Appends one task's signatures to `out`.
void append_signatures(const std::filesystem::path& dir, const std::string& task,
                       std::vector<std::uint8_t>& out);

// One byte per document of the whole dataset (1: drop), written atomically.
void write_decisions(const std::filesystem::path& file, const std::vector<bool>& drop);
std::vector<bool> read_decisions(const std::filesystem::path& file);

}  // namespace forge
