#pragma once

#include <forge/export.h>
#include <forge/filter.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace forge {

// A filter whose verdicts need every document at once, such as deduplication across a whole
// dataset. The data stage runs the steps before it on every task, keeps one fixed-size
// signature per surviving document, asks decide() which to drop (all tasks, and all
// processes of a cluster, together), and then runs the steps after it. apply() is not used.
class FORGE_API GlobalFilter : public Filter {
 public:
  virtual std::size_t signature_bytes() const = 0;
  // Writes signature_bytes() bytes for `document`; called from several threads at once.
  virtual void signature(const Document& document, std::uint8_t* out) const = 0;
  // `count` signatures in the dataset's order (task by task, documents in order); returns,
  // for each, whether to drop it. Deterministic: every process computes it alike.
  virtual std::vector<bool> decide(std::span<const std::uint8_t> signatures, std::size_t count,
                                   unsigned threads) const = 0;
  // The drop reason counted for decide()'s drops, e.g. "duplicate".
  virtual std::string drop_reason() const = 0;

  Verdict apply(Document&) const override { return Verdict::keep(); }
};

}  // namespace forge
