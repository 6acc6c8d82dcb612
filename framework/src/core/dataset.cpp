#include <forge/dataset.h>
#include <forge/error.h>

namespace forge {

std::vector<std::string> Dataset::shards() const {
  throw Error("this dataset plugin cannot be read as documents; use it as an output instead");
}

void Dataset::read(const std::string& shard, const std::function<bool(Document&&)>&) const {
  throw Error(cat("this dataset plugin cannot read documents (shard '", shard, "')"));
}

std::unique_ptr<DocumentWriter> Dataset::open_writer(const WriteTarget&) const {
  throw Error("this dataset plugin cannot write documents; choose one that can, such as jsonl");
}

std::unique_ptr<TokenSource> Dataset::open_tokens(const TokenRequest&) const {
  throw Error("this dataset plugin cannot provide training tokens; use token_shards or text");
}

TokenSource::~TokenSource() = default;

}  // namespace forge
